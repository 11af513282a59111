// run_rule_tests(): the engine prepares each test (its snapshot, overrides and profile) and
// every expectation is checked on a decision made by decide(), so a rule test decides exactly
// as `riskoff eval` does.
#include <algorithm>
#include <filesystem>

#include "adapters/snapshot_json.hpp"
#include "api/rule_test_run.hpp"

namespace riskoff {
namespace {

const char* truth_word(Truth truth) {
  return truth == Truth::kTrue ? "true" : truth == Truth::kFalse ? "false" : "unknown";
}

Truth wanted_truth(dsl::Expectation::Kind kind) {
  return kind == dsl::Expectation::Kind::kTrue ? Truth::kTrue
         : kind == dsl::Expectation::Kind::kFalse ? Truth::kFalse
                                                  : Truth::kUnknown;
}

// A ruleset without profiles decides nothing, so decide() refuses it; its tests can still pin
// conditions under the parameters' defaults. NOTE: the one evaluation outside decide(), for
// that case only (engine::evaluate reads an out-of-range profile as "no profile").
Truth truth_without_profiles(const engine::Plan& plan, const engine::Snapshot& snapshot,
                             const std::string& name, std::string& error, const EvaluationWatcher* watcher) {
  const auto bound = engine::bind(plan, snapshot);
  if (!bound.ok()) {
    error = bound.errors.front();
    return Truth::kUnknown;
  }
  engine::Evaluation evaluation;
  engine::evaluate(plan, bound.bound, static_cast<std::uint32_t>(plan.profiles().size()), {}, evaluation);
  if (watcher != nullptr) (*watcher)(-1, evaluation);
  const auto symbol = plan.ruleset().by_name.at(name);
  return evaluation.values[static_cast<std::size_t>(plan.symbol_nodes()[symbol])].truth;
}

// Checks one expectation on a decision for `profile`; returns false when the test cannot run.
bool check(const Ruleset& ruleset, const Snapshot& snapshot, const engine::RuleTestCase& test,
           const dsl::Expectation& expectation, const SourceFile& source, RuleTestOutcome& outcome,
           const EvaluationWatcher* watcher) {
  RuleTestExpectation checked;
  checked.line = source.line_col(expectation.span.begin).line;
  const bool action = expectation.kind == dsl::Expectation::Kind::kAction;
  const std::string profile = action ? expectation.subject : test.truth_profile;
  Truth truth = Truth::kUnknown;
  std::optional<Decision> decision;
  if (profile.empty()) {
    std::string error;
    truth = truth_without_profiles(*ApiAccess::of(ruleset).plan, ApiAccess::of(snapshot)->snapshot, expectation.subject,
                                   error, watcher);
    if (!error.empty()) {
      outcome.errors.push_back(error);
      return false;
    }
  } else {
    auto decided = decide(ruleset, snapshot, {.profile = profile, .overrides = test.overrides});
    if (!decided) {
      outcome.errors = decided.error().messages;
      return false;
    }
    decision = std::move(*decided);
    if (watcher != nullptr) {
      const auto& made = ApiAccess::of(*decision);
      (*watcher)(made.evaluation.profile, made.evaluation);
    }
    if (!action) truth = decision->value(expectation.subject).value_or(SymbolValue{}).truth;
  }
  if (action) {
    checked.expected = expectation.subject + " -> " + expectation.action;
    checked.actual = expectation.subject + " -> " + decision->action();
  } else {
    checked.expected = expectation.subject + " is " + truth_word(wanted_truth(expectation.kind));
    checked.actual = expectation.subject + " is " + truth_word(truth);
  }
  checked.passed = checked.expected == checked.actual;
  if (!checked.passed && !outcome.failed_decision && decision) outcome.failed_decision = std::move(decision);
  outcome.expectations.push_back(std::move(checked));
  return true;
}

// Snapshot files named by tests are read relative to the root file's folder.
std::string test_folder(const engine::Plan& plan) {
  const auto& checked = plan.ruleset();
  const SourceFile& root = checked.sources.file(checked.root().source);
  return std::filesystem::path(std::string(root.name())).parent_path().string();
}

engine::LoadedSnapshot load_test_snapshot(const std::string& path) {
  auto read = adapters::read_snapshot_file(path);
  return engine::LoadedSnapshot{std::move(read.snapshot), std::move(read.errors)};
}

}  // namespace

bool RuleTestOutcome::passed() const {
  return errors.empty() && std::all_of(expectations.begin(), expectations.end(),
                                       [](const RuleTestExpectation& expectation) { return expectation.passed; });
}

std::optional<Snapshot> suggested_test_snapshot(const Ruleset& ruleset, const std::string& fixture,
                                                std::vector<dsl::Given> givens, std::vector<std::string>& overrides) {
  const engine::Plan& plan = *ApiAccess::of(ruleset).plan;
  auto test = engine::rule_test_case_from(plan, fixture, std::move(givens), test_folder(plan), load_test_snapshot);
  if (!test.errors.empty()) return std::nullopt;
  overrides = std::move(test.overrides);
  Snapshot snapshot(test.snapshot.as_of);
  ApiAccess::of(snapshot)->snapshot = std::move(test.snapshot);
  return snapshot;
}

std::vector<PreparedRuleTest> prepare_rule_tests(const Ruleset& ruleset) {
  const engine::Plan& plan = *ApiAccess::of(ruleset).plan;
  std::vector<PreparedRuleTest> prepared;
  for (auto& test : engine::rule_test_cases(plan, test_folder(plan), load_test_snapshot)) {
    PreparedRuleTest& one = prepared.emplace_back();
    if (test.errors.empty()) {
      one.snapshot.emplace(test.snapshot.as_of);
      ApiAccess::of(*one.snapshot)->snapshot = std::move(test.snapshot);
    }
    one.test = std::move(test);
  }
  return prepared;
}

RuleTestOutcome run_prepared_rule_test(const Ruleset& ruleset, const PreparedRuleTest& prepared,
                                       const EvaluationWatcher* watcher, AfterFailure after_failure) {
  const auto& checked = ApiAccess::of(ruleset).plan->ruleset();
  const engine::RuleTestCase& test = prepared.test;
  RuleTestOutcome outcome;
  const SourceFile& source = checked.sources.file(test.source);
  outcome.name = test.test->name.value;
  outcome.file = std::string(source.name());
  outcome.line = source.line_col(test.test->name.span.begin).line;
  outcome.errors = test.errors;
  if (!outcome.errors.empty()) return outcome;
  for (const auto& expectation : test.test->expectations) {
    if (!check(ruleset, *prepared.snapshot, test, expectation, source, outcome, watcher)) break;
    if (after_failure == AfterFailure::kStop && !outcome.expectations.back().passed) break;
  }
  return outcome;
}

std::vector<RuleTestOutcome> run_rule_tests(const Ruleset& ruleset) {
  std::vector<RuleTestOutcome> outcomes;
  for (const auto& prepared : prepare_rule_tests(ruleset)) outcomes.push_back(run_prepared_rule_test(ruleset, prepared));
  return outcomes;
}

}  // namespace riskoff
