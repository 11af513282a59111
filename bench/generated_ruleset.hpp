// Generated rulesets of any size, for the ruleset-size scaling benchmark (bench/scaling_bench.cpp)
// and the linearity test (tests/api/scaling_test.cpp). A root file imports parts of at most
// 2,000 signals each (a file holds at most 5,000 declarations, a ruleset 64 files); every part
// declares 200 inputs (1 in 100 optional and left out of the snapshot, so explanations list
// unknowns), 200 parameters, its signals (plain comparisons and, one in four, a 5-day change)
// and drivers of 100 signals each. The root decides on count(drivers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace riskoff::bench {

struct GeneratedRuleset {
  std::string root;                          // the root file's text
  std::map<std::string, std::string> parts;  // import path -> text ("part0.rules", ...)
  // What a snapshot holds: every input but the optional ones, each over the same daily times
  // ending at as_of, unit number.
  std::int64_t as_of = 0;
  std::vector<std::int64_t> times;
  std::vector<std::string> input_names;      // qualified: "m3.i17"
  std::vector<std::vector<double>> values;   // per input, one per time
};

GeneratedRuleset generate_ruleset(std::size_t signals);

}  // namespace riskoff::bench
