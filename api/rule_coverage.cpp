// rule_coverage(): which outcomes the ruleset's tests drove each condition to. The tests run as
// run_rule_tests() runs them; every evaluation they make is watched, and each condition's truth
// is read from the node values the evaluator filled (the same trace explanations read).
#include <algorithm>
#include <set>
#include <tuple>

#include "api/rule_test_run.hpp"
#include "engine/mutants.hpp"
#include "riskoff/coverage.hpp"

namespace riskoff {
namespace {

// An item and where its truth is read.
struct Measured {
  CoverageItem item;
  SourceId source{};
  std::uint32_t offset = 0;
  std::uint32_t node = 0;
  std::int64_t profile = -1;  // a clause: its profile and position in it
  std::uint32_t clause = 0;
};

// Per node, the (profile, clause) whose condition it is part of, or (-1, 0). Invariant
// (engine/compile.cpp): clause conditions are compiled after every symbol, one after another,
// each subtree ending with its root, so a clause owns the nodes after the previous root up to its own.
std::vector<std::pair<std::int64_t, std::uint32_t>> clause_of_nodes(const engine::Plan& plan) {
  std::vector<std::pair<std::int64_t, std::uint32_t>> out(plan.nodes().size(), {-1, 0});
  std::int64_t start = 0;
  for (const std::int64_t root : plan.symbol_nodes()) start = std::max(start, root + 1);
  for (std::uint32_t profile = 0; profile < plan.profiles().size(); ++profile) {
    const auto& clauses = plan.profiles()[profile].clauses;
    for (std::uint32_t clause = 0; clause < clauses.size(); ++clause) {
      if (clauses[clause].node < 0) continue;
      for (std::int64_t node = start; node <= clauses[clause].node; ++node) {
        out[static_cast<std::size_t>(node)] = {profile, clause};
      }
      start = clauses[clause].node + 1;
    }
  }
  return out;
}

class CoverageCounter {
 public:
  explicit CoverageCounter(const engine::Plan& plan) : plan_(plan) {
    const auto& ruleset = plan.ruleset();
    const auto optional = engine::reads_optional_input(plan);
    const auto owners = engine::node_owners(plan);
    const auto sources = engine::node_sources(plan);
    std::vector<bool> is_root(plan.nodes().size(), false);
    for (std::uint32_t symbol = 0; symbol < ruleset.symbols.size(); ++symbol) {
      const std::int64_t root = plan.symbol_nodes()[symbol];
      if (root < 0) continue;
      is_root[static_cast<std::size_t>(root)] = true;
      const engine::Symbol& declared = ruleset.symbols[symbol];
      if (declared.type.kind != engine::TypeKind::kBool) continue;  // a number: nothing to drive
      std::string kind = declared.kind == engine::SymbolKind::kSignal  ? "signal"
                         : declared.kind == engine::SymbolKind::kGroup ? std::string(dsl::group_keyword(declared.group_kind))
                                                                       : "let";
      add(std::move(kind), declared.name, declared.source, declared.span.begin, static_cast<std::uint32_t>(root),
          optional);
    }
    const auto clause_of = clause_of_nodes(plan);
    for (std::uint32_t node = 0; node < plan.nodes().size(); ++node) {
      const engine::PlanNode& planned = plan.nodes()[node];
      if (is_root[node] || !is_comparison(planned.op) || planned.expr == nullptr) continue;
      add("comparison", owners[node], sources[node], planned.expr->span.begin, node, optional);
      std::tie(measured_.back().profile, measured_.back().clause) = clause_of[node];
    }
    for (std::uint32_t profile = 0; profile < plan.profiles().size(); ++profile) {
      const auto& clauses = plan.profiles()[profile].clauses;
      for (std::uint32_t clause = 0; clause < clauses.size(); ++clause) {
        if (clauses[clause].node < 0) continue;  // `otherwise` is always true when reached
        const auto node = static_cast<std::uint32_t>(clauses[clause].node);
        add("clause", plan.profiles()[profile].name + ": " + clauses[clause].clause->action, ruleset.root().source,
            clauses[clause].clause->span.begin, node, optional);
        measured_.back().profile = profile;
        measured_.back().clause = clause;
      }
    }
    std::stable_sort(measured_.begin(), measured_.end(), [](const Measured& left, const Measured& right) {
      return left.source != right.source ? left.source < right.source : left.offset < right.offset;
    });
  }

