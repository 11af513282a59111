#include "serve/watch.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace riskoff::serve {
namespace {

// Every file the served version loaded: the rule file and its whole import closure, wherever
// an import reaches. Closure paths are relative to the deepest folder holding every file, so the
// root's own closure path says how far above the rule file that folder is.
std::vector<std::string> watched_files(const Service& service) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root = fs::absolute(fs::path(service.options().ruleset_file), ec).lexically_normal();
  const auto closure = service.current()->ruleset.closure();
  // "rules/main.rules": the common folder is one above the rule file's.
  const fs::path root_in_closure(closure.front().path);
  fs::path base = root.parent_path();
  for (auto depth = std::distance(root_in_closure.begin(), root_in_closure.end()); depth > 1; --depth) base = base.parent_path();
  std::vector<std::string> files{root.string()};
  for (std::size_t idx = 1; idx < closure.size(); ++idx) files.push_back((base / closure[idx].path).lexically_normal().string());
  return files;
}

}  // namespace

RuleWatcher::RuleWatcher(Service& service, std::chrono::milliseconds interval, Report report)
    : service_(service), interval_(interval), report_(std::move(report)) {
  changed();  // what is served now is the baseline
  thread_ = std::thread([this] { run(); });
}

RuleWatcher::~RuleWatcher() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool RuleWatcher::changed() {
  bool any = false;
  for (const auto& path : watched_files(service_)) {
    struct stat status {};
    Seen now;
    if (::stat(path.c_str(), &status) == 0) {
      now.mtime_ns = static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec;
      now.size = static_cast<std::uintmax_t>(status.st_size);
    }
    auto& before = seen_[path];
    if (now.mtime_ns == before.mtime_ns && now.size == before.size) continue;
    if (now.mtime_ns >= 0) {
      std::ifstream in(path, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      now.content_hash = std::hash<std::string>{}(bytes);
    }
    any = any || now.content_hash != before.content_hash || (now.mtime_ns < 0) != (before.mtime_ns < 0);
    before = now;
  }
  return any;
}

void RuleWatcher::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    // A file deleted mid-save (an editor's rename) reads as a change; the reload then fails and
    // the next poll, seeing the file back, reloads again.
    if (changed()) report_(service_.reload());
    lock.lock();
  }
}

}  // namespace riskoff::serve
