// The data's clock: when each observation became known, in UTC. Readers say what the file says
// (a session date, or an instant); this stage maps every observation to the instant it could
// first have been seen: a daily bar at its exchange's session close in the exchange's time zone
// (DST from the system tz database through Abseil's time-zone library, cctz), plus a publication lag; an
// intraday bar at its close. Snapshots select by that instant (known_at <= as_of) and measure
// ages from it; the bar keeps its own date for display and windows. docs/sources.md "Clocks".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.hpp"

namespace riskoff::adapters {

// A resolved IANA time zone (opaque: cctz stays inside clock.cpp). Cheap to copy; points to
// the zone cctz loaded, which lives until exit.
class TimeZone {
 public:
  // nullopt when the system tz database has no zone of that name (or the name is a path or a
  // fixed offset rather than a zone's name). Throws std::runtime_error, naming the package, when
  // libabsl_time_zone (opened on the first call for a zone other than UTC) cannot be loaded.
  static std::optional<TimeZone> find(std::string_view name);
  static TimeZone utc();
  const std::string& name() const { return name_; }
  bool is_utc() const { return zone_ == nullptr; }
  // The UTC instant of a local wall time, given as if it were UTC seconds. A wall time that
  // occurs twice (the hour DST ends) is read as its first occurrence; one that does not exist
  // (the hour DST starts) as the moment the clocks jump.
  engine::Timestamp to_utc(engine::Timestamp local) const;
  // The same for a time a file writes, which must occur exactly once: nullopt, with `why`, for
  // a wall time a DST change skips or repeats (a reader refuses it rather than guess).
  std::optional<engine::Timestamp> to_utc_exactly(engine::Timestamp local, std::string& why) const;
  // The local wall time of an instant, as if it were UTC seconds.
  engine::Timestamp to_local(engine::Timestamp utc) const;

 private:
  TimeZone(const void* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const void* zone_;  // cctz::time_zone's pointer to its loaded zone; null for UTC
  std::string name_;
};

// Where a clock setting comes from, for `snapshot build --explain-times`.
enum class ClockOrigin : std::uint8_t { kReader, kManifest };

// How an input's observations map to the instant they became known.
struct Clock {
  std::string tz = "UTC";  // the session's time zone (IANA name)
  // Minutes after local midnight of the session date when its value is known (a daily close:
  // 16:00 -> 960). For intraday bars, the session close that caps a bar running past it.
  std::optional<int> close_minute;
  std::int64_t lag_seconds = 0;  // publication delay after the close
  int lag_business_days = 0;     // whole weekdays after the session date ("1bd": FRED's next-day posting)
  std::int64_t bar_seconds = 0;  // times are bar opens of this length (`time_is: open`); 0: times are closes
  std::string calendar;          // why these defaults, in words: "US equities: NYSE close"
  ClockOrigin tz_from = ClockOrigin::kReader;
  ClockOrigin close_from = ClockOrigin::kReader;
  ClockOrigin lag_from = ClockOrigin::kReader;
  std::string lag_text;  // as written ("1d", "30m", "1bd"), "" for none
};

// The default clock of a reader (docs/sources.md "Clocks"): US markets close 16:00
// America/New_York, CBOE VIX 16:15, FRED's H.15 rates are posted at 16:15 New York the next
// business day, a daily file of unknown origin is known at the end of its UTC day, and crypto
// and other instants are known when stamped.
Clock default_clock(std::string_view reader);

// "16:00" -> 960; nullopt unless HH:MM with HH 00-24 and MM 00-59 (24:00 is the end of the day).
std::optional<int> parse_time_of_day(std::string_view text);
// "30m", "4h", "1d" (calendar days) or "1bd" (business days, Monday to Friday). Fills the clock's
// lag (or returns false). At most 31 days.
bool parse_lag(std::string_view text, std::int64_t& seconds, int& business_days);
// "4h", "15m", "5min", "1d", "1w": a bar length or interval in seconds (the clock's `bar`, a
// source's `bar` and `per`, Alpha Vantage's `Interval`); nullopt when not such a length (units s,
// m or min, h, d, w; at most 31 days). The one reader of lengths: the manifest and the readers
// share it.
std::optional<std::int64_t> parse_bar_length(std::string_view text);

// When each observation became known. `times` are session dates at 00:00Z when
// `session_dates`, else instants (bar opens when the clock has a bar length). The clock's zone
// must have been checked with TimeZone::find. Times stay in the supported years.
std::vector<engine::Timestamp> known_at(const Clock& clock, std::span<const engine::Timestamp> times, bool session_dates);
engine::Timestamp known_at(const Clock& clock, const TimeZone& zone, engine::Timestamp time, bool session_dates);

// In words, for --explain-times: "16:00 America/New_York session close (default for reader
// yahoo_csv: US equities and indices), lag 1bd (manifest)".
std::string describe(const Clock& clock, std::string_view reader, bool session_dates);

}  // namespace riskoff::adapters
