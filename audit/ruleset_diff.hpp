// A semantic diff of two checked rulesets (`riskoff ruleset diff OLD NEW`): what a reviewer of a
// rules change needs, not a text diff. Declarations are matched by their qualified name, decision
// clauses by their text within each profile; each change carries the version bump it implies.
//
// Bump rules (docs/audit.md): removing an input, parameter, let, signal, group or profile, or
// changing an input's kind, frequency or unit, or adding a required input, breaks snapshots,
// importers or recorded names: major. Anything that can change a decision (a threshold, a
// condition, a clause, a new optional input or declaration): minor. Wording only (titles,
// because templates, reasons, descriptions, advice): patch.
#pragma once

#include <string>
#include <vector>

#include "engine/check.hpp"
#include "support/semver.hpp"

namespace riskoff::audit {

using Bump = support::Bump;  // kNone, kPatch, kMinor, kMajor
std::string_view bump_name(Bump bump);

struct RulesetChange {
  std::string section;  // inputs, parameters, lets, signals, groups, profiles
  char sign = '~';      // '+' added, '-' removed, '~' changed
  std::string text;
  Bump bump = Bump::kPatch;
};

struct RulesetDiff {
  std::string old_name, old_version, new_name, new_version;
  std::vector<RulesetChange> changes;  // by section, then declaration order
  Bump implied = Bump::kNone;
  Bump declared = Bump::kNone;  // from the two header versions
  bool version_goes_down = false;  // the new header's version is lower than the old one's
  bool declared_too_small() const;
};

RulesetDiff diff_rulesets(const engine::CheckedRuleset& before, const engine::CheckedRuleset& after);

// "rulesets/riskoff.rules (sha256 3f2a9c01b7de)": where one side came from, and which content.
std::string ruleset_label(const std::string& where, const std::string& hash);

// The diff in words. `old_label` / `new_label` say where each side came from (a file, NAME@VERSION).
std::string render_ruleset_diff(const RulesetDiff& diff, const std::string& old_label, const std::string& new_label);

}  // namespace riskoff::audit
