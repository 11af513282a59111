// Axis ticks for the replay chart (chart_ticks.hpp). Calendar arithmetic is std::chrono's.
#include "backtest/chart_ticks.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace riskoff::backtest {
namespace {

using namespace std::chrono;
// Named here: backtest::days (text_layout.hpp) formats a day count and would be found first.
using std::chrono::days;

enum class Unit : std::uint8_t { kYear, kMonth, kDay, kHour };
struct Step {
  Unit unit;
  int every;
};
// Coarse to fine; the first step that gives enough ticks is taken.
constexpr Step kSteps[] = {{Unit::kYear, 10}, {Unit::kYear, 5}, {Unit::kYear, 2}, {Unit::kYear, 1},
                           {Unit::kMonth, 6}, {Unit::kMonth, 3}, {Unit::kMonth, 2}, {Unit::kMonth, 1},
                           {Unit::kDay, 14},  {Unit::kDay, 7},   {Unit::kDay, 2},   {Unit::kDay, 1},
                           {Unit::kHour, 12}, {Unit::kHour, 6},  {Unit::kHour, 3},  {Unit::kHour, 1}};
constexpr std::size_t kEnough = 6;

std::string two(unsigned value) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02u", value % 100);
  return buffer;
}

std::vector<DateTick> ticks_at(Step step, engine::Timestamp from, engine::Timestamp to) {
  std::vector<DateTick> out;
  const sys_seconds first{seconds{from}};
  const year_month_day start{floor<days>(first)};
  auto add = [&](sys_seconds at, std::string label) {
    const auto t = at.time_since_epoch().count();
    if (t >= from && t <= to) out.push_back({t, std::move(label)});
  };
  switch (step.unit) {
    case Unit::kYear:
      for (int y = static_cast<int>(start.year()); y <= static_cast<int>(start.year()) + 400; ++y) {
        if (y % step.every != 0) continue;
        const sys_seconds at{sys_days{year{y} / January / 1}};
        if (at.time_since_epoch().count() > to) break;
        add(at, std::to_string(y));
      }
      break;
    case Unit::kMonth:
      for (year_month ym = start.year() / start.month();; ym += months{1}) {
        const sys_seconds at{sys_days{ym / 1}};
        if (at.time_since_epoch().count() > to) break;
        if ((static_cast<unsigned>(ym.month()) - 1) % static_cast<unsigned>(step.every) != 0) continue;
        add(at, std::to_string(static_cast<int>(ym.year())) + "-" + two(static_cast<unsigned>(ym.month())));
      }
      break;
    case Unit::kDay:
      for (sys_days d = sys_days{start};; d += days{1}) {
        const sys_seconds at{d};
        if (at.time_since_epoch().count() > to) break;
        const year_month_day ymd{d};
        // Days 1, 8, 15, 22 for weekly ticks; 1 and 15 for fortnightly; odd days to the 27th for
        // every 2: a tick late in a month would crowd the next month's first.
        const auto day = static_cast<int>(static_cast<unsigned>(ymd.day()));
        if (step.every > 1 && ((day - 1) % step.every != 0 || day - 1 + step.every > 28)) continue;
        add(at, std::to_string(static_cast<int>(ymd.year())) + "-" + two(static_cast<unsigned>(ymd.month())) + "-" +
                    two(static_cast<unsigned>(ymd.day())));
      }
      break;
    case Unit::kHour:
      for (sys_seconds at = floor<hours>(first);; at += hours{1}) {
        if (at.time_since_epoch().count() > to) break;
        const auto hour = static_cast<unsigned>(duration_cast<hours>(at - floor<days>(at)).count());
        if (hour % static_cast<unsigned>(step.every) != 0) continue;
        const year_month_day ymd{floor<days>(at)};
        add(at, two(static_cast<unsigned>(ymd.month())) + "-" + two(static_cast<unsigned>(ymd.day())) + " " + two(hour) + ":00");
      }
      break;
  }
  return out;
}

}  // namespace

std::vector<DateTick> date_ticks(engine::Timestamp from, engine::Timestamp to) {
  std::vector<DateTick> out;
  if (to < from) return out;
  for (const Step step : kSteps) {
    // A step far finer than the span would list thousands of ticks before the test: skip it.
    const double span_days = static_cast<double>(to - from) / 86400.0;
    if ((step.unit == Unit::kDay && span_days > 400) || (step.unit == Unit::kHour && span_days > 30)) continue;
    if (step.unit == Unit::kYear && span_days > 366.0 * 400) continue;
    out = ticks_at(step, from, to);
    if (out.size() >= kEnough) return out;
  }
  return out;
}

std::vector<double> value_ticks(double low, double high) {
  std::vector<double> out;
  if (!(low > 0) || !(high > low) || !std::isfinite(high)) return out;
  const std::vector<std::vector<double>> mantissas = {{1.0}, {1.0, 2.0, 5.0}, {1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0}};
  for (const auto& set : mantissas) {
    out.clear();
    for (double decade = std::pow(10, std::floor(std::log10(low))); decade <= high; decade *= 10) {
      for (const double m : set) {
        if (decade * m >= low && decade * m <= high) out.push_back(decade * m);
      }
    }
    if (out.size() >= 4) return out;
  }
  // A narrow range (a few percent): an even step of 1, 2 or 5 times a power of ten.
  const double raw = (high - low) / 5;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  const double step = raw / power < 2 ? power : raw / power < 5 ? 2 * power : 5 * power;
  out.clear();
  for (double v = std::ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push_back(v);
  return out;
}

}  // namespace riskoff::backtest
