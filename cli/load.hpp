// Shared by eval, test and ruleset: load and check a ruleset, compile it, hash the canonical
// text of its import closure.
#pragma once

#include <memory>
#include <string>

#include "audit/ruleset_text.hpp"
#include "engine/plan.hpp"

namespace riskoff::cli {

struct LoadedRuleset {
  std::shared_ptr<const engine::Plan> plan;
  audit::RulesetText text;   // canonical text of every file in the import closure
  std::string content_hash;  // the closure's hash (audit::closure_hash): what explanations show
  int exit_code = 0;         // non-zero when loading failed (diagnostics already printed)
};

// When the ruleset has errors, prints every diagnostic (errors and warnings) to stderr and
// returns exit 1; an unreadable file is exit 2. A clean ruleset prints nothing.
LoadedRuleset load_ruleset(const std::string& path);

}  // namespace riskoff::cli
