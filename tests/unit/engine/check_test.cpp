#include <catch2/catch.hpp>

#include "tests/support/check.hpp"
#include "tests/support/files.hpp"
#include "tests/support/parse.hpp"

using namespace riskoff;
using riskoff::testing::check;
using riskoff::testing::codes;
using riskoff::testing::kPrelude;

namespace {
// Checks the prelude plus `body`; unused-declaration warnings are filtered out so each test
// sees only what it is about.
std::string check_codes(const std::string& body) {
  const auto result = check(std::string(kPrelude) + body);
  std::string out;
  for (const auto& diagnostic : result.diagnostics.all()) {
    const auto code = code_string(diagnostic.code);
    if (code == "W0500" || code == "W0501" || code == "W0503") continue;
    if (!out.empty()) out += ' ';
    out += code;
  }
  return out;
}

Diagnostic find(const engine::CheckResult& result, DiagCode code) {
  for (const auto& diagnostic : result.diagnostics.all()) {
    if (diagnostic.code == code) return diagnostic;
  }
  FAIL("no diagnostic " << code_string(code) << " in: " << codes(result.diagnostics));
  return {};
}

engine::Type type_of_let(const std::string& body, const std::string& name) {
  const auto result = check(std::string(kPrelude) + body);
  const auto it = result.ruleset->by_name.find(name);
  REQUIRE(it != result.ruleset->by_name.end());
  return result.ruleset->symbols[it->second].type;
}
}  // namespace

TEST_CASE("yield changes are in bp, relative changes in %", "[engine][check][units]") {
  CHECK(type_of_let("let a = change(us10y, 5d)\n", "a").unit == engine::Unit::kBp);
  CHECK(type_of_let("let a = pct_change(dxy, 5d)\n", "a").unit == engine::Unit::kPercent);
  CHECK(type_of_let("let a = change(dxy, 5d)\n", "a").unit == engine::Unit::kIndex);
  CHECK(type_of_let("let a = realized_vol(btc, 30 bars)\n", "a").unit == engine::Unit::kPercent);
  CHECK(type_of_let("let a = zscore(dxy, 60d)\n", "a").unit == engine::Unit::kNumber);
  CHECK(type_of_let("let a = corr(btc, dxy, 30 bars)\n", "a").unit == engine::Unit::kNumber);
  CHECK(type_of_let("let a = to_pct(change(us10y, 5d))\n", "a").unit == engine::Unit::kPercent);
  CHECK(type_of_let("let a = us10y / us10y\n", "a").unit == engine::Unit::kNumber);
}

TEST_CASE("mixing units is an error with a way out", "[engine][check][units]") {
  CHECK(check_codes("signal s \"S\" = change(us10y, 5d) > 1%\n") == "E0305");
  CHECK(check_codes("signal s \"S\" = change(us10y, 5d) > 15\n") == "E0306");
  CHECK(check_codes("signal s \"S\" = change(us10y, 5d) > 0\n").empty());
  CHECK(check_codes("signal s \"S\" = btc > 2.5e9 usd\n").empty());
  CHECK(check_codes("signal s \"S\" = btc > dxy\n") == "E0305");
  CHECK(check_codes("signal s \"S\" = change(us10y, 5d) > jump\n").empty());
  CHECK(check_codes("signal s \"S\" = pct_change(dxy, 5d) > to_pct(jump)\n").empty());
  CHECK(check_codes("let x = btc * dxy\n") == "E0305");
}

TEST_CASE("names, functions and arity are checked with suggestions", "[engine][check]") {
  const auto result = check(std::string(kPrelude) + "signal s \"S\" = chnage(us10y, 5d) > jmp\n");
  CHECK(find(result, DiagCode::kUnknownFunction).help == "did you mean `change`?");
  CHECK(find(result, DiagCode::kUnknownName).help == "did you mean `jump`?");
  CHECK(check_codes("let a = change(us10y)\n") == "E0301");
  CHECK(check_codes("let a = change(dxy + 1, 5d)\n") == "E0302");
  CHECK(check_codes("let a = change(dxy, 5)\n") == "E0303");
  CHECK(check_codes("let a = change(dxy, 0d)\n") == "E0308");
  CHECK(check_codes("signal s \"S\" = jump\n") == "E0304");
  // A window computed by a `let` would escape the range check and the cost bound.
  CHECK(check_codes("let w = 99999d\nlet a = sma(dxy, w)\n") == "E0303");
  CHECK(check_codes("param w = 5d \"w\"\nlet a = sma(dxy, w)\nprofile p { param w = -3d decide wait otherwise }\n") == "E0308");
  CHECK(check_codes("param w = 5d \"w\"\nlet a = sma(dxy, w)\nprofile p { param w = 99999d decide wait otherwise }\n") == "E0308");
}

