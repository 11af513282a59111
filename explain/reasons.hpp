// The reason trees of an explanation: why a clause's condition has its truth, step by step down
// through the signals and groups it names to the comparisons and their numbers. Internal to
// explain/; the group tables and the closest-to-flipping list reuse the same steps.
#pragma once

#include <cstdint>
#include <vector>

#include "explain/node_view.hpp"

namespace riskoff::explain::detail {

// Because-chains show everything that made a clause true; why-not shows the first condition
// that failed (or could not be decided), which is what the reader has to change.
enum class Detail : std::uint8_t { kFull, kFirstFailure };

class ReasonBuilder {
 public:
  explicit ReasonBuilder(const NodeView& view) : view_(view) {}

  ClauseExplanation clause_explanation(const engine::ClausePlan& clause, Detail detail) const;
  // Why `node` has its truth: the children that decided it.
  std::vector<Reason> reasons(std::uint32_t node_index, int depth) const;
  // One step of a chain: a reference to a signal or group (with its own reasons below it), a
  // comparison with its figures and margin, or a combination of conditions.
  Reason reason(std::uint32_t node_index, int depth) const;
  // A let, signal or group described by its own title and template, its deciding children below.
  Reason symbol_reason(std::size_t symbol, int depth) const;

 private:
  std::vector<Reason> first_failure(std::uint32_t node_index, int depth) const;
  void flatten(std::uint32_t node_index, engine::NodeOp op, std::vector<std::uint32_t>& parts) const;
  Reason comparison(std::uint32_t node_index, int depth) const;
  std::vector<Reason> members(const engine::PlanNode& node, int depth) const;
  bool describe_symbol(std::size_t symbol, Reason& out) const;

  const NodeView& view_;
};

}  // namespace riskoff::explain::detail
