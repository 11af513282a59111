#include "serve/watch.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace riskoff::serve {
namespace {

// The rule file and the files of its import closure that lie beside it or below (closure paths
// are relative to the closure's common folder, which is the rule file's own folder unless an
// import reaches above it: such a file is not watched, docs/serve.md says so).
std::vector<std::string> watched_files(const Service& service) {
  const std::filesystem::path root = service.options().ruleset_file;
  std::vector<std::string> files{root.string()};
  const auto closure = service.current()->ruleset.closure();
  for (std::size_t idx = 1; idx < closure.size(); ++idx) {
    files.push_back((root.parent_path() / closure[idx].path).string());
  }
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
