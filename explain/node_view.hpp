// A read-only view of one evaluated decision, for the parts of explain/ that describe it: the
// plan, the bound snapshot and the node values, with the look-ups they all need (a node's value
// and unit, which symbol owns a node, a `because` template filled in with the values as shown).
// Internal to explain/: the view borrows its three arguments and must not outlive them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "explain/explanation.hpp"

namespace riskoff::explain::detail {

constexpr int kMaxDepth = 6;  // signals within groups within clauses: deeper chains are cut

bool known(const engine::NodeValue& value);

// A node's value as shown, "unknown" when it could not be computed; a range as "2-3".
// `extra_decimals`: beyond the unit's usual (format_figure), for the two sides of a comparison.
Figure figure(const engine::NodeValue& value, engine::Unit unit, int extra_decimals = 0);
// Moves (bp and % computed from data) show their sign; thresholds and levels do not.
Figure signed_figure(const engine::NodeValue& value, engine::Unit unit, const engine::PlanNode& node,
                     int extra_decimals = 0);
// The node's expression as written; empty for synthetic nodes.
std::string source(const engine::PlanNode& node);

class NodeView {
 public:
  NodeView(const engine::Plan& plan, const engine::BoundSnapshot& snapshot, const engine::Evaluation& evaluation);

  const engine::Plan& plan() const { return plan_; }
  const engine::CheckedRuleset& ruleset() const { return plan_.ruleset(); }
  const engine::BoundSnapshot& snapshot() const { return snapshot_; }
  const engine::Evaluation& evaluation() const { return eval_; }
  const engine::PlanNode& node(std::size_t index) const { return plan_.nodes()[index]; }
  const engine::NodeValue& value(std::size_t index) const { return eval_.values[index]; }

  // The symbol (let, signal, group) whose definition computes `node`; -1 for the nodes after
  // the last symbol's root, which are the profiles' clause conditions.
  std::int64_t owner(std::size_t node) const { return owner_[node]; }
  // The module (root file or import) that declares `symbol`: its templates name values by
  // that module's prefix.
  std::size_t module_of(std::int64_t symbol) const;
  engine::Unit unit_of(const dsl::Expr* expr) const;
  bool untyped(const dsl::Expr* expr) const;

  // `{name}` -> the named value as shown; `{{` -> `{`.
  std::string render_template(const std::string& text, std::size_t module) const;

 private:
  std::string symbol_value_text(const std::string& name) const;

  const engine::Plan& plan_;
  const engine::BoundSnapshot& snapshot_;
  const engine::Evaluation& eval_;
  std::vector<std::int64_t> owner_;
  // SourceId -> the first module with that source: module_of once per signal described was a
  // scan of every module (51 at 100,000 signals).
  std::vector<std::uint32_t> module_by_source_;
};

}  // namespace riskoff::explain::detail
