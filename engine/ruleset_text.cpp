#include "engine/ruleset_text.hpp"

#include <filesystem>

#include "dsl/format.hpp"
#include "support/sha256.hpp"

namespace riskoff::engine {
namespace fs = std::filesystem;

std::string closure_hash(const std::vector<RulesetFile>& files) {
  if (files.size() == 1) return support::sha256_hex(files.front().text);
  std::string framed = "riskoff.ruleset-closure/1\n";
  for (const auto& file : files) {
    framed += file.path + '\n' + std::to_string(file.text.size()) + '\n' + file.text;
  }
  return support::sha256_hex(framed);
}

RulesetText ruleset_text(const CheckedRuleset& ruleset) {
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

}  // namespace riskoff::engine
