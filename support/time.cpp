#include "support/time.hpp"

#include <chrono>
#include <cstdio>

namespace riskoff::support {
namespace {

namespace chr = std::chrono;

constexpr std::int64_t kSecondsPerDay = 86400;
// The Gregorian calendar repeats every 400 years, which are exactly this many days. Shifting
// by whole cycles keeps instants far outside std::chrono::year's ±32767 exact.
constexpr std::int64_t kDaysPer400Years = 146097;

bool digits(std::string_view text, std::size_t at, std::size_t count, unsigned& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const char ch = text[at + k];
    if (ch < '0' || ch > '9') return false;
    value = value * 10 + static_cast<unsigned>(ch - '0');
  }
  return true;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

CivilTime civil_from_utc(UtcSeconds time) {
  // Not floor_div(time, kSecondsPerDay) * kSecondsPerDay: that overflows near INT64_MIN.
  std::int64_t days = time / kSecondsPerDay;
  std::int64_t seconds = time % kSecondsPerDay;
  if (seconds < 0) {
    seconds += kSecondsPerDay;
    --days;
  }
  const std::int64_t cycles = floor_div(days, kDaysPer400Years);
  const chr::sys_days in_cycle{chr::days{days - cycles * kDaysPer400Years}};  // 1970-01-01 .. 2369-12-31
  const chr::year_month_day date{in_cycle};
  const chr::hh_mm_ss clock{chr::seconds{seconds}};
  CivilTime out;
  out.year = static_cast<int>(date.year()) + cycles * 400;
  out.month = static_cast<unsigned>(date.month());
  out.day = static_cast<unsigned>(date.day());
  out.hour = static_cast<unsigned>(clock.hours().count());
  out.minute = static_cast<unsigned>(clock.minutes().count());
  out.second = static_cast<unsigned>(clock.seconds().count());
  return out;
}

std::optional<UtcSeconds> parse_utc(std::string_view text) {
  unsigned year = 0;
  CivilTime civil;
  if (!digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, civil.month) ||
      text[7] != '-' || !digits(text, 8, 2, civil.day))
    return std::nullopt;
  civil.year = year;
  if (text.size() != 10 &&
      (text.size() != 20 || text[10] != 'T' || !digits(text, 11, 2, civil.hour) || text[13] != ':' ||
       !digits(text, 14, 2, civil.minute) || text[16] != ':' || !digits(text, 17, 2, civil.second) || text[19] != 'Z'))
    return std::nullopt;
  return utc_from_civil(civil);
}

std::string format_utc(UtcSeconds time) {
  const CivilTime civil = civil_from_utc(time);
  char buffer[64];  // ample: a 64-bit year cannot overflow it
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(civil.year),
                civil.month, civil.day, civil.hour, civil.minute, civil.second);
  return buffer;
}

}  // namespace riskoff::support
