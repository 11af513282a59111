// Batch evaluation must agree with evaluate() row by row: same decisions, same value for every
// node, including unknowns (NaN inputs), ties at thresholds and ranged counts.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "tests/support/files.hpp"
#include "tests/support/check.hpp"
#include "engine/batch.hpp"

using namespace riskoff;
using namespace riskoff::engine;

namespace {

std::shared_ptr<const Plan> compile_text(const std::string& text) {
  auto result = testing::check(text);
  INFO(testing::codes(result.diagnostics));
  REQUIRE_FALSE(result.diagnostics.has_errors());
  return Plan::compile(std::shared_ptr<const CheckedRuleset>(std::move(result.ruleset)));
}

// A column per input, each row a seeded random pick from `choices`.
template <std::size_t N>
std::vector<std::vector<double>> random_columns(const Plan& plan, std::size_t rows, std::uint64_t seed,
                                                const double (&choices)[N]) {
  std::mt19937_64 random(seed);
  std::vector<std::vector<double>> columns(plan.inputs().size());
  for (auto& column : columns) {
    for (std::size_t row = 0; row < rows; ++row) column.push_back(choices[random() % N]);
  }
  return columns;
}

bool same(const NodeValue& a, const NodeValue& b) {
  auto eq = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  return a.truth == b.truth && eq(a.number, b.number) && eq(a.upper, b.upper);
}

using KernelChoice = BatchEvaluator::KernelChoice;

// Evaluates every row both ways and compares decisions and all node values, with one set of
// row loops.
void agree_with(const std::shared_ptr<const Plan>& plan, const std::vector<std::vector<double>>& columns,
                std::size_t rows, std::uint32_t profile, const BatchEvaluator& batch) {
  INFO("row loops: " << batch.kernel_name());
  BatchInputs inputs;
  inputs.rows = rows;
  for (const auto& column : columns) inputs.columns.push_back(column.empty() ? nullptr : column.data());
  std::vector<std::int32_t> decisions(rows);
  BatchTrace trace;
  batch.run(inputs, decisions.data(), &trace);
  std::vector<std::int32_t> untraced(rows);
  batch.run(inputs, untraced.data());
  CHECK(untraced == decisions);

  Snapshot snapshot;
  for (std::size_t slot = 0; slot < plan->inputs().size(); ++slot) {
    if (columns[slot].empty()) continue;
    InputData data;
    data.name = plan->inputs()[slot].name;
    data.unit = plan->inputs()[slot].unit;
    data.is_series = false;
    data.times = {0};
    data.values = {0};
    snapshot.inputs.push_back(data);
  }
  snapshot.as_of = 0;
  Evaluation evaluation;
  // The decision alone (the prepared API's and the row benchmark's path), on one reused state.
  Evaluation decision_only;
  decision_only.keep_values = false;
  std::size_t mismatches = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    std::size_t k = 0;
    for (std::size_t slot = 0; slot < plan->inputs().size(); ++slot) {
      if (!columns[slot].empty()) snapshot.inputs[k++].values[0] = columns[slot][row];
    }
    // NaN in a snapshot is refused by the JSON reader; here it stands for "unknown".
    const auto bound = bind(*plan, snapshot);
    evaluate(*plan, bound.bound, profile, {}, evaluation);
    evaluate(*plan, bound.bound, profile, {}, decision_only);
    if (evaluation.chosen != decisions[row]) ++mismatches;
    if (decision_only.chosen != decisions[row] || decision_only.unknown_before != evaluation.unknown_before) {
      ++mismatches;
      if (mismatches < 5) {
        FAIL_CHECK("row " << row << ": the decision alone chose clause " << decision_only.chosen << ", the batch "
                          << decisions[row] << ", the full trace " << evaluation.chosen);
      }
    }
    for (std::uint32_t node = 0; node < plan->nodes().size(); ++node) {
      if (!same(evaluation.values[node], batch.value(inputs, trace, node, row))) {
        ++mismatches;
        if (mismatches < 5) {
          FAIL_CHECK("row " << row << " node " << node << " (" << dsl::to_source(*plan->nodes()[node].expr)
                            << ") differs between evaluate() and the batch");
        }
      }
    }
  }
  CHECK(mismatches == 0);
}

