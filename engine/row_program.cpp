#include "engine/row_program.hpp"

#include <cmath>
#include <string>
#include <unordered_map>

namespace riskoff::engine {
namespace {

// The fields of `node` that name nodes (not input or parameter slots; members are in args).
template <typename Visit>
void node_fields(PlanNode& node, Visit visit) {
  switch (node.op) {
    case NodeOp::kConst:
    case NodeOp::kRef:
    case NodeOp::kParam:
    case NodeOp::kInput:
    case NodeOp::kMin:
    case NodeOp::kMax:
    case NodeOp::kAny:
    case NodeOp::kAll:
    case NodeOp::kCount:
    case NodeOp::kScore:
      return;
    case NodeOp::kWindow: visit(node.b); return;  // a and c are input slots
    case NodeOp::kNeg:
    case NodeOp::kNot:
    case NodeOp::kAbs:
    case NodeOp::kScale:
    case NodeOp::kAtLeast:
      visit(node.a);
      return;
    case NodeOp::kIf:
    case NodeOp::kClamp:
      visit(node.a);
      visit(node.b);
      visit(node.c);
      return;
    default:  // arithmetic, comparisons, and, or
      visit(node.a);
      visit(node.b);
      return;
  }
}

// The nodes a step reads (resolved), for `read`.
template <typename Read>
void operands(const RowStep& step, const std::vector<std::uint32_t>& args, const std::vector<std::uint32_t>& weights,
              const std::vector<std::uint32_t>& resolved, Read read) {
  PlanNode node = step.node;
  node_fields(node, [&](std::uint32_t& field) { read(field); });
  if (!has_members(node.op)) return;
  for (std::uint32_t k = 0; k < node.args_count(); ++k) {
    read(resolved[args[node.args_begin() + k]]);
    if (node.op == NodeOp::kScore) read(resolved[weights[node.args_begin() + k]]);
  }
}

// Input steps whose value no other step and no decision clause reads.
void drop_unread_inputs(const Plan& plan, RowProgram& program) {
  std::vector<bool> read(plan.nodes().size(), false);
  for (const RowStep& step : program.steps) {
    operands(step, plan.args(), plan.weights(), program.resolved, [&](std::uint32_t node) { read[node] = true; });
  }
  for (const auto& profile : plan.profiles()) {
    for (const auto& clause : profile.clauses) {
      if (clause.node >= 0) read[program.resolved[static_cast<std::size_t>(clause.node)]] = true;
    }
  }
  std::erase_if(program.steps, [&](const RowStep& step) { return step.node.op == NodeOp::kInput && !read[step.index]; });
}

// What a node computes, for finding structurally identical nodes: its resolved fields and
// members, not where its members are stored nor the source it came from.
std::string node_key(const PlanNode& node, const Plan& plan, const std::vector<std::uint32_t>& resolved) {
  std::string key;
  const auto put = [&key](const auto& value) { key.append(reinterpret_cast<const char*>(&value), sizeof value); };
  put(node.op);
  put(node.is_condition);
  put(node.window_kind);
  put(node.fn);
  put(node.a);
  put(node.constant);
  if (!has_members(node.op)) {
    put(node.b);
    put(node.c);
    return key;
  }
  // Not b, an aggregate's args_begin(): where its members are stored.
  put(node.args_count());
  for (std::uint32_t k = 0; k < node.args_count(); ++k) {
    const std::uint32_t member = plan.args()[node.args_begin() + k];
    put(resolved[member]);  // members come before the node: already resolved
    if (node.op == NodeOp::kScore) put(resolved[plan.weights()[node.args_begin() + k]]);
  }
  return key;
}

}  // namespace

// A node identical to an earlier one (the same operator on the same resolved operands: the peer
// ruleset's two `count(drivers)`) is resolved to it, as a ref is, and has no step.
std::shared_ptr<const RowProgram> RowProgram::build(const Plan& plan) {
  auto program = std::make_shared<RowProgram>();
  const auto& nodes = plan.nodes();
  program->resolved.resize(nodes.size());
  // A number node's value when it is the same in every row (a constant, a negated one); NaN
  // otherwise, and for a NaN constant, which is left to the steps that read it.
  std::vector<double> fixed(nodes.size(), kNaN);
  const auto resolve = [&](std::uint32_t& node) { node = program->resolved[node]; };
  std::unordered_map<std::string, std::uint32_t> computed;  // node_key -> the first such node
  // Whether a node's number can be a range with ends apart (count and score with unknown
  // members, and what negates or picks one); resolved nodes only.
  std::vector<bool> may_range(nodes.size(), false);
  for (std::uint32_t index = 0; index < nodes.size(); ++index) {
    PlanNode node = nodes[index];
    // Dependency order: whatever a node names comes before it, already resolved.
    program->resolved[index] = node.op == NodeOp::kRef ? program->resolved[node.a] : index;
    if (node.op == NodeOp::kConst) {
      program->constants.push_back({index, node.is_condition, node.constant});
      if (!node.is_condition) fixed[index] = node.constant;
    }
    if (node.op == NodeOp::kConst || node.op == NodeOp::kRef) continue;
    node_fields(node, resolve);
    const auto [first, inserted] = computed.try_emplace(node_key(node, plan, program->resolved), index);
    if (!inserted) {
      program->resolved[index] = first->second;
      continue;
    }
    // What the Neg step would write: the exact negation of a known number.
    if (node.op == NodeOp::kNeg && !std::isnan(fixed[node.a])) {
      fixed[index] = -fixed[node.a];
      program->constants.push_back({index, false, fixed[index]});
      continue;
    }
    may_range[index] = node.op == NodeOp::kCount || node.op == NodeOp::kScore ||
                       (node.op == NodeOp::kNeg && may_range[node.a]) ||
                       (node.op == NodeOp::kIf && !node.is_condition && (may_range[node.b] || may_range[node.c]));
    StepKind kind = kind_of(node.op);
    const bool binary_number = (node.op >= NodeOp::kAdd && node.op <= NodeOp::kDiv) ||
                               (is_comparison(node.op) && !nodes[node.a].is_condition);
    if (binary_number && !may_range[node.a] && !may_range[node.b]) kind = on_exact(node.op);
    if (is_comparison(node.op)) {
      const bool input_left = nodes[node.a].op == NodeOp::kInput && !std::isnan(fixed[node.b]);
      const bool input_right = !input_left && nodes[node.b].op == NodeOp::kInput && !std::isnan(fixed[node.a]);
      if (input_left || input_right) {
        const NodeOp comparison = input_left ? node.op : mirrored(node.op);
        program->comparisons[comparison_number(comparison)].push_back(
            {nodes[input_left ? node.a : node.b].a, index, fixed[input_left ? node.b : node.a]});
        continue;
      }
    }
    program->steps.push_back({node, index, kind});
  }
  drop_unread_inputs(plan, *program);
  // What an input step computes reads no other node: every one runs before the steps, in a loop.
  for (const RowStep& step : program->steps) {
    if (step.node.op == NodeOp::kInput) program->inputs.push_back({step.node.a, step.index});
  }
  std::erase_if(program->steps, [](const RowStep& step) { return step.node.op == NodeOp::kInput; });
  program->steps.push_back({PlanNode{}, 0, kEndOfProgram});
  std::vector<bool> read_in_cell(nodes.size(), false);
  for (const InputRead& input : program->inputs) read_in_cell[input.index] = true;
  for (std::uint32_t index = 0; index < nodes.size(); ++index) {
    if (nodes[index].op == NodeOp::kInput && program->resolved[index] == index && !read_in_cell[index]) {
      program->kept_inputs.push_back({nodes[index].a, index});
    }
  }
  // Members and weights name nodes; a weight past the nodes (none today) is kept as it is.
  for (std::uint32_t member : plan.args()) program->args.push_back(member < nodes.size() ? program->resolved[member] : member);
  for (std::uint32_t weight : plan.weights()) program->weights.push_back(weight < nodes.size() ? program->resolved[weight] : weight);
  std::vector<double> defaults;
  for (const auto& param : plan.params()) defaults.push_back(param.default_value);
  for (const auto& profile : plan.profiles()) {
    auto& params = program->params.emplace_back(defaults);
    for (const auto& [slot, value] : profile.overrides) params[slot] = value;
  }
  program->params.push_back(std::move(defaults));
  for (const auto& profile : plan.profiles()) {
    auto& clauses = program->clauses.emplace_back();
    for (const auto& clause : profile.clauses) {
      clauses.push_back(clause.node < 0 ? std::int64_t{-1} : std::int64_t{program->resolved[static_cast<std::size_t>(clause.node)]});
    }
  }
  return program;
}

const std::shared_ptr<const RowProgram>& RowProgramCache::build(const Plan& plan) const {
  std::call_once(built_, [&] {
    program_ = RowProgram::build(plan);
    ready_.store(true, std::memory_order_release);
  });
  return program_;
}

}  // namespace riskoff::engine
