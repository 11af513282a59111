// Snapshot JSON by size (docs: bench/README.md): one series of 1e4, 1e5 and 1e6 hourly
// observations with its known-at times, written canonically (as `riskoff snapshot build`
// writes it) into the build folder, then
//
//   BM_ReadBytes          reading the file's bytes (the baseline: what no parser can beat)
//   BM_ReadSnapshot       read_snapshot_file: the fast reader (simdjson), as `riskoff eval` reads
//   BM_ReadSnapshotTree   the bytes, then the checked reader (nlohmann tree and schema): the
//                         reader of every snapshot before the fast one, and today's fallback
//
// Each reports `peak_over_file`: the growth of the peak resident memory while reading once
// (measured in a forked child, so the allocator's cache of earlier runs does not hide it),
// divided by the file's size. The table at the end gives every time as a ratio to BM_ReadBytes
// of the same size in the same run.
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <string>

#include "adapters/snapshot_json.hpp"
#include "support/bounded_read.hpp"

namespace {

using namespace riskoff;

std::string snapshot_path(std::int64_t observations) {
  return std::string(RISKOFF_BINARY_DIR) + "/snapshot-" + std::to_string(observations) + ".json";
}

// A series like a market's: hourly bars from 1900, each known five minutes after its time.
const std::string& snapshot_file(std::int64_t observations) {
  static std::map<std::int64_t, std::string> written;
  auto& path = written[observations];
  if (!path.empty()) return path;
  path = snapshot_path(observations);
  engine::Snapshot snapshot;
  engine::InputData series;
  series.name = "btc_1h";
  series.unit = engine::Unit::kUsd;
  series.source = "synthetic hourly closes";
  const engine::Timestamp start = -2208988800;  // 1900-01-01
  for (std::int64_t k = 0; k < observations; ++k) {
    series.times.push_back(start + k * 3600);
    series.known_at.push_back(start + k * 3600 + 300);
    series.values.push_back(std::round((30000 + 5000 * std::sin(static_cast<double>(k) / 97.0)) * 100) / 100);
  }
  snapshot.as_of = series.known_at.back();
  snapshot.inputs.push_back(std::move(series));
  std::ofstream(path) << adapters::write_snapshot_json(snapshot);
  return path;
}

std::string read_bytes(const std::string& path) {
  auto text = support::read_file_bounded(path, {.max_bytes = adapters::kMaxSnapshotBytes, .what = "snapshots"});
  if (!text) std::abort();
  return std::move(text).value();
}

std::size_t read_snapshot(const std::string& path) {
  const auto read = adapters::read_snapshot_file(path);
  if (!read.ok() || read.snapshot.inputs.size() != 1) std::abort();
  return read.snapshot.inputs.front().times.size();
}

std::size_t read_tree(const std::string& path) {
  const std::string text = read_bytes(path);
  const auto read = adapters::read_snapshot_checked(text, path);
  if (!read.ok() || read.snapshot.inputs.size() != 1) std::abort();
  return read.snapshot.inputs.front().times.size();
}

std::uint64_t status_kib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1));
  }
  return 0;
}

// The peak resident memory `work` adds, in bytes: in a child process, the peak reset to the
// current size (clear_refs 5), then the work, then the new peak less the size before.
double peak_growth(const std::function<void()>& work) {
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    std::ofstream("/proc/self/clear_refs") << "5";
    const std::uint64_t before = status_kib("VmRSS");
    work();
    const double grown = static_cast<double>(status_kib("VmHWM") - before) * 1024;
    if (::write(pipe_ends[1], &grown, sizeof grown) != sizeof grown) ::_exit(1);
    ::_exit(0);
  }
  double grown = -1;
  if (::read(pipe_ends[0], &grown, sizeof grown) != sizeof grown) grown = -1;
  ::waitpid(child, nullptr, 0);
  ::close(pipe_ends[0]);
  ::close(pipe_ends[1]);
  return grown;
}

template <typename Read>
void measure(benchmark::State& state, Read read) {
  const std::string& path = snapshot_file(state.range(0));
  const double file_bytes = static_cast<double>(read_bytes(path).size());
  for (auto _ : state) benchmark::DoNotOptimize(read(path));
  state.counters["file_MB"] = file_bytes / 1e6;
  state.counters["peak_over_file"] = peak_growth([&] { benchmark::DoNotOptimize(read(path)); }) / file_bytes;
}

void BM_ReadBytes(benchmark::State& state) {
  measure(state, [](const std::string& path) { return read_bytes(path).size(); });
}
void BM_ReadSnapshot(benchmark::State& state) { measure(state, read_snapshot); }
void BM_ReadSnapshotTree(benchmark::State& state) { measure(state, read_tree); }

BENCHMARK(BM_ReadBytes)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadSnapshot)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadSnapshotTree)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// Keeps each run's time (the median, when repeated) to print the ratios at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      const bool repeated = run.repetitions > 1;
      if (repeated ? run.aggregate_name != "median" : run.run_type != Run::RT_Iteration) continue;
      seconds_[run.run_name.function_name][run.run_name.args] = run.GetAdjustedRealTime();
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\nratio of time to BM_ReadBytes of the same size, same run:\n");
    for (const auto& [name, by_size] : seconds_) {
      for (const auto& [size, time] : by_size) {
        const auto base = seconds_["BM_ReadBytes"].find(size);
        if (base == seconds_["BM_ReadBytes"].end() || base->second <= 0) continue;
        std::printf("  %-22s %-8s %8.3f ms  x%.1f\n", name.c_str(), size.c_str(), time, time / base->second);
      }
    }
  }

 private:
  std::map<std::string, std::map<std::string, double>> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
