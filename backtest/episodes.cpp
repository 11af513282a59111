// The deep drawdowns of the reference and what the ruleset did in each: found on the value
// paths the overlay computed (overlay.cpp), so they can be checked by hand as it can.
#include <algorithm>

#include "backtest/overlay.hpp"

namespace riskoff::backtest {

std::vector<Episode> find_episodes(const std::vector<engine::Timestamp>& times, const std::vector<double>& hold_value,
                                   const std::vector<double>& overlay_value, const std::vector<std::string>& actions,
                                   double threshold) {
  std::vector<Episode> out;
  const std::size_t n = hold_value.size();
  auto is_wait = [&](std::size_t k) { return action_kind(actions[k]) == ActionKind::kWait; };
  std::size_t peak = 0;
  std::size_t k = 0;
  while (k < n) {
    if (hold_value[k] >= hold_value[peak]) {
      peak = k++;
      continue;
    }
    // Below the peak: follow the fall until the peak's value is regained or the data ends.
    // `!(x >= peak)`, not `x < peak`: a value that is not a number (callers refuse them, but a
    // loop must not depend on it) then counts as below and the scan still moves on.
    std::size_t trough = k;
    std::size_t end = k;
    while (end < n && !(hold_value[end] >= hold_value[peak])) {
      if (hold_value[end] < hold_value[trough]) trough = end;
      ++end;
    }
    const double depth = hold_value[trough] / hold_value[peak] - 1;
    if (depth <= -threshold) {
      Episode episode;
      episode.peak = times[peak];
      episode.trough = times[trough];
      if (end < n) episode.recovered = times[end];
      episode.depth = depth;
      episode.overlay_depth = overlay_value[trough] / overlay_value[peak] - 1;
      episode.avoided = 1 - episode.overlay_depth / depth;
      if (!is_wait(peak)) {
        // Already out of WAIT at the peak: when did that spell start?
        episode.not_wait_at_peak = true;
        std::size_t start = peak;
        while (start > 0 && !is_wait(start - 1)) --start;
        episode.left_wait = times[start];
        episode.first_action = actions[start];
      } else {
        for (std::size_t step = peak; step < std::min(end, n); ++step) {
          if (!is_wait(step)) {
            episode.left_wait = times[step];
            episode.first_action = actions[step];
            break;
          }
        }
      }
      out.push_back(std::move(episode));
    }
    k = end;
  }
  return out;
}

}  // namespace riskoff::backtest
