// Listing and applying mutants of a Plan (engine/mutants.hpp). Works on the compiled form: each
// node keeps the expression it came from, so a mutant knows its place in the source, and the
// evaluator runs a mutant exactly as it runs the rules.
#include "engine/mutants.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace riskoff::engine {
namespace {

using dsl::BinaryOp;
using dsl::NumberLit;

// The nodes a node reads, not following references to other symbols: kRef is a boundary, and
// so are a group set's members (they are other groups' roots, owned before).
template <typename Visit>
void for_each_operand(const Plan& plan, const PlanNode& node, Visit visit) {
  for_each_child(plan, node, [&](std::uint32_t child, ChildRole role) {
    if (role != ChildRole::kReference) visit(child);
  });
}

std::string op_text(NodeOp op) {
  static constexpr std::pair<NodeOp, BinaryOp> kBinary[] = {
      {NodeOp::kOr, BinaryOp::kOr}, {NodeOp::kAnd, BinaryOp::kAnd}, {NodeOp::kLt, BinaryOp::kLt},
      {NodeOp::kLe, BinaryOp::kLe}, {NodeOp::kGt, BinaryOp::kGt},   {NodeOp::kGe, BinaryOp::kGe},
      {NodeOp::kEq, BinaryOp::kEq}, {NodeOp::kNe, BinaryOp::kNe}};
  for (const auto& [node_op, binary] : kBinary) {
    if (node_op == op) return std::string(dsl::operator_text(binary));
  }
  return "?";
}

// The comparison flip: what makes the condition its negation when both sides are known.
std::optional<NodeOp> flipped(NodeOp op) {
  switch (op) {
    case NodeOp::kLt: return NodeOp::kGe;
    case NodeOp::kGe: return NodeOp::kLt;
    case NodeOp::kGt: return NodeOp::kLe;
    case NodeOp::kLe: return NodeOp::kGt;
    case NodeOp::kEq: return NodeOp::kNe;
    case NodeOp::kNe: return NodeOp::kEq;
    case NodeOp::kAnd: return NodeOp::kOr;
    case NodeOp::kOr: return NodeOp::kAnd;
    default: return std::nullopt;
  }
}

// A literal one unit of its last written digit up (+1) or down (-1): "1.5" -> "1.6", "2.5e9" ->
// "2.6e9", "0" -> "-1". Integer arithmetic on the digits, so no rounding creeps in.
struct SteppedLiteral {
  std::string digits;
  double value = 0;  // as written, before the unit's scale
};
std::optional<SteppedLiteral> step_digits(std::string_view digits, int direction) {
  bool negative = false;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  const auto exponent_at = digits.find_first_of("eE");
  const std::string_view exponent = exponent_at == std::string_view::npos ? "" : digits.substr(exponent_at);
  const std::string_view mantissa = digits.substr(0, exponent_at);
  std::string whole;
  std::size_t decimals = 0;
  bool seen_point = false;
  for (const char ch : mantissa) {
    if (ch == '.') {
      seen_point = true;
    } else if (ch >= '0' && ch <= '9') {
      whole += ch;
      decimals += seen_point ? 1 : 0;
    } else if (ch != '_') {
      return std::nullopt;
    }
  }
  if (whole.empty() || whole.size() > 17) return std::nullopt;
  const std::int64_t units = std::stoll(whole) * (negative ? -1 : 1) + direction;
  std::string text = std::to_string(std::llabs(units));
  if (decimals > 0) {
    if (text.size() <= decimals) text.insert(0, decimals + 1 - text.size(), '0');
    text.insert(text.size() - decimals, ".");
  }
  SteppedLiteral out;
  out.digits = (units < 0 ? "-" : "") + text + std::string(exponent);
  out.value = std::strtod(out.digits.c_str(), nullptr);
  return out;
}

double unit_scale(dsl::LiteralUnit unit) {
  return unit == dsl::LiteralUnit::kDays ? 86400 : unit == dsl::LiteralUnit::kHours ? 3600 : 1;
}

std::string literal_text(std::string_view digits, dsl::LiteralUnit unit) {
  return std::string(digits) + std::string(dsl::literal_unit_suffix(unit));
}

// The number literal of a parameter's value (`15bp`, `-5bp` written as a minus and a literal),
// with the sign that applies to it.
const NumberLit* parameter_literal(const dsl::Expr& expr, double& sign) {
  if (const auto* unary = std::get_if<dsl::Unary>(&expr.kind); unary && unary->op == dsl::UnaryOp::kNeg) {
    sign = -sign;
    return parameter_literal(*unary->operand, sign);
  }
  return std::get_if<NumberLit>(&expr.kind);
}

class MutantLister {
 public:
  explicit MutantLister(const Plan& plan)
      : plan_(plan), owners_(node_owners(plan)), sources_(node_sources(plan)), parents_(plan.nodes().size(), -1) {
    for (std::uint32_t index = 0; index < plan.nodes().size(); ++index) {
      for_each_operand(plan, plan.nodes()[index], [&](std::uint32_t child) {
        if (parents_[child] < 0) parents_[child] = index;
      });
    }
  }

