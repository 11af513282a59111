// Shared by the binding's translation units: how a riskoff::Error becomes the Python exception
// of its kind (riskoff.errors), and the wrapper that keeps a compiled ruleset's warnings beside it.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <vector>

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

void bind_decide(py::module_& m);   // Ruleset, Snapshot, Decision (decide.cpp)
void bind_replay(py::module_& m);   // Backtest (replay.cpp)
void bind_audit(py::module_& m);    // AuditLog (audit.cpp)

}  // namespace riskoff::python
