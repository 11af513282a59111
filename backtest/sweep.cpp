// The sweep grid from its texts, the figures of a point, and the plateau verdict (sweep.hpp).
#include "backtest/sweep.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

#include "backtest/text_layout.hpp"

namespace riskoff::backtest {
namespace {

constexpr const char* kRangeForm = "NAME=FROM..TO/STEP or NAME=A,B,C, e.g. yield_jump=10bp..20bp/5bp";

// A value as written: its number and the unit after it ("10bp" -> 10, "bp").
struct Written {
  double number = 0;
  std::string unit;
};

std::optional<Written> read_value(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  Written out;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out.number);
  if (ec != std::errc() || !std::isfinite(out.number)) return std::nullopt;
  out.unit = std::string(text.substr(static_cast<std::size_t>(end - text.data())));
  while (!out.unit.empty() && out.unit.front() == ' ') out.unit.erase(0, 1);
  return out;
}

// FROM..TO/STEP: the values from FROM up to TO (inclusive, within rounding) by STEP, each
// written with FROM's unit. TO and STEP may leave the unit out; when given it must be FROM's.
bool parse_range(const std::string& name, std::string_view range, SweepAxis& axis, std::vector<std::string>& errors) {
  const std::string quoted = "--sweep `" + name + "=" + std::string(range) + "`: ";
  const auto dots = range.find("..");
  const auto slash = range.find('/', dots);
  if (slash == std::string_view::npos) {
    errors.push_back(quoted + "expected " + kRangeForm);
    return false;
  }
  const auto from = read_value(range.substr(0, dots));
  const auto to = read_value(range.substr(dots + 2, slash - dots - 2));
  const auto step = read_value(range.substr(slash + 1));
  if (!from || !to || !step) {
    errors.push_back(quoted + "FROM, TO and STEP must be numbers with the parameter's unit; expected " + kRangeForm);
    return false;
  }
  for (const Written* other : {&*to, &*step}) {
    if (!other->unit.empty() && other->unit != from->unit) {
      errors.push_back(quoted + "unit `" + other->unit + "` differs from FROM's `" + from->unit + "`");
      return false;
    }
  }
  if (!(step->number > 0)) {
    errors.push_back(quoted + "STEP must be greater than 0");
    return false;
  }
  if (to->number < from->number) {
    errors.push_back(quoted + "TO is below FROM");
    return false;
  }
  // A small slack so that 0.5..1.5/0.25 reaches 1.5 despite binary rounding.
  const double count = std::floor((to->number - from->number) / step->number + 1e-9) + 1;
  if (count > static_cast<double>(kMaxSweepPoints)) {
    errors.push_back(quoted + printf_text("%.0f", count) + " values; a sweep has at most " +
                     std::to_string(kMaxSweepPoints) + " points");
    return false;
  }
  for (std::size_t k = 0; k < static_cast<std::size_t>(count); ++k) {
    // %.12g drops the rounding noise of FROM + k * STEP (0.30000000000000004 -> 0.3).
    axis.values.push_back(printf_text("%.12g", from->number + static_cast<double>(k) * step->number) + from->unit);
  }
  return true;
}

bool parse_list(const std::string& name, std::string_view list, SweepAxis& axis, std::vector<std::string>& errors) {
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string value(list.substr(start, comma - start));
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    while (!value.empty() && value.back() == ' ') value.pop_back();
    if (value.empty()) {
      errors.push_back("--sweep `" + name + "=" + std::string(list) + "`: an empty value; expected " + kRangeForm);
      return false;
    }
    axis.values.push_back(std::move(value));
    start = comma + 1;
  }
  return true;
}

}  // namespace