// With every set of row loops this CPU runs; the portable one always.
void agree(const std::shared_ptr<const Plan>& plan, const std::vector<std::vector<double>>& columns, std::size_t rows,
           std::uint32_t profile) {
  const std::pair<KernelChoice, const char*> sets[] = {
      {KernelChoice::kPortable, "portable"}, {KernelChoice::kAvx2, "avx2"}, {KernelChoice::kAvx512, "avx512"}};
  for (const auto& [choice, name] : sets) {
    std::string error;
    const auto batch = BatchEvaluator::create(plan, profile, {}, error, choice);
    if (choice != KernelChoice::kPortable && batch == nullptr) {
      WARN("this CPU does not run the " << name << " row loops: " << error);
      continue;
    }
    REQUIRE(batch != nullptr);
    CHECK(std::string(batch->kernel_name()) == name);
    agree_with(plan, columns, rows, profile, *batch);
  }
}

}  // namespace

TEST_CASE("batch and row-by-row evaluation agree on the peer ruleset", "[engine][batch]") {
  const auto plan = compile_text(testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/bench/peer.rules"));
  std::mt19937_64 random(20260204);
  const std::size_t rows = 3000;
  std::vector<std::vector<double>> columns(plan->inputs().size());
  // Values near each threshold, exact ties, and a few unknowns (NaN).
  const double thresholds[] = {15, 1, -10, 40, -3, 20, 10, 25, 0.03, 5, 0, 3e8, 1e8, 0.7, 0, 0};
  for (std::size_t slot = 0; slot < columns.size(); ++slot) {
    std::normal_distribution<double> around(thresholds[slot % 16], std::fabs(thresholds[slot % 16]) * 0.5 + 1);
    for (std::size_t row = 0; row < rows; ++row) {
      const auto pick = random() % 50;
      columns[slot].push_back(pick == 0   ? std::numeric_limits<double>::quiet_NaN()
                              : pick == 1 ? thresholds[slot % 16]
                                          : around(random));
    }
  }
  agree(plan, columns, rows, 0);
}

TEST_CASE("batch and row-by-row evaluation agree on the scalar operators, built-ins and aggregates", "[engine][batch]") {
  const auto plan = compile_text(
      "ruleset ops version \"1.0.0\"\n"
      "input x : scalar number \"x\"\n"
      "input y : scalar number \"y\"\n"
      "input z : scalar percent optional \"z\"\n"
      "input w : scalar percent optional \"w, never given\"\n"
      "param limit = 1 \"l\"\n"
      "let ratio = x / y\n"
      "let span = clamp(x - y, -1, 1) * 2 + abs(y) - min(x, y, 3) + max(x, 0)\n"
      "let pick = if x > y then x else -y\n"
      "signal a \"A\" = x > limit\n"
      "signal b \"B\" = y <= 0 and not a\n"
      "signal c \"C\" = to_bp(z) > 10bp or w > 1%\n"
      "signal d \"D\" = ratio != 1 and span >= 0 and pick < 2\n"
      "signal e \"E\" = (a == b) or (x == y)\n"
      "signal f \"F\" = if c then a else b\n"
      "group g \"G\" = at_least(2, a, b, c, d)\n"
      "group h \"H\" = score(a: 2, b: -1, c: 1.5, d) >= 1\n"
      "group i \"I\" = all(a, c) or any(b, c)\n"
      "profile p { decide hedge when count(groups) >= 2 and e reduce when count(groups) >= 1 or f wait otherwise }\n");
  std::mt19937_64 random(7);
  const std::size_t rows = 2000;
  std::vector<std::vector<double>> columns(plan->inputs().size());
  const double choices[] = {-2, -1, 0, 0.5, 1, 1.5, 2, 3, std::numeric_limits<double>::quiet_NaN()};
  for (std::size_t slot = 0; slot < columns.size(); ++slot) {
    if (plan->inputs()[slot].name == "w") continue;  // absent: unknown in every row
    for (std::size_t row = 0; row < rows; ++row) columns[slot].push_back(choices[random() % 9]);
  }
  agree(plan, columns, rows, 0);
}

// Nodes written twice (the same comparison, arithmetic, count or score in two places, an input
// read by both) are computed once by the row program and reported under both names; the batch
// computes each on its own.
TEST_CASE("batch and row-by-row evaluation agree where the ruleset repeats itself", "[engine][batch]") {
  const auto plan = compile_text(
      "ruleset twice version \"1.0.0\"\n"
      "input x : scalar number \"x\"\n"
      "input y : scalar number optional \"y\"\n"
      "let l1 = x * 2 + y\n"
      "let l2 = x * 2 + y\n"
      "signal a1 \"A1\" = x > 1\n"
      "signal a2 \"A2\" = x > 1\n"
      "signal b1 \"B1\" = l1 >= 2 and y < 1\n"
      "signal b2 \"B2\" = l2 >= 2 and y < 1\n"
      "signal c1 \"C1\" = x + y <= 0 or not a1\n"
      "driver d1 \"D1\" = a1 or b1\n"
      "driver d2 \"D2\" = a2 or b2\n"
      "driver d3 \"D3\" = c1\n"
      "let s1 = score(a1: 2, b1: -1, c1)\n"
      "let s2 = score(a1: 2, b1: -1, c1)\n"
      "profile p { decide hedge when count(drivers) >= 3 and s1 >= 2 "
      "reduce when count(drivers) >= 2 or s2 < 0 or count(a1, a2) == count(b1, b2) wait otherwise }\n");
  const std::size_t rows = 1500;
  const double choices[] = {-2, -1, 0, 0.5, 1, 1.5, 2, std::numeric_limits<double>::quiet_NaN()};
  agree(plan, random_columns(*plan, rows, 31, choices), rows, 0);
}

// The kernels for a constant or parameter on either side of a comparison, and count() over more
// members than one byte counter holds (the byte counts are flushed to the numbers every 255).
TEST_CASE("batch and row-by-row evaluation agree on constants on either side and on wide counts", "[engine][batch]") {
  std::string text =
      "ruleset wide version \"1.0.0\"\n"
      "input x : scalar number \"x\"\n"
      "input y : scalar number optional \"y\"\n"
      "param edge = 0.5 \"e\"\n"
      "signal l1 \"L1\" = 1 < x\n"
      "signal l2 \"L2\" = 0 >= y\n"
      "signal l3 \"L3\" = edge <= x and -1 > y\n"
      "signal r1 \"R1\" = x >= edge or y < 0.5\n";
  std::string members;
  for (int k = 0; k < 300; ++k) {
    text += "signal m" + std::to_string(k) + " \"M\" = x + y > " + std::to_string((k % 7) - 3) + "\n";
    members += (k == 0 ? "" : ", ") + std::string("m") + std::to_string(k);
  }
  text += "let many = count(" + members + ")\n";
  text += "let few = count(l1, l2, l3, r1)\n";
  text += "profile p { decide hedge when many >= 200 and few >= 2 reduce when at_least(260, " + members +
          ") or few >= 3 wait otherwise }\n";
  const auto plan = compile_text(text);
  const std::size_t rows = 700;  // two whole blocks and a partial one
  const double choices[] = {-4, -3, -1, 0, 0.5, 1, 2, 3, std::numeric_limits<double>::quiet_NaN()};
  agree(plan, random_columns(*plan, rows, 19, choices), rows, 0);
}

// The row program makes a negated constant a constant, and a comparison of an input with a
// constant on either side one step of its own (the left-hand constant mirrored: `-1 < x` runs as
// `x > -1`); every operator, NaN inputs and exact ties must come out as the batch computes them.
TEST_CASE("batch and row-by-row evaluation agree on negated constants and constants on either side", "[engine][batch][row]") {
  const auto plan = compile_text(
      "ruleset mirror version \"1.0.0\"\n"
      "input x : scalar number \"x\"\n"
      "input y : scalar number optional \"y\"\n"
      "signal a \"A\" = -1 < x and -1 <= y\n"
      "signal b \"B\" = -1 > x or -0.5 >= y\n"
      "signal c \"C\" = 2 == x or -1 != y\n"
      "signal d \"D\" = x == -2 and y != 2\n"
      "signal e \"E\" = x < -(-1) or -y > -1 or -x >= y\n"
      "let shift = x + -1\n"
      "signal f \"F\" = shift <= -0.5 or -(1) >= x\n"
      "driver d1 \"D1\" = a or b\n"
      "driver d2 \"D2\" = c or d\n"
      "driver d3 \"D3\" = e or f\n"
      "profile p { decide hedge when count(drivers) >= 3 reduce when count(drivers) >= 2 or a wait otherwise }\n");
  const std::size_t rows = 1200;
  const double choices[] = {-2, -1, -0.5, 0, 0.5, 1, 2, std::numeric_limits<double>::quiet_NaN()};
  agree(plan, random_columns(*plan, rows, 43, choices), rows, 0);
}

TEST_CASE("batch evaluation refuses rulesets that read histories", "[engine][batch]") {
  const auto plan = compile_text(
      "ruleset h version \"1.0.0\"\ninput s : series 1d index \"s\"\nsignal up \"U\" = pct_change(s, 5d) > 1%\n"
      "profile p { decide hedge when up wait otherwise }\n");
  std::string error;
  CHECK(BatchEvaluator::create(plan, 0, {}, error) == nullptr);
  CHECK(error.find("window functions") != std::string::npos);
}

// The dispatch picks the widest row loops the CPU runs.
TEST_CASE("batch evaluation runs the widest row loops the CPU has", "[engine][batch]") {
  const auto plan = compile_text(testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/bench/peer.rules"));
  std::string error;
  const auto best = BatchEvaluator::create(plan, 0, {}, error);
  REQUIRE(best != nullptr);
#if defined(__x86_64__) && defined(__GNUC__)
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl");
  const std::string expected = avx512 ? "avx512" : __builtin_cpu_supports("avx2") ? "avx2" : "portable";
#else
  const std::string expected = "portable";
#endif
  CHECK(std::string(best->kernel_name()) == expected);
}

// The row program runs arithmetic and comparisons of numbers that are never ranges without
// looking at their state bytes (on_exact); whatever a count or score reaches through negation,
// a pick or arithmetic keeps the ranged steps, where unknown members make a range; s4 and s5
// compare ranges with constants by each of <, <=, > and >=, on either side.
TEST_CASE("batch and row-by-row evaluation agree on numbers that are ranges and numbers that are not", "[engine][batch][row]") {
  const auto plan = compile_text(
      "ruleset ranged version \"1.0.0\"\n"
      "input x : scalar number \"x\"\n"
      "input y : scalar number optional \"y\"\n"
      "signal a \"A\" = x > 0\n"
      "signal b \"B\" = y > 0\n"
      "signal c \"C\" = x + y > 1\n"
      "let n = count(a, b, c)\n"
      "let m = -n\n"
      "let p = if a then n else x\n"
      "let q = n * 2 + y\n"
      "let r = score(a: 1.5, b: -1, c) - x\n"
      "signal s1 \"S1\" = m < -1 or m == -2\n"
      "signal s2 \"S2\" = p >= 2 or q > 3 or x / y <= 1\n"
      "signal s3 \"S3\" = r <= 0 and n != 1 and x - y != 0.5\n"
      "driver d1 \"D1\" = s1\n"
      "driver d2 \"D2\" = s2\n"
      "let w = score(a: 1.5, b: -1, c)\n"
      "signal s4 \"S4\" = 1 <= w or n < 1 or 2.5 > n\n"
      "signal s5 \"S5\" = w > 0.5 and 0 >= m or 1 < p\n"
      "driver d3 \"D3\" = s3\n"
      "driver d4 \"D4\" = s4 and s5\n"
      "profile p { decide hedge when count(drivers) >= 2 and x * y < 2 reduce when s1 or s3 wait otherwise }\n");
  const std::size_t rows = 1500;
  const double choices[] = {-2, -1, -0.5, 0, 0.5, 1, 2, std::numeric_limits<double>::quiet_NaN()};
  agree(plan, random_columns(*plan, rows, 53, choices), rows, 0);
}
