// Replay benchmarks (docs: bench/README.md).
//
//   BM_OneEvaluation          baseline: one evaluate() of the shipped ruleset (swing) on the
//                             2026-02-04 example snapshot, as `riskoff eval` does it
//   BM_ReplayDailyTenYears    engine::Replayer at every close of the S&P 500 over the last ten
//                             years of ../shared/data: steps only (ratio per step to the baseline)
//   BM_ReplayReportTenYears   the same through backtest::run_replay: because-lines at every
//                             change, gaps, spells, overlay and episodes (what `riskoff replay` computes)
//   BM_LoadHistory            reading the manifest's files once (what `riskoff replay` adds on top)
//   BM_ReplayHourly/years     hourly steps over synthetic hourly and daily series generated here,
//                             1, 2, 4 and 5 years: time per step must stay flat (linear total)
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <random>

#include "adapters/history.hpp"
#include "adapters/snapshot_json.hpp"
#include "adapters/sources.hpp"
#include "backtest/replay.hpp"
#include "engine/check.hpp"
#include "engine/replay.hpp"

using namespace riskoff;

namespace {

constexpr engine::Timestamp kHour = 3600;
constexpr engine::Timestamp kDay = 86400;

std::shared_ptr<const engine::Plan> compile(engine::CheckResult checked) {
  if (checked.diagnostics.has_errors() || !checked.ruleset) {
    std::cerr << "ruleset has errors\n";
    std::exit(1);
  }
  return engine::Plan::compile(std::shared_ptr<const engine::CheckedRuleset>(std::move(checked.ruleset)));
}

engine::Snapshot load_history(const engine::Plan& plan) {
  const auto manifest = adapters::read_manifest(RISKOFF_SOURCE_DIR "/examples/sources-local.json");
  adapters::BuildOptions options;
  options.as_of = std::numeric_limits<engine::Timestamp>::max() / 4;
  options.default_lookback = std::numeric_limits<double>::infinity();
  for (const auto& input : plan.inputs()) {
    if (input.optional) options.optional_inputs.push_back(input.name);
  }
  auto built = adapters::build_snapshot(manifest, options);
  if (!built.ok()) {
    std::cerr << "cannot read ../shared/data: " << built.problems.front() << "\n";
    std::exit(1);
  }
  return std::move(built.snapshot);
}

struct DailyCase {
  std::shared_ptr<const engine::Plan> plan;
  engine::Snapshot history;
  const engine::InputData* spx = nullptr;
  std::vector<engine::Timestamp> steps;
  std::uint32_t profile = 0;
};

const DailyCase& daily_case() {
  static const DailyCase c = [] {
    DailyCase d;
    d.plan = compile(engine::check_file(RISKOFF_SOURCE_DIR "/rulesets/riskoff.rules"));
    d.history = load_history(*d.plan);
    for (const auto& input : d.history.inputs) {
      if (input.name == "spx") d.spx = &input;
    }
    const engine::Timestamp end = d.spx->times.back();
    d.steps = adapters::step_instants(d.spx, end - static_cast<engine::Timestamp>(3652.5 * kDay), end, 0);
    d.profile = static_cast<std::uint32_t>(d.plan->find_profile("swing"));
    std::cerr << "ten years of daily steps: " << d.steps.size() << " closes, " << engine::format_timestamp(d.steps.front())
              << " to " << engine::format_timestamp(d.steps.back()) << "\n";
    return d;
  }();
  return c;
}

void BM_OneEvaluation(benchmark::State& state) {
  const auto plan = compile(engine::check_file(RISKOFF_SOURCE_DIR "/rulesets/riskoff.rules"));
  const auto snapshot = adapters::read_snapshot_file(RISKOFF_SOURCE_DIR "/examples/snapshots/2026-02-04.json").snapshot;
  const auto bound = engine::bind(*plan, snapshot).bound;
  engine::Evaluation evaluation;
  const auto profile = static_cast<std::uint32_t>(plan->find_profile("swing"));
  for (auto _ : state) {
    engine::evaluate(*plan, bound, profile, {}, evaluation);
    benchmark::DoNotOptimize(evaluation.values.data());
  }
}

void BM_ReplayDailyTenYears(benchmark::State& state) {
  const DailyCase& c = daily_case();
  std::vector<std::string> errors;
  std::int64_t checksum = 0;
  for (auto _ : state) {
    engine::Replayer replayer(*c.plan, c.history, errors);
    for (const auto time : c.steps) checksum += replayer.step(time, c.profile, {}).chosen;
  }
  benchmark::DoNotOptimize(checksum);
  state.counters["steps"] = static_cast<double>(c.steps.size());
  state.counters["per_step"] = benchmark::Counter(static_cast<double>(c.steps.size()) * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_ReplayReportTenYears(benchmark::State& state) {
  const DailyCase& c = daily_case();
  backtest::ReplayOptions options;
  options.profile = c.profile;
  options.reference.push_back({"spx", 1, c.spx});
  std::vector<std::string> errors;
  std::size_t changes = 0;
  for (auto _ : state) {
    const auto replay = backtest::run_replay(*c.plan, c.history, c.steps, options, errors);
    changes = replay->changes.size();
  }
  state.counters["changes"] = static_cast<double>(changes);
}

void BM_LoadHistory(benchmark::State& state) {
  const auto plan = compile(engine::check_file(RISKOFF_SOURCE_DIR "/rulesets/riskoff.rules"));
  for (auto _ : state) benchmark::DoNotOptimize(load_history(*plan).inputs.size());
}

// Hourly replay over synthetic data: two hourly random walks and a daily rate, with windows
// of every kind the engine has (bars and durations, reference, statistics, returns, pair).
const char* kHourlyRules = R"(ruleset hourly version "1.0.0"
input coin : series 1h usd calendar crypto "hourly random walk"
input index : series 1h index calendar crypto "hourly random walk"
input rate : series 1d percent max_age 4d "daily random walk"
param trend = 200 bars "a long average"
param vol_window = 24 bars "a day of hours"
param corr_window = 100 bars "four days of hours"
signal below_trend "Below its average" = coin < sma(coin, trend)
signal vol_high "Volatility high" = realized_vol(coin, vol_window) > 60%
signal falling "Falling" = pct_change(coin, 3d) < -5%
signal deep "Deep drawdown" = drawdown(coin, 30d) < -10%
signal stretched "Stretched" = abs(zscore(index, 500 bars)) > 2
signal together "Moving together" = corr(coin, index, corr_window) > 0.5
signal rates_up "Rates up" = change(rate, 5d) > 15bp
signal at_low "At its low" = coin <= lowest(coin, 48 bars)
profile p {
  decide
    hedge when count(below_trend, vol_high, falling, deep, together, rates_up) >= 4
    reduce when count(below_trend, vol_high, falling, deep, stretched, at_low) >= 2
    wait otherwise
}
)";

struct HourlyCase {
  std::shared_ptr<const engine::Plan> plan;
  engine::Snapshot history;
  engine::Timestamp start = 0;
};

const HourlyCase& hourly_case() {
  static const HourlyCase c = [] {
    HourlyCase h;
    h.plan = compile(engine::check_text("hourly.rules", kHourlyRules, std::filesystem::temp_directory_path()));
    std::mt19937_64 random(20261125);
    std::normal_distribution<double> shock(0, 1);
    h.start = 1483228800;  // 2017-01-01
    const engine::Timestamp end = h.start + static_cast<engine::Timestamp>(5.1 * 365.25 * kDay);
    engine::InputData coin{"coin", engine::Unit::kUsd, "synthetic", {}, {}, true, {}, {}};
    engine::InputData index{"index", engine::Unit::kIndex, "synthetic", {}, {}, true, {}, {}};
    engine::InputData rate{"rate", engine::Unit::kPercent, "synthetic", {}, {}, true, {}, {}};
    double c_value = 20000, i_value = 4000, r_value = 2;
    for (engine::Timestamp time = h.start - 60 * kDay; time <= end; time += kHour) {
      const double common = shock(random);
      c_value *= std::exp(0.008 * (0.6 * common + 0.8 * shock(random)));
      i_value *= std::exp(0.003 * (0.6 * common + 0.8 * shock(random)));
      coin.times.push_back(time);
      coin.values.push_back(c_value);
      // The index skips weekends, like a market that closes.
      const auto weekday = ((time / kDay) + 4) % 7;
      if (weekday != 0 && weekday != 6) {
        index.times.push_back(time);
        index.values.push_back(i_value);
      }
      if (time % kDay == 0 && weekday != 0 && weekday != 6) {
        r_value += 0.03 * shock(random);
        rate.times.push_back(time);
        rate.values.push_back(r_value);
      }
    }
    h.history.inputs = {std::move(coin), std::move(index), std::move(rate)};
    return h;
  }();
  return c;
}

void BM_ReplayHourly(benchmark::State& state) {
  const HourlyCase& c = hourly_case();
  const auto years = static_cast<double>(state.range(0));
  const auto steps = adapters::step_instants(nullptr, c.start, c.start + static_cast<engine::Timestamp>(years * 365.25 * kDay), kHour);
  std::vector<std::string> errors;
  std::int64_t checksum = 0;
  for (auto _ : state) {
    engine::Replayer replayer(*c.plan, c.history, errors);
    for (const auto time : steps) checksum += replayer.step(time, 0, {}).chosen;
  }
  benchmark::DoNotOptimize(checksum);
  state.SetComplexityN(static_cast<benchmark::IterationCount>(steps.size()));
  state.counters["steps"] = static_cast<double>(steps.size());
  state.counters["per_step"] = benchmark::Counter(static_cast<double>(steps.size()) * static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(BM_OneEvaluation)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReplayDailyTenYears)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayReportTenYears)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadHistory)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayHourly)->Arg(1)->Arg(2)->Arg(4)->Arg(5)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);
BENCHMARK_MAIN();
