// One replay's figures as a CSV tail and as JSON fields, shared by every report that lists runs
// side by side (sweep points, shuffle draws), so their columns cannot drift apart.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"
#include "support/json_writer.hpp"

namespace riskoff::backtest {

// The column names, in the order figures_csv writes them.
inline constexpr const char* kFiguresCsvHeader =
    "total_return,annual_return,volatility,max_drawdown,sharpe,off_wait,changes,turnover";

// The figures as CSV cells, without a leading or trailing separator.
std::string figures_csv(const ReplayFigures& figures);

// The figures as fields of the JSON object being written, keys as in kFiguresCsvHeader.
void write_figures(support::JsonWriter& writer, const ReplayFigures& figures);

// The JSON reports' header opening (sweep, shuffle, walk-forward): `"ruleset": {"name", "version"}`
// and `"profile"`, written into the object being written.
void write_ruleset_and_profile(support::JsonWriter& writer, const ReplayHeader& header);

// `--baseline`: the baselines under the key "baselines" of the JSON object being written, each
// with its ruleset, version and file; nothing when there are none, so reports without one keep
// their bytes.
void write_baselines(support::JsonWriter& writer, const std::vector<BaselineResult>& baselines);

// The baselines as rows of a figures table (figure_rows()), named by their ruleset.
void add_baseline_rows(std::vector<std::pair<std::string, ReplayFigures>>& rows,
                       const std::vector<BaselineResult>& baselines);

// The figures as columns of a text table (sweep points, walk-forward folds): a title, a width
// and how a cell is written, in the order of kFiguresCsvHeader.
struct FigureColumn {
  const char* title;
  std::size_t width;
  std::string (*cell)(const ReplayFigures&);
};
std::span<const FigureColumn> figure_columns();

}  // namespace riskoff::backtest
