// The mutants of a plan (engine/mutants.hpp): the step rule on literals as written, windows kept
// in range, and each kind of change applied to a copy while the plan itself stays as it was.
#include <catch2/catch.hpp>

#include "engine/mutants.hpp"
#include "tests/support/check.hpp"

using namespace riskoff;
using namespace riskoff::engine;

namespace {

std::shared_ptr<const Plan> compiled(const std::string& body) {
  auto result = testing::check(std::string(testing::kPrelude) + body);
  INFO(testing::codes(result.diagnostics));
  REQUIRE_FALSE(result.diagnostics.has_errors());
  return Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(result.ruleset)));
}

std::vector<std::string> changes(const std::vector<Mutant>& mutants, MutantKind kind) {
  std::vector<std::string> out;
  for (const auto& mutant : mutants) {
    if (mutant.kind == kind) out.push_back(mutant.from + " -> " + mutant.to);
  }
  return out;
}

}  // namespace

TEST_CASE("numbers move by one unit of their last written digit, windows stay in range", "[engine][mutants]") {
  const auto plan = compiled(
      "param hot = 0.03% \"funding\"\n"
      "param floor = -5bp \"floor\"\n"
      "param size = 2.5e9 usd \"size\"\n"
      "param short_window = 1d \"a day\"\n"
      "signal a \"a\" = change(us10y, short_window) > jump and change(us10y, 5d) > floor\n"
      "signal b \"b\" = pct_change(dxy, 30 bars) > hot or dxy > 1\n"
      "let c = size\n"
      "group g \"g\" = count(a, b) >= 2\n");
  const auto mutants = list_mutants(*plan);
  CHECK(changes(mutants, MutantKind::kThreshold) ==
        std::vector<std::string>{"15bp -> 14bp", "15bp -> 16bp", "0.03% -> 0.02%", "0.03% -> 0.04%", "-5bp -> -6bp",
                                 "-5bp -> -4bp", "2.5e9 usd -> 2.4e9 usd", "2.5e9 usd -> 2.6e9 usd", "1 -> 0", "1 -> 2"});
  // `1d` -> `0d` leaves the windows' range: only `2d` is a mutant.
  CHECK(changes(mutants, MutantKind::kWindow) ==
        std::vector<std::string>{"1d -> 2d", "5d -> 4d", "5d -> 6d", "30 bars -> 29 bars", "30 bars -> 31 bars"});
  CHECK(changes(mutants, MutantKind::kCountThreshold) == std::vector<std::string>{"2 -> 1", "2 -> 3"});
  CHECK(changes(mutants, MutantKind::kComparison).size() == 5);
  CHECK(changes(mutants, MutantKind::kLogic) == std::vector<std::string>{"and -> or", "or -> and"});
}

TEST_CASE("a mutant is a changed copy; the plan it came from is unchanged", "[engine][mutants]") {
  const auto plan = compiled(
      "signal a \"a\" = change(us10y, 5d) > jump\n"
      "profile p \"p\" {\n  decide\n    hedge when a\n      advice \"x\"\n    wait otherwise\n      advice \"y\"\n}\n");
  for (const auto& mutant : list_mutants(*plan)) {
    const auto copy = apply_mutant(*plan, mutant);
    switch (mutant.target) {
      case MutantTarget::kParamDefault:
        CHECK(copy->params()[mutant.index].default_value == mutant.value);
        CHECK(plan->params()[mutant.index].default_value == Approx(15));
        break;
      case MutantTarget::kClause:
        CHECK(copy->profiles()[0].clauses.size() == 1);
        CHECK(plan->profiles()[0].clauses.size() == 2);
        break;
      case MutantTarget::kNode:
        if (mutant.kind == MutantKind::kComparison) CHECK(copy->nodes()[mutant.index].op == NodeOp::kLe);
        else CHECK(copy->nodes()[mutant.index].constant == mutant.value);
        CHECK(plan->nodes()[mutant.index].op != NodeOp::kLe);
        break;
      case MutantTarget::kProfileParam:
        FAIL("the profile overrides nothing");
    }
  }
}
