// Replay: one compiled plan evaluated at many instants over full in-memory histories, each
// step seeing only the observations at or before its instant, exactly as a snapshot built then
// would have shown them (no look-ahead).
//
// The history is bound once (names and units checked); each step moves one cursor per input
// (amortised O(1) for increasing times, a binary search otherwise) and binds prefixes of the
// series as views, so nothing is copied per step and a step's cost does not grow with the
// history: window built-ins read only their window (engine/window_eval.cpp); a window whose
// input has no new observation since the last step is taken from a memo (WindowMemo), and
// highest/lowest/drawdown follow the series with monotonic deques (RunningExtreme); both exact.
// Running sums were not used: their rounding differs from a fresh sum, and a replay must decide
// bit for bit as `eval` on a snapshot built at that step would (tests/unit/engine/replay_test.cpp).
//
// A Replayer holds references to the plan and the history, which must outlive it. It is not
// thread-safe (it reuses its bound snapshot and evaluation); use one per thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/evaluate.hpp"

namespace riskoff::engine {

class Replayer {
 public:
  // Binds `history` (every input's whole series, oldest first) to the plan. Problems (an input
  // the ruleset does not declare, a unit mismatch, a required input with no data at all) are
  // returned in `errors`, each naming the input; the replayer is unusable when there are any.
  Replayer(const Plan& plan, const Snapshot& history, std::vector<std::string>& errors);

  // Moves to `time` and evaluates. Observations after `time` are invisible; an input with no
  // observation yet is missing, one older than its max_age is stale (both unknown).
  const Evaluation& step(Timestamp time, std::uint32_t profile, const std::vector<ParamOverride>& overrides);

  // The view of the data as of the last step (for explanations), and the evaluation.
  const BoundSnapshot& bound() const { return bound_; }
  const Evaluation& evaluation() const { return evaluation_; }
  // An input's whole history as bound (data null when the history has none).
  const SeriesView& full_view(std::size_t slot) const { return full_.inputs[slot]; }
  // How many window results came from the memo and how many were computed.
  const WindowMemo& memo() const { return memo_; }
  // Required inputs with no observation at or before the last step: `eval` would refuse such a
  // snapshot, so a replay reports the step as undecided instead of deciding on a hole.
  const std::vector<std::uint32_t>& missing_required() const { return missing_required_; }

 private:
  void advance(Timestamp time);

  const Plan& plan_;
  BoundSnapshot full_;                 // the whole history, bound once
  BoundSnapshot bound_;                // prefixes as of the last step
  std::vector<std::size_t> cursor_;    // per slot: observations at or before the last step
  Timestamp last_time_ = 0;
  bool started_ = false;
  std::vector<std::uint32_t> missing_required_;
  Evaluation evaluation_;
  WindowMemo memo_;  // windows of inputs with no new observation are not recomputed
};

}  // namespace riskoff::engine
