// What every fuzz target checks besides "no crash, no exception, no sanitizer report": the
// promises a reader's result makes (adapters/readers.hpp), so a wrong answer is a finding too.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/readers.hpp"
#include "support/time.hpp"

namespace riskoff::fuzz {

// libFuzzer keeps the input that reaches a trap; abort() would do too, but a trap names no
// library frame and works under -fno-exceptions builds of the harness alike.
[[noreturn]] inline void finding() { __builtin_trap(); }

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A series read without problems: one time, value and line per observation, times strictly
// ascending and inside the years 0000-9999 (what keeps later time arithmetic from overflowing),
// values finite. With problems: each one says something.
inline void check_series(const adapters::SeriesRead& read) {
  for (const auto& problem : read.problems) {
    if (problem.message.empty() || problem.text().empty()) finding();
  }
  if (!read.ok()) return;
  if (read.values.size() != read.times.size() || read.lines.size() != read.times.size()) finding();
  for (std::size_t i = 0; i < read.times.size(); ++i) {
    if (!std::isfinite(read.values[i]) || !support::in_supported_years(read.times[i])) finding();
    if (i > 0 && read.times[i] <= read.times[i - 1]) finding();
  }
}

}  // namespace riskoff::fuzz
