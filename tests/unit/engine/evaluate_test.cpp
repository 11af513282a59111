// Evaluation end to end on small rulesets: three-valued logic, ranges of counts, staleness,
// overrides and the trace.
#include <bit>
#include <catch2/catch.hpp>
#include <random>

#include "tests/support/check.hpp"
#include "engine/evaluate.hpp"
#include "engine/row_program.hpp"

using namespace riskoff;
using namespace riskoff::engine;

namespace {
constexpr Timestamp kAsOf = 1770238800;  // 2026-02-04T21:00:00Z
constexpr Timestamp kDay = 86400;

struct Harness {
  std::shared_ptr<const Plan> plan;
  Snapshot snapshot;
  Evaluation evaluation;

  explicit Harness(const std::string& body) {
    auto result = testing::check("ruleset t version \"1.0.0\"\n" + body);
    INFO(testing::codes(result.diagnostics));
    REQUIRE_FALSE(result.diagnostics.has_errors());
    plan = Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(result.ruleset)));
    snapshot.as_of = kAsOf;
  }
  void give(const std::string& name, std::vector<double> values, Unit unit, Timestamp last = kAsOf) {
    InputData data;
    data.name = name;
    data.unit = unit;
    for (std::size_t k = 0; k < values.size(); ++k) data.times.push_back(last - static_cast<Timestamp>(values.size() - 1 - k) * kDay);
    data.values = std::move(values);
    snapshot.inputs.push_back(std::move(data));
  }
  std::string run(const std::string& profile = "p", std::vector<std::string> sets = {}) {
    const auto bound = bind(*plan, snapshot);
    INFO(bound.errors.size());
    REQUIRE(bound.ok());
    std::vector<ParamOverride> overrides;
    for (const auto& set : sets) {
      ParamOverride override;
      REQUIRE(parse_override(*plan, set, override).empty());
      overrides.push_back(override);
    }
    evaluate(*plan, bound.bound, static_cast<std::uint32_t>(plan->find_profile(profile)), overrides, evaluation);
    return plan->profiles()[static_cast<std::size_t>(plan->find_profile(profile))]
        .clauses[static_cast<std::size_t>(evaluation.chosen)]
        .clause->action;
  }
  Truth truth(const std::string& name) const {
    return evaluation.values[static_cast<std::size_t>(plan->symbol_nodes()[plan->ruleset().by_name.at(name)])].truth;
  }
  NodeValue value(const std::string& name) const {
    return evaluation.values[static_cast<std::size_t>(plan->symbol_nodes()[plan->ruleset().by_name.at(name)])];
  }
};

constexpr const char* kRules =
    "input us10y : series 1d percent max_age 3d \"yield\"\n"
    "input oi : series 1d usd optional \"open interest\"\n"
    "param jump = 15bp \"why\"\n"
    "let move = change(us10y, 5d)\n"
    "signal rates_up \"R\" = move > jump\n"
    "signal oi_up \"O\" = pct_change(oi, 2d) > 5%\n"
    "signal both \"B\" = rates_up and oi_up\n"
    "signal either \"E\" = rates_up or oi_up\n"
    "driver d1 \"D1\" = rates_up\n"
    "driver d2 \"D2\" = oi_up\n"
    "profile p { decide hedge when count(drivers) >= 2 reduce when count(drivers) >= 1 wait otherwise }\n"
    "profile strict { param jump = 30bp decide reduce when rates_up wait otherwise }\n";
}  // namespace

TEST_CASE("a percent series changes in bp and the decision follows", "[engine][evaluate]") {
  Harness h(kRules);
  h.give("us10y", {4.00, 4.00, 4.05, 4.10, 4.15, 4.18}, Unit::kPercent);
  h.give("oi", {100, 100, 100}, Unit::kUsd);
  CHECK(h.run() == "reduce");
  CHECK(h.value("move").number == Approx(18.0));  // (4.18 - 4.00) x 100
  CHECK(h.truth("rates_up") == Truth::kTrue);
  CHECK(h.truth("oi_up") == Truth::kFalse);
}

