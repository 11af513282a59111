// `riskoff replay --sweep` against one replay, in the same run (docs: bench/README.md, issue 16).
//
//   BM_SweepAgainstOneReplay   each iteration times, through the public API over
//                              examples/sources-local.json (ten years of daily closes of the
//                              S&P 500, profile swing): the history read with a replay of the last weeks,
//                              one full replay, and a sweep of 2 parameters x 8 values (64
//                              replays on every hardware thread). Counters: the seconds of each,
//                              `ratio` (sweep / one replay, both reading the files once) and
//                              `replay_ratio` (the same without the reading), against `goal`
//                              = 1.2 x 64 / hardware threads.
// Wall time (UseManualTime): the sweep's work is on other threads, which CPU time would not see.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"
#include "riskoff/sources.hpp"

namespace {

constexpr const char* kFrom = "2016-06-24";  // ten years before the data's last close

const std::vector<std::string> kAxes = {"yield_jump=9bp..23bp/2bp", "dollar_jump=0.25%..2%/0.25%"};

template <typename T>
T need(riskoff::Result<T> result, const char* what) {
  if (!result) {
    std::cerr << what << ": " << result.error().messages.front() << "\n";
    std::exit(1);
  }
  return std::move(*result);
}

template <typename Work>
double seconds(Work&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_SweepAgainstOneReplay(benchmark::State& state) {
  auto loaded = riskoff::Ruleset::load(RISKOFF_SOURCE_DIR "/rulesets/riskoff.rules");
  if (!loaded.ok()) std::exit(1);
  const riskoff::Ruleset ruleset = *loaded.ruleset;
  const auto sources = need(riskoff::Sources::load(RISKOFF_SOURCE_DIR "/examples/sources-local.json"), "sources");
  riskoff::BacktestOptions options{.from = *riskoff::parse_time(kFrom), .profile = "swing"};
  // The files are read whole whatever the period: a replay of the data's last weeks is the reading.
  riskoff::BacktestOptions one_step = options;
  one_step.from = *riskoff::parse_time("2026-06-01");
  double reading = 0, replay = 0, sweep = 0;
  std::size_t points = 0;
  for (auto _ : state) {
    reading += seconds([&] { benchmark::DoNotOptimize(need(riskoff::Backtest::run(ruleset, sources, one_step), "read")); });
    replay += seconds([&] {
      auto run = need(riskoff::Backtest::run(ruleset, sources, options), "replay");
      benchmark::DoNotOptimize(run.report().overlay.overlay.total_return);
    });
    const double took = seconds([&] {
      auto grid = need(riskoff::sweep(ruleset, sources, options, {.axes = kAxes}), "sweep");
      points = grid.points.size();
      benchmark::DoNotOptimize(grid.points.back().figures.total_return);
    });
    sweep += took;
    state.SetIterationTime(took);
  }
  const auto n = static_cast<double>(state.iterations());
  const unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  state.counters["points"] = static_cast<double>(points);
  state.counters["threads"] = threads;
  state.counters["read_s"] = reading / n;
  state.counters["replay_s"] = replay / n;
  state.counters["sweep_s"] = sweep / n;
  state.counters["ratio"] = sweep / replay;
  state.counters["replay_ratio"] = (sweep - reading) / (replay - reading);
  state.counters["goal"] = 1.2 * static_cast<double>(points) / threads;
}

}  // namespace

BENCHMARK(BM_SweepAgainstOneReplay)->UseManualTime()->Iterations(3)->Unit(benchmark::kSecond);
BENCHMARK_MAIN();
