#include "audit/ruleset_text.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace riskoff::audit {
namespace fs = std::filesystem;

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
