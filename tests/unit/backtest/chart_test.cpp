// The replay chart read as a person reads it: date labels at every zoom, price labels, a legend
// that names every kind of mark drawn and nothing else, change ticks on their own strip, and one
// strip per driver and regime. The SVG is parsed (classes and labels), not compared as bytes.
#include <catch2/catch.hpp>
#include <cmath>
#include <regex>
#include <set>

#include "backtest/chart_ticks.hpp"
#include "backtest/report.hpp"

using namespace riskoff;
using namespace riskoff::backtest;

namespace {

constexpr engine::Timestamp kDay = 86400;

engine::Timestamp at(const char* date) { return *engine::parse_timestamp(date); }

// `days` daily steps from `from`: a slow rise with a dip, REDUCE on every 10th step and HEDGE on
// every 25th, a driver and a regime on in alternate weeks, and the first step undecided.
Replay replay_over(engine::Timestamp from, std::size_t days) {
  Replay r;
  r.ruleset = "chart";
  r.version = "1.0.0";
  r.profile = "swing";
  r.reference = "spx";
  r.from = from;
  r.to = from + static_cast<engine::Timestamp>(days - 1) * kDay;
  r.groups = {{"rates", "Rates", dsl::GroupKind::kDriver}, {"trend_break", "Trend break", dsl::GroupKind::kRegime},
              {"macro", "Macro check", dsl::GroupKind::kCheck}};
  std::string last;
  for (std::size_t k = 0; k < days; ++k) {
    StepRow step;
    step.time = step.decided_at = from + static_cast<engine::Timestamp>(k) * kDay;
    step.action = k == 0 ? "" : k % 25 == 0 ? "hedge" : k % 10 == 0 ? "reduce" : "wait";
    if ((k / 7) % 2 == 0) step.groups_on = {"rates", "macro"};
    else step.groups_on = {"trend_break"};
    const double value = 1 + 0.0004 * static_cast<double>(k) - 0.05 * std::exp(-std::pow((static_cast<double>(k) - 30) / 8, 2));
    r.overlay.hold_value.push_back(value);
    r.overlay.overlay_value.push_back(value);
    r.overlay.exposure.push_back(1);
    if (!step.action.empty() && !last.empty() && step.action != last) r.changes.push_back({step.time, last, step.action, "", ""});
    if (!step.action.empty()) last = step.action;
    r.steps.push_back(step);
  }
  return r;
}

std::size_t count(const std::string& svg, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<std::size_t>(std::distance(std::sregex_iterator(svg.begin(), svg.end(), re), std::sregex_iterator()));
}

std::set<std::string> matches(const std::string& svg, const std::string& pattern) {
  std::set<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) out.insert((*it)[1]);
  return out;
}

}  // namespace

TEST_CASE("date ticks suit the span: years for a decade, days for two months, hours for a day", "[backtest][chart]") {
  const auto decade = date_ticks(at("2016-03-01"), at("2026-02-27"));
  REQUIRE(decade.size() == 10);
  CHECK(decade.front().label == "2017");
  CHECK(decade.back().label == "2026");
  const auto two_months = date_ticks(at("2022-04-01"), at("2022-05-31"));
  CHECK(two_months.size() >= 6);
  CHECK(two_months.size() <= 12);
  CHECK(two_months.front().label == "2022-04-01");
  for (const auto& tick : two_months) CHECK(tick.label.substr(8) != "29");  // never beside the next 1st
  const auto day = date_ticks(at("2022-04-01"), at("2022-04-01") + 23 * 3600);
  CHECK(day.size() >= 6);
  CHECK(day.front().label == "04-01 00:00");
  CHECK(date_ticks(at("2022-04-01"), at("2022-04-01")).size() == 1);  // one instant: one label, not none
}

TEST_CASE("value ticks give several labels on a wide and on a narrow range", "[backtest][chart]") {
  CHECK(value_ticks(80, 400) == std::vector<double>{100, 150, 200, 300, 400});
  CHECK(value_ticks(1, 10000) == std::vector<double>{1, 10, 100, 1000, 10000});
  const auto narrow = value_ticks(96, 101);  // two months that moved 5%
  CHECK(narrow.size() >= 4);
  CHECK(narrow.front() >= 96);
  CHECK(narrow.back() <= 101);
}

TEST_CASE("the chart of a 2-month and a 10-year replay has date and price labels and a legend for every mark",
          "[backtest][chart]") {
  for (const auto& [from, days, least, most] :
       {std::tuple{at("2022-04-01"), std::size_t{61}, 6, 12}, std::tuple{at("2016-03-01"), std::size_t{3650}, 6, 12}}) {
    const std::string svg = render_replay_svg(replay_over(from, days));
    INFO(days << " days");
    const auto x_labels = count(svg, "class=\"tick-x\"");
    CHECK(x_labels >= static_cast<std::size_t>(least));
    CHECK(x_labels <= static_cast<std::size_t>(most));
    CHECK(count(svg, "class=\"tick-y\"") >= 3);
    // Every class drawn has a legend entry, and every legend entry was drawn.
    const auto drawn = matches(svg, "<(?:rect|polyline) class=\"([a-z-]+)\"");
    const auto legend = matches(svg, "data-key=\"([a-z-]+)\"");
    CHECK(drawn == legend);
    CHECK(legend.count("change-cut-reduce") == 1);  // the orange cuts are named
    CHECK(legend.count("strip-driver") == 1);
    CHECK(legend.count("band-undecided") == 1);
    // Changes are ticks on their own strip, not markers on the price line.
    CHECK(count(svg, "<polygon") == 0);
    // One strip per driver and regime (a check gets none), each labelled.
    CHECK(count(svg, ">rates</text>") == 1);
    CHECK(count(svg, ">trend_break</text>") == 1);
    CHECK(count(svg, ">macro</text>") == 0);
  }
}
