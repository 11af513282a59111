// The plan as evaluate() runs it, row after row: what each row must compute and nothing else.
// Constants are the same every row, so they are written once into a row state; a ref (a let,
// signal or group named elsewhere) only repeats its referent's value for the explanation, so
// readers read the referent and the ref's value is filled in only when node values are kept.
// A node identical to an earlier one is resolved to it as a ref is, and has no step.
// A negated constant (`-3%`) is a constant too. A comparison of an input with a constant
// (`vix > 25`), the commonest condition, reads the input's last value itself; an input read only
// by such comparisons is not read into its cell, and its value too is filled in only when node
// values are kept. Comparisons and input reads read no other node: they run before the steps.
// Built once per plan, on first use (Plan::row_program).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/plan.hpp"

namespace riskoff::engine {

// What a step runs: its node's operator (the NodeOp's value), or a kind the program specialises
// when it is built, numbered after the operators.
using StepKind = std::uint8_t;
constexpr StepKind kind_of(NodeOp op) { return static_cast<StepKind>(op); }
// Arithmetic (+ - * /) and number comparisons whose operands are never ranges (only count, score
// and what negates or picks one are): a NaN operand is the only unknown, so the step needs no
// look at the operands' state bytes, and arithmetic lets the NaN propagate instead of testing.
constexpr StepKind kFirstOnExact = kind_of(NodeOp::kScore) + 1;
constexpr StepKind on_exact(NodeOp op) {
  return static_cast<StepKind>(kFirstOnExact + kind_of(op) - kind_of(NodeOp::kAdd));
}
// The last step of every program, computing nothing: evaluate() runs steps until it meets it, with
// no test of the step count per step.
constexpr StepKind kEndOfProgram = on_exact(NodeOp::kNe) + 1;

// A comparison of an input with a constant, either side (`vix > 25`, `1 < x` as `x > 1`), the
// commonest condition. It reads no other node, so a row runs every one of them first, in one
// loop per operator with no dispatch per comparison (issue 19: dispatch was ~9 of each step's
// instructions).
struct InputComparison {
  std::uint32_t slot;   // the input's slot: reads its last value
  std::uint32_t index;  // the node it computes
  double constant;      // never NaN
};
constexpr std::size_t kComparisonOperators = 6;  // kLt ... kNe
constexpr std::size_t comparison_number(NodeOp comparison) {
  return static_cast<std::size_t>(comparison) - static_cast<std::size_t>(NodeOp::kLt);
}

// An input read by a node other than a comparison with a constant: its last value copied into its
// cell, for all of them in one loop before the steps, as the comparisons are.
struct InputRead {
  std::uint32_t slot;
  std::uint32_t index;
};

struct RowStep {
  PlanNode node;        // the plan's node, its node operands resolved past refs
  std::uint32_t index;  // the node it computes
  StepKind kind;
};

// A cell that holds the same value in every row: a constant, or a negated one (`-3%`).
struct RowConstant {
  std::uint32_t index;
  bool is_condition;
  double value;
};

struct RowProgram {
  // Per operator (comparison_number), run first, before the inputs and the steps.
  std::array<std::vector<InputComparison>, kComparisonOperators> comparisons;
  std::vector<InputRead> inputs;          // inputs other nodes read, run before the steps
  // The other inputs (read only by comparisons with constants, or by nothing): their cells are
  // written only when node values are kept, so that every node's value is its resolved node's cell.
  std::vector<InputRead> kept_inputs;
  std::vector<RowStep> steps;             // every other node but constants and refs, in order,
                                          // then one kEndOfProgram
  std::vector<RowConstant> constants;     // written once per row state
  std::vector<std::uint32_t> resolved;    // per node: itself, or the earlier node it repeats
                                          // (a ref's referent, or an identical node)
  std::vector<std::uint32_t> args;        // Plan::args, resolved
  std::vector<std::uint32_t> weights;     // Plan::weights, resolved
  // Per profile, then one for no profile: every parameter's value, its default or the profile's.
  std::vector<std::vector<double>> params;
  // Per profile, per clause: its condition's node, resolved, or -1 for `otherwise`.
  std::vector<std::vector<std::int64_t>> clauses;

  static std::shared_ptr<const RowProgram> build(const Plan& plan);
};

}  // namespace riskoff::engine
