// What is closest to changing the decision. A comparison near its threshold matters only if
// flipping it would change the action: each candidate is flipped alone and the conditions above
// it re-derived from the recorded values (no window is recomputed: only truths, counts and
// comparisons of counts move). Those that would change the action rank first, by distance; those
// that would only move a clause above the chosen one name what else that clause still needs.
#include <algorithm>
#include <unordered_set>
#include <cmath>
#include <cstdio>
#include <string>

#include "explain/tables.hpp"

namespace riskoff::explain::detail {
namespace {

using engine::NodeOp;
using engine::NodeValue;
using engine::PlanNode;
using engine::Unit;

constexpr std::size_t kMostFlips = 5;

Truth negate(Truth truth) {
  return truth == Truth::kTrue ? Truth::kFalse : truth == Truth::kFalse ? Truth::kTrue : Truth::kUnknown;
}
Truth from_bool(bool value) { return value ? Truth::kTrue : Truth::kFalse; }
NodeValue truth_value(Truth truth) { return {std::nan(""), std::nan(""), truth}; }

// The engine's rule for a possibly ranged number against another: decided when both ends agree.
Truth compare(NodeOp op, const NodeValue& lhs, const NodeValue& rhs) {
  if (std::isnan(lhs.number) || std::isnan(rhs.number)) return Truth::kUnknown;
  const bool exact = lhs.number == lhs.upper && rhs.number == rhs.upper;
  if (exact) return from_bool(engine::comparison_holds(op, lhs.number, rhs.number));
  if (op == NodeOp::kEq || op == NodeOp::kNe) return Truth::kUnknown;
  const auto holds = [op](double a, double b) { return engine::comparison_holds(op, a, b); };
  const bool low = holds(lhs.number, rhs.upper);
  const bool high = holds(lhs.upper, rhs.number);
  if (low == high && holds(lhs.number, rhs.number) == low && holds(lhs.upper, rhs.upper) == low) return from_bool(low);
  return Truth::kUnknown;
}

// Re-derives node `index` from its children when it is a truth, an aggregate or a comparison;
// any other node keeps its recorded value (its children are numbers, which a flip leaves alone).
void rederive(const engine::Plan& plan, std::size_t index, std::vector<NodeValue>& values) {
  const PlanNode& node = plan.nodes()[index];
  NodeValue& out = values[index];
  switch (node.op) {
    case NodeOp::kRef: out = values[node.a]; return;
    case NodeOp::kNot: out = truth_value(negate(values[node.a].truth)); return;
    case NodeOp::kAnd:
    case NodeOp::kOr: {
      const Truth a = values[node.a].truth;
      const Truth b = values[node.b].truth;
      const Truth decisive = node.op == NodeOp::kAnd ? Truth::kFalse : Truth::kTrue;
      out = truth_value(a == decisive || b == decisive ? decisive : a == b ? a : Truth::kUnknown);
      return;
    }
    case NodeOp::kLt: case NodeOp::kLe: case NodeOp::kGt: case NodeOp::kGe: case NodeOp::kEq: case NodeOp::kNe:
      if (plan.nodes()[node.a].is_condition) {
        const Truth a = values[node.a].truth;
        const Truth b = values[node.b].truth;
        out = truth_value(a == Truth::kUnknown || b == Truth::kUnknown ? Truth::kUnknown
                                                                      : from_bool((a == b) == (node.op == NodeOp::kEq)));
      } else {
        out = truth_value(compare(node.op, values[node.a], values[node.b]));
      }
      return;
    case NodeOp::kAny: case NodeOp::kAll: case NodeOp::kCount: case NodeOp::kAtLeast: case NodeOp::kScore: {
      double trues = 0, unknowns = 0, falses = 0, low = 0, high = 0;
      for (std::uint32_t k = 0; k < node.args_count; ++k) {
        const Truth member = values[plan.args()[node.args_begin + k]].truth;
        const double weight = node.op == NodeOp::kScore ? values[plan.weights()[node.args_begin + k]].number : 1;
        if (member == Truth::kTrue) { ++trues; low += weight; high += weight; }
        else if (member == Truth::kUnknown) { ++unknowns; low += std::min(weight, 0.0); high += std::max(weight, 0.0); }
        else ++falses;
      }
      if (node.op == NodeOp::kAny) out = truth_value(trues > 0 ? Truth::kTrue : unknowns > 0 ? Truth::kUnknown : Truth::kFalse);
      else if (node.op == NodeOp::kAll) out = truth_value(falses > 0 ? Truth::kFalse : unknowns > 0 ? Truth::kUnknown : Truth::kTrue);
      else if (node.op == NodeOp::kCount) out = {trues, trues + unknowns, Truth::kUnknown};
      else if (node.op == NodeOp::kScore) out = {low, high, Truth::kUnknown};
      else {
        const double n = values[node.a].number;
        out = truth_value(std::isnan(n) ? Truth::kUnknown : trues >= n ? Truth::kTrue : trues + unknowns < n ? Truth::kFalse : Truth::kUnknown);
      }
      return;
    }
    default: return;
  }
}

bool same(const NodeValue& a, const NodeValue& b) {
  const bool numbers = (a.number == b.number || (std::isnan(a.number) && std::isnan(b.number))) &&
                       (a.upper == b.upper || (std::isnan(a.upper) && std::isnan(b.upper)));
  return a.truth == b.truth && numbers;
}

// The values after flipping the truth of `flipped`, every node after it re-derived.
std::vector<NodeValue> with_flip(const NodeView& view, std::uint32_t flipped) {
  std::vector<NodeValue> values = view.evaluation().values;
  values[flipped].truth = negate(values[flipped].truth);
  for (std::size_t index = flipped + 1; index < values.size(); ++index) rederive(view.plan(), index, values);
  return values;
}

void flatten_and(const engine::Plan& plan, std::uint32_t node, std::vector<std::uint32_t>& parts) {
  if (plan.nodes()[node].op == NodeOp::kAnd) {
    flatten_and(plan, plan.nodes()[node].a, parts);
    flatten_and(plan, plan.nodes()[node].b, parts);
  } else {
    parts.push_back(node);
  }
}

// What flipping `flipped` does: the action it changes the decision to, or else the first part
// still missing from a clause above the chosen one that the flip moved.
void consequences(const NodeView& view, std::uint32_t flipped, Flip& out) {
  const auto& evaluation = view.evaluation();
  const auto& profile = view.plan().profiles()[evaluation.profile];
  const auto values = with_flip(view, flipped);
  std::string action;
  for (const auto& clause : profile.clauses) {
    if (clause.node < 0 || values[static_cast<std::size_t>(clause.node)].truth == Truth::kTrue) {
      action = clause.clause->action;
      break;
    }
  }
  const std::string& now = profile.clauses[static_cast<std::size_t>(evaluation.chosen)].clause->action;
  if (action != now) {
    out.changes_to = action;
    return;
  }
  for (std::int64_t index = 0; index < evaluation.chosen; ++index) {
    const auto& clause = profile.clauses[static_cast<std::size_t>(index)];
    std::vector<std::uint32_t> parts;
    flatten_and(view.plan(), static_cast<std::uint32_t>(clause.node), parts);
    bool moved = false;
    for (const auto part : parts) {
      const PlanNode& node = view.node(part);
      moved = moved || !same(values[part], evaluation.values[part]) ||
              (is_comparison(node.op) && (!same(values[node.a], evaluation.values[node.a]) ||
                                          !same(values[node.b], evaluation.values[node.b])));
    }
    if (!moved) continue;
    for (const auto part : parts) {
      if (values[part].truth != Truth::kTrue) {
        out.blocker = source(view.node(part));
        return;
      }
    }
  }
}

// "3.0bp below", "0.47 pp above", "0.0028 above": the margin's size in the unit, and on which
// side of the threshold the value is. Percentages apart are percentage points.
std::string gap_text(const Reason& comparison) {
  // As many decimals as it takes for a gap that is not zero to print as not zero.
  const double gap = std::fabs(comparison.margin->value);
  std::string size = format_figure(gap, comparison.margin->unit);
  for (int extra = 1; extra <= 8 && gap != 0 && shown_value(size) == 0; ++extra) size = format_figure(gap, comparison.margin->unit, extra);
  if (comparison.value->unit == Unit::kPercent && !size.empty() && size.back() == '%') size = size.substr(0, size.size() - 1) + " pp";
  if (comparison.value->value == comparison.threshold->value) return "on the threshold";
  return size + (comparison.value->value > comparison.threshold->value ? " above" : " below");
}

// A share of the threshold says something only for a level measured from zero: a positive
// threshold, a value not below zero, and not a move in bp or a whole count.
std::string share_text(const Reason& comparison) {
  const double threshold = comparison.threshold->value;
  const double value = comparison.value->value;
  const Unit unit = comparison.value->unit;
  if (threshold <= 0 || value < 0 || unit == Unit::kBp) return "";
  if (unit == Unit::kNumber && threshold == std::floor(threshold)) return "";
  char buffer[48];
  const double share = 100 * std::fabs(value - threshold) / threshold;
  std::snprintf(buffer, sizeof buffer, share < 1 ? "%.2g%% of the threshold" : "%.0f%% of the threshold", share);
  return buffer;
}

// Clause conditions follow all symbols in the plan, profile by profile: label the chosen
// profile's clause nodes "profile -> action" and mark the other profiles' nodes as foreign.
std::vector<std::string> clause_labels(const NodeView& view) {
  const auto& plan = view.plan();
  std::vector<std::string> labels(plan.nodes().size());
  std::int64_t previous = -1;
  for (const auto root : plan.symbol_nodes()) previous = std::max(previous, root);
  for (std::size_t p = 0; p < plan.profiles().size(); ++p) {
    const auto& profile = plan.profiles()[p];
    for (const auto& clause : profile.clauses) {
      if (clause.node < 0) continue;
      for (std::int64_t node = previous + 1; node <= clause.node; ++node) {
        labels[static_cast<std::size_t>(node)] = p == view.evaluation().profile ? "clause " + clause.clause->action : "-";
      }
      previous = clause.node;
    }
  }
  return labels;
}

}  // namespace

std::vector<Flip> closest_to_flipping(const NodeView& view, const ReasonBuilder& reasons) {
  std::vector<Flip> out;
  if (view.evaluation().chosen < 0) return out;
  const auto& nodes = view.plan().nodes();
  const auto labels = clause_labels(view);
  std::unordered_set<std::string> seen;  // by hash: one lookup per comparison, linear overall
  for (std::uint32_t index = 0; index < nodes.size(); ++index) {
    const PlanNode& node = nodes[index];
    if (labels[index] == "-") continue;  // another profile's decision
    if (!is_comparison(node.op) || node.op == NodeOp::kEq || node.op == NodeOp::kNe) continue;
    const NodeValue& lhs = view.value(node.a);
    const NodeValue& rhs = view.value(node.b);
    if (!known(lhs) || !known(rhs) || lhs.number != lhs.upper || rhs.number != rhs.upper) continue;
    const Reason r = reasons.reason(index, kMaxDepth);
    if (!r.margin || r.truth == Truth::kUnknown) continue;
    // A count moves a member at a time: its comparison is one change away only when a single
    // member turning on or off flips it.
    if (nodes[node.a].op == NodeOp::kCount) {
      const bool inclusive = node.op == NodeOp::kGe || node.op == NodeOp::kLe;
      const double needed = std::fabs(r.margin->value) + ((r.truth == Truth::kTrue) == inclusive ? 1 : 0);
      if (needed > 1) continue;
    }
    // The same comparison written in two clauses is one thing to watch.
    if (seen.count(r.text) != 0) continue;
    Flip flip;
    consequences(view, index, flip);
    if (flip.changes_to.empty() && flip.blocker.empty()) continue;  // flipping it alone moves nothing
    seen.insert(r.text);
    flip.text = r.text;
    flip.truth = r.truth;
    const double scale = std::max(std::fabs(lhs.number), std::fabs(rhs.number));
    flip.distance = scale > 0 ? std::fabs(r.margin->value) / scale : 0;
    flip.gap = gap_text(r);
    flip.share = share_text(r);
    const auto owner = view.owner(index);
    flip.subject = owner >= 0 ? view.ruleset().symbols[static_cast<std::size_t>(owner)].name : labels[index];
    out.push_back(std::move(flip));
  }
  // Those that change the decision alone first, each part by distance.
  std::stable_sort(out.begin(), out.end(), [](const Flip& a, const Flip& b) {
    if (a.changes_to.empty() != b.changes_to.empty()) return !a.changes_to.empty();
    return a.distance < b.distance;
  });
  if (out.size() > kMostFlips) out.resize(kMostFlips);
  return out;
}

}  // namespace riskoff::explain::detail
