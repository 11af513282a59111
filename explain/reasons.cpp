// Reason trees: the because-chain of the chosen clause and the why-not of those above it.
#include "explain/reasons.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace riskoff::explain::detail {
namespace {

using engine::NodeOp;
using engine::PlanNode;
using engine::SymbolKind;
using engine::Unit;

ReasonKind group_reason(dsl::GroupKind kind) {
  switch (kind) {
    case dsl::GroupKind::kDriver: return ReasonKind::kDriver;
    case dsl::GroupKind::kCheck: return ReasonKind::kCheck;
    case dsl::GroupKind::kRegime: return ReasonKind::kRegime;
    case dsl::GroupKind::kGroup: return ReasonKind::kGroup;
  }
  return ReasonKind::kGroup;
}

// Every step starts as the node's truth and its source text; the kinds refine it.
Reason start(const NodeView& view, std::uint32_t node_index) {
  Reason out;
  out.truth = view.value(node_index).truth;
  out.subject = source(view.node(node_index));
  return out;
}

std::string side_text(const PlanNode& side, const Figure& value) {
  const std::string text = source(side);
  if (side.op == NodeOp::kConst || text.empty()) return value.text;
  return text + " " + value.text;
}

// The fewest decimals beyond the unit's usual at which the two sides, as printed, compare the
// way the exact numbers did: a `[x] 0.40 > 0.40` would contradict its own mark. Ranges and
// unknowns print as they are (their truth may be unknown).
int extra_decimals(NodeOp op, const engine::NodeValue& lhs, const engine::NodeValue& rhs, Truth truth, Unit unit) {
  constexpr int kMostExtra = 8;
  if (truth == Truth::kUnknown || !known(lhs) || !known(rhs) || lhs.upper != lhs.number || rhs.upper != rhs.number) return 0;
  for (int extra = 0; extra < kMostExtra; ++extra) {
    const double shown_lhs = shown_value(format_figure(lhs.number, unit, extra));
    const double shown_rhs = shown_value(format_figure(rhs.number, unit, extra));
    if (engine::comparison_holds(op, shown_lhs, shown_rhs) == (truth == Truth::kTrue)) return extra;
  }
  return kMostExtra;
}

// A list of one step, moved in: `{step}` would copy the step and its whole subtree out of the
// initializer list, once per level of the chain (13% of explain's instructions at 100k signals).
std::vector<Reason> one(Reason&& step) {
  std::vector<Reason> out;
  out.push_back(std::move(step));
  return out;
}

}  // namespace

ClauseExplanation ReasonBuilder::clause_explanation(const engine::ClausePlan& clause, Detail detail) const {
  ClauseExplanation out;
  out.action = clause.clause->action;
  if (clause.clause->regime) out.regime = clause.clause->regime->value;
  if (clause.clause->advice) out.advice = clause.clause->advice->value;
  if (clause.node < 0) {
    out.condition = "otherwise";
    out.truth = Truth::kTrue;
    return out;
  }
  const auto node = static_cast<std::uint32_t>(clause.node);
  out.condition = source(view_.node(node));
  out.truth = view_.value(node).truth;
  out.reasons = detail == Detail::kFull ? reasons(node, 0) : first_failure(node, 0);
  return out;
}

std::vector<Reason> ReasonBuilder::reasons(std::uint32_t node_index, int depth) const {
  const PlanNode& node = view_.node(node_index);
  const Truth truth = view_.value(node_index).truth;
  if (node.op == NodeOp::kAnd || node.op == NodeOp::kOr) {
    std::vector<std::uint32_t> parts;
    flatten(node_index, node.op, parts);
    std::vector<Reason> out;
    // A true `and` / false `or` needs every part; otherwise only the parts that decided.
    const bool every = (node.op == NodeOp::kAnd) == (truth == Truth::kTrue);
    for (const auto part : parts) {
      if (every || view_.value(part).truth == truth) out.push_back(reason(part, depth));
    }
    return out;
  }
  return one(reason(node_index, depth));
}

