// Fixtures and the sibling test file: how a test's steps override its fixture's when the engine
// prepares each case, and that a test file never changes the ruleset's identity.
#include <catch2/catch.hpp>

#include "engine/check.hpp"
#include "engine/plan.hpp"
#include "engine/rule_tests.hpp"
#include "engine/ruleset_text.hpp"
#include "tests/support/parse.hpp"

namespace riskoff::engine {
namespace {

const char* const kRules = R"(ruleset fx version "0.1.0"
input x : series 1d number "X"
input y : scalar number optional "Y"
param lim = 1 "how far x may rise"
param floor = 0 "how low y may go"
signal rising "X rising" = change(x, 2d) > lim
signal y_high "Y high" = y > floor
profile p {
  decide
    hedge when rising and y_high
    wait otherwise
}
)";

const char* const kTests = R"(tests fx
fixture calm "calm" {
  as_of "2026-02-04"
  given x = [1, 1, 1]
  given y = 20
  set lim = 2
  set floor = 5
}
test "the fixture alone" from calm {
  expect p -> wait
}
test "a test's steps override the fixture's" from calm {
  as_of "2026-03-01T12:00:00Z"
  given x = [1, 2, 4]
  given y = missing
  set lim = 0.5
  expect rising is true
  expect y_high is unknown
}
test "no fixture" {
  given x = [3]
  expect p -> wait
}
)";

struct Loaded {
  CheckResult result;
  std::shared_ptr<const Plan> plan;
};

Loaded load(const std::string& tests, bool sibling_tests = true) {
  const MemorySourceLoader loader({{"fx.rules", kRules}, {"fx_test.rules", tests}});
  Loaded loaded{check_text("fx.rules", kRules, loader, {.dump_after = {}, .sibling_tests = sibling_tests}), nullptr};
  if (loaded.result.ruleset) loaded.plan = Plan::compile(std::move(loaded.result.ruleset));
  return loaded;
}

const InputData* input(const Snapshot& snapshot, const std::string& name) {
  for (const auto& data : snapshot.inputs) {
    if (data.name == name) return &data;
  }
  return nullptr;
}

TEST_CASE("a test starts from its fixture and its own steps override the fixture's", "[engine][rule_tests]") {
  const auto loaded = load(kTests);
  INFO(riskoff::testing::codes(loaded.result.diagnostics));
  REQUIRE(loaded.plan);
  const auto cases = rule_test_cases(*loaded.plan, "", [](const std::string&) { return LoadedSnapshot{}; });
  REQUIRE(cases.size() == 3);

  const RuleTestCase& alone = cases[0];
  CHECK(alone.snapshot.as_of == *parse_timestamp("2026-02-04"));
  REQUIRE(input(alone.snapshot, "x") != nullptr);
  CHECK(input(alone.snapshot, "x")->values == std::vector<double>{1, 1, 1});
  REQUIRE(input(alone.snapshot, "y") != nullptr);
  CHECK(alone.overrides == std::vector<std::string>{"lim=2", "floor=5"});

  const RuleTestCase& changed = cases[1];
  CHECK(changed.snapshot.as_of == *parse_timestamp("2026-03-01T12:00:00Z"));  // as_of replaced
  REQUIRE(input(changed.snapshot, "x") != nullptr);
  CHECK(input(changed.snapshot, "x")->values == std::vector<double>{1, 2, 4});  // given replaced
  CHECK(input(changed.snapshot, "x")->times.back() == changed.snapshot.as_of);  // at the test's as_of
  CHECK(input(changed.snapshot, "y") == nullptr);                                  // missing removes it
  CHECK(changed.overrides == std::vector<std::string>{"floor=5", "lim=0.5"});      // set replaced

  const RuleTestCase& plain = cases[2];
  CHECK(plain.snapshot.as_of == *parse_timestamp(kDefaultTestAsOf));
  CHECK(input(plain.snapshot, "y") == nullptr);
  CHECK(plain.overrides.empty());
}

TEST_CASE("the sibling test file is read only when asked and never changes the ruleset's identity",
          "[engine][rule_tests]") {
  const auto with = load(kTests);
  const auto without = load(kTests, false);
  REQUIRE(with.plan);
  REQUIRE(without.plan);
  CHECK(with.plan->ruleset().test_file != nullptr);
  CHECK(without.plan->ruleset().test_file == nullptr);
  CHECK(ruleset_text(with.plan->ruleset()).hash == ruleset_text(without.plan->ruleset()).hash);
  CHECK(ruleset_text(with.plan->ruleset()).files.size() == 1);
  const auto cases = rule_test_cases(*with.plan, "", [](const std::string&) { return LoadedSnapshot{}; });
  REQUIRE(cases.size() == 3);
  CHECK(with.plan->ruleset().sources.file(cases[0].source).name() == "fx_test.rules");
}

TEST_CASE("a test file holds only fixtures and tests of the ruleset beside it", "[engine][rule_tests]") {
  CHECK(riskoff::testing::codes(load("tests fx\ninput z : scalar number\n").result.diagnostics) == "E0405");
  CHECK(riskoff::testing::codes(load("tests other\n").result.diagnostics) == "E0405");
  CHECK(riskoff::testing::codes(load("ruleset fx version \"0.1.0\"\n").result.diagnostics) == "E0405");
  // Problems point into the test file.
  const auto unknown = load("tests fx\ntest \"t\" from clam {\n  expect p -> wait\n}\n");
  REQUIRE(unknown.result.diagnostics.all().size() == 1);
  const Diagnostic& diagnostic = unknown.result.diagnostics.all().front();
  CHECK(diagnostic.code == DiagCode::kUnknownFixture);
  CHECK(unknown.result.sources.file(diagnostic.source).name() == "fx_test.rules");
  // A test file checked as a ruleset of its own.
  const MemorySourceLoader loader({});
  CHECK(riskoff::testing::codes(check_text("fx_test.rules", kTests, loader).diagnostics).starts_with("E0405"));
}

TEST_CASE("sibling test file names", "[engine][rule_tests]") {
  CHECK(sibling_test_file("rulesets/riskoff.rules") == "rulesets/riskoff_test.rules");
  CHECK(sibling_test_file("rulesets/riskoff_test.rules").empty());
  CHECK(sibling_test_file("notes.txt").empty());
  CHECK(tested_rule_file("rulesets/riskoff_test.rules") == "rulesets/riskoff.rules");
  CHECK(tested_rule_file("rulesets/riskoff.rules").empty());
}

}  // namespace
}  // namespace riskoff::engine
