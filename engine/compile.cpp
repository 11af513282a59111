// Checked ruleset -> Plan. Runs once per ruleset; nothing here is on the evaluation path.
#include <algorithm>
#include <array>
#include <optional>

#include "engine/plan.hpp"

namespace riskoff::engine {
namespace {
using namespace riskoff::dsl;
}  // namespace

class PlanBuilder {
 public:
  PlanBuilder(Plan& plan, const CheckedRuleset& ruleset) : plan_(plan), rs_(ruleset) {}

  void build() {
    const std::size_t count = rs_.symbols.size();
    // About one node per expression (fewer: a set's members are not copied): no regrowth.
    plan_.nodes_.reserve(rs_.expr_ids_end);
    plan_.symbol_nodes_.assign(count, -1);
    targets_.assign(count, {});
    // The checker's slots, in symbol order: the k-th input symbol is input slot k.
    plan_.inputs_ = rs_.input_slots;
    plan_.params_ = rs_.param_slots;
    std::uint32_t inputs = 0;
    std::uint32_t params = 0;
    // One pass over the symbols' heads (16 bytes each; the Symbols are 96, 12 MB at 100k signals,
    // past the cache, and the declarations more): what the passes below need of each symbol is
    // copied into 8 bytes here, so that every name reference reads those.
    for (std::uint32_t index = 0; index < count; ++index) {
      const SymbolHead& head = rs_.symbol_heads[index];
      Target& target = targets_[index];
      if (head.kind == SymbolKind::kInput) {
        target.op = NodeOp::kInput;
        target.slot = inputs++;
      } else if (head.kind == SymbolKind::kParam) {
        target.op = NodeOp::kParam;
        target.is_condition = head.type_kind == TypeKind::kBool;
        target.slot = params++;
      } else {
        // Lets, signals and groups: the slot becomes their node once compiled (dependencies
        // first, so before any reference to them); until then -1, as symbol_nodes_ holds.
        target.slot = static_cast<std::uint32_t>(-1);
        target.is_condition = head.type_kind == TypeKind::kBool;
        if (head.kind == SymbolKind::kGroupSet) target.set_of = head.group_kind;
        if (head.kind == SymbolKind::kGroup) groups_of_kind_[static_cast<std::size_t>(head.group_kind)].push_back(index);
      }
    }
    for (const std::uint32_t index : rs_.evaluation_order) {
      const Expr* body = rs_.symbol_heads[index].body;
      if (body == nullptr) continue;
      const std::uint32_t node = compile(*body);
      plan_.symbol_nodes_[index] = node;
      targets_[index].slot = node;
    }
    plan_.index_slots();  // the profiles below find their parameters by name
    for (const auto& checked : rs_.profiles) {
      ProfilePlan profile;
      profile.name = checked.name;
      profile.decl = checked.decl;
      for (const auto& override : checked.decl->overrides) {
        const auto slot = plan_.find_param(override.name);
        if (slot >= 0) profile.overrides.emplace_back(static_cast<std::uint32_t>(slot), literal_value(*override.value));
      }
      for (const auto& clause : checked.decl->clauses) {
        ClausePlan plan_clause;
        plan_clause.clause = &clause;
        if (clause.condition) plan_clause.node = compile(*clause.condition);
        profile.clauses.push_back(plan_clause);
      }
      plan_.profiles_.push_back(std::move(profile));
    }
  }

 private:
  // What a name reference compiles to, per symbol: the op, the input or parameter slot or the
  // node of a let, signal or group, whether it is a condition, and for a set of groups which
  // kind it stands for (an aggregate's members are looked up here, not in their Symbol: at 100k
  // signals that was a second pass over 12 MB of symbols, one line per member).
  struct Target {
    NodeOp op = NodeOp::kRef;
    bool is_condition = false;
    std::optional<GroupKind> set_of;
    std::uint32_t slot = 0;
  };
  static_assert(sizeof(Target) == 8);

  std::uint32_t push(PlanNode node) {
    plan_.nodes_.push_back(node);
    return static_cast<std::uint32_t>(plan_.nodes_.size() - 1);
  }

