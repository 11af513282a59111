// The plan as evaluate() runs it, row after row: what each row must compute and nothing else.
// Constants are the same every row, so they are written once into a row state; a ref (a let,
// signal or group named elsewhere) only repeats its referent's value for the explanation, so
// readers read the referent and the ref's value is filled in only when node values are kept.
// A node identical to an earlier one is resolved to it as a ref is, and has no step.
// A negated constant (`-3%`) is a constant too. A comparison of an input with a constant
// (`vix > 25`), the commonest condition, is one step that reads the input's last value itself; an
// input read only by such steps has no step of its own, and its value too is filled in only when
// node values are kept.
// Built once per plan, on first use (Plan::row_program).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/plan.hpp"

namespace riskoff::engine {

// What a step runs: its node's operator (the NodeOp's value), or a kind the program specialises
// when it is built, numbered after the operators. A comparison of an input with a constant, either
// side (`vix > 25`, `1 < x` as `x > 1`), has one such kind per operator: one dispatch, and the
// step reads the input's last value and the constant itself.
using StepKind = std::uint8_t;
constexpr StepKind kind_of(NodeOp op) { return static_cast<StepKind>(op); }
constexpr StepKind kFirstInputVsConstant = kind_of(NodeOp::kScore) + 1;
constexpr StepKind input_vs_constant(NodeOp comparison) {
  return static_cast<StepKind>(kFirstInputVsConstant + kind_of(comparison) - kind_of(NodeOp::kLt));
}
constexpr bool is_input_vs_constant(StepKind kind) {
  return kind >= kFirstInputVsConstant && kind <= input_vs_constant(NodeOp::kNe);
}
// Arithmetic (+ - * /) and number comparisons whose operands are never ranges (only count, score
// and what negates or picks one are): a NaN operand is the only unknown, so the step needs no
// look at the operands' state bytes, and arithmetic lets the NaN propagate instead of testing.
constexpr StepKind kFirstOnExact = input_vs_constant(NodeOp::kNe) + 1;
constexpr StepKind on_exact(NodeOp op) {
  return static_cast<StepKind>(kFirstOnExact + kind_of(op) - kind_of(NodeOp::kAdd));
}
// The last step of every program, computing nothing: evaluate() runs steps until it meets it, with
// no test of the step count per step.
constexpr StepKind kEndOfProgram = on_exact(NodeOp::kNe) + 1;

struct RowStep {
  PlanNode node;        // the plan's node, its node operands resolved past refs; an input compared
                        // with a constant: `a` its input slot, `constant` the constant
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
  std::vector<RowStep> steps;             // every node but constants, refs and unread inputs, in order,
                                          // then one kEndOfProgram
  std::vector<RowConstant> constants;     // written once per row state
  std::vector<std::uint32_t> resolved;    // per node: itself, or the earlier node it repeats
                                          // (a ref's referent, or an identical node)
  std::vector<std::uint32_t> args;        // Plan::args, resolved
  std::vector<std::uint32_t> weights;     // Plan::weights, resolved
  // Per profile, per clause: its condition's node, resolved, or -1 for `otherwise`.
  std::vector<std::vector<std::int64_t>> clauses;

  static std::shared_ptr<const RowProgram> build(const Plan& plan);
};

}  // namespace riskoff::engine
