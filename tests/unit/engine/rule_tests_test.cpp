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
  CHECK(with.plan->ruleset().test_files.size() == 1);
  CHECK(without.plan->ruleset().test_files.empty());
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
  CHECK(test_part_prefix("rulesets/riskoff.rules") == "riskoff_test_");
  CHECK(test_part_prefix("rulesets/riskoff_test.rules").empty());
  CHECK(tested_rule_file("rulesets/riskoff_test_boundaries.rules") == "rulesets/riskoff.rules");
  // The last `_test_` of the file name splits NAME from the part; a folder's name never does.
  CHECK(tested_rule_file("a_test_b_test_c.rules") == "a_test_b.rules");
  CHECK(tested_rule_file("x_test_dir/riskoff.rules").empty());
  CHECK(tested_rule_file("riskoff_test_.rules").empty());
  CHECK(tested_rule_file("_test_part.rules").empty());
}

const char* const kPartA = "tests fx\ntest \"part a\" from calm {\n  expect p -> wait\n}\n";
const char* const kPartB = "tests fx\ntest \"part b\" {\n  given x = [0, 5]\n  given y = 9\n  expect p -> hedge\n}\n";

TEST_CASE("test parts NAME_test_<part>.rules are read after NAME_test.rules, in name order", "[engine][rule_tests]") {
  // Listed out of order, with a part of another ruleset, one of a part, and one in another folder.
  const MemorySourceLoader loader({{"fx.rules", kRules},
                                   {"fx_test_b.rules", kPartB},
                                   {"fx_test.rules", kTests},
                                   {"fx_test_a.rules", kPartA},
                                   {"fx_test_a_test_z.rules", "not rules at all"},
                                   {"gx_test_c.rules", "not rules at all"},
                                   {"sub/fx_test_d.rules", "not rules at all"}});
  auto result = check_text("fx.rules", kRules, loader, {.dump_after = {}, .sibling_tests = true});
  REQUIRE(result.ruleset);
  const auto plan = Plan::compile(std::move(result.ruleset));
  REQUIRE(plan->ruleset().test_files.size() == 3);
  const auto cases = rule_test_cases(*plan, "", [](const std::string&) { return LoadedSnapshot{}; });
  REQUIRE(cases.size() == 5);
  CHECK(plan->ruleset().sources.file(cases[3].source).name() == "fx_test_a.rules");
  CHECK(plan->ruleset().sources.file(cases[4].source).name() == "fx_test_b.rules");
  // Part a starts from a fixture of fx_test.rules: every test file shares the root's scope.
  CHECK(ruleset_text(plan->ruleset()).files.size() == 1);
}

TEST_CASE("a part needs no NAME_test.rules, names its ruleset, and there are at most kMaxTestParts",
          "[engine][rule_tests]") {
  const MemorySourceLoader alone({{"fx.rules", kRules}, {"fx_test_b.rules", kPartB}});
  auto result = check_text("fx.rules", kRules, alone, {.dump_after = {}, .sibling_tests = true});
  REQUIRE(result.ruleset);
  CHECK(result.ruleset->test_files.size() == 1);

  const MemorySourceLoader wrong({{"fx.rules", kRules}, {"fx_test_b.rules", "tests gx\n"}});
  const auto header = check_text("fx.rules", kRules, wrong, {.dump_after = {}, .sibling_tests = true});
  REQUIRE(header.diagnostics.all().size() == 1);
  CHECK(header.diagnostics.all().front().code == DiagCode::kTestFileContent);
  CHECK(header.sources.file(header.diagnostics.all().front().source).name() == "fx_test_b.rules");

  std::map<std::string, std::string> files{{"fx.rules", kRules}};
  for (std::size_t index = 0; index <= kMaxTestParts; ++index) files["fx_test_" + std::to_string(index) + ".rules"] = "tests fx\n";
  const MemorySourceLoader many(files);
  const auto too_many = check_text("fx.rules", kRules, many, {.dump_after = {}, .sibling_tests = true});
  CHECK(riskoff::testing::codes(too_many.diagnostics) == "E0005");
}

}  // namespace
}  // namespace riskoff::engine
