#include "engine/evaluate.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>

#include "engine/row_cells.hpp"
#include "engine/row_program.hpp"

namespace riskoff::engine {
bool comparison_holds(NodeOp op, double lhs, double rhs) {
  switch (op) {
    case NodeOp::kLt: return lhs < rhs;
    case NodeOp::kLe: return lhs <= rhs;
    case NodeOp::kGt: return lhs > rhs;
    case NodeOp::kGe: return lhs >= rhs;
    case NodeOp::kEq: return lhs == rhs;
    default: return lhs != rhs;
  }
}

namespace row {
namespace {

// Whether every slot's `last` says what its view and status say (BoundSnapshot::set keeps them
// so): a writer that set a view or status by hand would leave rows reading another value.
[[maybe_unused]] bool last_in_step(const BoundSnapshot& snapshot) {
  if (snapshot.last.size() != snapshot.inputs.size() || snapshot.status.size() != snapshot.inputs.size()) return false;
  const Slots slots{snapshot.inputs.data(), snapshot.status.data(), snapshot.last.data()};
  for (std::uint32_t slot = 0; slot < snapshot.inputs.size(); ++slot) {
    const bool in_step = slots.usable(slot) && !snapshot.inputs[slot].values.empty()
                             ? snapshot.last[slot] == &snapshot.inputs[slot].values.back()
                             : std::isnan(*snapshot.last[slot]);
    if (!in_step) return false;
  }
  return true;
}

void evaluate_with(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
                   const std::vector<ParamOverride>& overrides, Evaluation& out, WindowMemo* memo) {
  const auto& nodes = plan.nodes();
  const std::shared_ptr<const RowProgram>& program = plan.row_program();
  const std::uint32_t* const args = program->args.data();
  out.profile = profile;
  // A profile index past the end means "parameter defaults, no decision" (rulesets without
  // profiles, or conditions read outside any profile).
  const bool has_profile = profile < plan.profiles().size();
  const std::vector<double>& profile_params = program->params[has_profile ? profile : plan.profiles().size()];
  out.params.assign(profile_params.begin(), profile_params.end());
  for (const auto& override : overrides) out.params[override.slot] = override.value;
  RowState& row = out.row;
  // A program is one plan's: while the state holds it, the cells are that plan's size already.
  if (row.program != program) [[unlikely]] {
    row.number.resize(nodes.size());
    row.upper.resize(nodes.size());
    row.state.resize(nodes.size());
  }
  const Cells cells{row.number.data(), row.upper.data(), row.state.data()};
  const PlanNode* const node_data = nodes.data();
  const std::size_t node_count = nodes.size();
  const double* const params = out.params.data();
  if (row.program != program) [[unlikely]] {
    for (const RowConstant& constant : program->constants) {
      if (constant.is_condition) cells.set_truth(constant.index, from_bool(constant.value != 0));
      else cells.set_number(constant.index, constant.value);
    }
    row.program = program;  // held, so no other program can take its address while the cells say so
  }

  assert(last_in_step(snapshot));
  const Slots slots{snapshot.inputs.data(), snapshot.status.data(), snapshot.last.data()};
  const auto& comparisons = program->comparisons;
  compare_inputs<NodeOp::kLt>(comparisons[comparison_number(NodeOp::kLt)], slots, cells);
  compare_inputs<NodeOp::kLe>(comparisons[comparison_number(NodeOp::kLe)], slots, cells);
  compare_inputs<NodeOp::kGt>(comparisons[comparison_number(NodeOp::kGt)], slots, cells);
  compare_inputs<NodeOp::kGe>(comparisons[comparison_number(NodeOp::kGe)], slots, cells);
  compare_inputs<NodeOp::kEq>(comparisons[comparison_number(NodeOp::kEq)], slots, cells);
  compare_inputs<NodeOp::kNe>(comparisons[comparison_number(NodeOp::kNe)], slots, cells);
  for (const InputRead& input : program->inputs) cells.set_number(input.index, slots.value(input.slot));
  // NOTE(row): threaded dispatch (labels as values, a GNU extension GCC and Clang both have): each
  // step's code goes on to the next step's through this table, with no loop back-edge and no
  // bounds test (issue 19: the switch's dispatch was ~9 of a step's instructions, this is ~5;
  // GCC 12 keeps one shared copy of the jump). The table holds a step's code per StepKind: per
  // NodeOp, then on_exact per operator, then kEndOfProgram, where the steps end with no count
  // tested per step.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  static const void* const kStepCode[] = {
      &&no_step, &&step_param, &&no_step, &&no_step, &&step_neg, &&step_not,
      &&step_arithmetic, &&step_arithmetic, &&step_arithmetic, &&step_arithmetic, &&step_lt, &&step_le,
      &&step_gt, &&step_ge, &&step_eq, &&step_ne, &&step_and, &&step_or,
      &&step_if, &&step_window, &&step_abs, &&step_min_max, &&step_min_max, &&step_clamp,
      &&step_scale, &&step_aggregate, &&step_aggregate, &&step_aggregate, &&step_aggregate, &&step_aggregate,
      &&exact_add, &&exact_sub, &&exact_mul, &&exact_div, &&exact_lt, &&exact_le,
      &&exact_gt, &&exact_ge, &&exact_eq, &&exact_ne, &&steps_done,
  };
  static_assert(std::size(kStepCode) == kEndOfProgram + 1);
  const RowStep* next = program->steps.data();
  goto run_step;
next_step:
  ++next;
run_step: {
  const RowStep& step = *next;
  const PlanNode& node = step.node;
  const std::uint32_t index = step.index;
  goto *kStepCode[step.kind];
  step_param:
    if (node.is_condition) cells.set_truth(index, from_bool(params[node.a] != 0));
    else cells.set_number(index, params[node.a]);
    goto next_step;
  step_neg:
    if (cells.known(node.a)) cells.set_number(index, -cells.number[node.a]);
    else cells.set_range(index, -cells.top(node.a), -cells.number[node.a]);
    goto next_step;
  step_not:
    cells.set_truth(index, kNotTable[static_cast<int>(cells.truth(node.a))]);
    goto next_step;
  step_arithmetic: {
    if (!cells.known(node.a) || !cells.known(node.b)) {
      cells.set_number(index, kNaN);
      goto next_step;
    }
    const double lhs = cells.number[node.a];
    const double rhs = cells.number[node.b];
    double value = kNaN;
    if (node.op == NodeOp::kAdd) value = lhs + rhs;
    else if (node.op == NodeOp::kSub) value = lhs - rhs;
    else if (node.op == NodeOp::kMul) value = lhs * rhs;
    else if (rhs != 0) value = lhs / rhs;  // x/0 is unknown, never inf
    cells.set_number(index, std::isfinite(value) ? value : kNaN);
    goto next_step;
  }
  step_lt: cells.set_truth(index, compare_node<NodeOp::kLt>(node_data, node, cells)); goto next_step;
  step_le: cells.set_truth(index, compare_node<NodeOp::kLe>(node_data, node, cells)); goto next_step;
  step_gt: cells.set_truth(index, compare_node<NodeOp::kGt>(node_data, node, cells)); goto next_step;
  step_ge: cells.set_truth(index, compare_node<NodeOp::kGe>(node_data, node, cells)); goto next_step;
  step_eq: cells.set_truth(index, compare_node<NodeOp::kEq>(node_data, node, cells)); goto next_step;
  step_ne: cells.set_truth(index, compare_node<NodeOp::kNe>(node_data, node, cells)); goto next_step;
  step_and:
    cells.set_truth(index, kAndTable[static_cast<int>(cells.truth(node.a))][static_cast<int>(cells.truth(node.b))]);
    goto next_step;
  step_or:
    cells.set_truth(index, kOrTable[static_cast<int>(cells.truth(node.a))][static_cast<int>(cells.truth(node.b))]);
    goto next_step;
  step_if: {
    const Truth condition = cells.truth(node.a);
    if (condition == Truth::kTrue) cells.copy(index, node.b);
    else if (condition == Truth::kFalse) cells.copy(index, node.c);
    else if (node.is_condition && cells.truth(node.b) == cells.truth(node.c)) cells.copy(index, node.b);
    else if (!node.is_condition && cells.known(node.b) && cells.known(node.c) &&
             cells.number[node.b] == cells.number[node.c])
      cells.copy(index, node.b);
    else cells.set_unknown(index, node.is_condition);
    goto next_step;
  }
  step_window: {
    const bool pair = builtins()[node.fn].shape == BuiltinShape::kPairWindow;
    if (!slots.usable(node.a) || (pair && !slots.usable(node.c)) || !cells.known(node.b)) {
      cells.set_number(index, kNaN);
      goto next_step;
    }
    cells.set_number(index, window_node(plan, node, index, snapshot, cells.number[node.b], memo));
    goto next_step;
  }
  step_abs:
    cells.set_number(index, cells.known(node.a) ? std::fabs(cells.number[node.a]) : kNaN);
    goto next_step;
  step_min_max: {
    double value = node.op == NodeOp::kMin ? std::numeric_limits<double>::infinity()
                                           : -std::numeric_limits<double>::infinity();
    bool all_known = true;
    for (std::uint32_t k = 0; k < node.args_count(); ++k) {
      const std::uint32_t member = args[node.args_begin() + k];
      if (!cells.known(member)) all_known = false;
      else value = node.op == NodeOp::kMin ? std::min(value, cells.number[member]) : std::max(value, cells.number[member]);
    }
    cells.set_number(index, all_known ? value : kNaN);
    goto next_step;
  }
  step_clamp: {
    const bool all_known = cells.known(node.a) && cells.known(node.b) && cells.known(node.c);
    const double low = cells.number[node.b];
    cells.set_number(index, all_known ? std::clamp(cells.number[node.a], low, std::max(low, cells.number[node.c])) : kNaN);
    goto next_step;
  }
  step_scale:
    cells.set_number(index, cells.known(node.a) ? cells.number[node.a] * node.constant : kNaN);
    goto next_step;
  step_aggregate:
    aggregate_node(*program, node, index, cells);
    goto next_step;
  exact_add: cells.set_number(index, arithmetic_exact<NodeOp::kAdd>(node, cells)); goto next_step;
  exact_sub: cells.set_number(index, arithmetic_exact<NodeOp::kSub>(node, cells)); goto next_step;
  exact_mul: cells.set_number(index, arithmetic_exact<NodeOp::kMul>(node, cells)); goto next_step;
  exact_div: cells.set_number(index, arithmetic_exact<NodeOp::kDiv>(node, cells)); goto next_step;
  exact_lt: cells.set_truth(index, compare_exact<NodeOp::kLt>(node, cells)); goto next_step;
  exact_le: cells.set_truth(index, compare_exact<NodeOp::kLe>(node, cells)); goto next_step;
  exact_gt: cells.set_truth(index, compare_exact<NodeOp::kGt>(node, cells)); goto next_step;
  exact_ge: cells.set_truth(index, compare_exact<NodeOp::kGe>(node, cells)); goto next_step;
  exact_eq: cells.set_truth(index, compare_exact<NodeOp::kEq>(node, cells)); goto next_step;
  exact_ne: cells.set_truth(index, compare_exact<NodeOp::kNe>(node, cells)); goto next_step;
  no_step:
    // Constants, refs and inputs are never steps.
    __builtin_unreachable();
  }
#pragma GCC diagnostic pop

steps_done:
  if (out.keep_values) {
    out.values.resize(node_count);
    for (const InputRead& input : program->kept_inputs) cells.set_number(input.index, slots.value(input.slot));
    // NOTE(row): a ref, or a node identical to an earlier one, takes its resolved node's cell: the
    // values are written from the cells and the resolved indexes only, never from the plan's
    // nodes (32 bytes a node) nor from values written earlier: at 100k signals none of them fit
    // the cache, and every byte read here came from memory.
    const std::uint32_t* const resolved = program->resolved.data();
    NodeValue* const values = out.values.data();
    for (std::uint32_t index = 0; index < node_count; ++index) values[index] = cells.value(resolved[index]);
  } else {
    out.values.clear();
  }

