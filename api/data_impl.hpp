// What the data and backtest handles (riskoff/sources.hpp, history.hpp, backtest.hpp) hold.
// Shared by api/sources.cpp, history.cpp, backtest.cpp and backtest_report.cpp; never installed.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/history_store.hpp"
#include "adapters/sources.hpp"
#include "backtest/against.hpp"
#include "backtest/replay.hpp"
#include "riskoff/backtest.hpp"
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

// The public form of the backtest stage's replay (backtest_report.cpp).
BacktestReport to_report(const backtest::Replay& replay);

}  // namespace riskoff
