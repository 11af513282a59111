// riskoff as extra engines of the peer benchmark (../shared/bench/peers, `make bench-peers`):
// bench/peer.rules over the harness's features.csv, timed by the harness's own rules
// (cpp/bench_common.hpp: the CSV loaded first, an untimed warm-up, whole passes over every row
// until BENCH_MIN_SECONDS, counts of the first pass, every later pass must agree), one RESULT
// line per way of calling riskoff:
//
//   riskoff-batch-off         BatchEvaluator over all rows as columns, decisions only
//   riskoff-batch-keep        the same, keeping every node's value for every row
//   riskoff-evaluate-row      engine evaluate() one row at a time, one reused Evaluation
//   riskoff-prepared-row      the public C++ API one row at a time on its prepared path
//                             (riskoff/prepared.hpp): slots found once, 16 set() and evaluate()
//   riskoff-api-row           the public C++ API one row at a time by name: a Snapshot of 16
//                             scalars and decide() without node values
//
// The table run_all.sh prints takes each as a ratio to its hand-written C++ row of the same run.
//
//   riskoff_peer_engines FEATURES.CSV [batch-off|batch-keep|evaluate-row|prepared-row|api-row|all]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "engine/batch.hpp"
#include "engine/check.hpp"
#include "engine/evaluate.hpp"
#include "riskoff/prepared.hpp"
#include "riskoff/riskoff.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// riskoff numbers the ruleset's actions in decision order (hedge, reduce, wait); the harness
// counts WAIT, REDUCE, HEDGE.
constexpr peers::Action kAction[3] = {peers::HEDGE, peers::REDUCE, peers::WAIT};

const std::string& version() {
  static const std::string text(riskoff::library_version());
  return text;
}

peers::Action action_named(const std::string& action) {
  return action == "hedge" ? peers::HEDGE : action == "reduce" ? peers::REDUCE : peers::WAIT;
}

std::shared_ptr<const riskoff::engine::Plan> compile_peer_rules() {
  auto checked = riskoff::engine::check_file(RISKOFF_SOURCE_DIR "/bench/peer.rules");
  if (checked.diagnostics.has_errors() || !checked.io_error.empty()) {
    std::fprintf(stderr, "bench/peer.rules does not check\n");
    std::exit(2);
  }
  return riskoff::engine::Plan::compile(std::shared_ptr<const riskoff::engine::CheckedRuleset>(std::move(checked.ruleset)));
}

// The harness's Row field of each input of the plan, in the plan's input order.
std::vector<int> fields_of(const riskoff::engine::Plan& plan) {
  std::vector<int> fields;
  for (const auto& input : plan.inputs()) {
    int field = -1;
    for (int k = 0; k < 16; ++k) {
      if (input.name == peers::kFeatureNames[k]) field = k;
    }
    if (field < 0) {
      std::fprintf(stderr, "input %s of bench/peer.rules is no column of features.csv\n", input.name.c_str());
      std::exit(2);
    }
    fields.push_back(field);
  }
  return fields;
}

// The batch evaluates every row in one call, so the harness's per-row loop cannot time it:
// this is run_bench's measurement for whole passes (same warm-up share, same stopping rule,
// same RESULT line).
int run_batch(const char* engine, const std::vector<peers::Row>& rows, bool keep_node_values) {
  const auto plan = compile_peer_rules();
  std::string error;
  const auto batch = riskoff::engine::BatchEvaluator::create(plan, 0, {}, error);
  if (!batch) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  // Columns, as a column store would hand them over (not timed, as the CSV load is not).
  const std::vector<int> fields = fields_of(*plan);
  std::vector<std::vector<double>> columns(fields.size(), std::vector<double>(rows.size()));
  for (std::size_t k = 0; k < fields.size(); ++k) {
    for (std::size_t r = 0; r < rows.size(); ++r) columns[k][r] = reinterpret_cast<const double*>(&rows[r])[fields[k]];
  }
  riskoff::engine::BatchInputs inputs;
  inputs.rows = rows.size();
  for (const auto& column : columns) inputs.columns.push_back(column.data());
  std::vector<std::int32_t> decisions(rows.size());
  riskoff::engine::BatchTrace trace;
  riskoff::engine::BatchTrace* kept = keep_node_values ? &trace : nullptr;
  {
    riskoff::engine::BatchInputs warm = inputs;
    warm.rows = rows.size() / 10;
    batch->run(warm, decisions.data(), kept);
  }
  const double min_seconds = peers::min_seconds_from_env();
  long long first[3] = {0, 0, 0};
  long long passes = 0;
  double total = 0;
  bool consistent = true;
  const double cpu0 = peers::process_cpu_seconds();
  do {
    const auto t0 = Clock::now();
    batch->run(inputs, decisions.data(), kept);
    const auto t1 = Clock::now();
    total += std::chrono::duration<double>(t1 - t0).count();
    long long counts[3] = {0, 0, 0};
    for (const std::int32_t chosen : decisions) ++counts[kAction[chosen]];
    if (passes == 0) std::memcpy(first, counts, sizeof counts);
    else if (std::memcmp(first, counts, sizeof counts) != 0) consistent = false;
    ++passes;
  } while (total < min_seconds);
  const double cpu_util = (peers::process_cpu_seconds() - cpu0) / total;
  const long long evals = passes * static_cast<long long>(rows.size());
  std::printf("RESULT {\"engine\":\"%s\",\"version\":\"%s\",\"rows\":%zu,\"evals\":%lld,\"seconds\":%.6f,"
              "\"rows_per_s\":%.1f,\"cpu_util\":%.2f,\"HEDGE\":%lld,\"REDUCE\":%lld,\"WAIT\":%lld,\"consistent\":%s,"
              "\"note\":\"%s\"}\n",
              engine, version().c_str(), rows.size(), evals, total, static_cast<double>(evals) / total,
              cpu_util, first[peers::HEDGE], first[peers::REDUCE], first[peers::WAIT], consistent ? "true" : "false",
              keep_node_values ? "columns, every node value kept" : "columns, decisions only");
  std::fflush(stdout);
  return consistent ? 0 : 1;
}

