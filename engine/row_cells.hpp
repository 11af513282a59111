// The row evaluator's cells and the operations of its steps (evaluate.cpp runs them): what one
// step reads and writes, inline so that the step loop keeps one dispatch per step and no call.
// Internal to the engine: only evaluate.cpp and row_window.cpp include it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/evaluate.hpp"
#include "engine/row_program.hpp"

namespace riskoff::engine::row {

// NOTE(row): a node's value lives in the row state (RowState, evaluate.hpp): a number and a state
// byte per node, in two dense arrays, instead of one 24-byte NodeValue. Each node reads its
// children's cells and writes its own, so every row runs a dependency chain through these cells;
// a condition writes one byte, an exact number nine, and only count and score (whose unknown
// members make a range) write the range's top as well. The NodeValues the explanation reads are
// written from the cells after the nodes, and only when the caller keeps them.
inline constexpr std::uint8_t kRanged = 4;  // `upper` holds the top of a range [number, upper]
// A number, not a condition: a bit no truth has, so that the NodeValues are written from the
// cells alone, with no read of the plan's nodes to tell conditions from numbers (issue 19: at
// 100k signals that read was a third of the bytes an evaluation streamed).
inline constexpr std::uint8_t kNumber = 8;

inline Truth from_bool(bool value) { return value ? Truth::kTrue : Truth::kFalse; }

// NOTE(row): and, or, not and the aggregates below are table lookups and sums, never branches on
// a condition's value: those branches follow the data, mispredict on about half the rows, and
// cost evaluate() more than the arithmetic (Truth: false 0, true 1, unknown 2).
inline constexpr Truth kAndTable[3][3] = {{Truth::kFalse, Truth::kFalse, Truth::kFalse},
                                          {Truth::kFalse, Truth::kTrue, Truth::kUnknown},
                                          {Truth::kFalse, Truth::kUnknown, Truth::kUnknown}};
inline constexpr Truth kOrTable[3][3] = {{Truth::kFalse, Truth::kTrue, Truth::kUnknown},
                                         {Truth::kTrue, Truth::kTrue, Truth::kTrue},
                                         {Truth::kUnknown, Truth::kTrue, Truth::kUnknown}};
inline constexpr Truth kNotTable[3] = {Truth::kTrue, Truth::kFalse, Truth::kUnknown};

// The row state's arrays as raw pointers, read once: stores through them could alias the
// vectors' bounds as far as the compiler knows, which reloaded them for every node.
struct Cells {
  double* number;
  double* upper;
  std::uint8_t* state;

  // A condition's truth: its state byte as it is, since only numbers have the range bit or
  // kNumber set, and the and/or/not tables and the counts read it with no mask.
  Truth truth(std::uint32_t node) const { return static_cast<Truth>(state[node]); }
  double top(std::uint32_t node) const { return (state[node] & kRanged) != 0 ? upper[node] : number[node]; }
  // A single number, not a range (a range whose ends meet counts as one).
  bool exact(std::uint32_t node) const { return (state[node] & kRanged) == 0 || upper[node] == number[node]; }
  bool known(std::uint32_t node) const { return !std::isnan(number[node]) && exact(node); }

