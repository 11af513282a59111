// Holes in each input's data over a replay (tests/unit/backtest/replay_gaps_test.cpp).
#include "backtest/gaps.hpp"

namespace riskoff::backtest {

void tally_step_gaps(const engine::BoundSnapshot& bound, std::vector<InputGaps>& gaps) {
  for (std::size_t slot = 0; slot < gaps.size(); ++slot) {
    const auto status = bound.status[slot];
    if (status == engine::InputStatus::kMissing) ++gaps[slot].steps_missing;
    if (status == engine::InputStatus::kStale) ++gaps[slot].steps_stale;
  }
}

void measure_gaps(const engine::Plan& plan, const engine::Replayer& replayer, engine::Timestamp from,
                  engine::Timestamp to, std::vector<InputGaps>& gaps) {
  for (std::size_t slot = 0; slot < gaps.size(); ++slot) {
    InputGaps& input_gaps = gaps[slot];
    const auto& input = plan.inputs()[slot];
    input_gaps.name = input.name;
    input_gaps.optional = input.optional;
    const auto& all = replayer.full_view(slot);
    if (all.data == nullptr || all.times.empty()) continue;
    if (all.times.front() > from) input_gaps.first = all.times.front();
    for (std::size_t k = 1; k < all.times.size(); ++k) {
      if (all.times[k] <= from) continue;
      if (all.times[k - 1] > to) break;
      const double days = static_cast<double>(all.times[k] - all.times[k - 1]) / 86400.0;
      if (days > input_gaps.longest_gap_days) {
        input_gaps.longest_gap_days = days;
        input_gaps.gap_from = all.times[k - 1];
        input_gaps.gap_to = all.times[k];
      }
    }
  }
}

}  // namespace riskoff::backtest
