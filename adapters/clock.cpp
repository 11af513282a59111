#include "adapters/clock.hpp"

#include <absl/time/internal/cctz/include/cctz/time_zone.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <chrono>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "adapters/lazy_library.hpp"

namespace riskoff::adapters {
namespace {

namespace cctz = absl::time_internal::cctz;

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

// Abseil's time-zone library (cctz) reads the one zone file asked for (/usr/share/zoneinfo/<name>,
// tzdata); date/tz 3.0.1 listed the whole tree first, ~740 `stat`s on the first zone of every
// `eval --sources` (bench/HISTORY.md, "one zone file"). Its entry points come from
// libabsl_time_zone, opened the first time a zone other than UTC is looked up
// (lazy_library.hpp): linked, it costs every process, `eval --snapshot` included, which never
// asks for a zone, ~290k instructions and 6 page faults at start. Called only through these
// pointers: a direct call of a member would link the library again.
struct Cctz {
  bool (*load_time_zone)(const std::string&, cctz::time_zone*) = nullptr;
  cctz::time_zone::absolute_lookup (cctz::time_zone::*at_instant)(const cctz::time_point<cctz::seconds>&) const = nullptr;
  cctz::time_zone::civil_lookup (cctz::time_zone::*at_wall)(const cctz::civil_second&) const = nullptr;
  bool (cctz::time_zone::*next_transition)(const cctz::time_point<cctz::seconds>&, cctz::time_zone::civil_transition*) const = nullptr;
  bool (cctz::time_zone::*prev_transition)(const cctz::time_point<cctz::seconds>&, cctz::time_zone::civil_transition*) const = nullptr;
  std::string error;
};

// The mangled name of an entry point of absl::time_internal::cctz, inside the inline namespace
// the installed headers name (Debian's is `debian3`): built from the headers, so that a
// library of another release is refused by name rather than called with the wrong layout.
std::string cctz_symbol(std::string_view nested_prefix, std::string_view rest) {
#define RISKOFF_STRINGIFY_2(x) #x
#define RISKOFF_STRINGIFY(x) RISKOFF_STRINGIFY_2(x)
#if !ABSL_OPTION_USE_INLINE_NAMESPACE
#error "the mangled names below count Abseil's inline namespace among their substitutions"
#endif
  const std::string_view inline_namespace = RISKOFF_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const std::string absl = "4absl" + std::to_string(inline_namespace.size()) + std::string(inline_namespace);
#undef RISKOFF_STRINGIFY
#undef RISKOFF_STRINGIFY_2
  return std::string(nested_prefix) + absl + "13time_internal4cctz" + std::string(rest);
}

const Cctz& cctz_library() {
  static const Cctz library = [] {
    Cctz tz;
    // time_point<seconds> and civil_second as they appear in the members' mangled arguments.
    const std::string instant = "RKNSt6chrono10time_pointINS4_3_V212system_clockENS4_8durationIlSt5ratioILl1ELl1EEEEEE";
    // Debian names the run-time package after the release: libabsl20220623.
    LazyLibrary absl(RISKOFF_ABSL_TZ_SONAME, ("libabsl" + std::to_string(ABSL_LTS_RELEASE_VERSION)).c_str());
    absl.bind(tz.load_time_zone, cctz_symbol("_ZN", "14load_time_zoneERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEPNS2_9time_zoneE").c_str());
    absl.bind_member(tz.at_instant, cctz_symbol("_ZNK", "9time_zone6lookupE" + instant).c_str());
    absl.bind_member(tz.at_wall, cctz_symbol("_ZNK", "9time_zone6lookupERKNS2_6detail10civil_timeINS4_10second_tagEEE").c_str());
    absl.bind_member(tz.next_transition, cctz_symbol("_ZNK", "9time_zone15next_transitionE" + instant + "PNS3_16civil_transitionE").c_str());
    absl.bind_member(tz.prev_transition, cctz_symbol("_ZNK", "9time_zone15prev_transitionE" + instant + "PNS3_16civil_transitionE").c_str());
    tz.error = absl.error;
    return tz;
  }();
  return library;
}

// An IANA zone's name ("America/New_York", "Etc/GMT+5", "EST5EDT"): parts of letters, digits,
// `_`, `-` and `+`, each starting with a letter, outside the tree's `posix/` and `right/` copies.
// cctz would open any path (an absolute one, `..`, "file:...") and build fixed offsets from
// "Fixed/UTC+hh:mm:ss"; date/tz, before it, knew only the database's names, and so does this.
bool zone_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.starts_with("posix/") || name.starts_with("right/")) return false;
  // Files of the tree that are no zone of the database: a default's template and "-00" for
  // unknown places.
  if (name == "posixrules" || name == "Factory") return false;
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  bool part_start = true;
  for (const char c : name) {
    if (part_start && !letter(c)) return false;
    part_start = c == '/';
    if (!part_start && !letter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '+') return false;
  }
  return !part_start;
}

// A TimeZone keeps cctz's zone, a pointer to the loaded zone that lives until exit, as its
// opaque pointer.
static_assert(sizeof(cctz::time_zone) == sizeof(const void*) && std::is_trivially_copyable_v<cctz::time_zone>);
cctz::time_zone zone_of(const void* zone) { return std::bit_cast<cctz::time_zone>(zone); }