  std::vector<Mutant> list() {
    params();
    nodes();
    profiles();
    std::stable_sort(out_.begin(), out_.end(), [](const Mutant& left, const Mutant& right) {
      if (left.source != right.source) return left.source < right.source;
      return left.span.begin < right.span.begin;
    });
    return std::move(out_);
  }

 private:
  // Both steps of a literal; `make` fills target and value for the stepped number.
  template <typename Make>
  void steps(const NumberLit& literal, double sign, MutantKind kind, TypeKind window_kind, Mutant base, Make make) {
    for (const int direction : {-1, +1}) {
      const auto stepped = step_digits(literal.digits, sign < 0 ? -direction : direction);
      if (!stepped) continue;
      const double value = sign * stepped->value * unit_scale(literal.unit);
      if (kind == MutantKind::kWindow && !window_in_range(window_kind, value)) continue;
      Mutant mutant = base;
      mutant.kind = kind;
      mutant.from = (sign < 0 ? "-" : "") + literal_text(literal.digits, literal.unit);
      const std::string to_digits = sign < 0 ? "-" + stepped->digits : stepped->digits;
      mutant.to = literal_text(to_digits.starts_with("--") ? to_digits.substr(2) : to_digits, literal.unit);
      make(mutant, value);
      out_.push_back(std::move(mutant));
    }
  }

  SourceId symbol_source(const std::string& name) const {
    const auto& ruleset = plan_.ruleset();
    const auto found = ruleset.by_name.find(name);
    return found == ruleset.by_name.end() ? ruleset.root().source : ruleset.symbols[found->second].source;
  }

  void params() {
    for (std::uint32_t slot = 0; slot < plan_.params().size(); ++slot) {
      const ParamSlot& param = plan_.params()[slot];
      double sign = 1;
      const NumberLit* literal = param.decl ? parameter_literal(*param.decl->value, sign) : nullptr;
      if (literal == nullptr) continue;  // a condition parameter: nothing to step
      const bool window = param.type.kind == TypeKind::kDuration || param.type.kind == TypeKind::kBars;
      Mutant base;
      base.target = MutantTarget::kParamDefault;
      base.index = slot;
      base.source = symbol_source(param.name);
      base.span = param.decl->value->span;
      base.context = "param " + param.name;
      base.owner = param.name;
      steps(*literal, sign, window ? MutantKind::kWindow : MutantKind::kThreshold, param.type.kind, base,
            [](Mutant& mutant, double value) { mutant.value = value; });
    }
  }

  std::int64_t comparison_above(std::uint32_t node) const {
    for (std::int64_t at = node; at >= 0; at = parents_[static_cast<std::size_t>(at)]) {
      if (is_comparison(plan_.nodes()[static_cast<std::size_t>(at)].op)) return at;
    }
    return -1;
  }

  std::string context_of(std::int64_t node) const {
    const PlanNode& shown = plan_.nodes()[static_cast<std::size_t>(node)];
    return shown.expr ? dsl::to_source(*shown.expr) : owners_[static_cast<std::size_t>(node)];
  }

