#include "explain/flip_cone.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace riskoff::explain::detail {
namespace {

using engine::NodeOp;
using engine::NodeValue;
using engine::PlanNode;
using engine::Truth;

std::atomic<std::uint64_t> work_done{0};

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

bool same(const NodeValue& a, const NodeValue& b) {
  const bool numbers = (a.number == b.number || (std::isnan(a.number) && std::isnan(b.number))) &&
                       (a.upper == b.upper || (std::isnan(a.upper) && std::isnan(b.upper)));
  return a.truth == b.truth && numbers;
}

bool tallied(NodeOp op) { return op == NodeOp::kAny || op == NodeOp::kAll || op == NodeOp::kCount || op == NodeOp::kAtLeast; }

// The children a node is re-derived from, as `visit(child, member)`. Only truths, aggregates and
// comparisons are re-derived: every other node's children are numbers a flip leaves alone.
template <typename Visit>
void for_each_rederived(const engine::Plan& plan, const PlanNode& node, Visit visit) {
  switch (node.op) {
    case NodeOp::kRef: case NodeOp::kNot: case NodeOp::kAnd: case NodeOp::kOr:
    case NodeOp::kLt: case NodeOp::kLe: case NodeOp::kGt: case NodeOp::kGe: case NodeOp::kEq: case NodeOp::kNe:
    case NodeOp::kAny: case NodeOp::kAll: case NodeOp::kCount: case NodeOp::kAtLeast: case NodeOp::kScore:
      engine::for_each_child(plan, node, [&](std::uint32_t child, engine::ChildRole role) {
        visit(child, role == engine::ChildRole::kMember && tallied(node.op));
      });
      return;
    default: return;
  }
}

}  // namespace

std::uint64_t flip_work_done() { return work_done.load(); }

void FlipCone::Tally::add(Truth truth, double by) {
  (truth == Truth::kTrue ? trues : truth == Truth::kUnknown ? unknowns : falses) += by;
}

FlipCone::FlipCone(const engine::Plan& plan, const std::vector<NodeValue>& recorded)
    : plan_(plan), recorded_(recorded), values_(recorded) {
  const auto& nodes = plan.nodes();
  const auto count = static_cast<std::uint32_t>(nodes.size());
  first_edge_.assign(count + 1, 0);
  for (const PlanNode& node : nodes) for_each_rederived(plan, node, [&](std::uint32_t child, bool) { ++first_edge_[child + 1]; });
  for (std::uint32_t n = 0; n < count; ++n) first_edge_[n + 1] += first_edge_[n];
  edges_.resize(first_edge_[count]);
  std::vector<std::uint32_t> filled(first_edge_.begin(), first_edge_.end() - 1);
  for (std::uint32_t parent = 0; parent < count; ++parent) {
    for_each_rederived(plan, nodes[parent], [&](std::uint32_t child, bool member) { edges_[filled[child]++] = {parent, member}; });
  }
  recorded_tallies_.resize(count);
  tallies_.resize(count);
  tallied_.assign(count, false);
  tally_flip_.assign(count, 0);
  queued_flip_.assign(count, 0);
  moved_flip_.assign(count, 0);
}

FlipCone::~FlipCone() { work_done.fetch_add(work_, std::memory_order_relaxed); }

FlipCone::Tally& FlipCone::tally(std::uint32_t node) {
  if (!tallied_[node]) {
    const PlanNode& aggregate = plan_.nodes()[node];
    for (std::uint32_t k = 0; k < aggregate.args_count(); ++k) {
      recorded_tallies_[node].add(recorded_[plan_.args()[aggregate.args_begin() + k]].truth, 1);
    }
    work_ += aggregate.args_count();
    tallied_[node] = true;
  }
  if (tally_flip_[node] != flip_) {
    tallies_[node] = recorded_tallies_[node];
    tally_flip_[node] = flip_;
  }
  return tallies_[node];
}

