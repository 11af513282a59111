// Do the tests pin the rules? rule_coverage() and mutate_rules() (riskoff/coverage.hpp) on
// tests/data/coverage/gaps.rules, whose tests leave known gaps (its header lists them).
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "riskoff/coverage.hpp"

namespace {

const std::string kGaps = std::string(RISKOFF_SOURCE_DIR) + "/tests/data/coverage/gaps.rules";

std::string gaps_text() {
  std::ifstream file(kGaps);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

riskoff::Ruleset compiled(const std::string& text) {
  auto result = riskoff::Ruleset::compile(text, "gaps.rules");
  INFO((result.problems.empty() ? std::string() : result.problems.front().text));
  REQUIRE(result.ok());
  return *result.ruleset;
}

const riskoff::CoverageItem& item(const riskoff::RuleCoverage& coverage, const std::string& name) {
  for (const auto& one : coverage.items) {
    if (one.name == name) return one;
  }
  FAIL("no coverage item " << name);
  return coverage.items.front();
}

const riskoff::MutantOutcome& mutant(const riskoff::MutationReport& report, const std::string& from,
                                     const std::string& to, const std::string& context) {
  for (const auto& one : report.mutants) {
    if (one.from == from && one.to == to && one.context == context) return one;
  }
  FAIL("no mutant " << from << " -> " << to << " in " << context);
  return report.mutants.front();
}

}  // namespace

TEST_CASE("coverage names the outcomes the tests never drove a condition to", "[api][coverage]") {
  const auto coverage = riskoff::rule_coverage(compiled(gaps_text()));
  REQUIRE(coverage.tests.size() == 2);
  CHECK(item(coverage, "vix_spike").missing().empty());
  CHECK(item(coverage, "narrow").missing() == std::vector<std::string>{"never true", "never unknown"});
  CHECK(item(coverage, "narrow").unknown_expected);       // breadth is optional
  CHECK_FALSE(item(coverage, "vix_spike").unknown_expected);
  CHECK(item(coverage, "desk: reduce").evaluations == 1);  // reached by the calm test only
  CHECK(coverage.outcomes_needed() == 16);
  CHECK(coverage.outcomes_seen() == 10);
  const std::string lcov = coverage.render(riskoff::TestReportFormat::kLcov);
  CHECK(lcov.starts_with("TN:\nSF:gaps.rules\n"));
  CHECK(lcov.ends_with("end_of_record\n"));
}

TEST_CASE("a mutant a test detects is killed; one no test pins survives, with a test that kills it",
          "[api][mutation]") {
  const std::string text = gaps_text();
  auto report = riskoff::mutate_rules(compiled(text), {.jobs = 2});
  REQUIRE(report);
  const auto& flipped = mutant(*report, ">", "<=", "vix > vix_stress");
  CHECK(flipped.killed);
  CHECK(flipped.killed_by.find("a VIX spike into a falling market") != std::string::npos);
  const auto& moved = mutant(*report, "25", "26", "param vix_stress");
  CHECK_FALSE(moved.killed);
  CHECK(moved.suggestion.find("given vix = [25.5]") != std::string::npos);

  const auto& shorter = mutant(*report, "5d", "4d", "param move_window");
  CHECK_FALSE(shorter.killed);
  CHECK(shorter.suggestion.starts_with("test \"spx_falling over 5d, not 4d\" from calm {"));

  // The suggested tests pass on the rules as written and kill their mutants.
  const auto pinned = compiled(text + "\n" + moved.suggestion + "\n\n" + shorter.suggestion + "\n");
  for (const auto& test : riskoff::run_rule_tests(pinned)) CHECK(test.passed());
  auto again = riskoff::mutate_rules(pinned, {.jobs = 2});
  REQUIRE(again);
  CHECK(mutant(*again, "25", "26", "param vix_stress").killed);
  CHECK(mutant(*again, "5d", "4d", "param move_window").killed);
  CHECK(again->killed() >= report->killed() + 2);
}

TEST_CASE("the mutation report does not depend on the number of threads", "[api][mutation]") {
  const auto ruleset = compiled(gaps_text());
  auto one = riskoff::mutate_rules(ruleset, {.jobs = 1});
  auto four = riskoff::mutate_rules(ruleset, {.jobs = 4});
  REQUIRE(one);
  REQUIRE(four);
  CHECK(one->render(riskoff::TestReportFormat::kJson) == four->render(riskoff::TestReportFormat::kJson));
  CHECK(one->mutants.size() == 16);
}

TEST_CASE("mutation testing refuses tests that fail on the rules as written", "[api][mutation]") {
  std::string text = gaps_text();
  const std::string pinned = "expect vix_spike is false\n  expect spx_falling is false";
  text.replace(text.find(pinned), pinned.size(), "expect vix_spike is true");
  auto report = riskoff::mutate_rules(compiled(text));
  REQUIRE_FALSE(report);
  CHECK(report.error().kind == riskoff::ErrorKind::kRuleset);
  CHECK(report.error().messages.at(1).find("test \"calm: wait\" fails") != std::string::npos);
}
