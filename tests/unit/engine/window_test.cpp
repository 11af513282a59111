// The window built-ins on small worked examples, each computed by hand in the comments.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/window_eval.hpp"

using namespace riskoff::engine;

namespace {
constexpr Timestamp kDay = 86400;

InputData daily(std::vector<double> values, std::vector<int> days = {}) {
  InputData data;
  data.name = "x";
  for (std::size_t k = 0; k < values.size(); ++k) {
    data.times.push_back((days.empty() ? static_cast<Timestamp>(k) : days[k]) * kDay);
  }
  data.values = std::move(values);
  return data;
}

double run(std::string_view name, const InputData& data, double window, WindowKind kind, double annualization = 252,
           const InputData* other = nullptr) {
  return window_value(*find_builtin(name), data, other, window, kind, annualization);
}
}  // namespace

TEST_CASE("realized volatility is the annualised sample stdev of log returns", "[engine][window]") {
  // Prices 100, 110, 99, 108.9: log returns ln 1.1 = 0.0953102, ln 0.9 = -0.1053605, ln 1.1.
  // Mean 0.0284200; squared deviations 0.0044743 + 0.0178972 + 0.0044743 = 0.0268458;
  // / (n - 1 = 2) = 0.0134229; sqrt = 0.1158573; x sqrt(252) = 1.8391773 -> 183.92 %.
  const auto data = daily({100, 110, 99, 108.9});
  CHECK(run("realized_vol", data, 3, WindowKind::kBars) == Approx(183.9177303).epsilon(1e-9));
  // The same three returns from a duration: the window reaches back to day 0's close.
  CHECK(run("realized_vol", data, 3 * kDay, WindowKind::kSeconds) == Approx(183.9177303).epsilon(1e-9));
  // Crypto annualises with 365 days: x sqrt(365 / 252).
  CHECK(run("realized_vol", data, 3, WindowKind::kBars, 365) == Approx(183.9177303 * std::sqrt(365.0 / 252)).epsilon(1e-9));
  // One return has no sample deviation: unknown, not 0.
  CHECK(std::isnan(run("realized_vol", daily({100, 110}), 1, WindowKind::kBars)));
}

TEST_CASE("correlation inner-joins timestamps and never forward-fills", "[engine][window]") {
  // x on days 1..7; y has no day 4, so day 4 is dropped from both (no fill). Joined days
  // 1 2 3 5 6 7 give five return pairs; Pearson of those log returns = 0.9365359.
  const auto x = daily({100, 102, 101, 105, 103, 106, 104}, {1, 2, 3, 4, 5, 6, 7});
  const auto y = daily({50, 51.5, 50.2, 52, 53.5, 52.6}, {1, 2, 3, 5, 6, 7});
  CHECK(run("corr", x, 5, WindowKind::kBars, 252, &y) == Approx(0.9365358538).epsilon(1e-9));
  // Fewer pairs than the minimum of five: unknown.
  const auto short_y = daily({50, 51.5, 50.2}, {1, 2, 3});
  CHECK(std::isnan(run("corr", x, 5, WindowKind::kBars, 252, &short_y)));
  // A flat series has no correlation.
  const auto flat = daily({7, 7, 7, 7, 7, 7, 7}, {1, 2, 3, 4, 5, 6, 7});
  CHECK(std::isnan(run("corr", x, 5, WindowKind::kBars, 252, &flat)));
}

TEST_CASE("z-score uses the window including the current point, ddof 1", "[engine][window]") {
  // 1 2 3 4 10: mean 4; squared deviations 9 4 1 0 36 = 50; / 4 = 12.5; sd 3.5355339;
  // z = (10 - 4) / 3.5355339 = 1.6970563.
  CHECK(run("zscore", daily({1, 2, 3, 4, 10}), 5, WindowKind::kBars) == Approx(1.6970563).epsilon(1e-7));
  CHECK(std::isnan(run("zscore", daily({5, 5, 5}), 3, WindowKind::kBars)));  // zero spread: unknown
}

TEST_CASE("drawdown is the distance below the window's high, in percent", "[engine][window]") {
  // High 120, last 96: 96 / 120 - 1 = -20 %.
  CHECK(run("drawdown", daily({100, 120, 90, 96}), 4, WindowKind::kBars) == Approx(-20.0));
  // A 2-bar window sees only 90 and 96: 96 / 96 - 1 = 0.
  CHECK(run("drawdown", daily({100, 120, 90, 96}), 2, WindowKind::kBars) == Approx(0.0));
}

TEST_CASE("reference functions compare with the observation a window back", "[engine][window]") {
  const auto data = daily({4.00, 4.05, 4.10, 4.02, 4.20});
  CHECK(run("ago", data, 2, WindowKind::kBars) == Approx(4.10));
  CHECK(run("change", data, 4, WindowKind::kBars) == Approx(0.20));
  CHECK(run("pct_change", data, 4, WindowKind::kBars) == Approx(5.0));               // 4.20 / 4.00 - 1
  CHECK(run("log_return", data, 4, WindowKind::kBars) == Approx(100 * std::log(1.05)));
  CHECK(std::isnan(run("change", data, 5, WindowKind::kBars)));  // no observation 5 bars back
}

TEST_CASE("calendar windows skip weekends and gaps by time, not by count", "[engine][window]") {
  // Trading days Mon 0 .. Fri 4, then Mon 7. Five calendar days back from Mon 7 is Wed 2:
  // the reference is Wednesday's close, whatever the number of bars in between.
  const auto data = daily({10, 11, 12, 13, 14, 15}, {0, 1, 2, 3, 4, 7});
  CHECK(run("change", data, 5 * kDay, WindowKind::kSeconds) == Approx(15 - 12));
  // A missing week: 10 days back from day 30 has nothing at or before day 20 but day 0.
  const auto gap = daily({100, 130}, {0, 30});
  CHECK(run("pct_change", gap, 10 * kDay, WindowKind::kSeconds) == Approx(30.0));
  // Statistics over 5 calendar days from Mon 7 see Thu 3, Fri 4 and Mon 7 (after Wed 2).
  CHECK(run("sma", data, 5 * kDay, WindowKind::kSeconds) == Approx((13 + 14 + 15) / 3.0));
}

TEST_CASE("moving statistics over a window", "[engine][window]") {
  CHECK(run("sma", daily({1, 2, 3, 4}), 2, WindowKind::kBars) == Approx(3.5));
  // EMA over 1 2 3 with alpha = 2 / (3 + 1) = 0.5: 1 -> 1.5 -> 2.25.
  CHECK(run("ema", daily({1, 2, 3}), 3, WindowKind::kBars) == Approx(2.25));
  CHECK(run("stdev", daily({2, 4, 4, 4, 5, 5, 7, 9}), 8, WindowKind::kBars) == Approx(2.1380899));
  CHECK(run("highest", daily({3, 9, 2, 5}), 3, WindowKind::kBars) == Approx(9));
  CHECK(run("lowest", daily({3, 9, 2, 5}), 3, WindowKind::kBars) == Approx(2));
  CHECK(run("slope", daily({1, 3, 5, 7}), 4, WindowKind::kBars) == Approx(2));
  // 3 of 5 values are <= the last (2): 1, 1, 2 -> 60 %.
  CHECK(run("percentile_rank", daily({3, 1, 4, 1, 2}), 5, WindowKind::kBars) == Approx(60));
}