// The first part of an `and` that is false (else unknown), followed down two levels; an `or`
// fails only if all its parts do, so each of them is shown.
std::vector<Reason> ReasonBuilder::first_failure(std::uint32_t node_index, int depth) const {
  const PlanNode& node = view_.node(node_index);
  if (node.op == NodeOp::kAnd) {
    std::vector<std::uint32_t> parts;
    flatten(node_index, NodeOp::kAnd, parts);
    for (const Truth wanted : {Truth::kFalse, Truth::kUnknown}) {
      for (const auto part : parts) {
        if (view_.value(part).truth == wanted) return first_failure(part, depth);
      }
    }
    return {};
  }
  Reason out = reason(node_index, kMaxDepth - 2 + depth);
  if (node.op == NodeOp::kRef && depth < 2) {
    const auto symbol = view_.owner(node.a);
    const auto kind = view_.ruleset().symbols[static_cast<std::size_t>(symbol)].kind;
    if (kind == SymbolKind::kSignal || kind == SymbolKind::kGroup) out.children = first_failure(node.a, depth + 1);
  }
  return one(std::move(out));
}

void ReasonBuilder::flatten(std::uint32_t node_index, NodeOp op, std::vector<std::uint32_t>& parts) const {
  const PlanNode& node = view_.node(node_index);
  if (node.op == op) {
    flatten(node.a, op, parts);
    flatten(node.b, op, parts);
  } else {
    parts.push_back(node_index);
  }
}

Reason ReasonBuilder::reason(std::uint32_t node_index, int depth) const {
  const PlanNode& node = view_.node(node_index);
  if (is_comparison(node.op)) return comparison(node_index, depth);
  Reason out = start(view_, node_index);
  if (node.op == NodeOp::kRef) {
    const auto symbol = static_cast<std::size_t>(view_.owner(node.a));
    const auto& sym = view_.ruleset().symbols[symbol];
    out.subject = sym.name;
    if (!describe_symbol(symbol, out)) {
      out.kind = ReasonKind::kValue;
      out.value = figure(view_.value(node_index), sym.type.unit);
      return out;
    }
    if (depth < kMaxDepth) out.children = reasons(node.a, depth + 1);
    return out;
  }
  if (node.op == NodeOp::kNot) {
    out.kind = ReasonKind::kNot;
    if (depth < kMaxDepth) out.children = one(reason(node.a, depth + 1));
    return out;
  }
  if (node.op == NodeOp::kAny || node.op == NodeOp::kAll || node.op == NodeOp::kAtLeast) {
    out.kind = node.op == NodeOp::kAny ? ReasonKind::kAny : node.op == NodeOp::kAll ? ReasonKind::kAll : ReasonKind::kAtLeast;
    out.children = members(node, depth);
    return out;
  }
  if (node.op == NodeOp::kAnd || node.op == NodeOp::kOr) {
    out.kind = node.op == NodeOp::kAnd ? ReasonKind::kAll : ReasonKind::kAny;
    out.children = reasons(node_index, depth + 1);
    return out;
  }
  out.kind = ReasonKind::kCondition;
  return out;
}