  std::uint32_t compile(const Expr& expr) {
    PlanNode node;
    node.expr = &expr;
    // Whether the node is a condition follows from its op (and for `if`, a name and a literal,
    // from what fill() sets), as the checker typed it: the checker's type table is not read
    // here, one 16-byte slot per expression less to bring in (tests/unit/engine/compile_test.cpp
    // holds the two equal on every shipped ruleset).
    std::visit([&](const auto& kind) { fill(node, expr, kind); }, expr.kind);
    return push(node);
  }

  void fill(PlanNode& node, const Expr&, const NumberLit& number) {
    node.op = NodeOp::kConst;
    node.constant = number_value(number);
  }
  void fill(PlanNode& node, const Expr&, const BoolLit& boolean) {
    node.op = NodeOp::kConst;
    node.constant = boolean.value ? 1 : 0;
    node.is_condition = true;
  }
  void fill(PlanNode& node, const Expr& expr, const NameRef&) {
    const Target& target = targets_[rs_.references.own(expr)];
    node.op = target.op;
    node.a = target.slot;
    node.is_condition = target.is_condition;
  }
  void fill(PlanNode& node, const Expr&, const Unary& unary) {
    node.op = unary.op == UnaryOp::kNot ? NodeOp::kNot : NodeOp::kNeg;
    node.is_condition = unary.op == UnaryOp::kNot;
    node.a = compile(*unary.operand);
  }
  void fill(PlanNode& node, const Expr&, const Binary& binary) {
    static constexpr NodeOp kOps[] = {NodeOp::kOr, NodeOp::kAnd, NodeOp::kLt,  NodeOp::kLe,  NodeOp::kGt,  NodeOp::kGe,
                                      NodeOp::kEq, NodeOp::kNe,  NodeOp::kAdd, NodeOp::kSub, NodeOp::kMul, NodeOp::kDiv};
    node.op = kOps[static_cast<int>(binary.op)];
    node.is_condition = node.op == NodeOp::kOr || node.op == NodeOp::kAnd || is_comparison(node.op);
    node.a = compile(*binary.lhs);
    node.b = compile(*binary.rhs);
  }
  void fill(PlanNode& node, const Expr&, const IfExpr& value) {
    node.op = NodeOp::kIf;
    node.a = compile(*value.condition);
    node.b = compile(*value.then_value);
    node.c = compile(*value.else_value);
    node.is_condition = plan_.nodes_[node.b].is_condition;  // both branches have one type
  }
  void fill(PlanNode& node, const Expr&, const Call& call) {
    const Builtin* builtin = find_builtin(call.callee);
    const auto fn = static_cast<std::uint8_t>(builtin - builtins().data());
    const auto input_of = [&](const Expr& arg) {
      return targets_[rs_.references.own(arg)].slot;
    };
    switch (builtin->shape) {
      case BuiltinShape::kSeriesAt:
        node.op = NodeOp::kInput;
        node.a = input_of(*call.args[0].value);
        return;
      case BuiltinShape::kSeriesWindow:
      case BuiltinShape::kPairWindow: {
        const bool pair = builtin->shape == BuiltinShape::kPairWindow;
        node.op = NodeOp::kWindow;
        node.fn = fn;
        node.a = input_of(*call.args[0].value);
        if (pair) node.c = input_of(*call.args[1].value);
        const Expr& window = *call.args[pair ? 2 : 1].value;
        node.window_kind = rs_.types.own(window).kind == TypeKind::kBars ? WindowKind::kBars : WindowKind::kSeconds;
        node.b = compile(window);
        // A percent level changes in percentage points; the language shows them in bp.
        node.constant = builtin->result == ResultUnit::kChange && plan_.inputs_[node.a].unit == Unit::kPercent ? 100 : 1;
        return;
      }
      case BuiltinShape::kScalarSameUnit:
        if (call.callee == "abs") {
          node.op = NodeOp::kAbs;
          node.a = compile(*call.args[0].value);
        } else if (call.callee == "clamp") {
          node.op = NodeOp::kClamp;
          node.a = compile(*call.args[0].value);
          node.b = compile(*call.args[1].value);
          node.c = compile(*call.args[2].value);
        } else {
          node.op = call.callee == "min" ? NodeOp::kMin : NodeOp::kMax;
          std::vector<std::uint32_t> members;
          for (const auto& arg : call.args) members.push_back(compile(*arg.value));
          set_args(node, members, {});
        }
        return;
      case BuiltinShape::kUnitConversion:
        node.op = NodeOp::kScale;
        node.a = compile(*call.args[0].value);
        node.constant = call.callee == "to_bp" ? 100 : 0.01;
        return;
      case BuiltinShape::kAggregate:
      case BuiltinShape::kAtLeast:
      case BuiltinShape::kScore: {
        node.op = call.callee == "any"       ? NodeOp::kAny
                  : call.callee == "all"     ? NodeOp::kAll
                  : call.callee == "count"   ? NodeOp::kCount
                  : call.callee == "at_least" ? NodeOp::kAtLeast
                                              : NodeOp::kScore;
        node.is_condition = node.op != NodeOp::kCount && node.op != NodeOp::kScore;
        std::size_t first = 0;
        if (node.op == NodeOp::kAtLeast) {
          node.a = compile(*call.args[0].value);
          first = 1;
        }
        std::vector<std::uint32_t> members;
        std::vector<std::uint32_t> weights;
        for (std::size_t index = first; index < call.args.size(); ++index) {
          const Expr& arg = *call.args[index].value;
          // Only a name can stand for a set; every name of a checked ruleset has its symbol.
          const Target* ref = std::holds_alternative<NameRef>(arg.kind) ? &targets_[rs_.references.own(arg)] : nullptr;
          std::uint32_t weight = 0;
          if (node.op == NodeOp::kScore) {
            if (call.args[index].weight) {
              weight = compile(*call.args[index].weight);
            } else {
              PlanNode one;
              one.op = NodeOp::kConst;
              one.constant = 1;
              weight = push(one);
            }
          }
          if (ref != nullptr && ref->set_of) {
            // A set stands for its groups, in declaration order (listed once by build(), not
            // found again by a scan of every symbol per set named).
            for (const std::uint32_t symbol : groups_of_kind_[static_cast<std::size_t>(*ref->set_of)]) {
              members.push_back(targets_[symbol].slot);
              weights.push_back(weight);
            }
          } else {
            members.push_back(compile(arg));
            weights.push_back(weight);
          }
        }
        set_args(node, members, node.op == NodeOp::kScore ? weights : std::vector<std::uint32_t>{});
        return;
      }
    }
  }