TEST_CASE("unknown is never silently false: Kleene logic and ranged counts", "[engine][evaluate]") {
  Harness h(kRules);
  h.give("us10y", {4.00, 4.00, 4.05, 4.10, 4.15, 4.18}, Unit::kPercent);  // oi absent (optional)
  const std::string action = h.run();
  CHECK(h.truth("oi_up") == Truth::kUnknown);
  CHECK(h.truth("both") == Truth::kUnknown);   // true and unknown
  CHECK(h.truth("either") == Truth::kTrue);    // true or unknown
  // count(drivers) is 1 to 2: `>= 2` cannot be decided, `>= 1` can.
  CHECK(action == "reduce");
  CHECK(h.evaluation.depends_on_unknown());
  REQUIRE(h.evaluation.unknown_before.size() == 1);
  CHECK(h.evaluation.unknown_before[0] == 0);
}

TEST_CASE("a stale input is unknown", "[engine][evaluate]") {
  Harness h(kRules);
  h.give("us10y", {4.00, 4.00, 4.05, 4.10, 4.15, 4.18}, Unit::kPercent, kAsOf - 4 * kDay);
  h.give("oi", {100, 100, 100}, Unit::kUsd);
  CHECK(h.run() == "wait");
  CHECK(h.truth("rates_up") == Truth::kUnknown);
  CHECK(h.truth("either") == Truth::kUnknown);
}

TEST_CASE("parameters: defaults, then the profile, then explicit overrides", "[engine][evaluate]") {
  Harness h(kRules);
  h.give("us10y", {4.00, 4.00, 4.05, 4.10, 4.15, 4.18}, Unit::kPercent);
  h.give("oi", {100, 100, 100}, Unit::kUsd);
  CHECK(h.run("strict") == "wait");                        // 18bp < 30bp
  CHECK(h.run("strict", {"jump=10bp"}) == "reduce");       // the command line wins
  ParamOverride override;
  CHECK(parse_override(*h.plan, "jump=1%", override) == "`jump` takes a number in bp such as 15bp, got `1%`");
  CHECK(parse_override(*h.plan, "nope=1bp", override) == "unknown parameter `nope`");
}

TEST_CASE("window overrides from the command line get the window limits", "[engine][evaluate]") {
  Harness h("input x : series 1d index \"x\"\nparam w = 5d \"w\"\nparam n = 10 bars \"n\"\n"
            "signal s \"S\" = sma(x, w) > sma(x, n)\nprofile p { decide hedge when s wait otherwise }\n");
  ParamOverride override;
  CHECK(parse_override(*h.plan, "w=3d", override).empty());
  CHECK(override.value == 3 * 86400);
  CHECK(parse_override(*h.plan, "w=-3d", override).find("out of range") != std::string::npos);
  CHECK(parse_override(*h.plan, "w=5000d", override).find("out of range") != std::string::npos);
  CHECK(parse_override(*h.plan, "n=2.5bars", override).find("out of range") != std::string::npos);
}

TEST_CASE("binding rejects what the ruleset declares otherwise and sets aside what it does not read", "[engine][evaluate]") {
  Harness h(kRules);
  h.give("us10y", {4.0}, Unit::kBp);
  h.give("vix", {20}, Unit::kIndex);
  const auto bound = bind(*h.plan, h.snapshot);
  REQUIRE(bound.errors.size() == 1);
  CHECK(bound.errors[0] == "input `us10y` is in bp but the ruleset declares it in percent");
  REQUIRE(bound.unused.size() == 1);
  CHECK(bound.unused[0] == "vix");
  Snapshot empty;
  const auto missing = bind(*h.plan, empty);
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0] == "required input `us10y` is missing from the snapshot");
}

TEST_CASE("the trace is one value per plan node and identical across runs", "[engine][evaluate]") {
  Harness h(kRules);
  h.give("us10y", {4.00, 4.00, 4.05, 4.10, 4.15, 4.18}, Unit::kPercent);
  h.run();
  const auto first = h.evaluation.values;
  CHECK(first.size() == h.plan->nodes().size());
  h.run();
  for (std::size_t k = 0; k < first.size(); ++k) {
    CHECK(first[k].truth == h.evaluation.values[k].truth);
    CHECK((std::isnan(first[k].number) ? std::isnan(h.evaluation.values[k].number)
                                       : first[k].number == h.evaluation.values[k].number));
  }
}

