#include "engine/rule_tests.hpp"

#include <algorithm>
#include <filesystem>

namespace riskoff::engine {
namespace {

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

std::vector<RuleTestCase> rule_test_cases(const Plan& plan, const std::string& rule_file_directory,
                                          const SnapshotLoader& load_snapshot) {
  std::vector<RuleTestCase> cases;
  for (const auto& decl : plan.ruleset().root().decls) {
    const auto* test = std::get_if<dsl::TestDecl>(&decl);
    if (test == nullptr) continue;
    RuleTestCase& result = cases.emplace_back();
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
    for (const auto& set : test->sets) {
      if (plan.find_param(set.name) < 0) continue;  // the checker reported it
      result.overrides.push_back(set.name + "=" + dsl::to_source(*set.value));
    }
    if (!plan.profiles().empty()) result.truth_profile = plan.profiles().front().name;
    for (const auto& expectation : test->expectations) {
      if (expectation.kind == dsl::Expectation::Kind::kAction) {
        result.truth_profile = expectation.subject;
        break;
      }
    }
  }
  return cases;
}

}  // namespace riskoff::engine