int run_evaluate_rows(const std::vector<peers::Row>& rows) {
  namespace engine = riskoff::engine;
  const auto plan = compile_peer_rules();
  const std::vector<int> fields = fields_of(*plan);
  engine::Snapshot snapshot = engine::one_row_snapshot(*plan);
  const auto bound = engine::bind(*plan, snapshot);
  std::vector<double*> cells;
  for (auto& item : snapshot.inputs) cells.push_back(&item.values[0]);
  engine::Evaluation evaluation;
  return peers::run_bench("riskoff-evaluate-row", version().c_str(), rows, [&](const peers::Row& row) {
    for (std::size_t k = 0; k < cells.size(); ++k) *cells[k] = reinterpret_cast<const double*>(&row)[fields[k]];
    engine::evaluate(*plan, bound.bound, 0, {}, evaluation);
    return kAction[evaluation.chosen];
  }, "engine evaluate(), one reused Evaluation");
}

int run_prepared_rows(const std::vector<peers::Row>& rows) {
  auto compiled = riskoff::Ruleset::load(RISKOFF_SOURCE_DIR "/bench/peer.rules");
  if (!compiled.ok()) return 2;
  auto prepared = riskoff::PreparedInputs::prepare(*compiled.ruleset, 0);
  if (!prepared) return 2;
  std::vector<riskoff::InputSlot> slots;
  std::vector<int> fields;
  for (const auto& input : compiled.ruleset->inputs()) {
    for (int k = 0; k < 16; ++k) {
      if (input.name == peers::kFeatureNames[k]) fields.push_back(k);
    }
    slots.push_back(*prepared->slot(input.name));
  }
  return peers::run_bench("riskoff-prepared-row", version().c_str(), rows, [&](const peers::Row& row) {
    for (std::size_t k = 0; k < slots.size(); ++k) {
      (void)prepared->set(slots[k], 0, reinterpret_cast<const double*>(&row)[fields[k]]);
    }
    const auto decision = prepared->evaluate();
    return decision ? kAction[decision->clause] : peers::WAIT;
  }, "public C++ API: PreparedInputs, 16 set() by slot and evaluate()");
}

int run_api_rows(const std::vector<peers::Row>& rows) {
  auto compiled = riskoff::Ruleset::load(RISKOFF_SOURCE_DIR "/bench/peer.rules");
  if (!compiled.ok()) return 2;
  const riskoff::Ruleset& ruleset = *compiled.ruleset;
  std::vector<int> fields;
  for (const auto& input : ruleset.inputs()) {
    for (int k = 0; k < 16; ++k) {
      if (input.name == peers::kFeatureNames[k]) fields.push_back(k);
    }
  }
  const riskoff::DecideOptions options{.node_values = riskoff::NodeValues::kDrop};
  return peers::run_bench("riskoff-api-row", version().c_str(), rows, [&](const peers::Row& row) {
    riskoff::Snapshot snapshot(0);
    for (std::size_t k = 0; k < fields.size(); ++k) {
      const auto& input = ruleset.inputs()[k];
      snapshot.add_scalar(input.name, input.unit, 0, reinterpret_cast<const double*>(&row)[fields[k]]);
    }
    const auto decision = riskoff::decide(ruleset, snapshot, options);
    return decision ? action_named(decision->action()) : peers::WAIT;
  }, "public C++ API: Snapshot of 16 scalars and decide(), node values dropped");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: riskoff_peer_engines FEATURES.CSV [batch-off|batch-keep|evaluate-row|prepared-row|api-row|all]\n");
    return 2;
  }
  const std::vector<peers::Row> rows = peers::load_features(argv[1]);
  const std::string which = argc > 2 ? argv[2] : "all";
  int status = 0;
  if (which == "batch-off" || which == "all") status |= run_batch("riskoff-batch-off", rows, false);
  if (which == "batch-keep" || which == "all") status |= run_batch("riskoff-batch-keep", rows, true);
  if (which == "evaluate-row" || which == "all") status |= run_evaluate_rows(rows);
  if (which == "prepared-row" || which == "all") status |= run_prepared_rows(rows);
  if (which == "api-row" || which == "all") status |= run_api_rows(rows);
  return status;
}