TEST_CASE("scalar built-ins and aggregates on hand-computed values", "[engine][evaluate]") {
  Harness h(
      "input a : scalar number \"a\"\n"
      "input b : scalar number \"b\"\n"
      "input r : scalar percent \"r\"\n"
      "let m1 = abs(a - b)\n"            // |2 - 5| = 3
      "let m2 = min(a, b, 4)\n"          // 2
      "let m3 = max(a, b, 4)\n"          // 5
      "let m4 = clamp(a * 3, 0, 5)\n"    // 6 clamped to 5
      "let m5 = to_bp(r)\n"              // 1.25% = 125bp
      "let m6 = to_pct(to_bp(r))\n"      // back to 1.25%
      "let m7 = if a > b then a else b / a\n"  // 5 / 2 = 2.5
      "let m8 = a / 0\n"                 // unknown, never infinite
      "signal s1 \"S1\" = a > 1\n"
      "signal s2 \"S2\" = b > 10\n"
      "signal s3 \"S3\" = r > 1%\n"
      "let sc = score(s1: 2, s2: 5, s3)\n"  // 2 + 0 + 1 = 3
      "signal al \"AL\" = at_least(2, s1, s2, s3)\n"
      "signal an \"AN\" = any(s2, s1) and not all(s1, s2)\n"
      "profile p { decide hedge when sc >= 3 wait otherwise }\n");
  h.give("a", {2}, Unit::kNumber);
  h.give("b", {5}, Unit::kNumber);
  h.give("r", {1.25}, Unit::kPercent);
  CHECK(h.run() == "hedge");
  CHECK(h.value("m1").number == Approx(3));
  CHECK(h.value("m2").number == Approx(2));
  CHECK(h.value("m3").number == Approx(5));
  CHECK(h.value("m4").number == Approx(5));
  CHECK(h.value("m5").number == Approx(125));
  CHECK(h.value("m6").number == Approx(1.25));
  CHECK(h.value("m7").number == Approx(2.5));
  CHECK(std::isnan(h.value("m8").number));
  CHECK(h.value("sc").number == Approx(3));
  CHECK(h.truth("al") == Truth::kTrue);
  CHECK(h.truth("an") == Truth::kTrue);
}

// The row state is one evaluation path with the trace written from it on request: on random
// rows (moves around the threshold, the optional input absent or present, the required one
// stale or fresh, so counts are ranges and conditions unknown), a reused Evaluation that keeps
// no node values decides as a fresh one that keeps them, and a reused one that keeps them gives
// the fresh trace bit for bit.
TEST_CASE("decision-only and reused evaluations decide as a fresh full trace on random rows", "[engine][evaluate][row]") {
  Harness h(kRules);
  std::mt19937_64 random(19);
  std::uniform_real_distribution<double> step(-0.06, 0.08);
  std::bernoulli_distribution coin(0.5);
  Evaluation decision_only;
  decision_only.keep_values = false;
  Evaluation reused;
  std::size_t unknown_rows = 0;
  for (int row = 0; row < 400; ++row) {
    h.snapshot.inputs.clear();
    std::vector<double> yields{4.0};
    for (int k = 0; k < 6; ++k) yields.push_back(yields.back() + step(random));
    h.give("us10y", yields, Unit::kPercent, coin(random) ? kAsOf : kAsOf - 5 * kDay);
    if (coin(random)) h.give("oi", {1e9, 1e9 * (1 + step(random)), 1e9 * (1 + step(random))}, Unit::kUsd);
    const auto bound = bind(*h.plan, h.snapshot);
    REQUIRE(bound.ok());
    for (const std::string profile : {"p", "strict"}) {
      const auto index = static_cast<std::uint32_t>(h.plan->find_profile(profile));
      Evaluation fresh;
      evaluate(*h.plan, bound.bound, index, {}, fresh);
      evaluate(*h.plan, bound.bound, index, {}, decision_only);
      evaluate(*h.plan, bound.bound, index, {}, reused);
      INFO("row " << row << ", profile " << profile);
      CHECK(decision_only.values.empty());
      CHECK(decision_only.chosen == fresh.chosen);
      CHECK(decision_only.unknown_before == fresh.unknown_before);
      CHECK(reused.chosen == fresh.chosen);
      REQUIRE(reused.values.size() == fresh.values.size());
      for (std::size_t k = 0; k < fresh.values.size(); ++k) {
        INFO("node " << k);
        CHECK(reused.values[k].truth == fresh.values[k].truth);
        CHECK(std::bit_cast<std::uint64_t>(reused.values[k].number) == std::bit_cast<std::uint64_t>(fresh.values[k].number));
        CHECK(std::bit_cast<std::uint64_t>(reused.values[k].upper) == std::bit_cast<std::uint64_t>(fresh.values[k].upper));
      }
      unknown_rows += fresh.depends_on_unknown() ? 1 : 0;
    }
  }
  CHECK(unknown_rows > 0);  // the random rows reached the unknown cases
}

