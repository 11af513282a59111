// A console reporter that also keeps each benchmark's figure, so a program can print ratios
// measured in the same run (bench/README.md: figures are ratios to a baseline timed beside
// them). With --benchmark_repetitions=N the median aggregate is kept, else the last run.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace riskoff::bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  struct Figure {
    double real_seconds = 0;           // per iteration
    double cpu_seconds = 0;            // per iteration: this process's CPU time, steadier on a shared machine
    std::map<std::string, double> counters;
    bool median = false;
  };

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred || run.iterations == 0) continue;
      const bool is_median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.run_type == Run::RT_Aggregate && !is_median) continue;
      const std::string name = run.run_name.str();
      Figure& figure = figures_[name];
      if (figure.median && !is_median) continue;
      figure.median = is_median;
      figure.real_seconds = run.real_accumulated_time / static_cast<double>(run.iterations);
      figure.cpu_seconds = run.cpu_accumulated_time / static_cast<double>(run.iterations);
      for (const auto& [key, counter] : run.counters) figure.counters[key] = counter.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // The figure of a benchmark by its run name ("BM_Check/1000"), or null when it did not run.
  const Figure* find(const std::string& name) const {
    const auto found = figures_.find(name);
    return found == figures_.end() ? nullptr : &found->second;
  }

 private:
  std::map<std::string, Figure> figures_;
};

}  // namespace riskoff::bench
