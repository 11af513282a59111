#include "engine/row_program.hpp"

namespace riskoff::engine {

std::shared_ptr<const RowProgram> RowProgram::build(const Plan& plan) {
  auto program = std::make_shared<RowProgram>();
  const auto& nodes = plan.nodes();
  program->resolved.resize(nodes.size());
  for (std::uint32_t index = 0; index < nodes.size(); ++index) {
    // Dependency order: a ref's referent comes before it, already resolved.
    program->resolved[index] = nodes[index].op == NodeOp::kRef ? program->resolved[nodes[index].a] : index;
  }
  const auto resolve = [&](std::uint32_t& node) { node = program->resolved[node]; };
  for (std::uint32_t index = 0; index < nodes.size(); ++index) {
    PlanNode node = nodes[index];
    switch (node.op) {
      case NodeOp::kConst: program->constants.push_back(index); continue;
      case NodeOp::kRef: continue;
      case NodeOp::kParam:
      case NodeOp::kInput:
      case NodeOp::kMin:
      case NodeOp::kMax:
      case NodeOp::kAny:
      case NodeOp::kAll:
      case NodeOp::kCount:
      case NodeOp::kScore:
        break;  // slots, or members in args
      case NodeOp::kWindow: resolve(node.b); break;  // a and c are input slots
      case NodeOp::kNeg:
      case NodeOp::kNot:
      case NodeOp::kAbs:
      case NodeOp::kScale:
      case NodeOp::kAtLeast:
        resolve(node.a);
        break;
      case NodeOp::kIf:
      case NodeOp::kClamp:
        resolve(node.a);
        resolve(node.b);
        resolve(node.c);
        break;
      default:  // arithmetic, comparisons, and, or
        resolve(node.a);
        resolve(node.b);
        break;
    }
    program->steps.push_back({node, index});
  }
  // Members and weights name nodes; a weight past the nodes (none today) is kept as it is.
  for (std::uint32_t member : plan.args()) program->args.push_back(member < nodes.size() ? program->resolved[member] : member);
  for (std::uint32_t weight : plan.weights()) program->weights.push_back(weight < nodes.size() ? program->resolved[weight] : weight);
  return program;
}

const std::shared_ptr<const RowProgram>& RowProgramCache::get(const Plan& plan) const {
  std::call_once(built_, [&] { program_ = RowProgram::build(plan); });
  return program_;
}

}  // namespace riskoff::engine
