#include "engine/builtins.hpp"

#include <array>

namespace riskoff::engine {
namespace {

using S = BuiltinShape;
using R = ResultUnit;

constexpr std::array kBuiltins = {
    Builtin{BuiltinId::kLast, "last", S::kSeriesAt, 1, 1, R::kSame, "last(series)"},
    Builtin{BuiltinId::kAgo, "ago", S::kSeriesWindow, 2, 2, R::kSame, "ago(series, window)"},
    Builtin{BuiltinId::kChange, "change", S::kSeriesWindow, 2, 2, R::kChange, "change(series, window)"},
    Builtin{BuiltinId::kPctChange, "pct_change", S::kSeriesWindow, 2, 2, R::kPercent, "pct_change(series, window)"},
    Builtin{BuiltinId::kLogReturn, "log_return", S::kSeriesWindow, 2, 2, R::kPercent, "log_return(series, window)"},
    Builtin{BuiltinId::kSma, "sma", S::kSeriesWindow, 2, 2, R::kSame, "sma(series, window)"},
    Builtin{BuiltinId::kEma, "ema", S::kSeriesWindow, 2, 2, R::kSame, "ema(series, window)"},
    Builtin{BuiltinId::kStdev, "stdev", S::kSeriesWindow, 2, 2, R::kSame, "stdev(series, window)"},
    Builtin{BuiltinId::kRealizedVol, "realized_vol", S::kSeriesWindow, 2, 2, R::kPercent, "realized_vol(series, window)"},
    Builtin{BuiltinId::kZscore, "zscore", S::kSeriesWindow, 2, 2, R::kNumber, "zscore(series, window)"},
    Builtin{BuiltinId::kPercentileRank, "percentile_rank", S::kSeriesWindow, 2, 2, R::kPercent, "percentile_rank(series, window)"},
    Builtin{BuiltinId::kHighest, "highest", S::kSeriesWindow, 2, 2, R::kSame, "highest(series, window)"},
    Builtin{BuiltinId::kLowest, "lowest", S::kSeriesWindow, 2, 2, R::kSame, "lowest(series, window)"},
    Builtin{BuiltinId::kDrawdown, "drawdown", S::kSeriesWindow, 2, 2, R::kPercent, "drawdown(series, window)"},
    Builtin{BuiltinId::kSlope, "slope", S::kSeriesWindow, 2, 2, R::kSame, "slope(series, window)"},
    Builtin{BuiltinId::kCorr, "corr", S::kPairWindow, 3, 3, R::kNumber, "corr(series, series, window)"},
    Builtin{BuiltinId::kAbs, "abs", S::kScalarSameUnit, 1, 1, R::kSame, "abs(x)"},
    Builtin{BuiltinId::kMin, "min", S::kScalarSameUnit, 2, 255, R::kSame, "min(x, y, ...)"},
    Builtin{BuiltinId::kMax, "max", S::kScalarSameUnit, 2, 255, R::kSame, "max(x, y, ...)"},
    Builtin{BuiltinId::kClamp, "clamp", S::kScalarSameUnit, 3, 3, R::kSame, "clamp(x, low, high)"},
    Builtin{BuiltinId::kToBp, "to_bp", S::kUnitConversion, 1, 1, R::kSame, "to_bp(x in %)"},
    Builtin{BuiltinId::kToPct, "to_pct", S::kUnitConversion, 1, 1, R::kSame, "to_pct(x in bp)"},
    Builtin{BuiltinId::kAny, "any", S::kAggregate, 1, 255, R::kNumber, "any(condition, ...)"},
    Builtin{BuiltinId::kAll, "all", S::kAggregate, 1, 255, R::kNumber, "all(condition, ...)"},
    Builtin{BuiltinId::kCount, "count", S::kAggregate, 1, 255, R::kNumber, "count(condition, ...)"},
    Builtin{BuiltinId::kAtLeast, "at_least", S::kAtLeast, 2, 255, R::kNumber, "at_least(n, condition, ...)"},
    Builtin{BuiltinId::kScore, "score", S::kScore, 1, 255, R::kNumber, "score(condition: weight, ...)"},
};

}  // namespace

std::span<const Builtin> builtins() { return kBuiltins; }

const Builtin* find_builtin(std::string_view name) {
  for (const auto& builtin : kBuiltins) {
    if (builtin.name == name) return &builtin;
  }
  return nullptr;
}

}  // namespace riskoff::engine