  void set_truth(std::size_t node, Truth value) const { state[node] = static_cast<std::uint8_t>(value); }
  void set_number(std::size_t node, double value) const {
    number[node] = value;
    state[node] = kNumber;
  }
  void set_range(std::size_t node, double low, double high) const {
    number[node] = low;
    upper[node] = high;
    state[node] = kNumber | kRanged;
  }
  void copy(std::size_t node, std::uint32_t from) const {
    number[node] = number[from];
    upper[node] = upper[from];
    state[node] = state[from];
  }
  // An unknown of the node's kind.
  void set_unknown(std::size_t node, bool is_condition) const {
    if (is_condition) set_truth(node, Truth::kUnknown);
    else set_number(node, kNaN);
  }
  // The NodeValue the explanation reads, told apart by the state byte: conditions carry a
  // truth, numbers [number, upper].
  NodeValue value(std::uint32_t node) const {
    const std::uint8_t bits = state[node];
    if ((bits & kNumber) == 0) return {kNaN, kNaN, static_cast<Truth>(bits)};
    return {number[node], (bits & kRanged) != 0 ? upper[node] : number[node], Truth::kUnknown};
  }
};

// NOTE(row): every operation below is always inlined into the step loop: as templates of a
// header they are no longer internal to one file, and GCC then called the ranged comparisons
// out of line (+79 instructions per peer row).

// Comparisons of a possibly ranged number (count/score with unknown members) with another:
// decided when every value in the range gives the same answer, unknown otherwise.
// NOTE(row): one instance per operator, so a comparison node costs the node loop's one dispatch
// and no second switch on its operator (half of evaluate()'s time on the peer ruleset went to
// dispatch).
template <NodeOp Op>
[[gnu::always_inline]] inline bool holds(double a, double b) {
  if constexpr (Op == NodeOp::kLt) return a < b;
  else if constexpr (Op == NodeOp::kLe) return a <= b;
  else if constexpr (Op == NodeOp::kGt) return a > b;
  else if constexpr (Op == NodeOp::kGe) return a >= b;
  else if constexpr (Op == NodeOp::kEq) return a == b;
  else return a != b;
}

template <NodeOp Op>
[[gnu::always_inline]] inline Truth compare(const Cells& cells, std::uint32_t lhs, std::uint32_t rhs) {
  const double low = cells.number[lhs];
  const double other_low = cells.number[rhs];
  if (std::isnan(low) || std::isnan(other_low)) return Truth::kUnknown;
  if (cells.exact(lhs) && cells.exact(rhs)) [[likely]] return from_bool(holds<Op>(low, other_low));
  if constexpr (Op == NodeOp::kEq || Op == NodeOp::kNe) {
    return Truth::kUnknown;
  } else {
    // Monotone operators: the extremes decide.
    const double high = cells.top(lhs);
    const double other_high = cells.top(rhs);
    const bool at_low = holds<Op>(low, other_high);
    const bool at_high = holds<Op>(high, other_low);
    if (at_low == at_high && holds<Op>(low, other_low) == at_low && holds<Op>(high, other_high) == at_low) {
      return from_bool(at_low);
    }
    return Truth::kUnknown;
  }
}

// A comparison node: == and != between conditions compare truths; otherwise numbers.
template <NodeOp Op>
[[gnu::always_inline]] inline Truth compare_node(const PlanNode* nodes, const PlanNode& node, const Cells& cells) {
  if constexpr (Op == NodeOp::kEq || Op == NodeOp::kNe) {
    if (nodes[node.a].is_condition) {
      const Truth a = cells.truth(node.a);
      const Truth b = cells.truth(node.b);
      if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
      return from_bool((a == b) == (Op == NodeOp::kEq));
    }
  }
  return compare<Op>(cells, node.a, node.b);
}

// The snapshot's per-slot arrays, read once per row: a store to a cell's state byte may alias
// anything as far as the compiler knows, which reloaded the vectors' data for every input read.
struct Slots {
  const SeriesView* inputs;
  const InputStatus* status;
  const double* const* last;

