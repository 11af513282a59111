// One comparison flipped and only what depends on it re-derived, for the closest-to-flipping list
// (flips.cpp), which asks this for every comparison of a decision. Re-deriving the whole plan per
// comparison made that list quadratic in the ruleset; here a flip costs its affected cone: the
// plan is in dependency order (children before parents), so a changed value is pushed to its
// parents in index order and stops at a parent whose value does not change. No window is
// recomputed: only truths, counts, scores and the comparisons and conditions above them move.
// Internal to explain/.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "engine/plan.hpp"

namespace riskoff::explain::detail {

// Nodes re-derived and aggregate members re-read by every FlipCone of this program so far: the
// linearity test's measure of the cones (tests/api/scaling_test.cpp), a count rather than a time.
std::uint64_t flip_work_done();

class FlipCone {
 public:
  // Borrows both; `recorded` is the evaluation's node values.
  FlipCone(const engine::Plan& plan, const std::vector<engine::NodeValue>& recorded);
  ~FlipCone();
  FlipCone(const FlipCone&) = delete;
  FlipCone& operator=(const FlipCone&) = delete;

  // Every node's value with the truth of `flipped` negated and its dependants re-derived; the
  // previous flip is undone first. Valid until the next flip().
  const std::vector<engine::NodeValue>& flip(std::uint32_t flipped);
  // Whether the last flip moved `node` from its recorded value.
  bool moved(std::uint32_t node) const { return flip_ != 0 && moved_flip_[node] == flip_; }

 private:
  // A parent reading a node; `member`: as one of the members any/all/count/at_least tally.
  struct Edge {
    std::uint32_t parent;
    bool member;
  };
  // Members of an any/all/count/at_least by truth: a member's change moves one tally by one, so a
  // parent with many members is not counted again for every flip below it.
  struct Tally {
    double trues = 0, unknowns = 0, falses = 0;
    void add(engine::Truth truth, double by);
  };

  void changed(std::uint32_t node);
  Tally& tally(std::uint32_t node);
  engine::NodeValue derive(std::uint32_t node);

  const engine::Plan& plan_;
  const std::vector<engine::NodeValue>& recorded_;
  std::vector<engine::NodeValue> values_;
  std::vector<std::uint32_t> first_edge_;  // node -> its parents' edges, [first_edge_[n], first_edge_[n + 1])
  std::vector<Edge> edges_;
  std::vector<std::uint32_t> moved_;  // nodes whose value differs from the recorded one
  std::vector<std::uint32_t> moved_flip_;   // the flip that last moved n
  std::vector<Tally> recorded_tallies_, tallies_;
  std::vector<bool> tallied_;               // recorded_tallies_ counted (at first need)
  std::vector<std::uint32_t> tally_flip_;   // the flip tallies_[n] belongs to
  std::vector<std::uint32_t> queued_flip_;  // the flip that last queued n
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> queue_;
  std::uint32_t flip_ = 0;
  std::uint64_t work_ = 0;
};

}  // namespace riskoff::explain::detail