// "us10y_5d +18.0bp > yield_jump 15.0bp, margin +3.0bp": both sides in one unit (the typed
// side's, when one side is a bare number), and how far past or short of the threshold.
Reason ReasonBuilder::comparison(std::uint32_t node_index, int depth) const {
  const PlanNode& node = view_.node(node_index);
  Reason out = start(view_, node_index);
  out.kind = ReasonKind::kComparison;
  const PlanNode& lhs = view_.node(node.a);
  const PlanNode& rhs = view_.node(node.b);
  const Unit unit = view_.untyped(lhs.expr) ? view_.unit_of(rhs.expr) : view_.unit_of(lhs.expr);
  const int extra = extra_decimals(node.op, view_.value(node.a), view_.value(node.b), out.truth, unit);
  out.value = signed_figure(view_.value(node.a), unit, lhs, extra);
  out.threshold = signed_figure(view_.value(node.b), unit, rhs, extra);
  const std::string op(dsl::operator_text(std::get<dsl::Binary>(node.expr->kind).op));
  out.text = side_text(lhs, *out.value) + " " + op + " " + side_text(rhs, *out.threshold);
  // An undecided comparison (a range that straddles the threshold) has no margin to report.
  if (out.value->known && out.threshold->known && out.truth != Truth::kUnknown && node.op != NodeOp::kEq &&
      node.op != NodeOp::kNe) {
    const bool greater = node.op == NodeOp::kGt || node.op == NodeOp::kGe;
    const double margin = greater ? out.value->value - out.threshold->value : out.threshold->value - out.value->value;
    Figure m;
    m.known = true;
    m.value = m.upper = margin;
    m.unit = unit;
    // The margin in the decimals of the side it is measured from, so "+0.003" and not "+0.00".
    m.text = (margin >= 0 ? "+" : "") + format_figure(margin, unit, extra + default_decimals(out.value->value, unit) -
                                                                       default_decimals(margin, unit));
    out.margin = m;
    out.text += ", margin " + m.text;
  }
  // A count compared with a threshold: name the members that are on.
  if (lhs.op == NodeOp::kCount || lhs.op == NodeOp::kScore) out.children = members(lhs, depth);
  return out;
}

// The members of an aggregate that decided it: those that are on (or, when it is false, all).
std::vector<Reason> ReasonBuilder::members(const PlanNode& node, int depth) const {
  std::vector<Reason> out;
  if (depth >= kMaxDepth) return out;
  const auto& plan = view_.plan();
  for (std::uint32_t k = 0; k < node.args_count(); ++k) {
    const std::uint32_t member = plan.args()[node.args_begin() + k];
    if (view_.value(member).truth == Truth::kFalse) continue;
    // Set members are symbol roots, not references: describe them by their symbol.
    const auto symbol = view_.owner(member);
    if (symbol >= 0 && plan.symbol_nodes()[static_cast<std::size_t>(symbol)] == static_cast<std::int64_t>(member)) {
      out.push_back(symbol_reason(static_cast<std::size_t>(symbol), depth + 1));
    } else {
      out.push_back(reason(member, depth + 1));
    }
  }
  return out;
}

Reason ReasonBuilder::symbol_reason(std::size_t symbol, int depth) const {
  const auto node = static_cast<std::uint32_t>(view_.plan().symbol_nodes()[symbol]);
  Reason out;
  out.subject = view_.ruleset().symbols[symbol].name;
  out.truth = view_.value(node).truth;
  describe_symbol(symbol, out);
  if (depth < kMaxDepth) out.children = reasons(node, depth + 1);
  return out;
}

// Signals and groups are shown by their title and their `because` template; false for any
// other symbol (a let), which is shown by its value instead.
bool ReasonBuilder::describe_symbol(std::size_t symbol, Reason& out) const {
  const auto& sym = view_.ruleset().symbols[symbol];
  const std::size_t module = view_.module_of(static_cast<std::int64_t>(symbol));
  if (sym.kind == SymbolKind::kSignal) {
    const auto* decl = static_cast<const dsl::SignalDecl*>(sym.decl);
    out.kind = ReasonKind::kSignal;
    out.title = decl->title.value;
    if (decl->because) out.text = view_.render_template(decl->because->value, module);
    return true;
  }
  if (sym.kind == SymbolKind::kGroup) {
    const auto* decl = static_cast<const dsl::GroupDecl*>(sym.decl);
    out.kind = group_reason(decl->kind);
    out.title = decl->title.value;
    if (decl->because) out.text = view_.render_template(decl->because->value, module);
    return true;
  }
  return false;
}

}  // namespace riskoff::explain::detail
