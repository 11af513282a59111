// What every fuzz target checks besides "no crash, no exception, no sanitizer report": the
// promises a reader's result makes (adapters/readers.hpp), so a wrong answer is a finding too.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "adapters/clock.hpp"
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

// The clock stage (adapters/clock.hpp) on times a reader promises (strictly ascending, in the
// years 0000-9999; session dates at 00:00Z). Nothing throws, and each observation becomes known
// near its own time: from 2 days before (a session close in a zone ahead of UTC, at most +14h)
// to 100 days after (a bar of at most 31 days, a lag of at most 31 days and 23 business days).
// So no arithmetic leaves int64, and a time well inside the years stays inside them. And the
// order holds: of two bars that do not overlap, the later is not known before the earlier
// (sources.cpp refuses a series whose known_at goes backwards).
inline void check_known(const adapters::Clock& clock, std::span<const engine::Timestamp> times, bool session_dates) {
  constexpr engine::Timestamp kDay = 86400;
  const auto known = adapters::known_at(clock, times, session_dates);
  if (known.size() != times.size()) finding();
  const engine::Timestamp spacing = session_dates ? kDay : std::max<engine::Timestamp>(clock.bar_seconds, 1);
  std::size_t earlier = 0;  // times[0 .. earlier) end at or before times[k] starts
  engine::Timestamp latest = support::kFirstUtc;  // the latest known_at among them
  for (std::size_t k = 0; k < times.size(); ++k) {
    if (known[k] < times[k] - 2 * kDay || known[k] > times[k] + 100 * kDay) finding();
    if (times[k] > support::kFirstUtc + 2 * kDay && times[k] < support::kLastUtc - 100 * kDay &&
        !support::in_supported_years(known[k])) {
      finding();
    }
    while (earlier < k && times[earlier] + spacing <= times[k]) latest = std::max(latest, known[earlier++]);
    if (earlier > 0 && known[k] < latest) finding();
  }
}

}  // namespace riskoff::fuzz
