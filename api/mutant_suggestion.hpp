// What the rules as written computed in their tests, kept for suggesting a test that would kill
// a surviving mutant: for each comparison, the test that came closest to flipping it, and which
// truths each node took. Never installed.
#pragma once

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "api/rule_test_run.hpp"
#include "engine/mutants.hpp"

namespace riskoff {

struct ClosestToFlip {
  std::size_t test = std::numeric_limits<std::size_t>::max();  // none when both sides never known
  double margin = std::numeric_limits<double>::infinity();       // |lhs - rhs|
  double lhs = std::nan(""), rhs = std::nan("");
};

class OriginalRun {
 public:
  explicit OriginalRun(const engine::Plan& plan);
  void record(std::size_t test, const engine::Evaluation& evaluation);

  const engine::Plan& plan;
  std::vector<std::string> owners;             // per node (engine::node_owners)
  std::vector<ClosestToFlip> closest;          // per node; only comparisons are filled
  std::vector<std::array<bool, 3>> truths;     // per node: seen false, true, unknown (Truth's order)
};

// A test that tells the rules from the mutant, in the language's syntax: a `test` block with a
// `given` at the boundary when the compared value is an input (or its change/pct_change) and the
// threshold is the changed number, and the expectations that differ when `rules` and
// `mutant_rules` decide on its data (so the test is verified: it passes on the rules and fails on
// the mutant); otherwise comment lines saying which test is missing.
std::string suggest_test(const engine::Mutant& mutant, const OriginalRun& run, const std::vector<PreparedRuleTest>& tests,
                         const Ruleset& rules, const Ruleset& mutant_rules);

}  // namespace riskoff
