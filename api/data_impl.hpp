// What the data and backtest handles (riskoff/sources.hpp, history.hpp, backtest.hpp) hold.
// Shared by api/sources.cpp, history.cpp, backtest.cpp and backtest_report.cpp; never installed.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/history_store.hpp"
#include "adapters/sources.hpp"
#include "backtest/against.hpp"
#include "backtest/replay.hpp"
#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"
#include "riskoff/history.hpp"
#include "riskoff/sources.hpp"

namespace riskoff {

struct Sources::Impl {
  adapters::Manifest manifest;
  std::vector<SourceInfo> inputs;
};

struct HistoryStore::Impl {
  std::string path;
  std::unique_ptr<adapters::HistoryStore> store;
};

struct Backtest::Impl {
  backtest::Replay replay;
  std::optional<backtest::Replay> older;  // with BacktestOptions::against
  std::optional<backtest::AgainstReport> against;
  std::vector<std::string> unused_inputs;  // of the manifest, read by neither ruleset nor the reference
  // The public report and comparison, converted on first request (backtest_report.cpp).
  mutable std::once_flag converted;
  mutable BacktestReport report;
  mutable std::optional<BacktestComparison> comparison;
};

// What every replay of one ruleset over one period shares once its history is loaded (built by
// api/backtest.cpp for Backtest::run() and sweep()). Valid only inside the call that receives it:
// the reference legs in `options` point into the loaded history.
struct ReplaySetup {
  const Ruleset::Impl* rules = nullptr;
  std::uint32_t profile = 0;
  std::vector<engine::ParamOverride> overrides;  // BacktestOptions::overrides, resolved
  engine::Snapshot history;                      // the ruleset's own inputs
  std::vector<engine::Timestamp> steps;
  std::string every;
  backtest::ReplayOptions options;               // profile, overrides and hash filled in
};

// One replay from the setup with `overrides` in place of the setup's (api/backtest.cpp).
Result<backtest::Replay> replay_with(const ReplaySetup& setup, const std::vector<engine::ParamOverride>& overrides);

// Every point of the grid replayed from the setup on a pool of threads (api/sweep.cpp).
Result<SweepReport> sweep_points(const ReplaySetup& setup, const BacktestOptions& options, const SweepOptions& grid);

// A replay setup over one window of the period, for walk-forward (api/backtest.cpp). With
// WindowData::kUpToWindow the history is cut at the window's last step instant first: every
// observation known later is dropped, so nothing after the window can reach its replays.
enum class WindowData : std::uint8_t { kUpToWindow, kWhole };
struct WindowSetup {
  std::unique_ptr<engine::Snapshot> cut;  // the cut history the setup's reference points into; null for kWhole
  ReplaySetup setup;
};
using WindowSetupFn = std::function<Result<WindowSetup>(engine::Timestamp from, std::optional<engine::Timestamp> to, WindowData)>;

// The baselines (BacktestOptions::baselines) over the steps of a setup.
using BaselinesFn = std::function<Result<std::vector<BaselineResult>>(const ReplaySetup&)>;

// The folds of a walk-forward, each from `window`, and the baselines over the tested span
// (api/walk_forward.cpp).
Result<WalkForwardReport> walk_forward_folds(const WindowSetupFn& window, const BaselinesFn& baselines,
                                             const BacktestOptions& options, const WalkForwardOptions& walk);

// The public form of the backtest stage's replay (backtest_report.cpp).
BacktestReport to_report(const backtest::Replay& replay);

}  // namespace riskoff
