// Semantic versions (semver.org 2.0.0): the one parser and order behind the checker's header
// check, the registry's "highest published version" and `ruleset diff`'s declared bump.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace riskoff::support {

struct SemVer {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::vector<std::string> pre_release;  // the dot-separated identifiers after `-`, if any
  std::string build;                     // after `+`; never part of the order
};

// MAJOR.MINOR.PATCH[-PRE][+BUILD] exactly as SemVer 2.0.0 §2, §9 and §10 write it: numbers
// without leading zeros, identifiers of [0-9A-Za-z-] that are never empty, numeric pre-release
// identifiers without leading zeros. nullopt for anything else.
std::optional<SemVer> parse_semver(std::string_view text);

// Precedence per SemVer §11: numbers numerically; a pre-release ranks below its release;
// pre-release identifiers left to right, numeric ones numerically and below alphanumeric ones,
// which compare in ASCII order; with equal leading identifiers the shorter list ranks lower.
// Build metadata is ignored, so two versions differing only in it are equivalent.
std::weak_ordering semver_order(const SemVer& a, const SemVer& b);

// The order of two version strings as published versions are ranked. A string that is not a
// semantic version ranks below every one that is, and such strings compare as text, so the
// order stays total over whatever a store holds.
bool version_less(std::string_view a, std::string_view b);

// How much a version number says changed, from one version to the next.
enum class Bump : std::uint8_t { kNone, kPatch, kMinor, kMajor };

// The bump `to` declares over `from`: none when the texts are equal, else the highest of
// MAJOR, MINOR and PATCH that differs (patch when only the pre-release or build differs).
// Before 1.0.0 the minor number carries breaking changes (SemVer §4, as Cargo reads it).
// A side that is not a semantic version counts as 0.0.0.
Bump declared_bump(std::string_view from, std::string_view to);

}  // namespace riskoff::support
