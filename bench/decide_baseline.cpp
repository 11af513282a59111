// The C++ API's decide() per call, the baseline bench/python_bench.py divides by: the shipped
// ruleset on the 2026-02-04 snapshot, node values kept (what riskoff.Ruleset.decide does by
// default), timed the way the Python side is (best of repeats of a fixed count of calls).
// Prints one JSON object: {"decide_us": best microseconds per call, "calls": per repeat}.
#include <riskoff/riskoff.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const std::string root = argc > 1 ? argv[1] : RISKOFF_SOURCE_DIR;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 2000;
  auto compiled = riskoff::Ruleset::load(root + "/rulesets/riskoff.rules");
  auto snapshot = riskoff::Snapshot::load(root + "/examples/snapshots/2026-02-04.json");
  if (!compiled.ok() || !snapshot.ok()) {
    std::fprintf(stderr, "decide_baseline: cannot load the shipped ruleset or snapshot under %s\n", root.c_str());
    return 1;
  }
  const riskoff::DecideOptions options{.profile = "swing"};
  double best = 1e300;
  std::size_t sink = 0;
  for (int repeat = 0; repeat < 5; ++repeat) {
    const auto start = std::chrono::steady_clock::now();
    for (int k = 0; k < calls; ++k) {
      auto decision = riskoff::decide(*compiled.ruleset, *snapshot.snapshot, options);
      sink += decision->action().size();
    }
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / calls);
  }
  std::printf("{\"decide_us\": %.3f, \"calls\": %d, \"sink\": %zu}\n", best, calls, sink);
  return 0;
}
