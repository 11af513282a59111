// The draws of the significance test and the ranks of the real run among them (shuffle.hpp).
#include "backtest/shuffle.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "backtest/report.hpp"
#include "backtest/sweep.hpp"
#include "backtest/text_layout.hpp"

namespace riskoff::backtest {
namespace {

bool off_wait(const std::string& action) { return !action.empty() && action_kind(action) != ActionKind::kWait; }

// The figures of one sequence of actions over the replay's steps, through the replay's overlay.
ReplayFigures figures_of(const Replay& replay, const std::vector<engine::Timestamp>& dates,
                         const std::vector<std::string>& actions) {
  std::vector<double> decided(actions.size(), std::numeric_limits<double>::quiet_NaN());
  std::size_t off = 0, changes = 0;
  std::string last;
  for (std::size_t k = 0; k < actions.size(); ++k) {
    if (actions[k].empty()) continue;
    decided[k] = exposure_for(actions[k], replay.overlay_options);
    off += off_wait(actions[k]);
    if (!last.empty() && actions[k] != last) ++changes;
    last = actions[k];
  }
  const Overlay overlay = compute_overlay(dates, replay.overlay.step_return, decided, replay.overlay_options, replay.overlay.open_gap);
  return overlay_figures(overlay, off, actions.size(), changes);
}

double quantile(std::vector<double> sorted_values, double q) {
  if (sorted_values.empty()) return 0;
  const auto index = static_cast<std::size_t>(std::lround(q * static_cast<double>(sorted_values.size() - 1)));
  return sorted_values[index];
}

ShuffleRank rank(double real, const std::vector<ReplayFigures>& draws, double ReplayFigures::*figure, double level) {
  ShuffleRank out;
  out.real = real;
  std::vector<double> values;
  double beaten = 0;
  for (const auto& draw : draws) {
    const double value = draw.*figure;
    // An undefined Sharpe (a flat path) ranks below every defined one, ties with its like, and
    // is left out of the draws' quantiles.
    if (std::isnan(value) || std::isnan(real)) {
      beaten += std::isnan(value) ? (std::isnan(real) ? 0.5 : 1) : 0;
      if (!std::isnan(value)) values.push_back(value);
      continue;
    }
    values.push_back(value);
    beaten += value < real ? 1 : value == real ? 0.5 : 0;
  }
  std::sort(values.begin(), values.end());
  out.percentile = draws.empty() ? 0 : beaten / static_cast<double>(draws.size());
  out.median = quantile(values, 0.5);
  out.low = quantile(values, 0.05);
  out.high = quantile(values, 0.95);
  out.significant = out.percentile >= level;
  const std::string at_level = " at the " + printf_text("%g", level * 100) + "% level";
  out.verdict = "better than " + pct_plain(out.percentile) + " of draws: " +
                (out.significant ? "better than chance" + at_level : "not distinguishable from chance" + at_level);
  return out;
}

}  // namespace

std::uint64_t splitmix64(std::uint64_t state) {
  std::uint64_t z = state + kSplitMix64Increment;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t draw_seed(std::uint64_t seed, std::uint64_t kind, std::uint64_t draw) {
  return splitmix64(splitmix64(splitmix64(seed) + kind) + draw);
}

std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
  // 2^64 mod n values at the bottom would make the low remainders likelier: draw again.
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t x = rng();
    if (x >= threshold) return x % n;
  }
}

std::vector<ActionRun> decided_runs(const std::vector<std::string>& actions) {
  std::vector<ActionRun> runs;
  for (const auto& action : actions) {
    if (action.empty()) continue;
    if (runs.empty() || runs.back().action != action) runs.push_back({action, 0});
    ++runs.back().steps;
  }
  return runs;
}

std::vector<ActionRun> shuffled_runs(std::vector<ActionRun> runs, std::mt19937_64& rng) {
  for (std::size_t k = runs.size(); k > 1; --k) std::swap(runs[k - 1], runs[uniform_below(rng, k)]);
  return runs;
}

