#include "backtest/figures_row.hpp"

namespace riskoff::backtest {

std::string figures_csv(const ReplayFigures& f) {
  std::string out;
  for (const double figure : {f.total_return, f.annual_return, f.volatility, f.max_drawdown, f.sharpe, f.off_wait}) {
    out += support::json_number(figure) + ",";
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

}  // namespace riskoff::backtest
