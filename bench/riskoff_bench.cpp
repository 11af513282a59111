// Google Benchmark programs for riskoff (docs: bench/README.md).
//
//   peer/*      the peers' reference ruleset (bench/peer.rules) over the 200,000 rows of
//               ../shared/bench/peers/data/features.csv: a hand-written C++ loop of the same
//               logic (the baseline every ratio is taken against), riskoff's batch evaluation
//               without and with keeping every node value, and riskoff's one-row evaluate().
//               Decision counts are checked against reference_counts.json before timing.
//   default/*   the shipped ruleset on the 2026-02-04 example snapshot: evaluate (the trace is
//               the node array it fills) and evaluate + explain + render.
//
// RISKOFF_PEER_DATA names the folder holding features.csv and reference_counts.json.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/snapshot_json.hpp"
#include "bench/ratio_reporter.hpp"
#include "dsl/format.hpp"
#include "engine/batch.hpp"
#include "engine/sha256.hpp"
#include "explain/explanation.hpp"
#include "riskoff/riskoff.h"
#include "riskoff/prepared.hpp"
#include "riskoff/riskoff.hpp"

using namespace riskoff;

namespace {

constexpr const char* kColumns[16] = {
    "us10y_chg_5d_bp", "dxy_chg_5d_pct",    "policy_cuts_chg_5d_bp", "ai_breadth_pct",       "sox_vs_spx_5d_pct",
    "spx_rv10",        "spx_rv60",          "vix",                   "btc_funding_8h_pct",   "btc_oi_chg_3d_pct",
    "btc_ret_3d_pct",  "liq_long_24h_usd",  "liq_long_30d_avg_usd",  "corr_spx_btc_4h_30",   "spx_trend_4h",
    "btc_trend_4h"};

struct PeerData {
  std::size_t rows = 0;
  std::vector<std::vector<double>> columns;  // in kColumns order
  std::map<std::string, long> reference;     // HEDGE / REDUCE / WAIT
};

std::string data_dir() {
  const char* dir = std::getenv("RISKOFF_PEER_DATA");
  return dir != nullptr ? dir : RISKOFF_SOURCE_DIR "/build/peer-data";
}

const PeerData& peer_data() {
  static const PeerData data = [] {
    PeerData d;
    std::ifstream in(data_dir() + "/features.csv");
    if (!in) {
      std::cerr << "no " << data_dir() << "/features.csv: run `make bench` (it generates the peers' data)\n";
      std::exit(2);
    }
    std::string line;
    std::getline(in, line);
    std::vector<int> field_of_column;
    {
      std::stringstream header(line);
      std::string name;
      while (std::getline(header, name, ',')) {
        int field = -1;
        for (int k = 0; k < 16; ++k) {
          if (name == kColumns[k]) field = k;
        }
        field_of_column.push_back(field);
      }
    }
    d.columns.assign(16, {});
    while (std::getline(in, line)) {
      std::size_t at = 0;
      for (const int field : field_of_column) {
        const std::size_t comma = line.find(',', at);
        const std::string cell = line.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        if (field >= 0) d.columns[static_cast<std::size_t>(field)].push_back(std::strtod(cell.c_str(), nullptr));
        at = comma == std::string::npos ? line.size() : comma + 1;
      }
      ++d.rows;
    }
    std::ifstream counts(data_dir() + "/reference_counts.json");
    std::string text((std::istreambuf_iterator<char>(counts)), std::istreambuf_iterator<char>());
    for (const char* action : {"HEDGE", "REDUCE", "WAIT"}) {
      const auto key = text.find(std::string("\"") + action + "\"");
      if (key != std::string::npos) d.reference[action] = std::strtol(text.c_str() + text.find(':', key) + 1, nullptr, 10);
    }
    return d;
  }();
  return data;
}

// The same logic as bench/peer.rules, by hand: the physical limit for this ruleset.
int handwritten(const std::vector<std::vector<double>>& c, std::size_t r) {
  const bool rates = c[0][r] > 15 || c[2][r] < -10;
  const bool dollar = c[1][r] > 1.0;
  const bool earnings = c[3][r] < 40 || c[4][r] < -3;
  const bool crowded = c[8][r] > 0.03 && c[9][r] > 5 && c[10][r] < 0;
  const bool deleveraging = c[7][r] > 25 || c[5][r] > 1.5 * c[6][r] || c[11][r] > 2 * c[12][r] || crowded;
  const bool confirmed = c[13][r] > 0.7 && c[14][r] < 0 && c[15][r] < 0;
  const int drivers = int(rates) + int(dollar) + int(earnings) + int(deleveraging);
  if (drivers >= 3 && confirmed) return 0;                        // hedge
  if (drivers >= 2 || (deleveraging && confirmed)) return 1;      // reduce
  return 2;                                                       // wait
}

std::shared_ptr<const engine::Plan> compile(const std::string& path) {
  auto checked = engine::check_file(path);
  if (checked.diagnostics.has_errors() || !checked.io_error.empty()) {
    std::cerr << path << " does not check\n";
    std::exit(2);
  }
  return engine::Plan::compile(std::shared_ptr<const engine::CheckedRuleset>(std::move(checked.ruleset)));
}

struct PeerPlan {
  std::shared_ptr<const engine::Plan> plan;
  std::unique_ptr<engine::BatchEvaluator> batch;
  engine::BatchInputs inputs;
};

const PeerPlan& peer_plan() {
  static const PeerPlan peer = [] {
    PeerPlan p;
    p.plan = compile(RISKOFF_SOURCE_DIR "/bench/peer.rules");
    std::string error;
    p.batch = engine::BatchEvaluator::create(p.plan, 0, {}, error);
    const PeerData& data = peer_data();
    p.inputs.rows = data.rows;
    for (const auto& input : p.plan->inputs()) {
      for (int k = 0; k < 16; ++k) {
        if (input.name == kColumns[k]) p.inputs.columns.push_back(data.columns[static_cast<std::size_t>(k)].data());
      }
    }
    // Decisions must equal the peers' reference counts, or nothing is worth timing.
    std::vector<std::int32_t> decisions(data.rows);
    p.batch->run(p.inputs, decisions.data());
    long counts[3] = {0, 0, 0};
    long hand[3] = {0, 0, 0};
    for (std::size_t r = 0; r < data.rows; ++r) {
      ++counts[decisions[r]];
      ++hand[handwritten(data.columns, r)];
    }
    const long expected[3] = {data.reference.at("HEDGE"), data.reference.at("REDUCE"), data.reference.at("WAIT")};
    for (int k = 0; k < 3; ++k) {
      if (counts[k] != expected[k] || hand[k] != expected[k]) {
        std::cerr << "decision counts differ from reference_counts.json\n";
        std::exit(1);
      }
    }
    std::cerr << "peer decisions match the reference: HEDGE " << counts[0] << ", REDUCE " << counts[1] << ", WAIT "
              << counts[2] << "\n";
    return p;
  }();
  return peer;
}

void set_rows(benchmark::State& state, std::size_t rows) {
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_PeerHandwritten(benchmark::State& state) {
  const PeerData& data = peer_data();
  for (auto _ : state) {
    long hedges = 0;
    for (std::size_t r = 0; r < data.rows; ++r) hedges += handwritten(data.columns, r) == 0;
    benchmark::DoNotOptimize(hedges);
  }
  set_rows(state, data.rows);
}

void BM_PeerBatchNoTrace(benchmark::State& state) {
  const PeerPlan& peer = peer_plan();
  std::vector<std::int32_t> decisions(peer.inputs.rows);
  for (auto _ : state) {
    peer.batch->run(peer.inputs, decisions.data());
    benchmark::DoNotOptimize(decisions.data());
  }
  set_rows(state, peer.inputs.rows);
}

void BM_PeerBatchKeepAllNodeValues(benchmark::State& state) {
  const PeerPlan& peer = peer_plan();
  std::vector<std::int32_t> decisions(peer.inputs.rows);
  engine::BatchTrace trace;
  for (auto _ : state) {
    peer.batch->run(peer.inputs, decisions.data(), &trace);
    benchmark::DoNotOptimize(trace.truth.data());
  }
  set_rows(state, peer.inputs.rows);
  state.counters["trace_MiB"] =
      static_cast<double>((trace.number.size() + trace.upper.size()) * sizeof(double) + trace.truth.size()) /
      (1024.0 * 1024.0);
}

// One row at a time through evaluate() on one reused Evaluation: with `keep_values` off only the
// decision, as the prepared API evaluates; on, every node's value for an explanation as well.
void peer_row_by_row(benchmark::State& state, bool keep_values) {
  const PeerPlan& peer = peer_plan();
  const PeerData& data = peer_data();
  engine::Snapshot snapshot = engine::one_row_snapshot(*peer.plan);
  const auto bound = engine::bind(*peer.plan, snapshot);
  engine::Evaluation evaluation;
  evaluation.keep_values = keep_values;
  std::vector<double*> cells;
  for (auto& item : snapshot.inputs) cells.push_back(&item.values[0]);
  const std::size_t rows = std::min<std::size_t>(data.rows, 20000);
  for (auto _ : state) {
    long hedges = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t k = 0; k < cells.size(); ++k) *cells[k] = peer.inputs.columns[k][r];
      engine::evaluate(*peer.plan, bound.bound, 0, {}, evaluation);
      hedges += evaluation.chosen == 0;
    }
    benchmark::DoNotOptimize(hedges);
  }
  set_rows(state, rows);
}

