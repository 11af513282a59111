// Axis ticks for the replay chart (chart_svg.cpp): dates at a step that suits the span (years,
// months, days or hours; never a single label), and values on a log scale at 1-2-5 steps, finer
// when the range is narrow. Pure functions of their arguments.
#pragma once

#include <string>
#include <vector>

#include "engine/replay.hpp"

namespace riskoff::backtest {

struct DateTick {
  engine::Timestamp time = 0;
  std::string label;  // "2020", "2022-04", "2022-04-08", "04-08 12:00"
};

// Ticks inside [from, to] at the coarsest calendar step that gives at least six of them (or,
// for a span too short for six, the finest step: hours). UTC.
std::vector<DateTick> date_ticks(engine::Timestamp from, engine::Timestamp to);

// Values inside [low, high] (low > 0) for a log axis: decades, then 1-2-5, then finer mantissas,
// then an even linear step: the first that gives at least four.
std::vector<double> value_ticks(double low, double high);

}  // namespace riskoff::backtest
