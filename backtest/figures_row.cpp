#include "backtest/figures_row.hpp"

#include "backtest/text_layout.hpp"

namespace riskoff::backtest {

std::string figures_csv(const ReplayFigures& f) {
  std::string out;
  for (const double figure : {f.total_return, f.annual_return, f.volatility, f.max_drawdown, f.sharpe, f.off_wait}) {
    out += csv_number(figure) + ",";
  }
  return out + std::to_string(f.changes) + "," + support::json_number(f.turnover);
}

void write_figures(support::JsonWriter& w, const ReplayFigures& f) {
  w.field_number("total_return", f.total_return)
      .field_number("annual_return", f.annual_return)
      .field_number("volatility", f.volatility)
      .field_number("max_drawdown", f.max_drawdown)
      .field_number("sharpe", f.sharpe)
      .field_number("off_wait", f.off_wait)
      .field_integer("changes", static_cast<std::int64_t>(f.changes))
      .field_number("turnover", f.turnover);
}

void write_ruleset_and_profile(support::JsonWriter& w, const ReplayHeader& header) {
  w.key("ruleset")
      .begin_object(support::JsonLayout::kSpaced)
      .field("name", header.ruleset)
      .field("version", header.version)
      .end_object();
  w.field("profile", header.profile);
}

void write_baselines(support::JsonWriter& w, const std::vector<BaselineResult>& baselines) {
  if (baselines.empty()) return;
  w.key("baselines").begin_array();
  for (const auto& b : baselines) {
    w.begin_object(support::JsonLayout::kSpaced)
        .field("ruleset", b.ruleset)
        .field("version", b.version)
        .field("file", b.file);
    write_figures(w, b.figures);
    w.end_object();
  }
  w.end_array();
}

void add_baseline_rows(std::vector<std::pair<std::string, ReplayFigures>>& rows,
                       const std::vector<BaselineResult>& baselines) {
  for (const auto& b : baselines) rows.emplace_back(b.ruleset, b.figures);
}

namespace {
const FigureColumn kColumns[] = {
    {"total", 9, [](const ReplayFigures& f) { return pct(f.total_return); }},
    {"annual", 8, [](const ReplayFigures& f) { return pct(f.annual_return); }},
    {"volatility", 12, [](const ReplayFigures& f) { return pct_plain(f.volatility); }},
    {"max dd", 8, [](const ReplayFigures& f) { return pct(f.max_drawdown); }},
    {"sharpe", 8, [](const ReplayFigures& f) { return sharpe_text(f.sharpe); }},
    {"off WAIT", 10, [](const ReplayFigures& f) { return pct_plain(f.off_wait); }},
    {"changes", 9, [](const ReplayFigures& f) { return std::to_string(f.changes); }},
    {"turnover", 10, [](const ReplayFigures& f) { return printf_text("%.1f", f.turnover); }},
};
}  // namespace

std::span<const FigureColumn> figure_columns() { return kColumns; }

}  // namespace riskoff::backtest