// The row program computes a node identical to an earlier one once (RowProgram): each name still
// reports the value, windows included, fresh or stale.
TEST_CASE("identical nodes are computed once and reported under every name", "[engine][evaluate][row]") {
  Harness h(
      "input us10y : series 1d percent max_age 3d \"yield\"\n"
      "let m1 = change(us10y, 5d)\n"
      "let m2 = change(us10y, 5d)\n"
      "signal r1 \"R1\" = m1 > 15bp\n"
      "signal r2 \"R2\" = change(us10y, 5d) > 15bp\n"
      "profile p { decide hedge when r1 and r2 wait otherwise }\n");
  h.give("us10y", {4.00, 4.00, 4.05, 4.10, 4.15, 4.18}, Unit::kPercent);
  CHECK(h.run() == "hedge");
  CHECK(h.value("m1").number == Approx(18.0));
  CHECK(h.value("m2").number == Approx(18.0));
  CHECK(h.truth("r1") == Truth::kTrue);
  CHECK(h.truth("r2") == Truth::kTrue);
  h.snapshot.inputs.clear();
  h.give("us10y", {4.00, 4.00, 4.05, 4.10, 4.15, 4.18}, Unit::kPercent, kAsOf - 5 * kDay);
  CHECK(h.run() == "wait");
  CHECK(std::isnan(h.value("m2").number));
  CHECK(h.truth("r1") == Truth::kUnknown);
  CHECK(h.truth("r2") == Truth::kUnknown);
}

// An aggregate's b and c say where its members are stored (PlanNode::args_begin()), not what it
// computes: two counts of the same members are one step, whichever of them was compiled first.
TEST_CASE("identical aggregates are computed once though their members are stored apart", "[engine][evaluate][row]") {
  Harness h(
      "input x : series 1d number \"x\"\n"
      "signal a \"A\" = x > 1\n"
      "signal b \"B\" = x > 2\n"
      "let n1 = count(a, b)\n"
      "let n2 = count(a, b)\n"
      "let n3 = count(b, a)\n"
      "signal s \"S\" = n1 + n2 + n3 >= 6\n"
      "profile p { decide hedge when s wait otherwise }\n");
  h.give("x", {1, 2, 3}, Unit::kNumber);
  CHECK(h.run() == "hedge");
  CHECK(h.value("n2").number == 2);
  const auto node = [&](const char* name) {
    return static_cast<std::uint32_t>(h.plan->symbol_nodes()[h.plan->ruleset().by_name.at(name)]);
  };
  const auto& resolved = h.plan->row_program()->resolved;
  CHECK(resolved[node("n2")] == node("n1"));
  CHECK(resolved[node("n3")] == node("n3"));  // members in another order: another step
}

