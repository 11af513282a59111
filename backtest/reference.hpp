// The reference the overlay holds: a price input or a constant mix of inputs and cash,
// rebalanced every step. Bound to the history once (it must be a positive, finite price), then
// turned into one return per step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backtest/overlay.hpp"
#include "riskoff/result.hpp"

namespace riskoff::backtest {

// "spx", or "spx 60% + cash 40%" for a mix.
std::string reference_name(const std::vector<ReferenceLeg>& legs);

// Points each leg at its series in `history` (cash and absent inputs stay null) and checks it
// is a price: in index or usd (kUsage otherwise), positive and finite everywhere (kData).
// With `opens` (execution at the next open), every priced leg must have opens (kData naming it).
// Returns the first problem, none when the reference can be held.
std::optional<Error> bind_reference(std::vector<ReferenceLeg>& legs, const engine::Snapshot& history, bool opens = false);

// The reference over the replay's steps.
struct ReferencePath {
  std::vector<double> step_return;  // weighted return into each step (0 at the first)
  // With opens: the weighted return from the previous step's close to this step's open (0 at the
  // first); a leg without an open at a step gives its whole return there (traded at the close).
  std::vector<double> open_gap;
  std::vector<bool> known;          // some leg had a price at the step
  bool all_cash = true;             // no leg has a series: the reference is flat, known everywhere
  std::vector<std::string> gaps;    // "`btc` has no price before 2017-08-17: 12 steps earn nothing on this leg"
};
ReferencePath reference_path(const std::vector<ReferenceLeg>& legs, const std::vector<engine::Timestamp>& steps,
                             bool opens = false);

}  // namespace riskoff::backtest
