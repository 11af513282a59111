// A ruleset's identity: the canonical text of every file in its import closure and one hash
// over all of them (engine/ruleset_text.hpp), and its stored form compiled again: what the audit
// store keeps, what `ruleset publish` registers and what `audit recheck` re-checks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/plan.hpp"
#include "engine/ruleset_text.hpp"

namespace riskoff::audit {

// The identity itself lives in the engine (engine/ruleset_text.hpp): explanations and the
// embedding API show the same hash the store keeps.
using engine::closure_hash;
using engine::RulesetFile;
using engine::RulesetText;
using engine::ruleset_text;

// The stored closure checked and compiled again, from memory (imports resolve among the stored
// files as they did on disk; nothing is written). On failure returns null and sets `error` (a
// stored file with an unsafe path, or text that no longer checks).
std::shared_ptr<const engine::Plan> compile_stored(const std::vector<RulesetFile>& files, std::string& error);

}  // namespace riskoff::audit
