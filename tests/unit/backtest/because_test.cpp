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