  void nodes() {
    const auto& nodes = plan_.nodes();
    for (std::uint32_t index = 0; index < nodes.size(); ++index) {
      const PlanNode& node = nodes[index];
      if (node.expr == nullptr) continue;  // synthetic (a score's default weight)
      Mutant base;
      base.target = MutantTarget::kNode;
      base.index = index;
      base.source = sources_[index];
      base.span = node.expr->span;
      base.owner = owners_[index];
      if (const auto op = flipped(node.op)) {
        base.kind = is_comparison(node.op) ? MutantKind::kComparison : MutantKind::kLogic;
        base.op = *op;
        base.from = op_text(node.op);
        base.to = op_text(*op);
        base.context = context_of(index);
        base.comparison = is_comparison(node.op) ? index : -1;
        out_.push_back(base);
        continue;
      }
      const auto* literal = std::get_if<NumberLit>(&node.expr->kind);
      if (node.op != NodeOp::kConst || literal == nullptr) continue;
      const std::int64_t parent = parents_[index];
      const PlanNode* up = parent >= 0 ? &nodes[static_cast<std::size_t>(parent)] : nullptr;
      MutantKind kind = MutantKind::kThreshold;
      TypeKind window_kind = TypeKind::kNumber;
      if (up && up->op == NodeOp::kWindow && up->b == index) {
        kind = MutantKind::kWindow;
        window_kind = up->window_kind == WindowKind::kBars ? TypeKind::kBars : TypeKind::kDuration;
      } else if (up && ((up->op == NodeOp::kAtLeast && up->a == index) ||
                        (is_comparison(up->op) && nodes[up->a == index ? up->b : up->a].op == NodeOp::kCount))) {
        kind = MutantKind::kCountThreshold;
      }
      const double sign = up && up->op == NodeOp::kNeg ? -1 : 1;
      base.comparison = comparison_above(index);
      base.context = context_of(base.comparison >= 0 ? base.comparison : parent >= 0 ? parent : index);
      // The node holds the literal's magnitude; a minus in front of it is its own node.
      steps(*literal, sign, kind, window_kind, base, [sign](Mutant& mutant, double value) { mutant.value = value * sign; });
    }
  }

  void profiles() {
    const SourceId root = plan_.ruleset().root().source;
    for (std::uint32_t profile = 0; profile < plan_.profiles().size(); ++profile) {
      const ProfilePlan& plan_profile = plan_.profiles()[profile];
      std::uint32_t member = 0;
      for (const auto& override : plan_profile.decl->overrides) {
        const std::int64_t slot = plan_.find_param(override.name);
        if (slot < 0) continue;  // as compile.cpp: only overrides that resolved are in the plan
        double sign = 1;
        const NumberLit* literal = parameter_literal(*override.value, sign);
        const TypeKind type = plan_.params()[static_cast<std::size_t>(slot)].type.kind;
        if (literal != nullptr) {
          Mutant base;
          base.target = MutantTarget::kProfileParam;
          base.index = profile;
          base.member = member;
          base.source = root;
          base.span = override.value->span;
          base.context = "profile " + plan_profile.name + ": param " + override.name;
          base.owner = "profile " + plan_profile.name;
          const bool window = type == TypeKind::kDuration || type == TypeKind::kBars;
          steps(*literal, sign, window ? MutantKind::kWindow : MutantKind::kThreshold, type, base,
                [](Mutant& mutant, double value) { mutant.value = value; });
        }
        ++member;
      }
      for (std::uint32_t clause = 0; clause < plan_profile.clauses.size(); ++clause) {
        const ClausePlan& planned = plan_profile.clauses[clause];
        if (planned.node < 0) continue;  // `otherwise`: a profile always ends with one
        Mutant mutant;
        mutant.kind = MutantKind::kDropClause;
        mutant.target = MutantTarget::kClause;
        mutant.index = profile;
        mutant.member = clause;
        mutant.source = root;
        mutant.span = planned.clause->span;
        mutant.from = planned.clause->action + " when " + dsl::to_source(*planned.clause->condition);
        mutant.to = "(dropped)";
        mutant.context = "profile " + plan_profile.name;
        mutant.owner = mutant.context;
        out_.push_back(std::move(mutant));
      }
    }
  }

  const Plan& plan_;
  std::vector<std::string> owners_;
  std::vector<SourceId> sources_;
  std::vector<std::int64_t> parents_;
  std::vector<Mutant> out_;
};

}  // namespace

