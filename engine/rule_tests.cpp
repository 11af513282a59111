#include "engine/rule_tests.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

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

// One input's data from a `given` (replacing what the snapshot or the fixture had), or its
// removal for `missing`.
void apply_given(const Plan& plan, const dsl::Given& given, Snapshot& snapshot) {
  const auto slot = plan.find_input(given.input);
  if (slot < 0) return;  // the checker reported it
  std::erase_if(snapshot.inputs, [&](const InputData& data) { return data.name == given.input; });
  if (given.shape == dsl::Given::Shape::kMissing) return;
  snapshot.inputs.push_back(given_data(given, plan.inputs()[static_cast<std::size_t>(slot)], snapshot.as_of));
}

// A parameter override as --set writes it, replacing an earlier one of the same parameter.
void apply_set(const Plan& plan, const dsl::ParamDecl& set, std::vector<std::string>& overrides) {
  if (plan.find_param(set.name) < 0) return;  // the checker reported it
  const std::string prefix = set.name + "=";
  std::erase_if(overrides, [&](const std::string& override) { return override.starts_with(prefix); });
  overrides.push_back(prefix + dsl::to_source(*set.value));
}

RuleTestCase prepare(const Plan& plan, const dsl::TestDecl& test, const dsl::FixtureDecl* fixture,
                     const std::string& rule_file_directory, const SnapshotLoader& load_snapshot) {
  RuleTestCase result;
  result.test = &test;
  Snapshot& snapshot = result.snapshot;
  const auto& snapshot_file = test.snapshot ? test.snapshot : fixture != nullptr ? fixture->snapshot : std::nullopt;
  const auto& as_of = test.as_of ? test.as_of : fixture != nullptr ? fixture->as_of : std::nullopt;
  if (snapshot_file) {
    const auto path = (std::filesystem::path(rule_file_directory) / snapshot_file->value).string();
    LoadedSnapshot loaded = load_snapshot(path);
    for (auto& error : loaded.errors) result.errors.push_back(std::move(error));
    snapshot = std::move(loaded.snapshot);
  }
  if (as_of) snapshot.as_of = parse_timestamp(as_of->value).value_or(0);
  else if (!snapshot_file) snapshot.as_of = *parse_timestamp(kDefaultTestAsOf);
  if (fixture != nullptr) {
    for (const auto& given : fixture->givens) apply_given(plan, given, snapshot);
    for (const auto& set : fixture->sets) apply_set(plan, set, result.overrides);
  }
  for (const auto& given : test.givens) apply_given(plan, given, snapshot);
  for (const auto& set : test.sets) apply_set(plan, set, result.overrides);
  if (!plan.profiles().empty()) result.truth_profile = plan.profiles().front().name;
  for (const auto& expectation : test.expectations) {
    if (expectation.kind == dsl::Expectation::Kind::kAction) {
      result.truth_profile = expectation.subject;
      break;
    }
  }
  return result;
}

}  // namespace

namespace {

// The files holding tests and fixtures: the root, then its sibling test files in load order.
std::vector<const dsl::Module*> test_files(const CheckedRuleset& checked) {
  std::vector<const dsl::Module*> files{&checked.root()};
  for (const auto& file : checked.test_files) files.push_back(file.get());
  return files;
}

std::map<std::string, const dsl::FixtureDecl*> fixtures_of(const std::vector<const dsl::Module*>& files) {
  std::map<std::string, const dsl::FixtureDecl*> fixtures;
  for (const dsl::Module* file : files) {
    for (const auto& decl : file->decls) {
      if (const auto* fixture = std::get_if<dsl::FixtureDecl>(&decl)) fixtures.emplace(fixture->name, fixture);
    }
  }
  return fixtures;
}

}  // namespace

RuleTestCase rule_test_case_from(const Plan& plan, const std::string& fixture, std::vector<dsl::Given> givens,
                                 const std::string& rule_file_directory, const SnapshotLoader& load_snapshot) {
  const auto fixtures = fixtures_of(test_files(plan.ruleset()));
  const auto found = fixtures.find(fixture);
  dsl::TestDecl test;
  test.fixture = fixture;
  test.givens = std::move(givens);
  RuleTestCase result = prepare(plan, test, found == fixtures.end() ? nullptr : found->second, rule_file_directory,
                                load_snapshot);
  result.test = nullptr;  // `test` ends here
  return result;
}

std::vector<RuleTestCase> rule_test_cases(const Plan& plan, const std::string& rule_file_directory,
                                          const SnapshotLoader& load_snapshot) {
  const auto files = test_files(plan.ruleset());
  const auto fixtures = fixtures_of(files);
  std::vector<RuleTestCase> cases;
  for (const dsl::Module* file : files) {
    for (const auto& decl : file->decls) {
      const auto* test = std::get_if<dsl::TestDecl>(&decl);
      if (test == nullptr) continue;
      const auto fixture = fixtures.find(test->fixture);
      cases.push_back(prepare(plan, *test, fixture == fixtures.end() ? nullptr : fixture->second, rule_file_directory,
                              load_snapshot));
      cases.back().source = file->source;
    }
  }
  return cases;
}

}  // namespace riskoff::engine
