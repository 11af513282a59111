#include "adapters/clock.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <date/tz.h>
#include <stdexcept>

#include "adapters/lazy_library.hpp"

namespace riskoff::adapters {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kMaxLagSeconds = 31 * kDay;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Monday 0 ... Sunday 6 of a day number (days since 1970-01-01, a Thursday).
int weekday(std::int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

std::int64_t add_business_days(std::int64_t day, int count) {
  for (int k = 0; k < count; ++k) {
    ++day;
    while (weekday(day) >= 5) ++day;
  }
  return day;
}

const date::time_zone* zone_of(const void* zone) { return static_cast<const date::time_zone*>(zone); }

// date/tz's entry points, from libdate-tz opened the first time a zone other than UTC is looked
// up (lazy_library.hpp): linked, it was mapped and its 127 symbols bound in every process, ~140k
// instructions and 7 page faults of `eval --snapshot` (bench/HISTORY.md, "Start-up, fifth
// pass"), which never asks for a zone. Called only through these: a call of the header's inline
// get_info() or to_sys() would link the library again.
struct DateTz {
  const date::time_zone* (*locate_zone)(std::string_view) = nullptr;
  date::sys_info (date::time_zone::*sys_info)(date::sys_seconds) const = nullptr;
  date::local_info (date::time_zone::*local_info)(date::local_seconds) const = nullptr;
  std::string error;
};

const DateTz& date_tz() {
  static const DateTz library = [] {
    DateTz tz;
    LazyLibrary date(RISKOFF_DATE_TZ_SONAME, "libdate-tz3");
    date.bind(tz.locate_zone, "_ZN4date11locate_zoneESt17basic_string_viewIcSt11char_traitsIcEE");
    date.bind_member(tz.sys_info,
                     "_ZNK4date9time_zone13get_info_implENSt6chrono10time_pointINS1_3_V212system_clockENS1_"
                     "8durationIlSt5ratioILl1ELl1EEEEEE");
    date.bind_member(tz.local_info,
                     "_ZNK4date9time_zone13get_info_implENSt6chrono10time_pointINS_7local_tENS1_8durationIlSt5ratioILl1ELl1EEEEEE");
    tz.error = date.error;
    return tz;
  }();
  return library;
}

date::sys_info sys_info_of(const void* zone, std::int64_t utc) {
  return (zone_of(zone)->*date_tz().sys_info)(date::sys_seconds{std::chrono::seconds(utc)});
}
date::local_info local_info_of(const void* zone, std::int64_t local) {
  return (zone_of(zone)->*date_tz().local_info)(date::local_seconds{std::chrono::seconds(local)});
}

// A span of time over which a zone's offset is one and the same, in the seconds of the side the
// question comes from (UTC for to_local, wall time for to_utc). A zone changes its offset twice a
// year at most, and readers ask about rows in order: the span of the last answer, kept per thread
// and per question, answers most rows without a search of the tz database.
struct OffsetSpan {
  const void* zone = nullptr;
  std::int64_t begin = 0, end = 0;  // [begin, end)
  std::int64_t offset = 0;          // local = utc + offset
  bool holds(const void* of, std::int64_t at) const { return zone == of && at >= begin && at < end; }
};
thread_local OffsetSpan last_to_local;
thread_local OffsetSpan last_to_utc;
// Wall times this close to a change of offset are looked up every time: the neighbouring span's
// offset (at most a day away: Samoa skipped 30 December 2011) could name them too.
constexpr std::int64_t kWallMargin = 2 * kDay;

// A number followed by a unit: "30m" -> {30, 'm'}; the number 0 to 100000.
bool number_and_unit(std::string_view text, std::int64_t& number, std::string_view& unit) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data() || number < 0 || number > 100000) return false;
  unit = text.substr(static_cast<std::size_t>(end - text.data()));
  return true;
}

std::string origin_text(ClockOrigin origin, std::string_view reader) {
  return origin == ClockOrigin::kManifest ? "manifest" : "default for reader " + std::string(reader);
}

std::string clock_text(int minute) {
  const auto two = [](int value) { return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10); };
  return two(minute / 60) + ":" + two(minute % 60);
}

}  // namespace

std::optional<TimeZone> TimeZone::find(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC") return utc();
  // Without libdate-tz no zone but UTC can be found: said at once, rather than every zone
  // unknown or, where a reader's default clock falls back to UTC, times off by hours.
  if (!date_tz().error.empty()) throw std::runtime_error(date_tz().error);
  try {
    return TimeZone(date_tz().locate_zone(name), std::string(name));
  } catch (const std::exception&) {
    // An unknown name, or no tz database on the machine (Debian: tzdata): either way, no zone.
    return std::nullopt;
  }
}