std::string_view mutant_kind_name(MutantKind kind) {
  switch (kind) {
    case MutantKind::kThreshold: return "threshold";
    case MutantKind::kWindow: return "window";
    case MutantKind::kCountThreshold: return "count threshold";
    case MutantKind::kComparison: return "comparison";
    case MutantKind::kLogic: return "logic";
    case MutantKind::kDropClause: return "drop clause";
  }
  return "?";
}

std::vector<std::string> node_owners(const Plan& plan) {
  std::vector<std::string> owners(plan.nodes().size());
  const auto claim = [&](std::uint32_t root, const std::string& owner) {
    std::vector<std::uint32_t> stack{root};
    while (!stack.empty()) {
      const std::uint32_t node = stack.back();
      stack.pop_back();
      if (!owners[node].empty()) continue;  // another symbol's root (a group set's member)
      owners[node] = owner;
      for_each_operand(plan, plan.nodes()[node], [&](std::uint32_t child) { stack.push_back(child); });
    }
  };
  const auto& ruleset = plan.ruleset();
  for (const std::uint32_t symbol : ruleset.evaluation_order) {
    const std::int64_t root = plan.symbol_nodes()[symbol];
    if (root >= 0) claim(static_cast<std::uint32_t>(root), ruleset.symbols[symbol].name);
  }
  for (const auto& profile : plan.profiles()) {
    for (const auto& clause : profile.clauses) {
      if (clause.node >= 0) claim(static_cast<std::uint32_t>(clause.node), "profile " + profile.name);
    }
  }
  return owners;
}

std::vector<SourceId> node_sources(const Plan& plan) {
  const auto& ruleset = plan.ruleset();
  const auto owners = node_owners(plan);
  std::vector<SourceId> sources(plan.nodes().size(), ruleset.root().source);
  for (std::size_t node = 0; node < owners.size(); ++node) {
    const auto found = ruleset.by_name.find(owners[node]);
    if (found != ruleset.by_name.end()) sources[node] = ruleset.symbols[found->second].source;
  }
  return sources;
}

std::vector<bool> reads_optional_input(const Plan& plan) {
  const auto& nodes = plan.nodes();
  std::vector<bool> optional(nodes.size(), false);
  // Invariant (plan.hpp): children and referenced symbols come before the nodes that read them.
  for (std::uint32_t index = 0; index < nodes.size(); ++index) {
    const PlanNode& node = nodes[index];
    bool reads = false;
    if (node.op == NodeOp::kInput) {
      reads = plan.inputs()[node.a].optional;
    } else if (node.op == NodeOp::kWindow) {
      reads = plan.inputs()[node.a].optional ||
              (builtins()[node.fn].shape == BuiltinShape::kPairWindow && plan.inputs()[node.c].optional);
    } else if (node.op == NodeOp::kRef) {
      reads = optional[node.a];
    }
    for_each_operand(plan, node, [&](std::uint32_t child) { reads = reads || optional[child]; });
    optional[index] = reads;
  }
  return optional;
}

std::vector<Mutant> list_mutants(const Plan& plan) { return MutantLister(plan).list(); }

class MutantBuilder {
 public:
  static std::shared_ptr<const Plan> apply(const Plan& plan, const Mutant& mutant) {
    auto copy = std::make_shared<Plan>(plan);
    switch (mutant.target) {
      case MutantTarget::kNode: {
        PlanNode& node = copy->nodes_.at(mutant.index);
        if (mutant.kind == MutantKind::kComparison || mutant.kind == MutantKind::kLogic) node.op = mutant.op;
        else node.constant = mutant.value;
        break;
      }
      case MutantTarget::kParamDefault:
        copy->params_.at(mutant.index).default_value = mutant.value;
        break;
      case MutantTarget::kProfileParam:
        copy->profiles_.at(mutant.index).overrides.at(mutant.member).second = mutant.value;
        break;
      case MutantTarget::kClause: {
        auto& clauses = copy->profiles_.at(mutant.index).clauses;
        clauses.erase(clauses.begin() + mutant.member);
        break;
      }
    }
    return copy;
  }
};

std::shared_ptr<const Plan> apply_mutant(const Plan& plan, const Mutant& mutant) {
  return MutantBuilder::apply(plan, mutant);
}

}  // namespace riskoff::engine