void BM_PeerScalarRowByRow(benchmark::State& state) { peer_row_by_row(state, false); }
void BM_PeerScalarRowByRowKeepValues(benchmark::State& state) { peer_row_by_row(state, true); }

// The same rows through the public C++ API's prepared path (riskoff/prepared.hpp): slots found
// once, each row set by slot and evaluated on one reused state. What an embedder's loop costs.
void BM_PeerPreparedApiRowByRow(benchmark::State& state) {
  const PeerPlan& peer = peer_plan();
  const PeerData& data = peer_data();
  static const riskoff::Ruleset ruleset = *riskoff::Ruleset::load(RISKOFF_SOURCE_DIR "/bench/peer.rules").ruleset;
  auto prepared = riskoff::PreparedInputs::prepare(ruleset, 0);
  std::vector<riskoff::InputSlot> slots;
  for (const auto& input : peer.plan->inputs()) slots.push_back(*prepared->slot(input.name));
  const std::size_t rows = std::min<std::size_t>(data.rows, 20000);
  for (auto _ : state) {
    long hedges = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t k = 0; k < slots.size(); ++k) (void)prepared->set(slots[k], 0, peer.inputs.columns[k][r]);
      hedges += prepared->evaluate()->clause == 0;
    }
    benchmark::DoNotOptimize(hedges);
  }
  set_rows(state, rows);
}

