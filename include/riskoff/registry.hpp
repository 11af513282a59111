// The ruleset registry: named, versioned rulesets kept in the audit store (a published
// NAME@VERSION never changes), and semantic diffs between any two rulesets with the version bump
// their changes imply (docs/audit.md). What `riskoff ruleset publish|list|show|diff` does.
//
//   auto registry = riskoff::RulesetRegistry::open("audit.sqlite", riskoff::OpenMode::kCreate);
//   auto outcome = registry->publish(ruleset);
//   auto diff = riskoff::diff_rulesets(old_ruleset, new_ruleset);
//   std::cout << riskoff::render(diff, "riskoff@0.1.0", "rulesets/riskoff.rules");
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "riskoff/audit.hpp"
#include "riskoff/export.h"
#include "riskoff/result.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff {

// One published version. A plain value.
struct PublishedRuleset {
  std::string name;
  std::string version;
  std::string hash;          // Ruleset::content_hash() of what was published
  std::string published_at;  // "YYYY-MM-DDTHH:MM:SSZ"
};

// What publish() did. kAlreadyPublished: the same content under the same NAME@VERSION (nothing
// to do); kConflict: that version holds other content, and a published version never changes.
enum class PublishOutcome : std::uint8_t { kPublished, kAlreadyPublished, kConflict };

// What publish() did, and with which content already there. A plain value.
struct PublishReport {
  PublishOutcome outcome = PublishOutcome::kPublished;
  std::string existing_hash;  // kAlreadyPublished, kConflict: the hash stored under NAME@VERSION
};

// The ruleset registry of an audit store (the same file an AuditLog opens). Move-only handle
// (pimpl) owning one SQLite connection (a moved-from handle may only be assigned to or destroyed);
// one per thread, as for AuditLog. Errors are values,
// with the kinds AuditLog uses (kIo, kStore); the functions throw only std::bad_alloc.
class RISKOFF_API RulesetRegistry {
 public:
  static Result<RulesetRegistry> open(const std::string& path, OpenMode mode = OpenMode::kExisting);
  RulesetRegistry(RulesetRegistry&& other) noexcept;
  RulesetRegistry& operator=(RulesetRegistry&& other) noexcept;
  ~RulesetRegistry();

  const std::string& path() const;

  // Stores the ruleset's closure under the NAME and VERSION of its header. A ruleset without a
  // header has neither: ErrorKind::kRuleset.
  Result<PublishReport> publish(const Ruleset& ruleset);
  // By name, then semantic version (1.2.0 < 1.10.0, 1.0.0-rc1 < 1.0.0).
  Result<std::vector<PublishedRuleset>> published() const;
  // "NAME" (its highest version) or "NAME@VERSION"; nullopt when not published. A VERSION that is
  // not a semantic version (SemVer 2.0.0: `1.0.0-alpha.01` is not) is ErrorKind::kUsage.
  Result<std::optional<PublishedRuleset>> find(std::string_view reference) const;
  // Its closure's canonical text, the root file first (as Ruleset::closure() gives it); empty
  // when the stored text is missing or no longer matches its hash (`riskoff audit verify`).
  Result<std::vector<RulesetFileText>> files(const PublishedRuleset& published) const;
  // Its closure checked and compiled again. Text that no longer checks is ErrorKind::kStore.
  Result<Ruleset> load(const PublishedRuleset& published) const;

  struct Impl;

 private:
  explicit RulesetRegistry(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// How far a change reaches (docs/audit.md): kMajor breaks snapshots, importers or recorded names
// (a removal, an input's kind, frequency or unit, a new required input); kMinor can change a
// decision (a threshold, a condition, a clause, a new optional input or declaration); kPatch is
// wording only.
enum class VersionBump : std::uint8_t { kNone, kPatch, kMinor, kMajor };
// "none", "patch", "minor", "major".
RISKOFF_API std::string_view version_bump_name(VersionBump bump);

// One change of a RulesetDiff, with the bump it implies. A plain value.
struct RulesetChange {
  std::string section;  // inputs, parameters, lets, signals, groups, profiles
  char sign = '~';      // '+' added, '-' removed, '~' changed
  std::string text;
  VersionBump bump = VersionBump::kPatch;
};

// A semantic diff of two rulesets: declarations matched by qualified name, decision clauses by
// their text within each profile. A plain value.
struct RulesetDiff {
  std::string old_name, old_version, new_name, new_version;
  std::vector<RulesetChange> changes;  // by section, then declaration order
  VersionBump implied = VersionBump::kNone;
  VersionBump declared = VersionBump::kNone;  // from the two header versions
  bool version_goes_down = false;             // the new header's version is below the old one's
  // The declared bump is smaller than the changes imply (or the version goes down).
  bool declared_too_small() const { return version_goes_down || declared < implied; }
};

// Thread-safe; throws only std::bad_alloc.
RISKOFF_API RulesetDiff diff_rulesets(const Ruleset& before, const Ruleset& after);

// "rulesets/riskoff.rules (sha256 3f2a9c01b7de)": where a side of a diff came from, and which content.
RISKOFF_API std::string ruleset_label(std::string_view where, const Ruleset& ruleset);
RISKOFF_API std::string ruleset_label(std::string_view where, const PublishedRuleset& published);

// The diff in words, as `riskoff ruleset diff` prints it: each change with its bump, the implied
// bump, and whether the declared one is too small. The labels say where each side came from.
RISKOFF_API std::string render(const RulesetDiff& diff, std::string_view old_label, std::string_view new_label);

}  // namespace riskoff
