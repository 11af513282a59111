#include "engine/builtins.hpp"

#include <array>

namespace riskoff::engine {
namespace {

using S = BuiltinShape;
using R = ResultUnit;

constexpr std::array kBuiltins = {
    Builtin{"last", S::kSeriesAt, 1, 1, R::kSame, "last(series)"},
    Builtin{"ago", S::kSeriesWindow, 2, 2, R::kSame, "ago(series, window)"},
    Builtin{"change", S::kSeriesWindow, 2, 2, R::kChange, "change(series, window)"},
    Builtin{"pct_change", S::kSeriesWindow, 2, 2, R::kPercent, "pct_change(series, window)"},
    Builtin{"log_return", S::kSeriesWindow, 2, 2, R::kPercent, "log_return(series, window)"},
    Builtin{"sma", S::kSeriesWindow, 2, 2, R::kSame, "sma(series, window)"},
    Builtin{"ema", S::kSeriesWindow, 2, 2, R::kSame, "ema(series, window)"},
    Builtin{"stdev", S::kSeriesWindow, 2, 2, R::kSame, "stdev(series, window)"},
    Builtin{"realized_vol", S::kSeriesWindow, 2, 2, R::kPercent, "realized_vol(series, window)"},
    Builtin{"zscore", S::kSeriesWindow, 2, 2, R::kNumber, "zscore(series, window)"},
    Builtin{"percentile_rank", S::kSeriesWindow, 2, 2, R::kPercent, "percentile_rank(series, window)"},
    Builtin{"highest", S::kSeriesWindow, 2, 2, R::kSame, "highest(series, window)"},
    Builtin{"lowest", S::kSeriesWindow, 2, 2, R::kSame, "lowest(series, window)"},
    Builtin{"drawdown", S::kSeriesWindow, 2, 2, R::kPercent, "drawdown(series, window)"},
    Builtin{"slope", S::kSeriesWindow, 2, 2, R::kSame, "slope(series, window)"},
    Builtin{"corr", S::kPairWindow, 3, 3, R::kNumber, "corr(series, series, window)"},
    Builtin{"abs", S::kScalarSameUnit, 1, 1, R::kSame, "abs(x)"},
    Builtin{"min", S::kScalarSameUnit, 2, 255, R::kSame, "min(x, y, ...)"},
    Builtin{"max", S::kScalarSameUnit, 2, 255, R::kSame, "max(x, y, ...)"},
    Builtin{"clamp", S::kScalarSameUnit, 3, 3, R::kSame, "clamp(x, low, high)"},
    Builtin{"to_bp", S::kUnitConversion, 1, 1, R::kSame, "to_bp(x in %)"},
    Builtin{"to_pct", S::kUnitConversion, 1, 1, R::kSame, "to_pct(x in bp)"},
    Builtin{"any", S::kAggregate, 1, 255, R::kNumber, "any(condition, ...)"},
    Builtin{"all", S::kAggregate, 1, 255, R::kNumber, "all(condition, ...)"},
    Builtin{"count", S::kAggregate, 1, 255, R::kNumber, "count(condition, ...)"},
    Builtin{"at_least", S::kAtLeast, 2, 255, R::kNumber, "at_least(n, condition, ...)"},
    Builtin{"score", S::kScore, 1, 255, R::kNumber, "score(condition: weight, ...)"},
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
