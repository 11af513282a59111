// Runs the `test` blocks of a rule file: builds each test's snapshot (from `snapshot "file"`
// and `given` values), evaluates, and compares with the expectations.
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

struct ExpectationResult {
  const dsl::Expectation* expectation = nullptr;
  bool passed = false;
  std::string expected;
  std::string actual;
};

struct RuleTestResult {
  const dsl::TestDecl* test = nullptr;
  std::vector<std::string> errors;  // the test could not run (bad snapshot, missing input ...)
  std::vector<ExpectationResult> expectations;
  // The evaluation of the first failing action expectation (or the first), for explanations.
  std::int64_t profile = -1;
  std::vector<ParamOverride> overrides;  // the test's `set` steps, for re-evaluating it
  Snapshot snapshot;
  bool passed() const;
};

std::vector<RuleTestResult> run_rule_tests(const Plan& plan, const std::string& rule_file_directory,
                                           const SnapshotLoader& load_snapshot);

}  // namespace riskoff::engine
