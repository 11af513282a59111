#include "engine/rule_tests.hpp"

#include <algorithm>
#include <filesystem>

namespace riskoff::engine {
namespace {

std::string truth_word(Truth truth) {
  return truth == Truth::kTrue ? "true" : truth == Truth::kFalse ? "false" : "unknown";
}

// Test data: a series of values one frequency step apart, the last `age` before as_of.
InputData given_data(const dsl::Given& given, const InputSlot& slot, Timestamp as_of) {
  InputData data;
  data.name = slot.name;
  data.unit = slot.unit;
  data.source = "test";
  data.is_series = slot.is_series;
  const auto step = static_cast<Timestamp>(slot.frequency_hours * 3600);
  Timestamp last = as_of;
  if (given.age) {
    last -= static_cast<Timestamp>(given.age->value * (given.age->unit == dsl::LiteralUnit::kDays ? 86400 : 3600));
  }
  const auto count = static_cast<Timestamp>(given.values.size());
  for (Timestamp index = 0; index < count; ++index) {
    data.times.push_back(last - (count - 1 - index) * step);
    data.values.push_back(given.values[static_cast<std::size_t>(index)].value);
  }
  return data;
}

}  // namespace

bool RuleTestResult::passed() const {
  return errors.empty() && std::all_of(expectations.begin(), expectations.end(),
                                       [](const ExpectationResult& result) { return result.passed; });
}

std::vector<RuleTestResult> run_rule_tests(const Plan& plan, const std::string& rule_file_directory,
                                           const SnapshotLoader& load_snapshot) {
  std::vector<RuleTestResult> results;
  for (const auto& decl : plan.ruleset().root().decls) {
    const auto* test = std::get_if<dsl::TestDecl>(&decl);
    if (test == nullptr) continue;
    RuleTestResult result;
    result.test = test;
    Snapshot& snapshot = result.snapshot;
    if (test->snapshot) {
      const auto path = (std::filesystem::path(rule_file_directory) / test->snapshot->value).string();
      LoadedSnapshot loaded = load_snapshot(path);
      for (auto& error : loaded.errors) result.errors.push_back(std::move(error));
      snapshot = std::move(loaded.snapshot);
    }
    if (test->as_of) snapshot.as_of = parse_timestamp(test->as_of->value).value_or(0);
    else if (!test->snapshot) snapshot.as_of = *parse_timestamp(kDefaultTestAsOf);
    for (const auto& given : test->givens) {
      const auto slot = plan.find_input(given.input);
      if (slot < 0) continue;  // the checker reported it
      auto existing = std::find_if(snapshot.inputs.begin(), snapshot.inputs.end(),
                                   [&](const InputData& data) { return data.name == given.input; });
      if (existing != snapshot.inputs.end()) snapshot.inputs.erase(existing);
      if (given.shape == dsl::Given::Shape::kMissing) continue;
      snapshot.inputs.push_back(given_data(given, plan.inputs()[static_cast<std::size_t>(slot)], snapshot.as_of));
    }
    std::vector<ParamOverride> overrides;
    for (const auto& set : test->sets) {
      const auto slot = plan.find_param(set.name);
      if (slot < 0) continue;
      const std::string text = dsl::to_source(*set.value);
      ParamOverride override;
      if (const auto error = parse_override(plan, set.name + "=" + text, override); !error.empty()) {
        result.errors.push_back(error);
      } else {
        overrides.push_back(override);
      }
    }
    result.overrides = overrides;
    const BindResult bound = bind(plan, snapshot);
    for (const auto& error : bound.errors) result.errors.push_back(error);
    if (!result.errors.empty()) {
      results.push_back(std::move(result));
      continue;
    }
    // Conditions are read under the profile the test names (its overrides apply), else the
    // first profile; a ruleset without profiles uses the parameters' defaults.
    std::int64_t truth_profile = plan.profiles().empty() ? -1 : 0;
    for (const auto& expectation : test->expectations) {
      if (expectation.kind == dsl::Expectation::Kind::kAction) {
        truth_profile = plan.find_profile(expectation.subject);
        break;
      }
    }
    Evaluation evaluation;
    for (const auto& expectation : test->expectations) {
      ExpectationResult outcome;
      outcome.expectation = &expectation;
      if (expectation.kind == dsl::Expectation::Kind::kAction) {
        const auto profile = plan.find_profile(expectation.subject);
        evaluate(plan, bound.bound, static_cast<std::uint32_t>(profile), overrides, evaluation);
        const auto& clauses = plan.profiles()[static_cast<std::size_t>(profile)].clauses;
        outcome.expected = expectation.subject + " -> " + expectation.action;
        outcome.actual = expectation.subject + " -> " +
                         (evaluation.chosen >= 0 ? clauses[static_cast<std::size_t>(evaluation.chosen)].clause->action
                                                 : std::string("no decision"));
        outcome.passed = outcome.expected == outcome.actual;
        if (!outcome.passed && result.profile < 0) result.profile = profile;
      } else {
        const auto profile = truth_profile < 0 ? plan.profiles().size() : static_cast<std::size_t>(truth_profile);
        evaluate(plan, bound.bound, static_cast<std::uint32_t>(profile), overrides, evaluation);
        const auto symbol = plan.ruleset().by_name.at(expectation.subject);
        const Truth truth = evaluation.values[static_cast<std::size_t>(plan.symbol_nodes()[symbol])].truth;
        const Truth wanted = expectation.kind == dsl::Expectation::Kind::kTrue    ? Truth::kTrue
                             : expectation.kind == dsl::Expectation::Kind::kFalse ? Truth::kFalse
                                                                                  : Truth::kUnknown;
        outcome.expected = expectation.subject + " is " + truth_word(wanted);
        outcome.actual = expectation.subject + " is " + truth_word(truth);
        outcome.passed = truth == wanted;
        if (!outcome.passed && result.profile < 0) result.profile = truth_profile;
      }
      result.expectations.push_back(std::move(outcome));
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace riskoff::engine
