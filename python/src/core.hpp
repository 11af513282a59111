// Shared by the binding's translation units: how a riskoff::Error becomes the Python exception
// of its kind (riskoff.errors), and the wrapper that keeps a compiled ruleset's warnings beside it.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::python {

namespace py = pybind11;

// Sets riskoff.errors.<Kind>Error(messages) as the pending Python exception (RulesetError also
// gets `diagnostics`); raise_error then throws it to pybind11.
void set_error(const Error& error, const std::vector<Problem>& diagnostics = {});
[[noreturn]] void raise_error(const Error& error, const std::vector<Problem>& diagnostics = {});

// Unwraps a Result, raising its error as the Python exception of its kind.
template <typename T>
T take(Result<T> result) {
  if (!result) raise_error(result.error());
  return std::move(*result);
}

// A compiled ruleset and the warnings its compilation left (errors never make a ruleset).
struct PyRuleset {
  Ruleset ruleset;
  std::vector<Problem> diagnostics;
};

// A replay's options as the Python layer fills them (riskoff.replay()'s keywords; times in
// seconds), shared by replay() and sweep(); `root` resolves a manifest's relative paths.
struct ReplayArgs {
  std::int64_t from = 0;
  std::optional<std::int64_t> to;
  std::string every, profile;
  std::vector<std::string> overrides;
  std::string reference;
  std::vector<std::string> figures;
  double reduce_to = 0.5, hedge_ratio = 1.0, cost_bp = 0, episode_threshold = 0.10;
  std::string root;
  std::vector<Ruleset> baselines;  // `riskoff replay --baseline`
  std::string execution = "next-close";  // `riskoff replay --execution`: next-close or next-open
};
BacktestOptions options_of(const ReplayArgs& args);  // replay.cpp

// figures.cpp. A replay's figures as 8 numbers, in the order of `riskoff replay --sweep --format
// csv` (changes the 7th, an integer): what a share sends back from another process.
inline constexpr std::size_t kFigureCount = 7;  // the float64 figures: all but changes
py::tuple figure_tuple(const ReplayFigures& figures);
ReplayFigures figures_of(const py::tuple& figures);  // ValueError unless 8 numbers
// n x 7 float64 (changes apart) and the changes (int64), one row per entry.
py::tuple figure_arrays(const std::vector<ReplayFigures>& all);
ReportFormat format_of(const std::string& format);  // text, csv, json, svg; UsageError else
// Per baseline: (ruleset, version, file, figure tuple).
py::list baseline_list(const std::vector<BaselineResult>& baselines);

void bind_decide(py::module_& m);   // Ruleset, Snapshot, Decision (decide.cpp)
void bind_replay(py::module_& m);   // Backtest (replay.cpp)
void bind_audit(py::module_& m);    // AuditLog (audit.cpp)
void bind_sweep(py::module_& m);    // SweepReport, ShuffleReport (sweep.cpp)
void bind_prepared(py::module_& m); // PreparedInputs (prepared.cpp)
void bind_walk_forward(py::module_& m);  // WalkForwardReport (walk_forward.cpp)

}  // namespace riskoff::python