TimeZone TimeZone::utc() { return TimeZone(nullptr, "UTC"); }

engine::Timestamp TimeZone::to_utc(engine::Timestamp local) const {
  if (zone_ == nullptr) return local;
  if (last_to_utc.holds(zone_, local)) return local - last_to_utc.offset;
  const date::local_info info = local_info_of(zone_, local);
  if (info.result == date::local_info::unique) {
    const std::int64_t offset = info.first.offset.count();
    const std::int64_t begin = info.first.begin.time_since_epoch().count() + offset + kWallMargin;
    const std::int64_t end = info.first.end.time_since_epoch().count() + offset - kWallMargin;
    if (begin < end) last_to_utc = {zone_, begin, end, offset};
    return local - offset;
  }
  // What date/tz's to_sys(wall, choose::earliest) does: the moment the clocks jump for a
  // skipped time, else the first offset.
  if (info.result == date::local_info::nonexistent) return info.first.end.time_since_epoch().count();
  return local - info.first.offset.count();
}

std::optional<engine::Timestamp> TimeZone::to_utc_exactly(engine::Timestamp local, std::string& why) const {
  if (zone_ == nullptr) return local;
  const date::local_info info = local_info_of(zone_, local);
  if (info.result == date::local_info::nonexistent) {
    why = "the local time does not exist in `" + name_ + "` (skipped by a daylight-saving change)";
    return std::nullopt;
  }
  if (info.result == date::local_info::ambiguous) {
    why = "the local time happens twice in `" + name_ + "` (repeated by a daylight-saving change)";
    return std::nullopt;
  }
  return local - info.first.offset.count();
}

engine::Timestamp TimeZone::to_local(engine::Timestamp utc) const {
  if (zone_ == nullptr) return utc;
  if (last_to_local.holds(zone_, utc)) return utc + last_to_local.offset;
  const date::sys_info info = sys_info_of(zone_, utc);
  last_to_local = {zone_, info.begin.time_since_epoch().count(), info.end.time_since_epoch().count(), info.offset.count()};
  return utc + info.offset.count();
}

Clock default_clock(std::string_view reader) {
  Clock clock;
  auto session = [&](const char* tz, int minute, const char* calendar) {
    clock.tz = tz;
    clock.close_minute = minute;
    clock.calendar = calendar;
  };
  if (reader == "yahoo_csv" || reader == "yahoo_chart_json" || reader == "stooq_csv") {
    session("America/New_York", 16 * 60, "US equities, indices and ETFs: NYSE close");
  } else if (reader == "alphavantage_json" || reader == "tiingo_json" || reader == "polygon_aggs_json") {
    // US equity APIs: their daily bars are NYSE sessions (another exchange: `tz` and `known_at`).
    session("America/New_York", 16 * 60, "US equity API daily bars: NYSE close");
  } else if (reader == "cboe_csv") {
    session("America/New_York", 16 * 60 + 15, "CBOE VIX: index close");
  } else if (reader == "fred_csv" || reader == "fred_json") {
    session("America/New_York", 16 * 60 + 15, "FRED daily (H.15): posted 16:15 New York the next business day");
    clock.lag_business_days = 1;
    clock.lag_text = "1bd";
  } else if (reader == "csv") {
    // A daily file of unknown origin: its date is over when the UTC day is.
    session("UTC", 24 * 60, "daily file of unknown exchange: end of the UTC day");
  } else {
    clock.calendar = "instants: known when stamped (crypto, UTC)";
  }
  return clock;
}

std::optional<int> parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (const std::size_t at : {0u, 1u, 3u, 4u}) {
    if (text[at] < '0' || text[at] > '9') return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (minute > 59 || hour > 24 || (hour == 24 && minute != 0)) return std::nullopt;
  return hour * 60 + minute;
}

bool parse_lag(std::string_view text, std::int64_t& seconds, int& business_days) {
  std::int64_t number = 0;
  std::string_view unit;
  if (!number_and_unit(text, number, unit)) return false;
  if (unit == "bd") {
    if (number > 23) return false;  // 23 weekdays are over 31 days
    business_days = static_cast<int>(number);
    seconds = 0;
    return true;
  }
  const std::int64_t per = unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? kDay : 0;
  if (per == 0 || number * per > kMaxLagSeconds) return false;
  seconds = number * per;
  business_days = 0;
  return true;
}

