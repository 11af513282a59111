// The compiled form of a checked ruleset: an immutable plan, safe to share across threads.
//
// Every let, signal, group and decision condition is a node in one flat array, in dependency
// order (children before parents); every name is resolved to a node, input slot or parameter
// slot at compile time. Evaluating fills one NodeValue per node: that array is the trace.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/builtins.hpp"
#include "engine/check.hpp"
#include "support/huge_pages.hpp"
#include "support/slot_index.hpp"

namespace riskoff::engine {

// Public (include/riskoff/values.hpp) because explanations and the embedding API carry it.
using Truth = ::riskoff::Truth;

// An unknown number: every stage that fills or reads NodeValues writes it this way.
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One node's value. Conditions use `truth`; numbers use [number, upper] (equal when exact:
// only count/score can be a range, when some of their members are unknown). NaN = unknown.
struct NodeValue {
  double number = kNaN;
  double upper = kNaN;
  Truth truth = Truth::kUnknown;
};

enum class NodeOp : std::uint8_t {
  kConst,      // constant: number or truth
  kParam,      // a = parameter slot
  kInput,      // a = input slot: its last value as of the snapshot
  kRef,        // a = node of the referenced let/signal/group (kept so explanations can cite it)
  kNeg, kNot,  // a = operand
  kAdd, kSub, kMul, kDiv,
  kLt, kLe, kGt, kGe, kEq, kNe,
  kAnd, kOr,
  kIf,         // a = condition, b = then, c = else
  kWindow,     // fn on input slot a with window node b (c = second input slot for corr)
  kAbs, kMin, kMax, kClamp,
  kScale,      // a * constant (to_bp, to_pct)
  kAny, kAll, kCount, kAtLeast, kScore,  // members in args; kAtLeast: a = n node; kScore: weights in weights
};

// The aggregates, whose members are in Plan::args (at_least's count is its operand a).
inline bool has_members(NodeOp op) { return op == NodeOp::kMin || op == NodeOp::kMax || op >= NodeOp::kAny; }

// kLt..kNe: the comparisons, the operators a mutant swaps and a coverage report measures.
inline bool is_comparison(NodeOp op) { return op >= NodeOp::kLt && op <= NodeOp::kNe; }
// The same comparison with the operands swapped: `c < x` is `x > c`.
constexpr NodeOp mirrored(NodeOp comparison) {
  switch (comparison) {
    case NodeOp::kLt: return NodeOp::kGt;
    case NodeOp::kLe: return NodeOp::kGe;
    case NodeOp::kGt: return NodeOp::kLt;
    case NodeOp::kGe: return NodeOp::kLe;
    default: return comparison;  // == and !=
  }
}

enum class WindowKind : std::uint8_t { kSeconds, kBars };

// 32 bytes: at 100,000 signals compile writes half a million of them, past the cache (issue 19).
struct PlanNode {
  NodeOp op = NodeOp::kConst;
  bool is_condition = false;
  WindowKind window_kind = WindowKind::kBars;
  std::uint8_t fn = 0;  // index into builtins() for kWindow
  // An aggregate (has_members) reads no b or c as operands: there they hold its members' first
  // index into Plan::args (and Plan::weights for kScore) and their count, read through
  // args_begin() and args_count().
  std::uint32_t a = 0, b = 0, c = 0;
  double constant = 0;      // kConst number / truth (0/1); kScale factor; kWindow result scale
  const dsl::Expr* expr = nullptr;  // source, for explanations; null for synthetic nodes

  std::uint32_t args_begin() const { return b; }
  std::uint32_t args_count() const { return c; }
};
static_assert(sizeof(PlanNode) == 32);

struct ClausePlan {
  const dsl::Clause* clause = nullptr;
  std::int64_t node = -1;  // -1 for `otherwise`
};

struct ProfilePlan {
  std::string name;
  const dsl::ProfileDecl* decl = nullptr;
  std::vector<std::pair<std::uint32_t, double>> overrides;  // param slot, value
  std::vector<ClausePlan> clauses;
};

// The plan as evaluate() runs it (engine/evaluate.cpp): built on first use, once per plan.
struct RowProgram;
class RowProgramCache {
 public:
  RowProgramCache() = default;
  // A copy starts empty: a mutant is a copied plan with one node changed, so it needs its own.
  RowProgramCache(const RowProgramCache&) {}
  RowProgramCache& operator=(const RowProgramCache&) = delete;
  // call_once is a pthread_once call even once done (~50 instructions of every
  // evaluate()); a built program is found with one acquire load.
  const std::shared_ptr<const RowProgram>& get(const class Plan& plan) const {
    if (ready_.load(std::memory_order_acquire)) [[likely]] return program_;
    return build(plan);
  }

