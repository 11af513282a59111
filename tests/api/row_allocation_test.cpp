// Row-at-a-time evaluation allocates nothing once its state is sized (issue 19): engine
// evaluate() on one reused Evaluation, the public PreparedInputs path (16 set() and one
// evaluate() per row), and the C API's riskoff_prepared_* over it. Counted through this program's operator new (bench/counting_heap.hpp),
// so a regression shows as a count, never as a time.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "bench/counting_heap.hpp"
#include "engine/check.hpp"
#include "engine/evaluate.hpp"
#include "riskoff/prepared.hpp"
#include "riskoff/riskoff.h"
#include "riskoff/riskoff.hpp"

namespace {

constexpr const char* kPeerRules = RISKOFF_SOURCE_DIR "/bench/peer.rules";
constexpr int kRows = 1000;

// Values around the peer ruleset's thresholds, so every clause fires on some rows.
std::vector<double> row_values(std::mt19937_64& random, std::size_t inputs) {
  std::uniform_real_distribution<double> value(-20, 60);
  std::vector<double> row(inputs);
  for (double& cell : row) cell = value(random);
  return row;
}

}  // namespace

TEST_CASE("engine evaluate() on a reused Evaluation allocates nothing per row", "[api][row][allocation]") {
  namespace engine = riskoff::engine;
  auto checked = engine::check_file(kPeerRules);
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  const auto plan = engine::Plan::compile(std::shared_ptr<const engine::CheckedRuleset>(std::move(checked.ruleset)));
  engine::Snapshot snapshot = engine::one_row_snapshot(*plan);
  const auto bound = engine::bind(*plan, snapshot);
  REQUIRE(bound.ok());
  std::mt19937_64 random(19);
  std::vector<std::vector<double>> rows;
  for (int r = 0; r < kRows; ++r) rows.push_back(row_values(random, snapshot.inputs.size()));
  engine::Evaluation evaluation;
  engine::evaluate(*plan, bound.bound, 0, {}, evaluation);  // sizes the state
  long chosen[3] = {0, 0, 0};
  const std::int64_t before = riskoff::bench::heap::allocations.load();
  for (const auto& row : rows) {
    for (std::size_t k = 0; k < row.size(); ++k) snapshot.inputs[k].values[0] = row[k];
    engine::evaluate(*plan, bound.bound, 0, {}, evaluation);
    ++chosen[evaluation.chosen];
  }
  const std::int64_t allocations = riskoff::bench::heap::allocations.load() - before;
  INFO("hedge " << chosen[0] << ", reduce " << chosen[1] << ", wait " << chosen[2]);
  CHECK(chosen[0] + chosen[1] + chosen[2] == kRows);
  CHECK(allocations == 0);
}

TEST_CASE("PreparedInputs set() and evaluate() allocate nothing per row", "[api][row][allocation]") {
  auto loaded = riskoff::Ruleset::load(kPeerRules);
  REQUIRE(loaded.ok());
  auto prepared = riskoff::PreparedInputs::prepare(*loaded.ruleset, 0);
  REQUIRE(prepared);
  std::vector<riskoff::InputSlot> slots;
  for (const auto& input : loaded.ruleset->inputs()) slots.push_back(*prepared->slot(input.name));
  std::mt19937_64 random(20);
  std::vector<std::vector<double>> rows;
  for (int r = 0; r < kRows; ++r) rows.push_back(row_values(random, slots.size()));
  for (std::size_t k = 0; k < slots.size(); ++k) REQUIRE(prepared->set(slots[k], 0, rows[0][k]));
  REQUIRE(prepared->evaluate());  // sizes the state
  long failures = 0;
  long hedges = 0;
  const std::int64_t before = riskoff::bench::heap::allocations.load();
  for (const auto& row : rows) {
    for (std::size_t k = 0; k < slots.size(); ++k) failures += prepared->set(slots[k], 0, row[k]) ? 0 : 1;
    const auto decision = prepared->evaluate();
    if (!decision) ++failures;
    else hedges += decision->action == "hedge";
  }
  const std::int64_t allocations = riskoff::bench::heap::allocations.load() - before;
  INFO("hedge on " << hedges << " of " << kRows << " rows");
  CHECK(failures == 0);
  CHECK(allocations == 0);
}

TEST_CASE("riskoff_prepared_set() and riskoff_prepared_evaluate() allocate nothing per row", "[api][row][allocation]") {
  riskoff_ruleset* ruleset = nullptr;
  REQUIRE(riskoff_ruleset_load(kPeerRules, &ruleset) == RISKOFF_OK);
  riskoff_prepared* prepared = nullptr;
  REQUIRE(riskoff_prepared_create(ruleset, 0, nullptr, &prepared) == RISKOFF_OK);
  auto loaded = riskoff::Ruleset::load(kPeerRules);
  REQUIRE(loaded.ok());
  std::vector<std::uint32_t> slots;
  for (const auto& input : loaded.ruleset->inputs()) {
    std::uint32_t slot = 0;
    REQUIRE(riskoff_prepared_slot(prepared, input.name.c_str(), &slot) == RISKOFF_OK);
    slots.push_back(slot);
  }
  std::mt19937_64 random(21);
  std::vector<std::vector<double>> rows;
  for (int r = 0; r < kRows; ++r) rows.push_back(row_values(random, slots.size()));
  for (std::size_t k = 0; k < slots.size(); ++k) REQUIRE(riskoff_prepared_set(prepared, slots[k], 0, rows[0][k]) == RISKOFF_OK);
  const char* action = nullptr;
  REQUIRE(riskoff_prepared_evaluate(prepared, &action, nullptr) == RISKOFF_OK);  // sizes the state
  long failures = 0;
  long hedges = 0;
  const std::int64_t before = riskoff::bench::heap::allocations.load();
  for (const auto& row : rows) {
    for (std::size_t k = 0; k < slots.size(); ++k) failures += riskoff_prepared_set(prepared, slots[k], 0, row[k]) == RISKOFF_OK ? 0 : 1;
    int unknown = 0;
    if (riskoff_prepared_evaluate(prepared, &action, &unknown) != RISKOFF_OK) ++failures;
    else hedges += std::string_view(action) == "hedge";
  }
  const std::int64_t allocations = riskoff::bench::heap::allocations.load() - before;
  riskoff_prepared_free(prepared);
  riskoff_ruleset_free(ruleset);
  INFO("hedge on " << hedges << " of " << kRows << " rows");
  CHECK(failures == 0);
  CHECK(hedges > 0);
  CHECK(allocations == 0);
}