// The name path, for comparison: a Snapshot built per row with add_scalar, then decide().
void BM_PeerSnapshotApiRowByRow(benchmark::State& state) {
  const PeerPlan& peer = peer_plan();
  const PeerData& data = peer_data();
  static const riskoff::Ruleset ruleset = *riskoff::Ruleset::load(RISKOFF_SOURCE_DIR "/bench/peer.rules").ruleset;
  const riskoff::DecideOptions options{.node_values = riskoff::NodeValues::kDrop};
  const std::size_t rows = std::min<std::size_t>(data.rows, 2000);
  for (auto _ : state) {
    long hedges = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      riskoff::Snapshot snapshot(0);
      for (std::size_t k = 0; k < ruleset.inputs().size(); ++k) {
        (void)snapshot.add_scalar(ruleset.inputs()[k].name, ruleset.inputs()[k].unit, 0, peer.inputs.columns[k][r]);
      }
      hedges += riskoff::decide(ruleset, snapshot, options)->action() == "hedge";
    }
    benchmark::DoNotOptimize(hedges);
  }
  set_rows(state, rows);
}

struct DefaultCase {
  std::shared_ptr<const engine::Plan> plan;
  engine::Snapshot snapshot;
  engine::BoundSnapshot bound;
  std::string hash;
};

const DefaultCase& default_case() {
  static const DefaultCase c = [] {
    DefaultCase d;
    d.plan = compile(RISKOFF_SOURCE_DIR "/rulesets/riskoff.rules");
    d.snapshot = adapters::read_snapshot_file(RISKOFF_SOURCE_DIR "/examples/snapshots/2026-02-04.json").snapshot;
    d.bound = engine::bind(*d.plan, d.snapshot).bound;
    const auto& rs = d.plan->ruleset();
    d.hash = engine::sha256_hex(dsl::format(rs.root(), rs.sources.file(rs.root().source)));
    return d;
  }();
  return c;
}

void BM_DefaultEvaluate(benchmark::State& state) {
  const DefaultCase& c = default_case();
  engine::Evaluation evaluation;
  const auto profile = static_cast<std::uint32_t>(c.plan->find_profile("swing"));
  for (auto _ : state) {
    engine::evaluate(*c.plan, c.bound, profile, {}, evaluation);
    benchmark::DoNotOptimize(evaluation.values.data());
  }
}

