// libFuzzer target for the clock stage (adapters/clock.hpp): the manifest's clock fields parsed
// by the functions the manifest uses, then known_at over times taken from the input.
//
// The input is a line of up to five words, then raw bytes: `tz known_at lag bar mode`, e.g.
// `America/New_York 16:00 1bd 4h i`; a word `-` leaves that field to the reader's default
// (`csv`'s: end of the UTC day), and mode `s` reads the times as session dates, anything else as
// instants (bar opens when a bar is given). Every 8 bytes after the line are one time, folded
// into the years 0000-9999 (the readers' promise; session dates floored to 00:00Z), sorted and
// made unique: the order a reader returns. fuzz_support.hpp check_known says what must hold.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

namespace {

using namespace riskoff::adapters;
using riskoff::engine::Timestamp;

// The next word of the first line (up to a space or the line's end).
std::string_view word(std::string_view& line) {
  const std::size_t end = std::min(line.find(' '), line.size());
  const std::string_view out = line.substr(0, end);
  line.remove_prefix(std::min(end + 1, line.size()));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = riskoff::fuzz::bytes(data, size);
  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string_view line = text.substr(0, newline);
  const std::string_view rest = text.substr(newline + 1);

  Clock clock = default_clock("csv");
  const std::string_view tz = word(line), at = word(line), lag = word(line), bar = word(line), mode = word(line);
  if (tz != "-" && !tz.empty()) {
    if (!TimeZone::find(tz)) return 0;  // the manifest refuses an unknown zone
    clock.tz = std::string(tz);
  }
  if (at != "-" && !at.empty()) {
    const auto minute = parse_time_of_day(at);
    if (!minute) return 0;
    clock.close_minute = *minute;
  }
  if (lag != "-" && !lag.empty() && !parse_lag(lag, clock.lag_seconds, clock.lag_business_days)) return 0;
  if (bar != "-" && !bar.empty()) {
    const auto length = parse_bar_length(bar);
    if (!length) return 0;
    clock.bar_seconds = *length;
  }
  const bool session_dates = mode == "s";

  constexpr Timestamp kSpan = riskoff::support::kLastUtc - riskoff::support::kFirstUtc + 1;
  std::vector<Timestamp> times;
  for (std::size_t at_byte = 0; at_byte + 8 <= rest.size(); at_byte += 8) {
    std::uint64_t raw = 0;
    std::memcpy(&raw, rest.data() + at_byte, 8);
    Timestamp time = riskoff::support::kFirstUtc + static_cast<Timestamp>(raw % static_cast<std::uint64_t>(kSpan));
    if (session_dates) time -= ((time % 86400) + 86400) % 86400;
    times.push_back(time);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  riskoff::fuzz::check_known(clock, times, session_dates);
  // The one-zone overload gives what the series overload gives.
  const TimeZone zone = TimeZone::find(clock.tz).value_or(TimeZone::utc());
  const auto known = known_at(clock, times, session_dates);
  for (std::size_t k = 0; k < times.size(); ++k) {
    if (known_at(clock, zone, times[k], session_dates) != known[k]) riskoff::fuzz::finding();
  }
  if (describe(clock, "csv", session_dates).empty()) riskoff::fuzz::finding();
  return 0;
}
