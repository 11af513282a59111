// Walk-forward's windows, objective, choice and stitching (walk_forward.hpp).
#include "backtest/walk_forward.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>

#include "backtest/sweep.hpp"

namespace riskoff::backtest {

std::optional<CalendarLength> parse_length(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  int count = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, count);
  // Up to a century: beyond, the calendar arithmetic would leave the years std::chrono holds.
  if (ec != std::errc() || end != text.data() + text.size() - 1 || count <= 0 || count > 36500) return std::nullopt;
  CalendarLength out;
  switch (text.back()) {
    case 'y': out.years = count; break;
    case 'm': out.months = count; break;
    case 'd': out.days = count; break;
    default: return std::nullopt;
  }
  if (out.years > 100 || out.months > 1200) return std::nullopt;
  return out;
}

engine::Timestamp add_length(engine::Timestamp time, const CalendarLength& length, int count) {
  using namespace std::chrono;
  // Floor division: instants before 1970 belong to the day that starts before them.
  engine::Timestamp day = time / 86400;
  if (time % 86400 < 0) --day;
  const engine::Timestamp second_of_day = time - day * 86400;
  year_month_day date{sys_days{std::chrono::days{day}}};
  date += std::chrono::years{length.years * count};
  date += std::chrono::months{length.months * count};
  if (!date.ok()) date = date.year() / date.month() / last;
  const sys_days moved = sys_days{date} + std::chrono::days{static_cast<long>(length.days) * count};
  return static_cast<engine::Timestamp>(moved.time_since_epoch().count()) * 86400 + second_of_day;
}

std::optional<Objective> parse_objective(const std::string& text) {
  if (text == "sharpe") return Objective{ObjectiveKind::kSharpe, 0, "highest Sharpe"};
  if (text == "return") return Objective{ObjectiveKind::kReturn, 0, "highest annual return"};
  const std::string prefix = "return-dd<=";
  if (text.rfind(prefix, 0) != 0 || text.size() < prefix.size() + 2 || text.back() != '%') return std::nullopt;
  double bound = 0;
  const char* first = text.data() + prefix.size();
  const char* last = text.data() + text.size() - 1;
  const auto [end, ec] = std::from_chars(first, last, bound);
  if (ec != std::errc() || end != last || !(bound > 0 && bound <= 100)) return std::nullopt;
  return Objective{ObjectiveKind::kReturnWithinDrawdown, bound / 100,
                   "highest annual return with a max drawdown no deeper than " + std::string(first, last) + "%"};
}

std::size_t choose_point(const std::vector<SweepPoint>& points, const Objective& objective, bool& met) {
  met = true;
  std::optional<std::size_t> best;
  auto score = [&](const ReplayFigures& f) { return objective.kind == ObjectiveKind::kSharpe ? f.sharpe : f.annual_return; };
  for (std::size_t p = 0; p < points.size(); ++p) {
    const auto& f = points[p].figures;
    // A drawdown is negative: "no deeper than 20%" is >= -0.20 (a hair of rounding allowed).
    if (objective.kind == ObjectiveKind::kReturnWithinDrawdown && f.max_drawdown < -objective.max_drawdown - 1e-12) continue;
    // An undefined Sharpe (a flat window: kSharpeMinVolatility) is no score to choose by.
    if (!std::isfinite(score(f))) continue;
    if (!best || score(f) > score(points[*best].figures)) best = p;
  }
  if (best) return *best;
  met = false;
  std::size_t shallowest = 0;
  for (std::size_t p = 1; p < points.size(); ++p) {
    if (points[p].figures.max_drawdown > points[shallowest].figures.max_drawdown) shallowest = p;
  }
  return shallowest;
}

std::vector<FoldWindows> lay_out_folds(engine::Timestamp origin, engine::Timestamp last_date, const CalendarLength& train,
                                       const CalendarLength& test, std::size_t limit) {
  std::vector<FoldWindows> out;
  for (int k = 0; out.size() <= limit; ++k) {
    const engine::Timestamp train_from = add_length(origin, test, k);
    const engine::Timestamp test_from = add_length(train_from, train);
    if (test_from > last_date) break;
    const engine::Timestamp test_end = add_length(test_from, test);
    out.push_back({{train_from, test_from - 1}, {test_from, test_end - 1}});
  }
  return out;
}

ReplayFigures stitched_figures(const std::vector<engine::Timestamp>& dates, const std::vector<double>& step_return,
                               const std::vector<std::string>& actions, const OverlayOptions& overlay,
                               const std::vector<double>& open_gap) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> decided(actions.size(), kNaN);
  std::size_t off_wait = 0, changes = 0;
  std::string last;
  for (std::size_t k = 0; k < actions.size(); ++k) {
    if (actions[k].empty()) continue;
    decided[k] = exposure_for(actions[k], overlay);
    if (action_kind(actions[k]) != ActionKind::kWait) ++off_wait;
    if (!last.empty() && actions[k] != last) ++changes;
    last = actions[k];
  }
  return overlay_figures(compute_overlay(dates, step_return, decided, overlay, open_gap), off_wait, actions.size(), changes);
}

ReplayFigures hold_figures(const Overlay& overlay) {
  ReplayFigures out;
  out.total_return = overlay.hold.total_return;
  out.annual_return = overlay.hold.annual_return;
  out.volatility = overlay.hold.volatility;
  out.max_drawdown = overlay.hold.max_drawdown;
  out.sharpe = overlay.hold.sharpe;
  return out;
}

}  // namespace riskoff::backtest
