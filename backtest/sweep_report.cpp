// A sweep for people and programs: a text table with the plateau verdict, CSV with one row per
// point, JSON (`riskoff.sweep/1`, docs/replay.md "Sweeps"). Same report, same bytes: the points
// come in grid order whatever order the threads finished in.
#include <algorithm>

#include "backtest/figures_row.hpp"
#include "backtest/sweep.hpp"
#include "backtest/text_layout.hpp"
#include "backtest/walk_forward.hpp"
#include "engine/snapshot.hpp"
#include "support/json_writer.hpp"

namespace riskoff::backtest {
namespace {

bool is_own(const SweepReport& report, std::size_t point) { return report.own_point && *report.own_point == point; }

const char* verdict_name(PlateauVerdict verdict) {
  switch (verdict) {
    case PlateauVerdict::kPlateau: return "plateau";
    case PlateauVerdict::kEdge: return "edge";
    case PlateauVerdict::kOffGrid: break;
  }
  return "off grid";
}

}  // namespace

std::string render_sweep_text(const SweepReport& r) {
  std::string out =
      "riskoff replay --sweep · " + r.header.ruleset + " " + r.header.version + " · profile " + r.header.profile + "\n";
  out += short_time(r.header.from) + " → " + short_time(r.header.to) + " · " + std::to_string(r.header.steps) +
         " steps (" + r.header.every + ") · " + std::to_string(r.points.size()) +
         (r.points.size() == 1 ? " point\n" : " points\n");
  out += wrap("overlay: ", r.header.assumptions, 9);
  if (!r.fixed.empty()) {
    std::string fixed;
    for (const auto& set : r.fixed) fixed += (fixed.empty() ? "" : " ") + set;
    out += wrap("every point also: ", fixed, 18);
  }
  out += "\n";
  std::vector<std::size_t> widths;
  for (const auto& axis : r.axes) {
    std::size_t width = axis.parameter.size();
    for (const auto& value : axis.values) width = std::max(width, shown_width(value));
    widths.push_back(width + 2);
  }
  out += "  ";
  for (std::size_t a = 0; a < r.axes.size(); ++a) out += lpad(r.axes[a].parameter, widths[a]);
  for (const auto& column : figure_columns()) out += lpad(column.title, column.width);
  out += "\n";
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    const auto& point = r.points[p];
    out += is_own(r, p) ? "* " : "  ";
    for (std::size_t a = 0; a < r.axes.size(); ++a) out += lpad(r.axes[a].values[point.at[a]], widths[a]);
    for (const auto& column : figure_columns()) out += lpad(column.cell(point.figures), column.width);
    out += "\n";
  }
  out += "\n";
  if (r.own_point) out += "* the ruleset's own values\n";
  out += "Plateau (annual return, tolerance ±" + printf_text("%.1f", r.plateau_tolerance * 100) + " pp)\n";
  out += wrap("  ", r.verdict_text, 4);
  if (!r.baselines.empty()) {
    out += "\nBaselines (same steps, same reference, same execution; each with its first profile)\n";
    std::vector<std::pair<std::string, ReplayFigures>> rows;
    add_baseline_rows(rows, r.baselines);
    out += figure_rows(rows);
  }
  return out;
}

// With baselines, a first column names the baseline of a row (empty on the grid's points), and
// the baselines' rows follow the points with empty parameter cells.
std::string render_sweep_csv(const SweepReport& r) {
  const bool baselines = !r.baselines.empty();
  std::string out = baselines ? "baseline," : "";
  for (const auto& axis : r.axes) out += axis.parameter + ",";
  out += std::string("own,") + kFiguresCsvHeader + "\n";
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    const auto& point = r.points[p];
    const auto& f = point.figures;
    if (baselines) out += ",";
    for (std::size_t a = 0; a < r.axes.size(); ++a) out += r.axes[a].values[point.at[a]] + ",";
    out += std::string(is_own(r, p) ? "true," : "false,") + figures_csv(f) + "\n";
  }
  for (const auto& b : r.baselines) {
    out += b.ruleset + "," + std::string(r.axes.size(), ',') + "false," + figures_csv(b.figures) + "\n";
  }
  return out;
}

std::string render_sweep_json(const SweepReport& r) {
  using support::JsonLayout;
  support::JsonWriter w(JsonLayout::kPretty);
  w.begin_object().field("schema", kSweepSchema);
  write_ruleset_and_profile(w, r.header);
  w.field("from", engine::format_timestamp(r.header.from))
      .field("to", engine::format_timestamp(r.header.to))
      .field_integer("steps", static_cast<std::int64_t>(r.header.steps))
      .field("every", r.header.every);
  w.key("overlay")
      .begin_object(JsonLayout::kSpaced)
      .field("reference", r.header.reference)
      .field("assumptions", r.header.assumptions)
      .end_object();
  w.key("fixed").begin_array(JsonLayout::kSpaced);
  for (const auto& set : r.fixed) w.string(set);
  w.end_array().key("axes").begin_array();
  for (const auto& axis : r.axes) {
    w.begin_object(JsonLayout::kSpaced).field("parameter", axis.parameter).key("values").begin_array();
    for (const auto& value : axis.values) w.string(value);
    w.end_array().field("own_value", axis.own_value).key("own");
    if (axis.own) w.integer(static_cast<std::int64_t>(*axis.own));
    else w.null();
    w.end_object();
  }
  w.end_array().key("plateau").begin_object(JsonLayout::kSpaced).field_number("tolerance", r.plateau_tolerance);
  w.field("verdict", verdict_name(r.verdict)).key("own_point");
  if (r.own_point) w.integer(static_cast<std::int64_t>(*r.own_point));
  else w.null();
  w.key("neighbours").begin_array();
  for (const auto n : r.neighbours) w.integer(static_cast<std::int64_t>(n));
  w.end_array().field("text", r.verdict_text).end_object();
  w.key("points").begin_array();
  for (const auto& point : r.points) {
    const auto& f = point.figures;
    w.begin_object(JsonLayout::kSpaced).key("set").begin_array();
    for (const auto& set : point.overrides) w.string(set);
    w.end_array();
    write_figures(w, f);
    w.end_object();
  }
  w.end_array();
  write_baselines(w, r.baselines);
  w.end_object();
  return w.take() + "\n";
}

}  // namespace riskoff::backtest
