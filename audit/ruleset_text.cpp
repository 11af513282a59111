#include "audit/ruleset_text.hpp"

#include <filesystem>
#include <map>

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

}  // namespace

std::shared_ptr<const engine::Plan> compile_stored(const std::vector<RulesetFile>& files, std::string& error) {
  if (files.empty()) {
    error = "the stored ruleset has no files";
    return nullptr;
  }
  std::map<std::string, std::string> texts;
  for (const auto& file : files) {
    if (!safe_relative(file.path)) {
      error = "stored ruleset file `" + file.path + "` has an unsafe path";
      return nullptr;
    }
    texts.emplace(file.path, file.text);
  }
  // Checked from memory: the stored paths are relative to the closure's folder, so imports
  // resolve among them as they did on disk.
  const engine::MemorySourceLoader loader(std::move(texts));
  auto checked = engine::check_text(files.front().path, files.front().text, loader);
  if (checked.diagnostics.has_errors()) {
    error = "stored ruleset no longer checks (" + std::to_string(checked.diagnostics.error_count()) +
            " errors with this riskoff)";
    return nullptr;
  }
  std::shared_ptr<const engine::CheckedRuleset> ruleset = std::move(checked.ruleset);
  return engine::Plan::compile(ruleset);
}

}  // namespace riskoff::audit