  // One evaluation of one test; a test that decides twice under one profile counts once.
  void count(std::size_t test, std::int64_t profile, const engine::Evaluation& evaluation) {
    if (!seen_.emplace(test, profile).second) return;
    for (auto& one : measured_) {
      if (one.profile >= 0 && (one.profile != profile || static_cast<std::int64_t>(one.clause) > evaluation.chosen)) {
        continue;  // a clause counts only where its profile decided and the decision reached it
      }
      const Truth truth = evaluation.values[one.node].truth;
      ++one.item.evaluations;
      ++(truth == Truth::kTrue ? one.item.true_count : truth == Truth::kFalse ? one.item.false_count
                                                                              : one.item.unknown_count);
    }
  }

  std::vector<CoverageItem> items() && {
    std::vector<CoverageItem> out;
    for (auto& one : measured_) out.push_back(std::move(one.item));
    return out;
  }

 private:
  void add(std::string kind, std::string name, SourceId source, std::uint32_t offset, std::uint32_t node,
           const std::vector<bool>& optional) {
    const SourceFile& file = plan_.ruleset().sources.file(source);
    Measured one;
    one.item.kind = std::move(kind);
    one.item.name = std::move(name);
    const dsl::Expr* expr = plan_.nodes()[node].expr;
    one.item.text = expr ? dsl::to_source(*expr) : "";
    one.item.file = std::string(file.name());
    const LineCol where = file.line_col(offset);
    one.item.line = where.line;
    one.item.column = where.column;
    one.item.unknown_expected = optional[node];
    one.source = source;
    one.offset = offset;
    one.node = node;
    measured_.push_back(std::move(one));
  }

  const engine::Plan& plan_;
  std::vector<Measured> measured_;
  std::set<std::pair<std::size_t, std::int64_t>> seen_;
};

}  // namespace

std::vector<std::string> CoverageItem::missing() const {
  std::vector<std::string> out;
  if (true_count == 0) out.emplace_back("never true");
  if (false_count == 0) out.emplace_back("never false");
  if (unknown_expected && unknown_count == 0) out.emplace_back("never unknown");
  return out;
}

std::size_t RuleCoverage::outcomes_needed() const {
  std::size_t needed = 0;
  for (const auto& item : items) needed += item.unknown_expected ? 3 : 2;
  return needed;
}

std::size_t RuleCoverage::outcomes_seen() const {
  std::size_t seen = 0;
  for (const auto& item : items) {
    seen += (item.true_count > 0 ? 1 : 0) + (item.false_count > 0 ? 1 : 0) +
            (item.unknown_expected && item.unknown_count > 0 ? 1 : 0);
  }
  return seen;
}

std::size_t RuleCoverage::items_covered() const {
  return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [](const CoverageItem& item) { return item.missing().empty(); }));
}

RuleCoverage rule_coverage(const Ruleset& ruleset) {
  const engine::Plan& plan = *ApiAccess::of(ruleset).plan;
  CoverageCounter counter(plan);
  RuleCoverage coverage;
  coverage.ruleset = std::string(plan.ruleset().sources.file(plan.ruleset().root().source).name());
  const auto prepared = prepare_rule_tests(ruleset);
  for (std::size_t test = 0; test < prepared.size(); ++test) {
    const EvaluationWatcher watcher = [&counter, test](std::int64_t profile, const engine::Evaluation& evaluation) {
      counter.count(test, profile, evaluation);
    };
    coverage.tests.push_back(run_prepared_rule_test(ruleset, prepared[test], &watcher));
  }
  coverage.items = std::move(counter).items();
  return coverage;
}

}  // namespace riskoff
