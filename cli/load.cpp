#include "cli/load.hpp"

#include <iostream>

#include "cli/commands.hpp"

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
      std::cerr << render_text(diagnostic, result.sources) << '\n';
    }
    const auto errors = result.diagnostics.error_count();
    std::cerr << path << ": " << errors << (errors == 1 ? " error" : " errors") << "; nothing evaluated\n";
    loaded.exit_code = kExitProblems;
    return loaded;
  }
  std::shared_ptr<const engine::CheckedRuleset> ruleset = std::move(result.ruleset);
  // The hash names what the rules say, not how they are laid out: the canonical form of every
  // file the ruleset reads, so editing an imported file changes it too.
  loaded.text = audit::ruleset_text(*ruleset);
  loaded.content_hash = loaded.text.hash;
  loaded.plan = engine::Plan::compile(ruleset);
  return loaded;
}

}  // namespace riskoff::cli
