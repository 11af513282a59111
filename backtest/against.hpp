// A replay against an older ruleset (`riskoff replay --against`): every step the two decide
// differently, and what is responsible: the first signal or group whose truth differs, and the
// changed parameter that made it so when there is one.
#pragma once

#include <string>
#include <vector>

#include "backtest/replay.hpp"

namespace riskoff::backtest {

// One step where two rulesets decide differently, and what is responsible.
struct DecisionDiff {
  engine::Timestamp time = 0;
  std::string old_action, new_action;
  std::string because;  // "`dollar_jump` 1.00% → 0.80% made `dollar_up` true: DXY +0.9% over 5d"
};

struct AgainstReport {
  std::string old_ruleset, new_ruleset;
  std::vector<std::string> parameter_changes;  // "`dollar_jump` 1.00% → 0.80%"
  std::vector<DecisionDiff> diffs;
};

// Both replays must cover the same steps. The histories are the ones each replay ran on.
AgainstReport compare_replays(const engine::Plan& new_plan, const engine::Snapshot& new_history, const Replay& new_replay,
                              const engine::Plan& old_plan, const engine::Snapshot& old_history, const Replay& old_replay,
                              const ReplayOptions& new_options, const ReplayOptions& old_options);

}  // namespace riskoff::backtest
