// The one-line because of a replay's change of decision.
#include <catch2/catch.hpp>

#include "backtest/because.hpp"

namespace {

using riskoff::explain::ClauseExplanation;
using riskoff::explain::Explanation;
using riskoff::explain::Reason;
using riskoff::explain::ReasonKind;
using riskoff::explain::Truth;

Explanation reduce_below(Truth hedge_truth) {
  Reason count;
  count.kind = ReasonKind::kComparison;
  count.truth = hedge_truth;
  count.subject = "count(drivers) >= 3";
  count.text = hedge_truth == Truth::kUnknown ? "count(drivers) 2-3 >= 3" : "count(drivers) 2 >= 3, margin -1";
  ClauseExplanation hedge;
  hedge.action = "hedge";
  hedge.condition = "count(drivers) >= 3";
  hedge.truth = hedge_truth;
  hedge.reasons = {count};
  Explanation out;
  out.action = "reduce";
  out.why_not = {hedge};
  out.because.action = "reduce";
  out.because.condition = "otherwise";
  return out;
}

}  // namespace

TEST_CASE("a clause that became undecided is worded as undecided, not as no longer holding", "[backtest][because]") {
  const std::string line = riskoff::backtest::change_because(reduce_below(Truth::kUnknown), "hedge");
  CHECK(line.find("`hedge` is undecided (unknown data)") == 0);
  CHECK(line.find("no longer holds") == std::string::npos);
  CHECK(line.find("margin") == std::string::npos);
}

TEST_CASE("a clause that became false no longer holds", "[backtest][because]") {
  CHECK(riskoff::backtest::change_because(reduce_below(Truth::kFalse), "hedge").find("`hedge` no longer holds") == 0);
}

TEST_CASE("an unknown signal under an undecided clause is said to be unknown, not quoted as if it held",
          "[backtest][because]") {
  Reason driver;
  driver.kind = ReasonKind::kDriver;
  driver.truth = Truth::kUnknown;
  driver.subject = "deleveraging";
  driver.title = "positioning and risk limits, not fundamentals, are selling";
  Explanation now = reduce_below(Truth::kUnknown);
  now.why_not.front().reasons.front().children = {driver};
  const std::string line = riskoff::backtest::change_because(now, "hedge");
  CHECK(line == "`hedge` is undecided (unknown data): count(drivers) 2-3 >= 3; `deleveraging` unknown");
  CHECK(line.find("are selling") == std::string::npos);
}

TEST_CASE("a change's signature names the clause and its signals without figures", "[backtest][because]") {
  Reason signal;
  signal.kind = ReasonKind::kSignal;
  signal.truth = Truth::kFalse;
  signal.subject = "dollar_up";
  signal.text = "DXY 0.80% over 5d";
  Explanation now = reduce_below(Truth::kFalse);
  now.why_not.front().reasons.front().children = {signal};
  CHECK(riskoff::backtest::change_because(now, "hedge") ==
        "`hedge` no longer holds: count(drivers) 2 >= 3, margin -1; `dollar_up`: DXY 0.80% over 5d");
  // Two changes for the same reasons with other figures share it: the text report groups them.
  CHECK(riskoff::backtest::change_signature(now, "hedge") == "`hedge` no longer holds: count(drivers) >= 3: `dollar_up`");
}
