// suggest_test(): for a surviving mutant, the test that would tell it from the rules. For a moved
// threshold the boundary is known exactly (between the number as written and the mutant's), so
// when the other side of the comparison is an input, or its change or pct_change over a window,
// the test's `given` is built from it: a value (or a series ending in a move) halfway between.
#include "api/mutant_suggestion.hpp"

#include <cstdio>

namespace riskoff {
namespace {

using engine::NodeOp;
using engine::PlanNode;

bool is_comparison(NodeOp op) { return op >= NodeOp::kLt && op <= NodeOp::kNe; }

bool compare(NodeOp op, double lhs, double rhs) {
  switch (op) {
    case NodeOp::kLt: return lhs < rhs;
    case NodeOp::kLe: return lhs <= rhs;
    case NodeOp::kGt: return lhs > rhs;
    case NodeOp::kGe: return lhs >= rhs;
    case NodeOp::kEq: return lhs == rhs;
    default: return lhs != rhs;
  }
}

// Test data is written by hand: ten significant digits say it exactly enough.
std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

// The parameter slot a mutant changes, or -1.
std::int64_t changed_param(const engine::Plan& plan, const engine::Mutant& mutant) {
  if (mutant.target == engine::MutantTarget::kParamDefault) return mutant.index;
  if (mutant.target == engine::MutantTarget::kProfileParam) {
    return plan.profiles()[mutant.index].overrides[mutant.member].first;
  }
  return -1;
}

// Whether `node` is the changed number itself (the literal, its negation, or the parameter),
// and its value before and after.
bool is_changed_number(const engine::Plan& plan, const engine::Mutant& mutant, std::uint32_t node, double& before,
                       double& after) {
  const PlanNode& planned = plan.nodes()[node];
  const std::int64_t slot = changed_param(plan, mutant);
  if (slot >= 0 && planned.op == NodeOp::kParam && planned.a == slot) {
    before = mutant.target == engine::MutantTarget::kParamDefault
                 ? plan.params()[planned.a].default_value
                 : plan.profiles()[mutant.index].overrides[mutant.member].second;
    after = mutant.value;
    return true;
  }
  if (mutant.target != engine::MutantTarget::kNode) return false;
  const double sign = planned.op == NodeOp::kNeg ? -1 : 1;
  const std::uint32_t literal = planned.op == NodeOp::kNeg ? planned.a : node;
  if (literal != mutant.index) return false;
  before = sign * plan.nodes()[literal].constant;
  after = sign * mutant.value;
  return true;
}

// The comparison the mutant's boundary belongs to: its own, or the first that reads the changed
// parameter directly.
std::int64_t comparison_of(const engine::Plan& plan, const engine::Mutant& mutant) {
  if (mutant.comparison >= 0) return mutant.comparison;
  const std::int64_t slot = changed_param(plan, mutant);
  if (slot < 0) return -1;
  for (std::uint32_t node = 0; node < plan.nodes().size(); ++node) {
    const PlanNode& planned = plan.nodes()[node];
    if (!is_comparison(planned.op)) continue;
    for (const std::uint32_t side : {planned.a, planned.b}) {
      const PlanNode& read = plan.nodes()[side];
      if (read.op == NodeOp::kParam && read.a == slot) return node;
    }
  }
  return -1;
}

// The symbol whose whole condition is `node`, or "".
std::string symbol_rooted_at(const engine::Plan& plan, std::uint32_t node) {
  for (std::uint32_t symbol = 0; symbol < plan.symbol_nodes().size(); ++symbol) {
    if (plan.symbol_nodes()[symbol] == node) return plan.ruleset().symbols[symbol].name;
  }
  return "";
}

double last_value(const PreparedRuleTest* test, const std::string& input, double otherwise) {
  if (test == nullptr || !test->snapshot) return otherwise;
  for (const auto& data : ApiAccess::of(*test->snapshot)->snapshot.inputs) {
    if (data.name == input && !data.values.empty()) return data.values.back();
  }
  return otherwise;
}

// `given INPUT = [...]` making `subject` equal `value`, or "" when the subject is not an input
// nor a change/pct_change of one over a known window.
std::string given_for(const engine::Plan& plan, std::uint32_t subject, double value, const PreparedRuleTest* closest) {
  while (plan.nodes()[subject].op == NodeOp::kRef) subject = plan.nodes()[subject].a;
  const PlanNode& node = plan.nodes()[subject];
  if (node.op == NodeOp::kInput) {
    return "given " + plan.inputs()[node.a].name + " = [" + number_text(value) + "]";
  }
  if (node.op != NodeOp::kWindow) return "";
  const auto id = engine::builtins()[node.fn].id;
  if (id != engine::BuiltinId::kChange && id != engine::BuiltinId::kPctChange) return "";
  const PlanNode& window = plan.nodes()[node.b];
  double length = window.op == NodeOp::kConst   ? window.constant
                  : window.op == NodeOp::kParam ? plan.params()[window.a].default_value
                                                : -1;
  if (length <= 0) return "";
  const engine::InputSlot& input = plan.inputs()[node.a];
  // Observations one frequency step apart: the window's reference is the first of them.
  const double steps = node.window_kind == engine::WindowKind::kBars
                           ? length
                           : std::ceil(length / (input.frequency_hours * 3600) - 1e-9);
  if (steps < 1 || steps > 400) return "";
  const double base = last_value(closest, input.name, id == engine::BuiltinId::kChange ? 0 : 100);
  const double last = id == engine::BuiltinId::kChange ? base + value / node.constant : base * (1 + value / 100);
  std::string series;
  for (int step = 0; step < static_cast<int>(steps); ++step) series += number_text(base) + ", ";
  return "given " + input.name + " = [" + series + number_text(last) + "]";
}

std::string comment_for(const engine::Mutant& mutant, const OriginalRun& run, std::int64_t comparison) {
  const auto seen = [&](std::int64_t node, Truth truth) {
    return node >= 0 && run.truths[static_cast<std::size_t>(node)][static_cast<std::size_t>(truth)];
  };
  switch (mutant.kind) {
    case engine::MutantKind::kDropClause:
      return "# no test expects `" + mutant.owner.substr(8) + " -> " + mutant.from.substr(0, mutant.from.find(' ')) +
             "` where this clause decides: add one whose data makes `" + mutant.from.substr(mutant.from.find(" when ") + 6) +
             "` true";
    case engine::MutantKind::kLogic:
      return "# add a test where exactly one side of `" + mutant.context + "` holds, with an `expect` on `" +
             mutant.owner + "`";
    case engine::MutantKind::kComparison:
      if (!seen(comparison, Truth::kFalse)) return "# no test made `" + mutant.context + "` false: add one that does";
      if (!seen(comparison, Truth::kTrue)) return "# no test made `" + mutant.context + "` true: add one that does";
      return "# `" + mutant.context + "` was both true and false, but no expectation depended on it: expect `" +
             mutant.owner + "` in a test on each side";
    case engine::MutantKind::kWindow:
      return "# add a test whose data moves between the window's last units (" + mutant.from + " and " + mutant.to +
             ") in `" + mutant.context + "`";
    default:
      return "# add a test with `" + mutant.context + "` between " + mutant.from + " and " + mutant.to +
             " (where the rules and the mutant disagree), expecting `" + mutant.owner + "`";
  }
}

}  // namespace

OriginalRun::OriginalRun(const engine::Plan& rules)
    : plan(rules), closest(rules.nodes().size()), truths(rules.nodes().size(), {false, false, false}) {}

void OriginalRun::record(std::size_t test, const engine::Evaluation& evaluation) {
  for (std::uint32_t node = 0; node < plan.nodes().size(); ++node) {
    const engine::NodeValue& value = evaluation.values[node];
    truths[node][static_cast<std::size_t>(value.truth)] = true;
    const PlanNode& planned = plan.nodes()[node];
    if (!is_comparison(planned.op)) continue;
    const double lhs = evaluation.values[planned.a].number;
    const double rhs = evaluation.values[planned.b].number;
    if (std::isnan(lhs) || std::isnan(rhs)) continue;
    ClosestToFlip& best = closest[node];
    if (std::abs(lhs - rhs) < best.margin) best = {test, std::abs(lhs - rhs), lhs, rhs};
  }
}

std::string suggest_test(const engine::Mutant& mutant, const OriginalRun& run, const std::vector<PreparedRuleTest>& tests) {
  const engine::Plan& plan = run.plan;
  const std::int64_t comparison = comparison_of(plan, mutant);
  const bool threshold = mutant.kind == engine::MutantKind::kThreshold || mutant.kind == engine::MutantKind::kCountThreshold;
  if (!threshold || comparison < 0) return comment_for(mutant, run, comparison);
  const PlanNode& compared = plan.nodes()[static_cast<std::size_t>(comparison)];
  double before = 0, after = 0;
  bool threshold_on_right = true;
  if (!is_changed_number(plan, mutant, compared.b, before, after)) {
    if (!is_changed_number(plan, mutant, compared.a, before, after)) return comment_for(mutant, run, comparison);
    threshold_on_right = false;
  }
  const ClosestToFlip& near = run.closest[static_cast<std::size_t>(comparison)];
  const PreparedRuleTest* closest = near.test < tests.size() ? &tests[near.test] : nullptr;
  const double boundary = (before + after) / 2;
  const std::string given = given_for(plan, threshold_on_right ? compared.a : compared.b, boundary, closest);
  const std::string symbol = symbol_rooted_at(plan, static_cast<std::uint32_t>(comparison));
  if (given.empty() || symbol.empty()) return comment_for(mutant, run, comparison);
  const bool holds = threshold_on_right ? compare(compared.op, boundary, before) : compare(compared.op, before, boundary);
  std::string from;
  if (closest != nullptr && !closest->test.test->fixture.empty()) from = " from " + closest->test.test->fixture;
  return "test \"" + symbol + " between " + mutant.from + " and " + mutant.to + "\"" + from + " {\n  " + given +
         "\n  expect " + symbol + " is " + (holds ? "true" : "false") + "\n}";
}

}  // namespace riskoff
