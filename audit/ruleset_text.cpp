#include "audit/ruleset_text.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "dsl/format.hpp"
#include "engine/sha256.hpp"

namespace riskoff::audit {
namespace fs = std::filesystem;

std::string closure_hash(const std::vector<RulesetFile>& files) {
  if (files.size() == 1) return engine::sha256_hex(files.front().text);
  std::string framed = "riskoff.ruleset-closure/1\n";
  for (const auto& file : files) {
    framed += file.path + '\n' + std::to_string(file.text.size()) + '\n' + file.text;
  }
  return engine::sha256_hex(framed);
}

RulesetText ruleset_text(const engine::CheckedRuleset& ruleset) {
  RulesetText out;
  const dsl::Module& root = ruleset.root();
  if (root.header) {
    out.name = root.header->name;
    out.version = root.header->version.value;
  }
  // Paths relative to the deepest folder holding every file: moving the tree keeps the hash.
  std::vector<fs::path> paths;
  for (const auto& module : ruleset.modules) {
    std::error_code ec;
    fs::path path = fs::absolute(fs::path(ruleset.sources.file(module->source).name()), ec).lexically_normal();
    paths.push_back(path);
  }
  fs::path base = paths.front().parent_path();
  for (const auto& path : paths) {
    while (!base.empty()) {
      const auto relative = path.lexically_relative(base);
      if (!relative.empty() && *relative.begin() != "..") break;
      if (base == base.root_path()) break;
      base = base.parent_path();
    }
  }
  for (std::size_t index = 0; index < ruleset.modules.size(); ++index) {
    const std::string relative = paths[index].lexically_relative(base).generic_string();
    bool seen = false;
    for (const auto& file : out.files) seen = seen || file.path == relative;
    if (seen) continue;  // a file imported twice (two aliases, a diamond) is one file
    const auto& module = *ruleset.modules[index];
    out.files.push_back({relative, dsl::format(module, ruleset.sources.file(module.source))});
  }
  out.hash = closure_hash(out.files);
  return out;
}

namespace {

bool safe_relative(const std::string& path) {
  if (path.empty() || path.front() == '/') return false;
  for (const auto& part : fs::path(path)) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

// Removes the private folder however compile_stored leaves.
struct TempFolder {
  fs::path path;
  ~TempFolder() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

}  // namespace

std::shared_ptr<const engine::Plan> compile_stored(const std::vector<RulesetFile>& files, std::string& error) {
  if (files.empty()) {
    error = "the stored ruleset has no files";
    return nullptr;
  }
  std::error_code ec;
  std::string pattern = (fs::temp_directory_path(ec) / "riskoff-ruleset-XXXXXX").string();
  if (ec || mkdtemp(pattern.data()) == nullptr) {
    error = "cannot create a temporary folder";
    return nullptr;
  }
  TempFolder folder{pattern};
  for (const auto& file : files) {
    if (!safe_relative(file.path)) {
      error = "stored ruleset file `" + file.path + "` has an unsafe path";
      return nullptr;
    }
    const fs::path target = folder.path / file.path;
    fs::create_directories(target.parent_path(), ec);
    std::ofstream out(target, std::ios::binary);
    out << file.text;
    if (!out) {
      error = "cannot write " + target.string();
      return nullptr;
    }
  }
  auto checked = engine::check_file(folder.path / files.front().path);
  if (!checked.io_error.empty() || checked.ruleset == nullptr) {
    error = "stored ruleset cannot be read: " + checked.io_error;
    return nullptr;
  }
  if (checked.diagnostics.has_errors()) {
    error = "stored ruleset no longer checks (" + std::to_string(checked.diagnostics.error_count()) +
            " errors with this riskoff)";
    return nullptr;
  }
  std::shared_ptr<const engine::CheckedRuleset> ruleset = std::move(checked.ruleset);
  return engine::Plan::compile(ruleset);
}

}  // namespace riskoff::audit
