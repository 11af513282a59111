// A ruleset's identity: the canonical text of every file in its import closure and one hash
// over all of them. This is what the audit store keeps, what `ruleset publish` registers and
// what `audit replay` re-checks, so a recorded decision names exactly the rules that made it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/plan.hpp"

namespace riskoff::audit {

struct RulesetFile {
  std::string path;  // relative to the closure's common folder, '/'-separated, never `..`
  std::string text;  // canonical text (`riskoff fmt`)
};

struct RulesetText {
  std::string name;     // from the root file's header; empty without one
  std::string version;  // likewise
  std::vector<RulesetFile> files;  // files[0] is the root; each file once, in load order
  std::string hash;     // closure_hash(files)
};

// A ruleset without imports is identified by the sha256 of its canonical text (the hash
// explanations have always shown); with imports, by the sha256 of every file's relative path and
// canonical text, framed so that no two closures share an encoding.
std::string closure_hash(const std::vector<RulesetFile>& files);

// The closure of a ruleset that checked without errors.
RulesetText ruleset_text(const engine::CheckedRuleset& ruleset);

// The stored closure checked and compiled again: the files are written to a fresh private
// folder (imports resolve as they did), checked, and the folder removed. On failure returns
// null and sets `error` (a stored file with an unsafe path, or text that no longer checks).
std::shared_ptr<const engine::Plan> compile_stored(const std::vector<RulesetFile>& files, std::string& error);

}  // namespace riskoff::audit