constexpr cctz::civil_second kEpoch(1970, 1, 1, 0, 0, 0);
cctz::civil_second civil_of(std::int64_t wall) { return kEpoch + wall; }
std::int64_t seconds_of(const cctz::civil_second& wall) { return wall - kEpoch; }
cctz::time_point<cctz::seconds> instant_of(std::int64_t utc) { return cctz::time_point<cctz::seconds>(cctz::seconds(utc)); }
std::int64_t seconds_of(const cctz::time_point<cctz::seconds>& utc) { return utc.time_since_epoch().count(); }

cctz::time_zone::civil_lookup at_wall(const void* zone, std::int64_t local) {
  const cctz::time_zone tz = zone_of(zone);
  return (tz.*cctz_library().at_wall)(civil_of(local));
}

// cctz lists a zone's changes up to 400 years after the last one its file holds (the file's
// rule for the future, repeated), and answers a lookup past that from the same 400-year cycle;
// next_transition, though, says "no change" there. Every rule in force began after 1900: before
// 2300 its changes are all listed, so no change listed means none; from 2300 on, each answer is
// a lookup of its own (no span is kept).
constexpr std::int64_t kListedChangesEnd = 10413792000;  // 2300-01-01T00:00:00Z

// The UTC span [begin, end) over which the offset at `utc` holds: from the change before (or
// the beginning of time) to the next (or 2300). A change cctz reports is the wall time jumped
// from and to; the instant is the wall time less the offset on its side.
struct UtcSpan {
  std::int64_t begin, end, offset;
};
UtcSpan span_at(const void* zone, std::int64_t utc) {
  const cctz::time_zone tz = zone_of(zone);
  const Cctz& lib = cctz_library();
  const std::int64_t offset = (tz.*lib.at_instant)(instant_of(utc)).offset;
  if (utc >= kListedChangesEnd) return {utc, utc + 1, offset};
  UtcSpan span{std::numeric_limits<std::int64_t>::min(), kListedChangesEnd, offset};
  cctz::time_zone::civil_transition change{};
  // The change at `utc` itself begins this span: the one before is looked for after it.
  if ((tz.*lib.prev_transition)(instant_of(utc + 1), &change)) span.begin = seconds_of(change.to) - offset;
  if ((tz.*lib.next_transition)(instant_of(utc), &change)) span.end = seconds_of(change.from) - offset;
  return span;
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
  if (!zone_name(name)) return std::nullopt;
  // Without libabsl_time_zone no zone but UTC can be found: said at once, rather than every zone
  // unknown or, where a reader's default clock falls back to UTC, times off by hours.
  if (!cctz_library().error.empty()) throw std::runtime_error(cctz_library().error);
  cctz::time_zone zone;
  // An unknown name, or no tz database on the machine (Debian: tzdata): either way, no zone.
  if (!cctz_library().load_time_zone(std::string(name), &zone)) return std::nullopt;
  return TimeZone(std::bit_cast<const void*>(zone), std::string(name));
}

TimeZone TimeZone::utc() { return TimeZone(nullptr, "UTC"); }

engine::Timestamp TimeZone::to_utc(engine::Timestamp local) const {
  if (zone_ == nullptr) return local;
  if (last_to_utc.holds(zone_, local)) return local - last_to_utc.offset;
  const cctz::time_zone::civil_lookup found = at_wall(zone_, local);
  if (found.kind == cctz::time_zone::civil_lookup::UNIQUE) {
    const std::int64_t utc = seconds_of(found.pre);
    const UtcSpan span = span_at(zone_, utc);
    // The span in wall time, less a margin each side (the margin is larger than any offset, so
    // neither sum leaves the 64 bits of a span that runs to the beginning or end of time).
    const std::int64_t begin = span.begin + (span.offset + kWallMargin);
    const std::int64_t end = span.end + (span.offset - kWallMargin);
    if (begin < end) last_to_utc = {zone_, begin, end, span.offset};
    return utc;
  }
  // A skipped time is the moment the clocks jump; a repeated one its first occurrence, at the
  // offset before the change.
  if (found.kind == cctz::time_zone::civil_lookup::SKIPPED) return seconds_of(found.trans);
  return seconds_of(found.pre);
}

std::optional<engine::Timestamp> TimeZone::to_utc_exactly(engine::Timestamp local, std::string& why) const {
  if (zone_ == nullptr) return local;
  const cctz::time_zone::civil_lookup found = at_wall(zone_, local);
  if (found.kind == cctz::time_zone::civil_lookup::SKIPPED) {
    why = "the local time does not exist in `" + name_ + "` (skipped by a daylight-saving change)";
    return std::nullopt;
  }
  if (found.kind == cctz::time_zone::civil_lookup::REPEATED) {
    why = "the local time happens twice in `" + name_ + "` (repeated by a daylight-saving change)";
    return std::nullopt;
  }
  return seconds_of(found.pre);
}

engine::Timestamp TimeZone::to_local(engine::Timestamp utc) const {
  if (zone_ == nullptr) return utc;
  if (last_to_local.holds(zone_, utc)) return utc + last_to_local.offset;
  const UtcSpan span = span_at(zone_, utc);
  last_to_local = {zone_, span.begin, span.end, span.offset};
  return utc + span.offset;
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