const std::vector<NodeValue>& FlipCone::flip(std::uint32_t flipped) {
  for (const auto node : moved_) values_[node] = recorded_[node];
  moved_.clear();
  ++flip_;
  values_[flipped].truth = negate(values_[flipped].truth);
  if (same(values_[flipped], recorded_[flipped])) return values_;
  changed(flipped);
  while (!queue_.empty()) {
    const std::uint32_t node = queue_.top();
    queue_.pop();
    values_[node] = derive(node);
    if (!same(values_[node], recorded_[node])) changed(node);
  }
  return values_;
}

// `node` now differs from its recorded value: its parents are re-derived after it (their indices
// are larger), and a member's move is counted into its aggregate's tally now.
void FlipCone::changed(std::uint32_t node) {
  moved_.push_back(node);
  moved_flip_[node] = flip_;
  for (std::uint32_t e = first_edge_[node]; e < first_edge_[node + 1]; ++e) {
    const Edge& edge = edges_[e];
    if (edge.member) {
      Tally& members = tally(edge.parent);
      members.add(recorded_[node].truth, -1);
      members.add(values_[node].truth, 1);
    }
    if (queued_flip_[edge.parent] != flip_) {
      queued_flip_[edge.parent] = flip_;
      queue_.push(edge.parent);
    }
  }
}

// The engine's rules (engine/evaluate.cpp) for the nodes a flip can move, from values_.
NodeValue FlipCone::derive(std::uint32_t index) {
  const PlanNode& node = plan_.nodes()[index];
  const auto& values = values_;
  ++work_;
  switch (node.op) {
    case NodeOp::kRef: return values[node.a];
    case NodeOp::kNot: return truth_value(negate(values[node.a].truth));
    case NodeOp::kAnd:
    case NodeOp::kOr: {
      const Truth a = values[node.a].truth;
      const Truth b = values[node.b].truth;
      const Truth decisive = node.op == NodeOp::kAnd ? Truth::kFalse : Truth::kTrue;
      return truth_value(a == decisive || b == decisive ? decisive : a == b ? a : Truth::kUnknown);
    }
    case NodeOp::kLt: case NodeOp::kLe: case NodeOp::kGt: case NodeOp::kGe: case NodeOp::kEq: case NodeOp::kNe:
      if (plan_.nodes()[node.a].is_condition) {
        const Truth a = values[node.a].truth;
        const Truth b = values[node.b].truth;
        return truth_value(a == Truth::kUnknown || b == Truth::kUnknown ? Truth::kUnknown
                                                                       : from_bool((a == b) == (node.op == NodeOp::kEq)));
      }
      return truth_value(compare(node.op, values[node.a], values[node.b]));
    case NodeOp::kScore: {
      // Summed again in member order, as the engine did: a running sum updated by differences
      // would round differently and could move a score that sits on its threshold.
      double low = 0, high = 0;
      for (std::uint32_t k = 0; k < node.args_count(); ++k) {
        const Truth member = values[plan_.args()[node.args_begin() + k]].truth;
        const double weight = values[plan_.weights()[node.args_begin() + k]].number;
        if (member == Truth::kTrue) { low += weight; high += weight; }
        else if (member == Truth::kUnknown) { low += std::min(weight, 0.0); high += std::max(weight, 0.0); }
      }
      work_ += node.args_count();
      return {low, high, Truth::kUnknown};
    }
    case NodeOp::kAny: case NodeOp::kAll: case NodeOp::kCount: case NodeOp::kAtLeast: {
      const Tally& members = tally(index);
      const double trues = members.trues, unknowns = members.unknowns;
      if (node.op == NodeOp::kAny) return truth_value(trues > 0 ? Truth::kTrue : unknowns > 0 ? Truth::kUnknown : Truth::kFalse);
      if (node.op == NodeOp::kAll) return truth_value(members.falses > 0 ? Truth::kFalse : unknowns > 0 ? Truth::kUnknown : Truth::kTrue);
      if (node.op == NodeOp::kCount) return {trues, trues + unknowns, Truth::kUnknown};
      const double n = values[node.a].number;
      return truth_value(std::isnan(n) ? Truth::kUnknown : trues >= n ? Truth::kTrue : trues + unknowns < n ? Truth::kFalse : Truth::kUnknown);
    }
    default: return values[index];
  }
}

}  // namespace riskoff::explain::detail