  // Decisions: the first clause whose condition is true; unknown conditions above it are kept
  // so the explanation can say the decision depends on them.
  out.chosen = -1;
  out.unknown_before.clear();
  if (!has_profile) return;
  const std::vector<std::int64_t>& clauses = program->clauses[profile];
  for (std::size_t index = 0; index < clauses.size(); ++index) {
    if (clauses[index] < 0) {
      out.chosen = static_cast<std::int64_t>(index);
      break;
    }
    const Truth condition = cells.truth(static_cast<std::uint32_t>(clauses[index]));
    if (condition == Truth::kTrue) {
      out.chosen = static_cast<std::int64_t>(index);
      break;
    }
    if (condition == Truth::kUnknown) out.unknown_before.push_back(static_cast<std::uint32_t>(index));
  }
}

}  // namespace
}  // namespace row

void evaluate(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
              const std::vector<ParamOverride>& overrides, Evaluation& out) {
  row::evaluate_with(plan, snapshot, profile, overrides, out, nullptr);
}

void evaluate(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
              const std::vector<ParamOverride>& overrides, Evaluation& out, WindowMemo& memo) {
  memo.entries.resize(plan.nodes().size());
  row::evaluate_with(plan, snapshot, profile, overrides, out, &memo);
}

}  // namespace riskoff::engine