  void set_args(PlanNode& node, const std::vector<std::uint32_t>& members, const std::vector<std::uint32_t>& weights) {
    node.b = static_cast<std::uint32_t>(plan_.args_.size());  // args_begin()
    node.c = static_cast<std::uint32_t>(members.size());      // args_count()
    plan_.args_.insert(plan_.args_.end(), members.begin(), members.end());
    // weights_ runs parallel to args_ so that one index finds both.
    if (weights.empty()) plan_.weights_.resize(plan_.args_.size(), 0);
    else plan_.weights_.insert(plan_.weights_.end(), weights.begin(), weights.end());
  }

  Plan& plan_;
  const CheckedRuleset& rs_;
  support::HugePageVector<Target> targets_;  // per symbol
  std::array<std::vector<std::uint32_t>, 4> groups_of_kind_;  // groups by GroupKind, in symbol order
};

std::shared_ptr<const Plan> Plan::compile(std::shared_ptr<const CheckedRuleset> ruleset) {
  auto plan = std::shared_ptr<Plan>(new Plan());
  plan->ruleset_ = std::move(ruleset);
  PlanBuilder(*plan, *plan->ruleset_).build();
  plan->index_profiles();
  return plan;
}

void Plan::index_slots() {
  input_index_.build(static_cast<std::uint32_t>(inputs_.size()), [this](std::uint32_t slot) -> std::string_view { return inputs_[slot].name; });
  param_index_.build(static_cast<std::uint32_t>(params_.size()), [this](std::uint32_t slot) -> std::string_view { return params_[slot].name; });
}

void Plan::index_profiles() {
  profile_index_.build(static_cast<std::uint32_t>(profiles_.size()),
                       [this](std::uint32_t slot) -> std::string_view { return profiles_[slot].name; });
}

}  // namespace riskoff::engine