std::vector<ActionRun> random_entries(const std::vector<ActionRun>& runs, const std::string& wait, std::mt19937_64& rng) {
  std::vector<ActionRun> entries;
  std::size_t wait_steps = 0;
  for (const auto& run : runs) {
    if (off_wait(run.action)) entries.push_back(run);
    else wait_steps += run.steps;
  }
  entries = shuffled_runs(std::move(entries), rng);
  // Stars and bars: K entries among K + W slots chosen uniformly (a partial Fisher-Yates); the
  // slots between them are the WAIT gaps.
  const std::size_t slots = entries.size() + wait_steps;
  std::vector<std::size_t> order(slots);
  for (std::size_t k = 0; k < slots; ++k) order[k] = k;
  for (std::size_t k = 0; k < entries.size(); ++k) std::swap(order[k], order[k + uniform_below(rng, slots - k)]);
  std::vector<std::size_t> chosen(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(entries.size()));
  std::sort(chosen.begin(), chosen.end());
  std::vector<ActionRun> out;
  std::size_t previous = 0;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const std::size_t gap = chosen[k] - previous;
    if (gap > 0) out.push_back({wait, gap});
    out.push_back(entries[k]);
    previous = chosen[k] + 1;
  }
  if (slots > previous) out.push_back({wait, slots - previous});
  return out;
}

std::vector<std::string> lay_out(const std::vector<std::string>& actions, const std::vector<ActionRun>& runs) {
  std::vector<std::string> out(actions.size());
  std::size_t run = 0, used = 0;
  for (std::size_t k = 0; k < actions.size(); ++k) {
    if (actions[k].empty()) continue;
    while (run < runs.size() && used == runs[run].steps) {
      ++run;
      used = 0;
    }
    if (run == runs.size()) break;  // Invariant: the runs cover the decided steps exactly
    out[k] = runs[run].action;
    ++used;
  }
  return out;
}

ShuffleReport shuffle_test(const Replay& replay, const ShuffleOptions& options) {
  ShuffleReport out;
  out.header = replay_header(replay);
  out.shuffles = options.shuffles;
  out.seed = options.seed;
  out.level = options.level;
  std::vector<engine::Timestamp> dates;
  std::vector<std::string> actions;
  for (const auto& step : replay.steps) {
    dates.push_back(step.time);
    actions.push_back(step.action);
  }
  const auto runs = decided_runs(actions);
  out.spells = runs.size();
  std::string wait = "wait";
  for (const auto& run : runs) {
    if (off_wait(run.action)) ++out.entries;
    else wait = run.action;
  }
  out.real = figures_of(replay, dates, actions);
  ShuffleKind spells{"spells shuffled", {}, {}, {}, std::vector<ReplayFigures>(options.shuffles)};
  ShuffleKind entries{"random entries", {}, {}, {}, std::vector<ReplayFigures>(options.shuffles)};
  // Each draw has a generator of its own (draw_seed), so a draw is the same whichever process
  // makes it and whichever others it makes.
  auto make = [&](std::size_t draw) {
    std::mt19937_64 spell_rng(draw_seed(options.seed, 0, draw));
    spells.draws[draw] = figures_of(replay, dates, lay_out(actions, shuffled_runs(runs, spell_rng)));
    std::mt19937_64 entry_rng(draw_seed(options.seed, 1, draw));
    entries.draws[draw] = figures_of(replay, dates, lay_out(actions, random_entries(runs, wait, entry_rng)));
  };
  if (options.only) {
    for (const std::size_t draw : *options.only) make(draw);
  } else {
    for (std::size_t draw = 0; draw < options.shuffles; ++draw) make(draw);
  }
  out.kinds = {std::move(spells), std::move(entries)};
  if (!options.only) rank_draws(out);
  return out;
}

void rank_draws(ShuffleReport& report) {
  for (ShuffleKind& kind : report.kinds) {
    kind.total_return = rank(report.real.total_return, kind.draws, &ReplayFigures::total_return, report.level);
    kind.sharpe = rank(report.real.sharpe, kind.draws, &ReplayFigures::sharpe, report.level);
    kind.max_drawdown = rank(report.real.max_drawdown, kind.draws, &ReplayFigures::max_drawdown, report.level);
  }
}

}  // namespace riskoff::backtest
