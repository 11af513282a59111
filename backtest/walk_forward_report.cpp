// A walk-forward for people and programs: the folds and the stitched table as text, one row per
// fold as CSV, everything as JSON (`riskoff.walk_forward/1`, docs/replay.md "Walk-forward").
#include <algorithm>

#include "backtest/figures_row.hpp"
#include "backtest/text_layout.hpp"
#include "backtest/walk_forward.hpp"
#include "engine/snapshot.hpp"
#include "support/json_writer.hpp"

namespace riskoff::backtest {
namespace {

std::string joined(const std::vector<std::string>& sets, const char* separator) {
  std::string out;
  for (const auto& set : sets) out += (out.empty() ? "" : separator) + set;
  return out;
}

std::string steps_text(std::size_t steps) { return std::to_string(steps) + (steps == 1 ? " step" : " steps"); }

std::string figures_line(const ReplayFigures& f) {
  return pct(f.annual_return) + " a year · Sharpe " + sharpe_text(f.sharpe) + " · max dd " + pct(f.max_drawdown) +
         " · off WAIT " + pct_plain(f.off_wait);
}

void figures_json(support::JsonWriter& w, std::string_view name, const ReplayFigures& f) {
  w.key(name).begin_object(support::JsonLayout::kSpaced);
  write_figures(w, f);
  w.end_object();
}

void sets_json(support::JsonWriter& w, std::string_view name, const std::vector<std::string>& sets) {
  w.key(name).begin_array(support::JsonLayout::kSpaced);
  for (const auto& set : sets) w.string(set);
  w.end_array();
}

}  // namespace

std::string figure_rows(const std::vector<std::pair<std::string, ReplayFigures>>& rows) {
  std::size_t label = 26;
  for (const auto& row : rows) label = std::max(label, shown_width(row.first) + 4);
  std::string out = pad("", label);
  for (const auto& column : figure_columns()) out += lpad(column.title, column.width);
  out += "\n";
  for (const auto& [name, figures] : rows) {
    out += pad("  " + name, label);
    for (const auto& column : figure_columns()) out += lpad(column.cell(figures), column.width);
    out += "\n";
  }
  return out;
}

std::string render_walk_forward_text(const WalkForwardReport& r) {
  std::string out = "riskoff replay --walk-forward " + r.windows + " · " + r.header.ruleset + " " + r.header.version +
                    " · profile " + r.header.profile + "\n";
  out += wrap("objective: ",
              r.objective_text + " · " + std::to_string(r.folds.size()) + (r.folds.size() == 1 ? " fold" : " folds") +
                  " · steps: " + r.header.every,
              11);
  out += wrap("overlay: ", r.header.assumptions, 9);
  if (!r.fixed.empty()) out += wrap("every point also: ", joined(r.fixed, " "), 18);
  std::string grid;
  for (const auto& axis : r.axes) grid += (grid.empty() ? "" : " · ") + axis.parameter + " = " + joined(axis.values, ", ");
  out += wrap("grid: ", grid, 6);
  out += wrap("", "Each train window is replayed from a history cut at its last step: no observation known later is "
                  "read while choosing.", 0);
  // Sharpe is undefined on a flat window (kSharpeMinVolatility): no point may have one.
  const std::string unmet = r.objective == "sharpe" ? "no point had a Sharpe: every one was flat" : "no point met the drawdown bound";
  for (std::size_t k = 0; k < r.folds.size(); ++k) {
    const auto& f = r.folds[k];
    out += "\nFold " + std::to_string(k + 1) + "  train " + short_time(f.train_from) + " → " + short_time(f.train_to) +
           " (" + steps_text(f.train_steps) + ") · test " + short_time(f.test_from) + " → " + short_time(f.test_to) + " (" +
           steps_text(f.test_steps) + ")\n";
    out += wrap("  chosen: ", joined(f.chosen, " ") + (f.objective_met ? "" : " (" + unmet + ": the shallowest drawdown was taken)"), 10);
    out += "  in-sample      " + figures_line(f.in_sample) + "\n";
    out += "  out-of-sample  " + figures_line(f.out_of_sample) + "\n";
  }
  out += "\nThe tested span " + short_time(r.header.from) + " → " + short_time(r.header.to) + " (" +
         steps_text(r.header.steps) + ")\n";
  std::vector<std::pair<std::string, ReplayFigures>> rows = {
      {"out of sample (stitched)", r.out_of_sample}, {"in sample (hindsight)", r.in_sample}, {"own values", r.own}};
  add_baseline_rows(rows, r.baselines);
  rows.emplace_back("buy-and-hold", r.hold);
  out += figure_rows(rows);
  out += wrap("\nout of sample: ", "each test window decided by its own fold's choice, as one overlay over the span", 16);
  out += wrap("in sample: ", "the point the same objective picks over the whole span, with hindsight (" +
                                 joined(r.hindsight, " ") +
                                 (r.hindsight_met ? "" : "; " + unmet) + ")", 11);
  if (!r.baselines.empty()) {
    out += wrap("baselines: ", "over the span's steps, same reference and execution, each with its first profile", 11);
  }
  return out;
}

// With baselines, a first column names the baseline of a row (empty on the folds' rows); a
// baseline's row holds the tested span as its test window and its figures there as out of sample.
std::string render_walk_forward_csv(const WalkForwardReport& r) {
  const bool baselines = !r.baselines.empty();
  std::string out =
      std::string(baselines ? "baseline," : "") +
      "fold,train_from,train_to,train_steps,test_from,test_to,test_steps,chosen,objective_met,"
      "in_sample_total_return,in_sample_annual_return,in_sample_sharpe,in_sample_max_drawdown,"
      "out_of_sample_total_return,out_of_sample_annual_return,out_of_sample_sharpe,out_of_sample_max_drawdown\n";
  for (std::size_t k = 0; k < r.folds.size(); ++k) {
    const auto& f = r.folds[k];
    if (baselines) out += ",";
    out += std::to_string(k + 1) + "," + short_time(f.train_from) + "," + short_time(f.train_to) + "," +
           std::to_string(f.train_steps) + "," + short_time(f.test_from) + "," + short_time(f.test_to) + "," +
           std::to_string(f.test_steps) + "," + joined(f.chosen, " ") + "," + (f.objective_met ? "true" : "false");
    for (const auto* figures : {&f.in_sample, &f.out_of_sample}) {
      for (const double value : {figures->total_return, figures->annual_return, figures->sharpe, figures->max_drawdown}) {
        out += "," + csv_number(value);
      }
    }
    out += "\n";
  }
  for (const auto& b : r.baselines) {
    out += b.ruleset + ",,,,," + short_time(r.header.from) + "," + short_time(r.header.to) + "," +
           std::to_string(r.header.steps) + ",,,,,,";
    const auto& f = b.figures;
    for (const double value : {f.total_return, f.annual_return, f.sharpe, f.max_drawdown}) {
      out += "," + csv_number(value);
    }
    out += "\n";
  }
  return out;
}

std::string render_walk_forward_json(const WalkForwardReport& r) {
  using support::JsonLayout;
  support::JsonWriter w(JsonLayout::kPretty);
  w.begin_object().field("schema", kWalkForwardSchema);
  write_ruleset_and_profile(w, r.header);
  w.field("windows", r.windows).field("objective", r.objective);
  w.field("objective_text", r.objective_text).field("every", r.header.every);
  w.key("overlay")
      .begin_object(JsonLayout::kSpaced)
      .field("reference", r.header.reference)
      .field("assumptions", r.header.assumptions)
      .end_object();
  sets_json(w, "fixed", r.fixed);
  w.key("axes").begin_array();
  for (const auto& axis : r.axes) {
    w.begin_object(JsonLayout::kSpaced).field("parameter", axis.parameter);
    sets_json(w, "values", axis.values);
    w.end_object();
  }
  w.end_array().key("folds").begin_array();
  for (const auto& f : r.folds) {
    w.begin_object()
        .field("train_from", engine::format_timestamp(f.train_from))
        .field("train_to", engine::format_timestamp(f.train_to))
        .field_integer("train_steps", static_cast<std::int64_t>(f.train_steps))
        .field("test_from", engine::format_timestamp(f.test_from))
        .field("test_to", engine::format_timestamp(f.test_to))
        .field_integer("test_steps", static_cast<std::int64_t>(f.test_steps));
    sets_json(w, "chosen", f.chosen);
    w.field_bool("objective_met", f.objective_met);
    figures_json(w, "in_sample", f.in_sample);
    figures_json(w, "out_of_sample", f.out_of_sample);
    w.end_object();
  }
  w.end_array().key("tested").begin_object();
  w.field("from", engine::format_timestamp(r.header.from))
      .field("to", engine::format_timestamp(r.header.to))
      .field_integer("steps", static_cast<std::int64_t>(r.header.steps));
  figures_json(w, "out_of_sample", r.out_of_sample);
  figures_json(w, "in_sample", r.in_sample);
  sets_json(w, "in_sample_set", r.hindsight);
  w.field_bool("in_sample_objective_met", r.hindsight_met);
  figures_json(w, "own", r.own);
  figures_json(w, "hold", r.hold);
  write_baselines(w, r.baselines);
  w.end_object().end_object();
  return w.take() + "\n";
}

}  // namespace riskoff::backtest
