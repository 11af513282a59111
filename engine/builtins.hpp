// The built-in functions the checker knows, with their signatures. The evaluator implements
// each under the same name; docs/language.md documents formula and conventions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace riskoff::engine {

enum class BuiltinShape : std::uint8_t {
  kSeriesWindow,     // f(series, window)              last-value windows over one input
  kSeriesAt,         // f(series)                      last(x)
  kPairWindow,       // f(series, series, window)      corr
  kScalarSameUnit,   // f(x, ...)                      abs, min, max, clamp
  kUnitConversion,   // f(x)                           to_bp, to_pct
  kAggregate,        // f(cond | group set, ...)       any, all, count
  kAtLeast,          // at_least(n, cond | group set, ...)
  kScore,            // score(cond: weight, ...)
};

// Every built-in, so evaluation dispatches on a number, never on a name.
enum class BuiltinId : std::uint8_t {
  kLast, kAgo, kChange, kPctChange, kLogReturn, kSma, kEma, kStdev, kRealizedVol, kZscore, kPercentileRank,
  kHighest, kLowest, kDrawdown, kSlope, kCorr, kAbs, kMin, kMax, kClamp, kToBp, kToPct, kAny, kAll, kCount,
  kAtLeast, kScore,
};

// How the result's unit follows from the series' unit.
enum class ResultUnit : std::uint8_t { kSame, kChange, kPercent, kNumber };

struct Builtin {
  BuiltinId id;
  std::string_view name;
  BuiltinShape shape;
  std::uint8_t min_args;
  std::uint8_t max_args;  // 255: any number
  ResultUnit result;
  std::string_view signature;  // for messages: "change(series, window)"
};

std::span<const Builtin> builtins();
const Builtin* find_builtin(std::string_view name);

}  // namespace riskoff::engine
