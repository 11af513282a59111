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

std::uint32_t through_references(const engine::Plan& plan, std::uint32_t node) {
  while (plan.nodes()[node].op == NodeOp::kRef) node = plan.nodes()[node].a;
  return node;
}

// A threshold's value as the rules are written: a literal, a negated literal or a parameter.
std::optional<double> threshold_value(const engine::Plan& plan, std::uint32_t node) {
  const PlanNode& planned = plan.nodes()[node];
  if (planned.op == NodeOp::kConst) return planned.constant;
  if (planned.op == NodeOp::kNeg && plan.nodes()[planned.a].op == NodeOp::kConst) return -plan.nodes()[planned.a].constant;
  if (planned.op == NodeOp::kParam) return plan.params()[planned.a].default_value;
  return std::nullopt;
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

// A `given`: the input and its values, oldest first.
struct BoundaryData {
  std::string input;
  std::vector<double> values;
  std::string text() const {
    std::string out = "given " + input + " = [";
    for (std::size_t index = 0; index < values.size(); ++index) out += (index ? ", " : "") + number_text(values[index]);
    return out + "]";
  }
  dsl::Given given() const {
    dsl::Given out;
    out.input = input;
    out.shape = dsl::Given::Shape::kSeries;
    for (const double value : values) out.values.push_back({value, dsl::LiteralUnit::kNone, number_text(value)});
    return out;
  }
};

// The data making `subject` equal `value`: an input's last value, or a series whose change or
// pct_change over the window is `value`; empty when the subject is neither.
BoundaryData data_at(const engine::Plan& plan, std::uint32_t subject, double value, const PreparedRuleTest* closest) {
  while (plan.nodes()[subject].op == NodeOp::kRef) subject = plan.nodes()[subject].a;
  const PlanNode& node = plan.nodes()[subject];
  if (node.op == NodeOp::kInput) return {plan.inputs()[node.a].name, {value}};
  if (node.op != NodeOp::kWindow) return {};
  const auto id = engine::builtins()[node.fn].id;
  if (id != engine::BuiltinId::kChange && id != engine::BuiltinId::kPctChange) return {};
  const PlanNode& window = plan.nodes()[node.b];
  double length = window.op == NodeOp::kConst   ? window.constant
                  : window.op == NodeOp::kParam ? plan.params()[window.a].default_value
                                                : -1;
  if (length <= 0) return {};
  const engine::InputSlot& input = plan.inputs()[node.a];
  // Observations one frequency step apart: the window's reference is the first of them.
  const double steps = node.window_kind == engine::WindowKind::kBars
                           ? length
                           : std::ceil(length / (input.frequency_hours * 3600) - 1e-9);
  if (steps < 1 || steps > 400) return {};
  const double base = last_value(closest, input.name, id == engine::BuiltinId::kChange ? 0 : 100);
  const double last = id == engine::BuiltinId::kChange ? base + value / node.constant : base * (1 + value / 100);
  BoundaryData data{input.name, std::vector<double>(static_cast<std::size_t>(steps), base)};
  data.values.push_back(last);
  return data;
}

// The expectations that tell the rules from the mutant on `snapshot`, verified by deciding both:
// the symbol's truth under the first profile; else a profile whose action differs; else a
// profile under which the symbol differs, named by its action first (so the symbol is read
// there). Empty when the data does not tell them apart.
std::string telling_expectations(const Ruleset& rules, const Ruleset& mutant, const Snapshot& snapshot,
                                 const std::vector<std::string>& overrides, const std::string& symbol) {
  const auto& profiles = rules.profiles();
  struct Read {
    std::string action;
    Truth truth = Truth::kUnknown;
  };
  const auto read = [&](const Ruleset& ruleset, const std::string& profile) -> std::optional<Read> {
    auto decided = decide(ruleset, snapshot, {.profile = profile, .overrides = overrides});
    if (!decided) return std::nullopt;
    const auto value = symbol.empty() ? std::nullopt : decided->value(symbol);
    return Read{decided->action(), value ? value->truth : Truth::kUnknown};
  };
  const auto truth_word = [](Truth truth) {
    return truth == Truth::kTrue ? "true" : truth == Truth::kFalse ? "false" : "unknown";
  };
  std::vector<std::pair<std::optional<Read>, std::optional<Read>>> reads;
  for (const auto& profile : profiles) reads.emplace_back(read(rules, profile), read(mutant, profile));
  for (const auto& [ours, theirs] : reads) {
    if (!ours || !theirs) return "";
  }
  if (!symbol.empty() && !reads.empty() && reads[0].first->truth != reads[0].second->truth) {
    return "expect " + symbol + " is " + truth_word(reads[0].first->truth);
  }
  for (std::size_t profile = 0; profile < reads.size(); ++profile) {
    if (reads[profile].first->action != reads[profile].second->action) {
      return "expect " + profiles[profile] + " -> " + reads[profile].first->action;
    }
  }
  for (std::size_t profile = 0; profile < reads.size() && !symbol.empty(); ++profile) {
    if (reads[profile].first->truth != reads[profile].second->truth) {
      return "expect " + profiles[profile] + " -> " + reads[profile].first->action + "\n  expect " + symbol + " is " +
             truth_word(reads[profile].first->truth);
    }
  }
  return "";
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

// Observations one frequency step apart that a change-type window of `length` spans.
double window_steps(const engine::Plan& plan, const PlanNode& window_node, double length) {
  const engine::InputSlot& input = plan.inputs()[window_node.a];
  return window_node.window_kind == engine::WindowKind::kBars ? length
                                                              : std::ceil(length / (input.frequency_hours * 3600) - 1e-9);
}

struct WindowBoundary {
  std::uint32_t window = 0;      // the change/pct_change node
  std::uint32_t comparison = 0;  // where it meets a threshold
  bool subject_on_left = true;
  double threshold = 0;
};

// The first change/pct_change over the mutated window that a comparison holds against a plain
// threshold.
std::optional<WindowBoundary> window_boundary(const engine::Plan& plan, const engine::Mutant& mutant) {
  const std::int64_t slot = changed_param(plan, mutant);
  const auto& nodes = plan.nodes();
  for (std::uint32_t window = 0; window < nodes.size(); ++window) {
    const PlanNode& node = nodes[window];
    if (node.op != NodeOp::kWindow) continue;
    const bool reads = slot >= 0 ? nodes[node.b].op == NodeOp::kParam && nodes[node.b].a == slot
                                 : mutant.target == engine::MutantTarget::kNode && node.b == mutant.index;
    const auto id = engine::builtins()[node.fn].id;
    if (!reads || (id != engine::BuiltinId::kChange && id != engine::BuiltinId::kPctChange)) continue;
    for (std::uint32_t comparison = 0; comparison < nodes.size(); ++comparison) {
      const PlanNode& compared = nodes[comparison];
      if (!is_comparison(compared.op)) continue;
      for (const bool left : {true, false}) {
        if (through_references(plan, left ? compared.a : compared.b) != window) continue;
        if (const auto value = threshold_value(plan, left ? compared.b : compared.a)) {
          return WindowBoundary{window, comparison, left, *value};
        }
      }
    }
  }
  return std::nullopt;
}

// Data whose move happens at the window's far end: over the window as written the change
// crosses the threshold, over the mutant's window (one unit shorter or longer) it is zero.
std::string window_test(const engine::Mutant& mutant, const OriginalRun& run, const std::vector<PreparedRuleTest>& tests,
                        const Ruleset& rules, const Ruleset& mutant_rules) {
  const engine::Plan& plan = run.plan;
  const auto boundary = window_boundary(plan, mutant);
  if (!boundary) return "";
  const PlanNode& window = plan.nodes()[boundary->window];
  const PlanNode& length_node = plan.nodes()[window.b];
  const double length = length_node.op == NodeOp::kConst ? length_node.constant : plan.params()[length_node.a].default_value;
  const double steps = window_steps(plan, window, length);
  if (steps < 1 || steps > 400) return "";
  const NodeOp op = plan.nodes()[boundary->comparison].op;
  const auto holds = [&](double change) {
    return boundary->subject_on_left ? engine::comparison_holds(op, change, boundary->threshold)
                                     : engine::comparison_holds(op, boundary->threshold, change);
  };
  std::optional<double> change;
  for (const double candidate : {2 * boundary->threshold, -2 * boundary->threshold, 1.0, -1.0}) {
    if (candidate != 0 && holds(candidate) != holds(0)) {
      change = candidate;
      break;
    }
  }
  if (!change) return "";
  const ClosestToFlip& near = run.closest[boundary->comparison];
  const PreparedRuleTest* closest = near.test < tests.size() ? &tests[near.test] : nullptr;
  const bool percent = engine::builtins()[window.fn].id == engine::BuiltinId::kPctChange;
  const std::string input = plan.inputs()[window.a].name;
  const double base = last_value(closest, input, percent ? 100 : 0);
  const double moved = percent ? base * (1 + *change / 100) : base + *change / window.constant;
  BoundaryData data{input, {}};
  if (mutant.value > length) data.values = {moved};  // the longer window reaches back to an unmoved value
  data.values.push_back(base);
  data.values.insert(data.values.end(), static_cast<std::size_t>(steps), moved);
  const std::string fixture = closest != nullptr ? closest->test.test->fixture : "";
  std::vector<std::string> overrides;
  const auto snapshot = suggested_test_snapshot(rules, fixture, {data.given()}, overrides);
  std::string symbol = symbol_rooted_at(plan, boundary->comparison);
  if (symbol.empty()) symbol = run.owners[boundary->comparison];
  if (plan.ruleset().by_name.count(symbol) == 0) symbol.clear();
  const std::string expectations = snapshot ? telling_expectations(rules, mutant_rules, *snapshot, overrides, symbol) : "";
  if (expectations.empty()) return "";
  return "test \"" + (symbol.empty() ? mutant.owner : symbol) + " over " + mutant.from + ", not " + mutant.to + "\"" +
         (fixture.empty() ? "" : " from " + fixture) + " {\n  " + data.text() + "\n  " + expectations + "\n}";
}

}  // namespace

OriginalRun::OriginalRun(const engine::Plan& rules)
    : plan(rules),
      owners(engine::node_owners(rules)),
      closest(rules.nodes().size()),
      truths(rules.nodes().size(), {false, false, false}) {}

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

std::string suggest_test(const engine::Mutant& mutant, const OriginalRun& run, const std::vector<PreparedRuleTest>& tests,
                         const Ruleset& rules, const Ruleset& mutant_rules) {
  const engine::Plan& plan = run.plan;
  const std::int64_t comparison = comparison_of(plan, mutant);
  if (mutant.kind == engine::MutantKind::kWindow) {
    const std::string test = window_test(mutant, run, tests, rules, mutant_rules);
    return test.empty() ? comment_for(mutant, run, comparison) : test;
  }
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
  const BoundaryData data = data_at(plan, threshold_on_right ? compared.a : compared.b, boundary, closest);
  if (data.input.empty()) return comment_for(mutant, run, comparison);
  const std::string fixture = closest != nullptr ? closest->test.test->fixture : "";
  std::vector<std::string> overrides;
  const auto snapshot = suggested_test_snapshot(rules, fixture, {data.given()}, overrides);
  std::string symbol = symbol_rooted_at(plan, static_cast<std::uint32_t>(comparison));
  if (symbol.empty()) symbol = run.owners[static_cast<std::size_t>(comparison)];
  if (plan.ruleset().by_name.count(symbol) == 0) symbol.clear();  // a profile's clause: actions only
  const std::string expectations =
      snapshot ? telling_expectations(rules, mutant_rules, *snapshot, overrides, symbol) : "";
  if (expectations.empty()) return comment_for(mutant, run, comparison);
  return "test \"" + (symbol.empty() ? mutant.owner : symbol) + " between " + mutant.from + " and " + mutant.to + "\"" +
         (fixture.empty() ? "" : " from " + fixture) + " {\n  " + data.text() + "\n  " + expectations + "\n}";
}

}  // namespace riskoff