 private:
  const std::shared_ptr<const RowProgram>& build(const class Plan& plan) const;
  mutable std::atomic<bool> ready_{false};
  mutable std::once_flag built_;
  mutable std::shared_ptr<const RowProgram> program_;
};

class Plan {
 public:
  // The ruleset must have checked without errors. Never throws for user input.
  static std::shared_ptr<const Plan> compile(std::shared_ptr<const CheckedRuleset> ruleset);

  const CheckedRuleset& ruleset() const { return *ruleset_; }
  std::shared_ptr<const CheckedRuleset> ruleset_ptr() const { return ruleset_; }
  const support::HugePageVector<PlanNode>& nodes() const { return nodes_; }
  const std::vector<std::uint32_t>& args() const { return args_; }
  const std::vector<std::uint32_t>& weights() const { return weights_; }
  const std::vector<InputSlot>& inputs() const { return inputs_; }
  const std::vector<ParamSlot>& params() const { return params_; }
  const std::vector<ProfilePlan>& profiles() const { return profiles_; }
  // Node computing each symbol (let, signal, group), or -1 (inputs, params, sets).
  const std::vector<std::int64_t>& symbol_nodes() const { return symbol_nodes_; }
  // Slot or index by name, or -1; hash lookups (O(1)), so binding N inputs is O(N).
  std::int64_t find_input(std::string_view name) const {
    return input_index_.find(name, [this](std::uint32_t slot) -> std::string_view { return inputs_[slot].name; });
  }
  std::int64_t find_param(std::string_view name) const {
    return param_index_.find(name, [this](std::uint32_t slot) -> std::string_view { return params_[slot].name; });
  }
  std::int64_t find_profile(std::string_view name) const {
    return profile_index_.find(name, [this](std::uint32_t slot) -> std::string_view { return profiles_[slot].name; });
  }
  const std::shared_ptr<const RowProgram>& row_program() const { return row_program_.get(*this); }

 private:
  friend class PlanBuilder;
  friend class MutantBuilder;  // engine/mutants.cpp: a copy with one change, for mutation testing
  std::shared_ptr<const CheckedRuleset> ruleset_;
  support::HugePageVector<PlanNode> nodes_;  // 15 MB at 100k signals
  std::vector<std::uint32_t> args_;
  std::vector<std::uint32_t> weights_;
  std::vector<InputSlot> inputs_;
  std::vector<ParamSlot> params_;
  std::vector<ProfilePlan> profiles_;
  std::vector<std::int64_t> symbol_nodes_;
  // Invariant: built from inputs_ and params_ (index_slots), then profiles_ (index_profiles)
  // once each is final; a copy (a mutant) keeps the same names, so the copied indexes stay right.
  support::SlotIndex input_index_, param_index_, profile_index_;
  RowProgramCache row_program_;
  void index_slots();
  void index_profiles();
};

// How a parent reads a child node: an operand (a, b, c), a member of an aggregate (any, all,
// count, at_least, score, min, max), a score member's weight, or the root of the symbol a kRef
// cites. The passes over the plan differ in which roles they follow (mutants stop at references,
// a flip re-derives only from truths), so the role travels with the child.
enum class ChildRole : std::uint8_t { kOperand, kMember, kWeight, kReference };

// Calls visit(child, role) for each node `node` reads, in evaluation order (at_least's count
// before its members; a score member before its weight). A window's input slots (a, c) are not
// nodes and are not visited.
template <typename Visit>
void for_each_child(const Plan& plan, const PlanNode& node, Visit&& visit) {
  switch (node.op) {
    case NodeOp::kConst: case NodeOp::kParam: case NodeOp::kInput:
      return;
    case NodeOp::kRef:
      visit(node.a, ChildRole::kReference);
      return;
    case NodeOp::kNeg: case NodeOp::kNot: case NodeOp::kAbs: case NodeOp::kScale:
      visit(node.a, ChildRole::kOperand);
      return;
    case NodeOp::kWindow:
      visit(node.b, ChildRole::kOperand);
      return;
    case NodeOp::kIf: case NodeOp::kClamp:
      visit(node.a, ChildRole::kOperand);
      visit(node.b, ChildRole::kOperand);
      visit(node.c, ChildRole::kOperand);
      return;
    case NodeOp::kAtLeast: case NodeOp::kMin: case NodeOp::kMax: case NodeOp::kAny: case NodeOp::kAll:
    case NodeOp::kCount: case NodeOp::kScore:
      if (node.op == NodeOp::kAtLeast) visit(node.a, ChildRole::kOperand);
      for (std::uint32_t k = 0; k < node.args_count(); ++k) {
        visit(plan.args()[node.args_begin() + k], ChildRole::kMember);
        if (node.op == NodeOp::kScore) visit(plan.weights()[node.args_begin() + k], ChildRole::kWeight);
      }
      return;
    default:  // arithmetic, comparisons, and, or
      visit(node.a, ChildRole::kOperand);
      visit(node.b, ChildRole::kOperand);
      return;
  }
}

}  // namespace riskoff::engine
