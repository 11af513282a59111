// The `test` blocks of a rule file and of its sibling test files as cases ready to decide: each
// test's snapshot (from `snapshot "file"` and `given` values, its fixture's first), its `set`
// overrides as text and the profile its conditions are read under. Deciding and comparing happen in the library's one decision
// entry point (api/rule_tests.cpp), so a rule test decides exactly as `riskoff eval` does.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/evaluate.hpp"

namespace riskoff::engine {

// Loads a snapshot file named by a test (path already resolved against the rule file's folder).
struct LoadedSnapshot {
  Snapshot snapshot;
  std::vector<std::string> errors;
};
using SnapshotLoader = std::function<LoadedSnapshot(const std::string& path)>;

// When a test gives no `as_of`, it is evaluated at this instant.
inline constexpr const char* kDefaultTestAsOf = "2026-01-01T00:00:00Z";

struct RuleTestCase {
  const dsl::TestDecl* test = nullptr;
  SourceId source{};  // the file the test is written in: the root or its sibling test file
  Snapshot snapshot;
  std::vector<std::string> overrides;  // the test's `set` steps, "NAME=VALUE" as --set writes them
  std::vector<std::string> errors;     // the test cannot run (bad snapshot file, bad override ...)
  // Conditions are read under the profile the test's first action expectation names, else the
  // first profile; empty when the ruleset has no profile (the parameters' defaults apply).
  std::string truth_profile;
};

// Tests in file order, the root's first, then the sibling test files' (NAME_test.rules, then the parts). A test `from` a fixture
// starts from the fixture's steps and its own override them: its `as_of` and `snapshot` replace
// the fixture's; the fixture's `given`s apply, then the test's (each replaces that input,
// `missing` removes it); its `set`s replace the fixture's of the same parameter.
std::vector<RuleTestCase> rule_test_cases(const Plan& plan, const std::string& rule_file_directory,
                                          const SnapshotLoader& load_snapshot);

// A test that is not in the files (a test `riskoff test --mutate` suggests): the steps of the
// fixture named `fixture` (none when empty), then `givens`, as a test `from` it with those
// `given`s would start. The case's `test` is null: it has no expectations of its own.
RuleTestCase rule_test_case_from(const Plan& plan, const std::string& fixture, std::vector<dsl::Given> givens,
                                 const std::string& rule_file_directory, const SnapshotLoader& load_snapshot);

}  // namespace riskoff::engine
