// Shared by eval and test: load and check a ruleset, compile it, hash its canonical text.
#pragma once

#include <memory>
#include <string>

#include "engine/plan.hpp"

namespace riskoff::cli {

struct LoadedRuleset {
  std::shared_ptr<const engine::Plan> plan;
  std::string content_hash;  // sha256 of the root file's canonical text
  int exit_code = 0;         // non-zero when loading failed (diagnostics already printed)
};

// When the ruleset has errors, prints every diagnostic (errors and warnings) to stderr and
// returns exit 1; an unreadable file is exit 2. A clean ruleset prints nothing.
LoadedRuleset load_ruleset(const std::string& path);

}  // namespace riskoff::cli
