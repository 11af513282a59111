// Is the replay better than luck? Its overlay against chance with the same exposure budget:
// its own spells in a random order, and its spells off WAIT entered at random dates (the public
// contract is riskoff::shuffle_test, include/riskoff/backtest.hpp). Each draw is followed by the
// same overlay maths (overlay.hpp) as the replay. The draws are pure functions of the seed:
// std::mt19937_64 is specified bit for bit by the standard, and the uniform draws are ours,
// since std::uniform_int_distribution differs between standard libraries.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "backtest/replay.hpp"
#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"

namespace riskoff::backtest {

// A run of consecutive decided steps on one action.
struct ActionRun {
  std::string action;
  std::size_t steps = 0;
};

// SplitMix64's output for the state `state` (Steele, Lea and Flood 2014): a bijection of 64-bit
// words that scatters neighbouring states.
std::uint64_t splitmix64(std::uint64_t state);
// The stream's step: the state after `state` is state + kSplitMix64Increment.
inline constexpr std::uint64_t kSplitMix64Increment = 0x9E3779B97F4A7C15ULL;
// The seed of draw `draw` (from 0) of kind `kind` (0 spells shuffled, 1 random entries):
// splitmix64(splitmix64(splitmix64(seed) + kind) + draw), the derivation docs/replay.md states.
std::uint64_t draw_seed(std::uint64_t seed, std::uint64_t kind, std::uint64_t draw);

// A uniform integer in [0, n), n > 0: rejection of the short range at the bottom, so every
// value is equally likely.
std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n);

// The runs of the decided steps, in order; undecided steps (empty action) are left out.
std::vector<ActionRun> decided_runs(const std::vector<std::string>& actions);
// The runs in a random order (Fisher-Yates).
std::vector<ActionRun> shuffled_runs(std::vector<ActionRun> runs, std::mt19937_64& rng);
// The runs off WAIT in a random order, entered at random dates: the WAIT steps are split into
// one gap before each entry and one after the last, every split equally likely. `wait` names the
// WAIT action of the gaps.
std::vector<ActionRun> random_entries(const std::vector<ActionRun>& runs, const std::string& wait, std::mt19937_64& rng);
// The runs laid out over the decided steps of `actions`, in order; undecided steps stay empty.
std::vector<std::string> lay_out(const std::vector<std::string>& actions, const std::vector<ActionRun>& runs);

// The replay against options.shuffles draws of each kind (options checked by the caller), or
// only the draws options.only lists, unranked.
ShuffleReport shuffle_test(const Replay& replay, const ShuffleOptions& options);
// Each kind's ranks and verdicts from its draws.
void rank_draws(ShuffleReport& report);

// shuffle_report.cpp: text (the ranks and verdicts), CSV (one row per draw), JSON (`riskoff.shuffle/1`).
std::string render_shuffle_text(const ShuffleReport& report);
std::string render_shuffle_csv(const ShuffleReport& report);
std::string render_shuffle_json(const ShuffleReport& report);
inline constexpr std::string_view kShuffleSchema = "riskoff.shuffle/1";

}  // namespace riskoff::backtest
