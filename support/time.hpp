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

namespace detail {

// The calendar utc_from_civil counts with. NOTE(perf): inline, and by counting rather than
// through chrono's year_month_day, because readers call it for every time of a document (the
// snapshot reader for each of a `riskoff serve` request's ~900 times); out of line, returning the
// optional through memory stalled each call. tests/unit/support/time_test.cpp compares every
// day of 0000–9999 with chrono's calendar.
constexpr bool leap_year(std::int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

// Days before each month, and each month's length, in a year that is not a leap year.
inline constexpr std::int64_t kBeforeMonth[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
inline constexpr unsigned kMonthLength[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// Days from 0000-01-01 to the first of `month` (1–12) in `year` (0000–9999): whole years with
// their leap days (year 0000 is one), then the months before in this year.
constexpr std::int64_t days_to_month(std::int64_t year, unsigned month) {
  const std::int64_t leap_days_before = (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
  return 365 * year + leap_days_before + kBeforeMonth[month - 1] + (month > 2 && leap_year(year) ? 1 : 0);
}

inline constexpr std::int64_t kEpochDays = days_to_month(1970, 1);  // 1970-01-01 counted from 0000-01-01

}  // namespace detail

// The instant of a civil time whose year is 0000–9999, whose date exists and whose time of day
// is 00:00:00–23:59:59; nullopt otherwise (what a document may write).
inline std::optional<UtcSeconds> utc_from_civil(const CivilTime& civil) {
  if (civil.year < 0 || civil.year > 9999 || civil.month < 1 || civil.month > 12 || civil.day < 1 ||
      civil.day > (civil.month == 2 && detail::leap_year(civil.year) ? 29 : detail::kMonthLength[civil.month - 1]) ||
      civil.hour > 23 || civil.minute > 59 || civil.second > 59) {
    return std::nullopt;
  }
  const std::int64_t days = detail::days_to_month(civil.year, civil.month) + (civil.day - 1) - detail::kEpochDays;
  return days * 86400 + civil.hour * 3600 + civil.minute * 60 + civil.second;
}
// The civil time of any instant.
CivilTime civil_from_utc(UtcSeconds time);

// "2026-02-04T21:00:00Z" or "2026-02-04" (midnight UTC); nullopt when not such a time.
std::optional<UtcSeconds> parse_utc(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ"; a year outside 0000–9999 is written with more digits or a sign.
std::string format_utc(UtcSeconds time);

}  // namespace riskoff::support
