// Running a ruleset's tests in two steps, for the callers that run them many times or want to
// see what the engine computed: prepare the cases once (snapshots read, fixtures applied), then
// run them against a Ruleset, the ruleset itself or a mutant of it (api/mutation.cpp), optionally
// watching every evaluation a test makes (api/rule_coverage.cpp). run_rule_tests() is these two
// steps with nobody watching. Never installed.
#pragma once

#include <functional>
#include <vector>

#include "api/impl.hpp"
#include "engine/rule_tests.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff {

struct PreparedRuleTest {
  engine::RuleTestCase test;
  std::optional<Snapshot> snapshot;  // absent when the test cannot run (test.errors says why)
};

// The tests of the ruleset's root file, then those of its sibling test files, in file order.
std::vector<PreparedRuleTest> prepare_rule_tests(const Ruleset& ruleset);

// The data of a test `from fixture` (empty: none) with `givens`, as a Snapshot handle; absent
// when it cannot be built (a snapshot file the fixture names does not read).
std::optional<Snapshot> suggested_test_snapshot(const Ruleset& ruleset, const std::string& fixture,
                                                std::vector<dsl::Given> givens, std::vector<std::string>& overrides);

// Sees each evaluation a test makes: the profile it decided under (-1: the ruleset has no
// profile, parameters at their defaults) and the node values. Called on the running thread.
using EvaluationWatcher = std::function<void(std::int64_t profile, const engine::Evaluation& evaluation)>;

// One prepared test against `ruleset`, which must share the prepared ruleset's checked form (the
// ruleset itself, or a mutant of its plan). `stop_at_first_failure` skips the expectations after
// the first that fails (mutation testing only needs to know that one did).
enum class AfterFailure : std::uint8_t { kCheckTheRest, kStop };
RuleTestOutcome run_prepared_rule_test(const Ruleset& ruleset, const PreparedRuleTest& prepared,
                                       const EvaluationWatcher* watcher = nullptr,
                                       AfterFailure after_failure = AfterFailure::kCheckTheRest);

}  // namespace riskoff
