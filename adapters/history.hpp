// A whole history for a backtest: every series a replay reads, from the first observation up to
// the end of the period, out of a sources manifest or the history store; and the instants the
// replay steps at (each close of a clock series, or a regular UTC grid). Stepping over the
// history without look-ahead is engine/replay.hpp; reading it is backtest/.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/plan.hpp"
#include "engine/snapshot.hpp"
#include "riskoff/result.hpp"

namespace riskoff::adapters {

class HistoryStore;
struct Manifest;

// Every series in `names`, whole, up to `to`, from a sources manifest (docs/sources.md) or a
// history store (`riskoff data import`). Those in `optional` may be absent. A store that cannot
// be read is kIo or kStore; a source or series that does not read or is absent is kData.
// Messages name the manifest or store (`db`, as the user gave it) and the input.
Result<engine::Snapshot> load_history(const Manifest& manifest, const std::set<std::string>& names,
                                      const std::set<std::string>& optional, engine::Timestamp to);
Result<engine::Snapshot> load_history(const HistoryStore& store, const std::string& db,
                                      const std::set<std::string>& names, const std::set<std::string>& optional,
                                      engine::Timestamp to);

// Only the inputs `plan` declares: a history also holds series only the reference reads.
engine::Snapshot history_for(const engine::Plan& plan, const engine::Snapshot& all);

// Step instants: for every observation of `clock` dated in [from, to], the instant it became
// known, moved to the day's last close when `history` has closes of that date known within 6
// hours after it; or with `every_seconds` > 0 a regular grid from `from` to `to`.
std::vector<engine::Timestamp> step_instants(const engine::InputData* clock, engine::Timestamp from, engine::Timestamp to,
                                             double every_seconds, const engine::Snapshot* history = nullptr,
                                             std::vector<engine::Timestamp>* dates = nullptr);

// The period and clock a replay steps on, as the user gave them.
struct StepRequest {
  engine::Timestamp from = 0;
  std::optional<engine::Timestamp> to;        // none: the period ends with the data
  double every_seconds = 0;                   // 0: every observation of `clock`
  const engine::InputData* clock = nullptr;   // the reference's first priced series; none for cash only
  std::string from_text, to_text, every_text; // as written, for messages
};

struct StepGrid {
  std::vector<engine::Timestamp> steps;  // the instants decided at
  std::vector<engine::Timestamp> dates;  // each step's own date, as shown: a trading day's session date
  std::string every;  // "trading days of spx", or the grid as written ("1h")
};

// The step instants of a replay over `history`. Without an end the period ends with the last
// observation of any series. A grid of more than 2,000,000 steps, or a cash-only reference with
// no grid, is kUsage; a period with no step in it is kData.
Result<StepGrid> choose_steps(const engine::Snapshot& history, const StepRequest& request);

}  // namespace riskoff::adapters