// Comparisons of an input with a constant, either side, and the inputs other nodes read run in
// loops of their own before the steps (RowProgram::comparisons, RowProgram::inputs): none of
// them is left a step, each under its operator (mirrored when the constant is on the left), and
// a number compared with a computed number stays a step that reads the input's cell.
TEST_CASE("comparisons with constants and input reads run before the steps", "[engine][evaluate][row]") {
  Harness h(
      "input x : series 1d number \"x\"\n"
      "input y : series 1d number \"y\"\n"
      "signal a \"A\" = x > 1 and 2 > y\n"
      "signal b \"B\" = x != 3 or y >= 2 * x\n"
      "profile p { decide hedge when a and b wait otherwise }\n");
  h.give("x", {1, 2}, Unit::kNumber);
  h.give("y", {0, 1}, Unit::kNumber);
  CHECK(h.run() == "hedge");
  h.snapshot.inputs.clear();
  h.give("x", {1, 3}, Unit::kNumber);
  h.give("y", {0, 7}, Unit::kNumber);
  CHECK(h.run() == "wait");  // b holds (7 >= 6), a does not (2 > 7 is false)
  CHECK(h.truth("b") == Truth::kTrue);
  const RowProgram& program = *h.plan->row_program();
  CHECK(program.comparisons[comparison_number(NodeOp::kGt)].size() == 1);  // x > 1
  CHECK(program.comparisons[comparison_number(NodeOp::kLt)].size() == 1);  // 2 > y as y < 2
  CHECK(program.comparisons[comparison_number(NodeOp::kNe)].size() == 1);  // x != 3
  CHECK(program.inputs.size() == 2);                                       // y and x for y >= 2 * x
  for (const RowStep& step : program.steps) CHECK(step.node.op != NodeOp::kInput);
}

// Node values come from each node's resolved cell (RowProgram::resolved); an input read only by
// comparisons with constants has its cell written only when values are kept
// (RowProgram::kept_inputs), also after a decision-only run on the same evaluation.
TEST_CASE("an input only compared with constants reports its value under every name", "[engine][evaluate][row]") {
  Harness h(
      "input x : series 1d number \"x\"\n"
      "let level = x\n"
      "signal a \"A\" = level > 1\n"
      "profile p { decide hedge when a wait otherwise }\n");
  h.give("x", {1, 2.5}, Unit::kNumber);
  CHECK(h.run() == "hedge");
  CHECK(h.plan->row_program()->kept_inputs.size() == 1);
  CHECK(h.value("level").number == 2.5);
  CHECK(h.value("level").upper == 2.5);
  CHECK(h.value("level").truth == Truth::kUnknown);
  h.snapshot.inputs.clear();
  h.give("x", {1, 0.5}, Unit::kNumber);
  h.evaluation.keep_values = false;
  CHECK(h.run() == "wait");
  CHECK(h.evaluation.values.empty());
  h.evaluation.keep_values = true;
  CHECK(h.run() == "wait");
  CHECK(h.value("level").number == 0.5);
  CHECK(h.value("a").truth == Truth::kFalse);
  CHECK(std::isnan(h.value("a").number));
}

// bind() tries the slot after the previous input's first: a snapshot in another order, or with
// inputs the ruleset does not declare, still binds every input to its own slot.
TEST_CASE("binding matches inputs by name in any order", "[engine][evaluate]") {
  Harness h(
      "input a : series 1d number \"a\"\n"
      "input b : series 1d number \"b\"\n"
      "input c : series 1d number \"c\"\n"
      "signal s \"S\" = a + b > c\n"
      "profile p { decide hedge when s wait otherwise }\n");
  h.give("c", {3}, Unit::kNumber);
  h.give("zz", {9}, Unit::kNumber);
  h.give("a", {1}, Unit::kNumber);
  h.give("b", {2.5}, Unit::kNumber);
  const auto bound = bind(*h.plan, h.snapshot);
  REQUIRE(bound.ok());
  REQUIRE(bound.unused == std::vector<std::string>{"zz"});
  for (std::size_t slot = 0; slot < h.plan->inputs().size(); ++slot) {
    REQUIRE(bound.bound.inputs[slot].data != nullptr);
    CHECK(bound.bound.inputs[slot].data->name == h.plan->inputs()[slot].name);
  }
  CHECK(h.run() == "hedge");  // 1 + 2.5 > 3
}
