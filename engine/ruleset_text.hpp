// A ruleset's identity: the canonical text of every file in its import closure and one hash
// over all of them. Explanations show this hash, the embedding API returns it, the audit store
// keeps the files under it, so a recorded decision names exactly the rules that made it.
#pragma once

#include <string>
#include <vector>

#include "engine/check.hpp"

namespace riskoff::engine {

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
RulesetText ruleset_text(const CheckedRuleset& ruleset);

}  // namespace riskoff::engine
