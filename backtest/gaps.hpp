// Where the data had holes inside a replayed period, per input: steps that saw no observation
// yet or only a stale one, a series that starts late, and the longest time between two
// observations. A replay without this would show confident steps decided on missing data.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/replay.hpp"

namespace riskoff::backtest {

// Where the data had holes inside the replayed period, per input.
struct InputGaps {
  std::string name;
  bool optional = false;
  std::optional<engine::Timestamp> first;  // first observation, when after the replay's start
  std::size_t steps_missing = 0;           // steps with no observation yet
  std::size_t steps_stale = 0;             // steps where the last observation was older than max_age
  double longest_gap_days = 0;             // longest time between observations inside the period
  engine::Timestamp gap_from = 0, gap_to = 0;
};


// Counts the inputs missing or stale at the step just taken (one entry per plan input).
void tally_step_gaps(const engine::BoundSnapshot& bound, std::vector<InputGaps>& gaps);

// Names each input and finds its late start and longest gap within [from, to], from the whole
// history the replayer bound.
void measure_gaps(const engine::Plan& plan, const engine::Replayer& replayer, engine::Timestamp from,
                  engine::Timestamp to, std::vector<InputGaps>& gaps);

}  // namespace riskoff::backtest
