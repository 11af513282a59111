// Evaluation: a Plan, a snapshot bound to its input slots, a profile and parameter overrides in;
// one NodeValue per plan node and the decision out. Three-valued (Kleene) logic throughout:
// a missing optional input or a stale one is unknown, and unknown never silently becomes false.
#pragma once

#include <string>
#include <vector>

#include "engine/plan.hpp"
#include "engine/snapshot.hpp"
#include "engine/window_eval.hpp"

namespace riskoff::engine {

// A comparison node's operator (kLt ... kNe) on two known numbers.
bool comparison_holds(NodeOp op, double lhs, double rhs);

enum class InputStatus : std::uint8_t { kOk, kMissing, kStale };

// The status of an input whose newest observation became known at `last_known`, read at `as_of`:
// stale once older than the slot's max age (0: never stale). bind(), replay's steps and the
// public API's prepared inputs all judge staleness here.
inline InputStatus age_status(double max_age_seconds, Timestamp as_of, Timestamp last_known) {
  const double age = static_cast<double>(as_of - last_known);
  return max_age_seconds > 0 && age > max_age_seconds ? InputStatus::kStale : InputStatus::kOk;
}
inline InputStatus age_status(const InputSlot& input, Timestamp as_of, Timestamp last_known) {
  return age_status(input.max_age_seconds, as_of, last_known);
}

// A snapshot matched to a plan's input slots. Holds views into the Snapshot, which must
// outlive it. Binding is where names are looked up; evaluation uses slots only.
// Slots are written through set() and set_status(), which keep `last` in step with the view and
// status (evaluate() checks that in debug builds).
struct BoundSnapshot {
  Timestamp as_of = 0;
  std::vector<SeriesView> inputs;        // per input slot; data null when absent
  std::vector<InputStatus> status;       // per input slot
  // Per input slot: its last observation's value when present and fresh, else a NaN: what the
  // input's node holds. A row reads an input with one load through it, not through the view and
  // the status; the value may be rewritten in place between rows (one_row_snapshot).
  std::vector<const double*> last;

  void reset(std::size_t slots);  // every slot missing
  void set(std::size_t slot, const SeriesView& view, InputStatus input_status);
  // Inline: the prepared API calls it for every value a row sets.
  void set_status(std::size_t slot, InputStatus input_status) {
    status[slot] = input_status;
    const SeriesView& view = inputs[slot];
    const bool usable = view.data != nullptr && !view.values.empty() && input_status == InputStatus::kOk;
    last[slot] = usable ? &view.values.back() : &kNaN;
  }
};

// Problems that make a snapshot unusable with this plan, each naming the input. An input the
// plan does not declare is not a problem: one snapshot or manifest feeds rulesets that read
// different subsets of it. Such inputs are ignored and listed in `unused`, in snapshot order.
struct BindResult {
  BoundSnapshot bound;
  std::vector<std::string> errors;
  std::vector<std::string> unused;
  bool ok() const { return errors.empty(); }
};

BindResult bind(const Plan& plan, const Snapshot& snapshot);

// A snapshot as of 0 holding one observation (0 at time 0) for every input of the plan, in slot
// order: bound once, then rows are evaluated by writing each input's values[0] (benchmarks and
// tests of row-at-a-time evaluation).
Snapshot one_row_snapshot(const Plan& plan);

// A parameter override from the command line or a test: `yield_jump=20bp`.
struct ParamOverride {
  std::uint32_t slot = 0;
  double value = 0;
};

// Parses `NAME=VALUE` against the plan's parameters, checking the unit. Returns an error
// message, or empty on success.
std::string parse_override(const Plan& plan, std::string_view assignment, ParamOverride& out);

// What the plan's nodes read from each other during one evaluation, dense by node index: one
// number and one state byte per node (a condition's Truth; for a number bit 3, and bit 2 when
// `upper` holds the top of a range). A row writes these cells, not NodeValues.
struct RowState {
  std::vector<double> number;        // a number node's value, the bottom of a range; NaN unknown
  std::vector<double> upper;         // the top of a range; read only where the range bit is set
  std::vector<std::uint8_t> state;
  std::shared_ptr<const RowProgram> program;  // whose constants the cells hold
};

// The outcome of one evaluation. Reuse one Evaluation across calls to avoid reallocating.
struct Evaluation {
  std::uint32_t profile = 0;
  std::vector<double> params;       // per parameter slot, after profile and explicit overrides
  // Whether evaluate() writes `values`: explanations, traces and coverage read them; a caller
  // that wants only the decision (row at a time) turns this off and `values` is left empty.
  bool keep_values = true;
  std::vector<NodeValue> values;    // per plan node: the trace
  RowState row;                     // the cells evaluate() computes `values` from
  std::int64_t chosen = -1;         // index of the clause that fired in the profile
  std::vector<std::uint32_t> unknown_before;  // clauses above `chosen` whose condition was unknown
  bool depends_on_unknown() const { return !unknown_before.empty(); }
};

void evaluate(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
              const std::vector<ParamOverride>& overrides, Evaluation& out);

// Window results remembered between evaluations, keyed by exactly what they read: the series'
// storage, how many observations are visible, and the window. A window is anchored at its
// series' last observation, not at the snapshot's instant, so when a replay steps on and an
// input has no new observation (a daily series between hourly steps, a weekend), its windows
// are the same numbers, bit for bit, and are not recomputed. The series must not change while
// a memo is in use (a replay's history is const).
struct WindowMemo {
  struct Entry {
    const double* values = nullptr;
    std::size_t count = 0;
    const double* other_values = nullptr;
    std::size_t other_count = 0;
    double window = 0;
    double result = 0;
    RunningExtreme running;  // highest, lowest, drawdown: followed step to step
  };
  std::vector<Entry> entries;  // per plan node; values null when empty
  std::size_t hits = 0, misses = 0;
};

// The same evaluation, reusing and refreshing `memo` for window nodes.
void evaluate(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
              const std::vector<ParamOverride>& overrides, Evaluation& out, WindowMemo& memo);

}  // namespace riskoff::engine
