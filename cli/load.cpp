#include "cli/load.hpp"

#include <iostream>

#include "cli/commands.hpp"
#include "dsl/format.hpp"
#include "engine/sha256.hpp"

namespace riskoff::cli {

LoadedRuleset load_ruleset(const std::string& path) {
  LoadedRuleset loaded;
  auto result = engine::check_file(path);
  if (!result.io_error.empty()) {
    std::cerr << "riskoff: " << result.io_error << '\n';
    loaded.exit_code = kExitUsage;
    return loaded;
  }
  if (result.diagnostics.has_errors()) {
    for (const auto& diagnostic : result.diagnostics.all()) {
      std::cerr << render_text(diagnostic, result.ruleset->sources) << '\n';
    }
    const auto errors = result.diagnostics.error_count();
    std::cerr << path << ": " << errors << (errors == 1 ? " error" : " errors") << "; nothing evaluated\n";
    loaded.exit_code = kExitProblems;
    return loaded;
  }
  std::shared_ptr<const engine::CheckedRuleset> ruleset = std::move(result.ruleset);
  // The hash names what the rules say, not how they are laid out: hash the canonical form.
  loaded.content_hash = engine::sha256_hex(dsl::format(ruleset->root(), ruleset->sources.file(ruleset->root().source)));
  loaded.plan = engine::Plan::compile(ruleset);
  return loaded;
}

}  // namespace riskoff::cli