  bool usable(std::uint32_t slot) const { return inputs[slot].data != nullptr && status[slot] == InputStatus::kOk; }
  // What an input node holds: its last value as of the snapshot, NaN when missing or stale.
  double value(std::uint32_t slot) const { return *last[slot]; }
};

// The comparisons of inputs with constants of one operator (RowProgram::comparisons): each
// input's last value, read here, against its constant. An unknown input is a NaN, for which
// every comparison below is false (!= is written as < or >), so its truth is the comparison's
// with the unknown bit added, and no branch follows the data.
template <NodeOp Op>
[[gnu::always_inline]] inline void compare_inputs(const std::vector<InputComparison>& comparisons, const Slots& slots,
                                                  const Cells& cells) {
  for (const InputComparison& comparison : comparisons) {
    const double value = slots.value(comparison.slot);
    bool holds_ordered;
    if constexpr (Op == NodeOp::kNe) holds_ordered = value < comparison.constant || value > comparison.constant;
    else holds_ordered = holds<Op>(value, comparison.constant);
    const unsigned unknown = std::isnan(value) ? static_cast<unsigned>(Truth::kUnknown) : 0u;
    cells.state[comparison.index] = static_cast<std::uint8_t>(static_cast<unsigned>(holds_ordered) | unknown);
  }
}

// A comparison of two numbers that are never ranges (RowProgram's on_exact): NaN is the only
// unknown.
template <NodeOp Op>
[[gnu::always_inline]] inline Truth compare_exact(const PlanNode& node, const Cells& cells) {
  const double lhs = cells.number[node.a];
  const double rhs = cells.number[node.b];
  if (std::isnan(lhs) || std::isnan(rhs)) return Truth::kUnknown;
  return from_bool(holds<Op>(lhs, rhs));
}

// Arithmetic on two numbers that are never ranges: a NaN operand gives NaN, and so does any
// result that is not finite (x/0 included), which is what the generic case decides by tests.
template <NodeOp Op>
[[gnu::always_inline]] inline double arithmetic_exact(const PlanNode& node, const Cells& cells) {
  const double lhs = cells.number[node.a];
  const double rhs = cells.number[node.b];
  double value;
  if constexpr (Op == NodeOp::kAdd) value = lhs + rhs;
  else if constexpr (Op == NodeOp::kSub) value = lhs - rhs;
  else if constexpr (Op == NodeOp::kMul) value = lhs * rhs;
  else value = lhs / rhs;
  return std::isfinite(value) ? value : kNaN;
}

// count, score and the other aggregates of conditions.
// NOTE(row): members are counted in integers, and weights summed only for score: count(drivers)
// is in most decisions, and the score's arithmetic cost every aggregate a fifth of a row.
[[gnu::always_inline]] inline void aggregate_node(const RowProgram& program, const PlanNode& node, std::size_t index, const Cells& cells) {
  const std::uint32_t* const members = program.args.data() + node.args_begin();
  if (node.op == NodeOp::kScore) {
    const std::uint32_t* const weights = program.weights.data() + node.args_begin();
    double low = 0, high = 0;
    for (std::uint32_t k = 0; k < node.args_count(); ++k) {
      const Truth member = cells.truth(members[k]);
      const double weight = cells.number[weights[k]];
      const bool is_true = member == Truth::kTrue;
      const bool is_unknown = member == Truth::kUnknown;
      low += is_true ? weight : is_unknown ? std::min(weight, 0.0) : 0.0;
      high += is_true ? weight : is_unknown ? std::max(weight, 0.0) : 0.0;
    }
    cells.set_range(index, low, high);
    return;
  }
  // Trues in the low half, unknowns in the high half: one load and one add per member.
  constexpr std::uint64_t kTally[3] = {0, 1, std::uint64_t{1} << 32};
  std::uint64_t tally = 0;
  for (std::uint32_t k = 0; k < node.args_count(); ++k) tally += kTally[cells.state[members[k]]];
  const auto trues = static_cast<std::uint32_t>(tally);
  const auto unknowns = static_cast<std::uint32_t>(tally >> 32);
  const std::uint32_t falses = node.args_count() - trues - unknowns;
  switch (node.op) {
    case NodeOp::kAny:
      cells.set_truth(index, trues > 0 ? Truth::kTrue : unknowns > 0 ? Truth::kUnknown : Truth::kFalse);
      break;
    case NodeOp::kAll:
      cells.set_truth(index, falses > 0 ? Truth::kFalse : unknowns > 0 ? Truth::kUnknown : Truth::kTrue);
      break;
    case NodeOp::kCount:
      cells.set_range(index, trues, trues + unknowns);
      break;
    default: {  // at_least
      const double n = cells.number[node.a];
      if (std::isnan(n)) cells.set_truth(index, Truth::kUnknown);
      else cells.set_truth(index, trues >= n ? Truth::kTrue : trues + unknowns < n ? Truth::kFalse : Truth::kUnknown);
      break;
    }
  }
}

// The number a window step writes: the window's value from `memo` when it read exactly the same
// observations (row_window.cpp), scaled to the node's unit and rounded; NaN when not finite.
double window_node(const Plan& plan, const PlanNode& node, std::size_t index, const BoundSnapshot& snapshot,
                   double window, WindowMemo* memo);

}  // namespace riskoff::engine::row