bool parse_sweep_axes(const std::vector<std::string>& texts, std::vector<SweepAxis>& axes,
                      std::vector<std::string>& errors) {
  std::set<std::string> seen;
  for (const auto& text : texts) {
    const auto equals = text.find('=');
    SweepAxis axis;
    axis.parameter = text.substr(0, equals);
    if (equals == std::string::npos || axis.parameter.empty() || equals + 1 == text.size()) {
      errors.push_back("--sweep `" + text + "`: expected " + kRangeForm);
      continue;
    }
    if (!seen.insert(axis.parameter).second) {
      errors.push_back("--sweep: `" + axis.parameter + "` is swept twice; give one --sweep per parameter");
      continue;
    }
    const std::string_view values = std::string_view(text).substr(equals + 1);
    const bool parsed = values.find("..") != std::string_view::npos ? parse_range(axis.parameter, values, axis, errors)
                                                                     : parse_list(axis.parameter, values, axis, errors);
    if (parsed) axes.push_back(std::move(axis));
  }
  if (errors.empty() && axes.empty()) errors.push_back("--sweep: no parameter to sweep; expected " + std::string(kRangeForm));
  if (!errors.empty()) return false;
  // The grid's size, stopping as soon as it is over the bound (no overflow on many axes).
  std::size_t points = 1;
  for (const auto& axis : axes) {
    points *= axis.values.size();
    if (points > kMaxSweepPoints) {
      errors.push_back("--sweep: the grid has more than " + std::to_string(kMaxSweepPoints) +
                       " points; sweep fewer values or fewer parameters at once");
      return false;
    }
  }
  return true;
}

ReplayFigures overlay_figures(const Overlay& overlay, std::size_t off_wait, std::size_t steps, std::size_t changes) {
  ReplayFigures out;
  const PathMetrics& path = overlay.overlay;
  out.total_return = path.total_return;
  out.annual_return = path.annual_return;
  out.volatility = path.volatility;
  out.max_drawdown = path.max_drawdown;
  out.sharpe = path.sharpe;
  out.off_wait = steps == 0 ? 0 : static_cast<double>(off_wait) / static_cast<double>(steps);
  out.changes = changes;
  out.turnover = overlay.turnover;
  return out;
}

ReplayFigures replay_figures(const Replay& replay) {
  std::size_t off_wait = 0;
  for (const auto& [action, steps] : replay.steps_per_action) {
    if (action_kind(action) != ActionKind::kWait) off_wait += steps;
  }
  return overlay_figures(replay.overlay, off_wait, replay.steps.size(), replay.changes.size());
}

void judge_plateau(SweepReport& report) {
  report.own_point.reset();
  report.neighbours.clear();
  std::vector<std::size_t> own;
  std::string own_text;
  for (const auto& axis : report.axes) {
    own_text += (own_text.empty() ? "" : ", ") + axis.parameter + "=" + axis.own_value;
    if (axis.own) own.push_back(*axis.own);
  }
  if (own.size() != report.axes.size()) {
    report.verdict = PlateauVerdict::kOffGrid;
    report.verdict_text = "the ruleset's own values (" + own_text + ") are not a point of the grid: no plateau verdict";
    return;
  }
  for (std::size_t p = 0; p < report.points.size(); ++p) {
    const auto& at = report.points[p].at;
    std::size_t apart = 0, axes_apart = 0;
    for (std::size_t a = 0; a < at.size(); ++a) {
      const std::size_t distance = at[a] > own[a] ? at[a] - own[a] : own[a] - at[a];
      apart += distance;
      axes_apart += distance > 0;
    }
    if (apart == 0) report.own_point = p;
    if (apart == 1 && axes_apart == 1) report.neighbours.push_back(p);
  }
  const double own_annual = report.points[*report.own_point].figures.annual_return;
  double low = own_annual, high = own_annual;
  for (const auto n : report.neighbours) {
    low = std::min(low, report.points[n].figures.annual_return);
    high = std::max(high, report.points[n].figures.annual_return);
  }
  const double widest = std::max(own_annual - low, high - own_annual);
  const bool plateau = widest <= report.plateau_tolerance + 1e-12;
  report.verdict = plateau ? PlateauVerdict::kPlateau : PlateauVerdict::kEdge;
  const std::string tolerance = "±" + printf_text("%.1f", report.plateau_tolerance * 100) + " pp";
  std::string text = "own point " + own_text + ": annual return " + pct(own_annual) + "; ";
  if (report.neighbours.empty()) {
    report.verdict_text = text + "no neighbour on the grid: no plateau verdict";
    report.verdict = PlateauVerdict::kOffGrid;
    return;
  }
  text += std::to_string(report.neighbours.size()) + (report.neighbours.size() == 1 ? " neighbour" : " neighbours") +
          " from " + pct(low) + " to " + pct(high) + ": ";
  report.verdict_text = text + (plateau ? "a plateau (every neighbour within " + tolerance + ")"
                                        : "an edge (a neighbour differs by " + printf_text("%.1f", widest * 100) +
                                              " pp, more than " + tolerance + ")");
}

}  // namespace riskoff::backtest
