// Exchange-local times to UTC through the system time-zone database (Howard Hinnant's date/tz,
// Debian's libhowardhinnant-date, reading /usr/share/zoneinfo): DST rules are the database's,
// never a table of ours. Internal to adapters/.
#pragma once

#include <string>
#include <string_view>

#include "engine/snapshot.hpp"

namespace riskoff::adapters::detail {

// The UTC instant of a local wall-clock time (seconds since 1970 as if the zone were UTC) in
// `zone` ("America/New_York", "US/Eastern"). Returns why not ("" on success): an unknown zone, or
// a local time that a DST change skips or repeats.
std::string local_to_utc(std::string_view zone, engine::Timestamp local, engine::Timestamp& utc);

// The local wall-clock time of an instant in `zone` (seconds since 1970 as if the zone were UTC);
// "" on success, else why not (an unknown zone).
std::string utc_to_local(std::string_view zone, engine::Timestamp utc, engine::Timestamp& local);

// "1d" "4h" "15m" "15min" "30s" "1D" "1w": a bar length or interval in seconds; 0 when not one.
std::int64_t duration_seconds(std::string_view text);

}  // namespace riskoff::adapters::detail
