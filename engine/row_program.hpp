// The plan as evaluate() runs it, row after row: what each row must compute and nothing else.
// Constants are the same every row, so they are written once into a row state; a ref (a let,
// signal or group named elsewhere) only repeats its referent's value for the explanation, so
// readers read the referent and the ref's value is filled in only when node values are kept.
// A node identical to an earlier one is resolved to it as a ref is, and has no step.
// A comparison of an input with a constant (`vix > 25`), the commonest condition, is one step
// that reads the input's last value itself; an input read only by such steps has no step of its
// own, and its value too is filled in only when node values are kept.
// Built once per plan, on first use (Plan::row_program).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/plan.hpp"

namespace riskoff::engine {

struct RowStep {
  PlanNode node;        // the plan's node, its node operands resolved past refs
  std::uint32_t index;  // the node it computes
  // A comparison whose `a` is an input slot and whose right side is `node.constant` (not NaN).
  bool input_vs_constant = false;
};

struct RowProgram {
  std::vector<RowStep> steps;             // every node but constants, refs and unread inputs, in order
  std::vector<std::uint32_t> constants;   // written once per row state
  std::vector<std::uint32_t> resolved;    // per node: itself, or the earlier node it repeats
                                          // (a ref's referent, or an identical node)
  std::vector<std::uint32_t> args;        // Plan::args, resolved
  std::vector<std::uint32_t> weights;     // Plan::weights, resolved

  static std::shared_ptr<const RowProgram> build(const Plan& plan);
};

}  // namespace riskoff::engine