std::optional<std::int64_t> parse_bar_length(std::string_view text) {
  std::int64_t number = 0;
  std::string_view unit;
  if (!number_and_unit(text, number, unit) || number == 0) return std::nullopt;
  const std::int64_t per = unit == "s"                  ? 1
                           : unit == "m" || unit == "min" ? 60
                           : unit == "h"                  ? 3600
                           : unit == "d"                  ? kDay
                           : unit == "w"                  ? 7 * kDay
                                                          : 0;
  if (per == 0 || number * per > kMaxLagSeconds) return std::nullopt;
  return number * per;
}

engine::Timestamp known_at(const Clock& clock, const TimeZone& zone, engine::Timestamp time, bool session_dates) {
  if (session_dates) {
    // The session of date D closes at close_minute local time on D (Invariant: `time` is D at
    // 00:00Z); a business-day lag moves the posting to a later weekday at the same wall time.
    const std::int64_t day = add_business_days(floor_div(time, kDay), clock.lag_business_days);
    const std::int64_t local = day * kDay + clock.close_minute.value_or(24 * 60) * 60;
    return zone.to_utc(local) + clock.lag_seconds;
  }
  engine::Timestamp close = time + clock.bar_seconds;
  if (clock.bar_seconds > 0 && clock.close_minute && *clock.close_minute < 24 * 60) {
    // A bar cannot outlast its session: the last 4h bar of a US day opened at 15:00 New York
    // is complete at the 16:00 close, not at 19:00.
    const engine::Timestamp local_open = zone.to_local(time);
    const engine::Timestamp session_close = floor_div(local_open, kDay) * kDay + *clock.close_minute * 60;
    if (local_open < session_close) close = std::min(close, zone.to_utc(session_close));
  }
  if (clock.lag_business_days > 0) {
    // N business days later at the same time into the local day. Two rules keep a later close
    // from becoming known before an earlier one (the fuzzer's find; build_snapshot refuses a
    // series whose known_at goes backwards): a close on a weekend counts from the start of the
    // next Monday (Friday 23:00 + 1bd is Monday 23:00, Saturday 01:00 is Tuesday 00:00, not
    // Monday 01:00); and the time into the day is counted in seconds since local midnight and
    // kept inside the target day, so a 25-hour day (DST ends) does not spill into the next.
    std::int64_t day = floor_div(zone.to_local(close), kDay);
    const auto midnight = [&](std::int64_t d) { return zone.to_utc(d * kDay); };
    engine::Timestamp into_day = std::max<engine::Timestamp>(close - midnight(day), 0);
    if (weekday(day) >= 5) {
      day += 7 - weekday(day);
      into_day = 0;
    }
    const std::int64_t target = add_business_days(day, clock.lag_business_days);
    close = midnight(target) + std::min(into_day, midnight(target + 1) - midnight(target) - 1);
  }
  return close + clock.lag_seconds;
}

std::vector<engine::Timestamp> known_at(const Clock& clock, std::span<const engine::Timestamp> times, bool session_dates) {
  const TimeZone zone = TimeZone::find(clock.tz).value_or(TimeZone::utc());
  std::vector<engine::Timestamp> out;
  out.reserve(times.size());
  for (const auto time : times) out.push_back(known_at(clock, zone, time, session_dates));
  return out;
}

std::string describe(const Clock& clock, std::string_view reader, bool session_dates) {
  std::string out;
  if (session_dates) {
    out = "session dates; close " + clock_text(clock.close_minute.value_or(24 * 60)) + " (" +
          origin_text(clock.close_from, reader) + ") in " + clock.tz + " (" + origin_text(clock.tz_from, reader) + ")";
  } else if (clock.bar_seconds > 0) {
    out = "bar opens + " + std::to_string(clock.bar_seconds / 60) + "m (manifest)";
    if (clock.close_minute && *clock.close_minute < 24 * 60) {
      out += ", capped at the " + clock_text(*clock.close_minute) + " " + clock.tz + " session close (" +
             origin_text(clock.close_from, reader) + ")";
    }
  } else {
    out = "instants (the time is when it was known)";
  }
  out += "; lag " + (clock.lag_text.empty() ? std::string("none") : clock.lag_text) + " (" +
         origin_text(clock.lag_from, reader) + ")";
  // The reader's reason, where its defaults are what decided.
  const bool reader_decided = session_dates ? clock.close_from == ClockOrigin::kReader : !clock.close_minute;
  if (!clock.calendar.empty() && reader_decided) out += "; " + clock.calendar;
  return out;
}

}  // namespace riskoff::adapters
