// Civil UTC time over std::chrono's calendar types: the instants snapshots, histories and
// records carry, and the one spelling they are written in. No time zones (not in g++ 12).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace riskoff::support {

// Seconds since 1970-01-01T00:00:00Z, leap seconds not counted (POSIX time).
using UtcSeconds = std::int64_t;

// The instants riskoff accepts from any document, data file or caller: the years 0000–9999
// (what utc_from_civil and parse_utc accept). Keeping every time inside it also keeps every
// difference or small shift of two times far from overflowing int64.
inline constexpr UtcSeconds kFirstUtc = -62167219200;  // 0000-01-01T00:00:00Z
inline constexpr UtcSeconds kLastUtc = 253402300799;   // 9999-12-31T23:59:59Z
constexpr bool in_supported_years(UtcSeconds time) { return time >= kFirstUtc && time <= kLastUtc; }

// A proleptic Gregorian date and a time of day, in UTC, as fields.
struct CivilTime {
  std::int64_t year = 1970;  // 64 bits: every UtcSeconds has a civil time
  unsigned month = 1;
  unsigned day = 1;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
};

// The instant of a civil time whose year is 0000–9999, whose date exists and whose time of day
// is 00:00:00–23:59:59; nullopt otherwise (what a document may write).
std::optional<UtcSeconds> utc_from_civil(const CivilTime& civil);
// The civil time of any instant.
CivilTime civil_from_utc(UtcSeconds time);

// "2026-02-04T21:00:00Z" or "2026-02-04" (midnight UTC); nullopt when not such a time.
std::optional<UtcSeconds> parse_utc(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ"; a year outside 0000–9999 is written with more digits or a sign.
std::string format_utc(UtcSeconds time);

}  // namespace riskoff::support