void BM_DefaultEvaluateExplainJson(benchmark::State& state) {
  const DefaultCase& c = default_case();
  engine::Evaluation evaluation;
  const auto profile = static_cast<std::uint32_t>(c.plan->find_profile("swing"));
  for (auto _ : state) {
    engine::evaluate(*c.plan, c.bound, profile, {}, evaluation);
    const auto text = explain::render_json(explain::explain(*c.plan, c.bound, evaluation, c.hash));
    benchmark::DoNotOptimize(text.data());
  }
}

// The same evaluation through the public APIs (include/riskoff/), as an embedding app calls it:
// the cost over BM_DefaultEvaluate is binding the snapshot and a fresh result per call.
struct ApiCase {
  riskoff::Ruleset ruleset;
  riskoff::Snapshot snapshot;
};

const ApiCase& api_case() {
  static const ApiCase c{*riskoff::Ruleset::load(RISKOFF_SOURCE_DIR "/rulesets/riskoff.rules").ruleset,
                         *riskoff::Snapshot::load(RISKOFF_SOURCE_DIR "/examples/snapshots/2026-02-04.json").snapshot};
  return c;
}

void BM_ApiEvaluate(benchmark::State& state) {
  const ApiCase& c = api_case();
  riskoff::EvaluateOptions options;
  options.profile = "swing";
  options.keep_trace = state.range(0) != 0;
  for (auto _ : state) {
    const auto result = c.ruleset.evaluate(c.snapshot, options);
    benchmark::DoNotOptimize(result.decision->action().data());
  }
}

void BM_ApiEvaluateJson(benchmark::State& state) {
  const ApiCase& c = api_case();
  riskoff::EvaluateOptions options;
  options.profile = "swing";
  for (auto _ : state) {
    const auto text = c.ruleset.evaluate(c.snapshot, options).decision->render(riskoff::Format::kJson);
    benchmark::DoNotOptimize(text.data());
  }
}

void BM_CApiEvaluate(benchmark::State& state) {
  const ApiCase& c = api_case();
  riskoff_ruleset* ruleset = nullptr;
  riskoff_ruleset_load(RISKOFF_SOURCE_DIR "/rulesets/riskoff.rules", &ruleset);
  const std::string json = c.snapshot.to_json();
  riskoff_snapshot* snapshot = nullptr;
  riskoff_snapshot_from_json(json.data(), json.size(), "2026-02-04.json", &snapshot);
  for (auto _ : state) {
    riskoff_decision* decision = nullptr;
    riskoff_evaluate(ruleset, snapshot, "swing", nullptr, 0, 0, &decision);
    benchmark::DoNotOptimize(riskoff_decision_action(decision));
    riskoff_decision_free(decision);
  }
  riskoff_snapshot_free(snapshot);
  riskoff_ruleset_free(ruleset);
}

void BM_DefaultCheckAndCompile(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(compile(RISKOFF_SOURCE_DIR "/rulesets/riskoff.rules").get());
}

}  // namespace

BENCHMARK(BM_PeerHandwritten)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeerBatchNoTrace)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeerBatchKeepAllNodeValues)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeerScalarRowByRow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeerScalarRowByRowKeepValues)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeerPreparedApiRowByRow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeerSnapshotApiRowByRow)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DefaultEvaluate)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DefaultEvaluateExplainJson)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ApiEvaluate)->Arg(0)->Arg(1)->ArgName("keep_trace")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CApiEvaluate)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ApiEvaluateJson)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DefaultCheckAndCompile)->Unit(benchmark::kMillisecond);

// Google Benchmark's main, then the row-by-row ratios to the hand-written loop of the same run
// (goals, issue 19: evaluate() >= 0.25, the public API >= 0.1).
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  riskoff::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const auto* baseline = reporter.find("BM_PeerHandwritten");
  if (baseline == nullptr || baseline->counters.count("rows_per_s") == 0) return 0;
  const double base = baseline->counters.at("rows_per_s");
  std::printf("\nrows/s as a ratio to the hand-written loop measured in this run:\n");
  for (const char* name : {"BM_PeerBatchNoTrace", "BM_PeerBatchKeepAllNodeValues", "BM_PeerScalarRowByRow",
                           "BM_PeerScalarRowByRowKeepValues",
                           "BM_PeerPreparedApiRowByRow", "BM_PeerSnapshotApiRowByRow"}) {
    const auto* figure = reporter.find(name);
    if (figure == nullptr || figure->counters.count("rows_per_s") == 0) continue;
    std::printf("  %-32s %8.4f\n", name, figure->counters.at("rows_per_s") / base);
  }
  benchmark::Shutdown();
  return 0;
}
