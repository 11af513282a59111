// What is closest to changing the decision. A comparison near its threshold matters only if
// flipping it would change the action: each candidate is flipped alone and the conditions above
// it re-derived from the recorded values (flip_cone.hpp: only its dependants, so the list is
// linear in the ruleset). Those that would change the action rank first, by distance; those
// that would only move a clause above the chosen one name what else that clause still needs.
#include <algorithm>
#include <unordered_set>
#include <cmath>
#include <cstdio>
#include <string>

#include "explain/flip_cone.hpp"
#include "explain/tables.hpp"

namespace riskoff::explain::detail {
namespace {

using engine::NodeOp;
using engine::NodeValue;
using engine::PlanNode;
using engine::Unit;

constexpr std::size_t kMostFlips = 5;

void flatten_and(const engine::Plan& plan, std::uint32_t node, std::vector<std::uint32_t>& parts) {
  if (plan.nodes()[node].op == NodeOp::kAnd) {
    flatten_and(plan, plan.nodes()[node].a, parts);
    flatten_and(plan, plan.nodes()[node].b, parts);
  } else {
    parts.push_back(node);
  }
}

// The parts of each clause above the chosen one (its condition split at `and`), found once for
// every candidate flip.
std::vector<std::vector<std::uint32_t>> clause_parts_above(const NodeView& view) {
  const auto& evaluation = view.evaluation();
  const auto& profile = view.plan().profiles()[evaluation.profile];
  std::vector<std::vector<std::uint32_t>> out(static_cast<std::size_t>(evaluation.chosen));
  for (std::size_t index = 0; index < out.size(); ++index) {
    flatten_and(view.plan(), static_cast<std::uint32_t>(profile.clauses[index].node), out[index]);
  }
  return out;
}

// What flipping `flipped` does: the action it changes the decision to, or else the first part
// still missing from a clause above the chosen one that the flip moved.
void consequences(const NodeView& view, const std::vector<std::vector<std::uint32_t>>& parts_above, FlipCone& cone,
                  std::uint32_t flipped, Flip& out) {
  const auto& evaluation = view.evaluation();
  const auto& profile = view.plan().profiles()[evaluation.profile];
  const auto& values = cone.flip(flipped);
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
  for (const auto& parts : parts_above) {
    bool moved = false;
    for (const auto part : parts) {
      const PlanNode& node = view.node(part);
      moved = moved || cone.moved(part) || (is_comparison(node.op) && (cone.moved(node.a) || cone.moved(node.b)));
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

// Clause conditions follow all symbols in the plan, profile by profile: which clause of the
// chosen profile each node after the last symbol's root belongs to, or that it is another
// profile's. An index per node of that tail, not a label string per node of the plan (8 MB
// of strings at 100,000 signals, nearly all empty).
class ClauseLabels {
 public:
  static constexpr std::int32_t kNone = -1;
  static constexpr std::int32_t kForeign = -2;

  explicit ClauseLabels(const NodeView& view) : profile_(view.plan().profiles()[view.evaluation().profile]) {
    const auto& plan = view.plan();
    std::int64_t previous = -1;
    for (const auto root : plan.symbol_nodes()) previous = std::max(previous, root);
    first_ = previous + 1;
    tail_.assign(plan.nodes().size() - static_cast<std::size_t>(first_), kNone);
    for (std::size_t p = 0; p < plan.profiles().size(); ++p) {
      const auto& clauses = plan.profiles()[p].clauses;
      for (std::size_t c = 0; c < clauses.size(); ++c) {
        if (clauses[c].node < 0) continue;
        for (std::int64_t node = previous + 1; node <= clauses[c].node; ++node) {
          tail_[static_cast<std::size_t>(node - first_)] = p == view.evaluation().profile ? static_cast<std::int32_t>(c) : kForeign;
        }
        previous = clauses[c].node;
      }
    }
  }

  bool foreign(std::size_t node) const { return at(node) == kForeign; }
  // "clause hedge" for the chosen profile's clause nodes, empty for the rest.
  std::string text(std::size_t node) const {
    const std::int32_t clause = at(node);
    return clause >= 0 ? "clause " + profile_.clauses[static_cast<std::size_t>(clause)].clause->action : "";
  }

 private:
  std::int32_t at(std::size_t node) const {
    return static_cast<std::int64_t>(node) < first_ ? kNone : tail_[node - static_cast<std::size_t>(first_)];
  }

  const engine::ProfilePlan& profile_;
  std::int64_t first_ = 0;
  std::vector<std::int32_t> tail_;
};

}  // namespace

std::vector<Flip> closest_to_flipping(const NodeView& view, const ReasonBuilder& reasons) {
  std::vector<Flip> out;
  if (view.evaluation().chosen < 0) return out;
  const auto& nodes = view.plan().nodes();
  const ClauseLabels labels(view);
  std::unordered_set<std::string> seen;  // by hash: one lookup per comparison, linear overall
  const auto parts_above = clause_parts_above(view);
  FlipCone cone(view.plan(), view.evaluation().values);
  for (std::uint32_t index = 0; index < nodes.size(); ++index) {
    const PlanNode& node = nodes[index];
    if (labels.foreign(index)) continue;  // another profile's decision
    if (!is_comparison(node.op) || node.op == NodeOp::kEq || node.op == NodeOp::kNe) continue;
    const NodeValue& lhs = view.value(node.a);
    const NodeValue& rhs = view.value(node.b);
    if (!known(lhs) || !known(rhs) || lhs.number != lhs.upper || rhs.number != rhs.upper) continue;
    // Both sides known and exact: decided comparisons have a margin (reasons.cpp's, from the
    // same numbers). The step's text is built only for a flip that moves something: at 100,000
    // signals almost none does, and building every comparison's text cost a third of explain.
    const Truth truth = view.value(index).truth;
    if (truth == Truth::kUnknown) continue;
    const bool greater = node.op == NodeOp::kGt || node.op == NodeOp::kGe;
    const double margin = greater ? lhs.number - rhs.number : rhs.number - lhs.number;
    // A count moves a member at a time: its comparison is one change away only when a single
    // member turning on or off flips it.
    if (nodes[node.a].op == NodeOp::kCount) {
      const bool inclusive = node.op == NodeOp::kGe || node.op == NodeOp::kLe;
      const double needed = std::fabs(margin) + ((truth == Truth::kTrue) == inclusive ? 1 : 0);
      if (needed > 1) continue;
    }
    Flip flip;
    consequences(view, parts_above, cone, index, flip);
    if (flip.changes_to.empty() && flip.blocker.empty()) continue;  // flipping it alone moves nothing
    const Reason r = reasons.reason(index, kMaxDepth);
    // The same comparison written in two clauses is one thing to watch.
    if (!seen.insert(r.text).second) continue;
    flip.text = r.text;
    flip.truth = r.truth;
    const double scale = std::max(std::fabs(lhs.number), std::fabs(rhs.number));
    flip.distance = scale > 0 ? std::fabs(r.margin->value) / scale : 0;
    flip.gap = gap_text(r);
    flip.share = share_text(r);
    const auto owner = view.owner(index);
    flip.subject = owner >= 0 ? view.ruleset().symbols[static_cast<std::size_t>(owner)].name : labels.text(index);
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