TEST_CASE("dependency cycles are reported with their path", "[engine][check]") {
  const auto result = check(std::string(kPrelude) +
                            "signal a \"A\" = b\nsignal b \"B\" = c\nsignal c \"C\" = a\n");
  CHECK(find(result, DiagCode::kDependencyCycle).message == "dependency cycle: `a` -> `b` -> `c` -> `a`");
}

TEST_CASE("a group that counts its own set is a cycle", "[engine][check]") {
  CHECK(check_codes("signal x \"X\" = true\ndriver d \"D\" = count(drivers) >= 1\n") == "E0209");
}

TEST_CASE("checked rulesets order dependencies before dependents", "[engine][check]") {
  const auto result = check(std::string(kPrelude) +
                            "signal late \"L\" = early and us10y_up\n"
                            "signal us10y_up \"U\" = change(us10y, 5d) > jump\n"
                            "let early_value = 1\n"
                            "signal early \"E\" = early_value > 0\n");
  REQUIRE_FALSE(result.diagnostics.has_errors());
  const auto& rs = *result.ruleset;
  auto position = [&](const std::string& name) {
    const auto index = rs.by_name.at(name);
    return std::find(rs.evaluation_order.begin(), rs.evaluation_order.end(), index) - rs.evaluation_order.begin();
  };
  CHECK(position("early_value") < position("early"));
  CHECK(position("early") < position("late"));
  CHECK(position("us10y_up") < position("late"));
}

TEST_CASE("profiles need otherwise last and reachable clauses", "[engine][check][decide]") {
  CHECK(check_codes("profile p { decide hedge when jump > 10bp wait otherwise }\n").empty());
  CHECK(check_codes("profile p { decide hedge when true wait otherwise }\n") == "W0502");  // otherwise unreachable
  CHECK(check_codes("profile p { decide hedge when true }\n") == "E0400");
  CHECK(check_codes("profile p { decide wait otherwise hedge when true }\n") == "E0401");
  CHECK(check_codes("profile p { decide hedge when jump > 1bp reduce when jump > 1bp wait otherwise }\n") == "W0502");
  CHECK(check_codes("profile p { param jmp = 20bp decide wait otherwise }\n") == "E0206");
  CHECK(check_codes("profile p { param jump = 20 decide wait otherwise }\n") == "E0307");
  CHECK(check_codes("profile p { param jump = 15bp decide wait otherwise }\n") == "W0504");
  CHECK(check_codes("profile p { param jump = 15.0bp decide wait otherwise }\n") == "W0504");  // same value
}

TEST_CASE("a calendar window whose reason counts sessions is W0506", "[engine][check][unused]") {
  // Unused parameters (W0501, filtered) still get the check: the text is wrong either way.
  CHECK(check_codes("param w = 5d \"one trading week\"\n") == "W0506");
  CHECK(check_codes("param w = 3d \"three Sessions of quiet\"\n") == "W0506");  // any case
  CHECK(check_codes("param w = 1d \"a trading day\"\n") == "W0506");
  CHECK(check_codes("param w = 20d \"about a trading month\"\n") == "W0506");
  CHECK(check_codes("param w = 5 bars \"one trading week\"\n").empty());       // bars count sessions
  CHECK(check_codes("param w = 5d \"five calendar days\"\n").empty());
  CHECK(check_codes("param w = 15bp \"a move within one session\"\n").empty());  // not a window
  const auto result = check(std::string(kPrelude) + "param w = 5d \"one trading week\"\n");
  const auto warning = find(result, DiagCode::kSessionWordsCalendarWindow);
  CHECK(warning.severity == Severity::kWarning);
  CHECK(warning.message == "parameter `w` is a window of calendar time, but its reason says `trading week`");
}
