// Shared by eval, test and ruleset: load and check a ruleset through the library and print its
// problems the way every command prints them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/plan.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::cli {

struct LoadedRuleset {
  std::optional<Ruleset> ruleset;            // the library's handle: every decision goes through it
  std::shared_ptr<const engine::Plan> plan;  // the same plan (lookbacks for --sources, traces, rule tests)
  std::string content_hash;  // the closure's hash: what explanations show
  int exit_code = 0;         // non-zero when loading failed (diagnostics already printed)
};

// When the ruleset has errors, prints every diagnostic (errors and warnings) to stderr and
// returns exit 1; an unreadable file is exit 2. A clean ruleset prints nothing.
LoadedRuleset load_ruleset(const std::string& path);

}  // namespace riskoff::cli
