// Each kind of offset change, through the time-zone library clock.cpp calls (Abseil's cctz): the
// instants either side of a change, a skipped wall time (read as the moment the clocks jump, or
// refused when a file writes it) and a repeated one (its first occurrence, or refused), in a
// one-hour DST (New York), a half-hour DST (Lord Howe), a past change of a zone with a half-hour
// offset (Kolkata's war time) and a skipped day (Samoa, 30 December 2011). The expected instants
// are zdump's (tzdata). Also the years past those a zone file lists, and which names are zones.
#include <catch2/catch.hpp>

#include <string>

#include "adapters/clock.hpp"

using namespace riskoff;
using namespace riskoff::adapters;
using engine::format_timestamp;

namespace {

engine::Timestamp at(const char* text) { return *engine::parse_timestamp(text); }

// The wall time of `utc` in `zone`, written as if it were UTC.
std::string wall(const TimeZone& zone, const char* utc) { return format_timestamp(zone.to_local(at(utc))); }
// The instant of the wall time `local` in `zone`.
std::string instant(const TimeZone& zone, const char* local) { return format_timestamp(zone.to_utc(at(local))); }
// The instant of a wall time a file writes, or why there is none.
std::string exactly(const TimeZone& zone, const char* local) {
  std::string why;
  const auto utc = zone.to_utc_exactly(at(local), why);
  return utc ? format_timestamp(*utc) : why;
}

}  // namespace

TEST_CASE("New York: the spring-forward hour is skipped, the fall-back hour repeated", "[adapters][clock]") {
  const auto zone = *TimeZone::find("America/New_York");
  // 2024-03-10 02:00 EST becomes 03:00 EDT at 07:00Z.
  CHECK(wall(zone, "2024-03-10T06:59:59Z") == "2024-03-10T01:59:59Z");
  CHECK(wall(zone, "2024-03-10T07:00:00Z") == "2024-03-10T03:00:00Z");
  CHECK(instant(zone, "2024-03-10T01:59:59Z") == "2024-03-10T06:59:59Z");
  CHECK(instant(zone, "2024-03-10T02:30:00Z") == "2024-03-10T07:00:00Z");  // skipped: when the clocks jump
  CHECK(instant(zone, "2024-03-10T03:00:00Z") == "2024-03-10T07:00:00Z");
  CHECK(exactly(zone, "2024-03-10T02:00:00Z") ==
        "the local time does not exist in `America/New_York` (skipped by a daylight-saving change)");
  // 2024-11-03 02:00 EDT becomes 01:00 EST at 06:00Z: 01:00-01:59 happens twice.
  CHECK(wall(zone, "2024-11-03T05:59:59Z") == "2024-11-03T01:59:59Z");
  CHECK(wall(zone, "2024-11-03T06:00:00Z") == "2024-11-03T01:00:00Z");
  CHECK(wall(zone, "2024-11-03T06:30:00Z") == "2024-11-03T01:30:00Z");
  CHECK(instant(zone, "2024-11-03T01:30:00Z") == "2024-11-03T05:30:00Z");  // repeated: the first
  CHECK(instant(zone, "2024-11-03T00:59:59Z") == "2024-11-03T04:59:59Z");
  CHECK(instant(zone, "2024-11-03T02:00:00Z") == "2024-11-03T07:00:00Z");
  CHECK(exactly(zone, "2024-11-03T01:00:00Z") ==
        "the local time happens twice in `America/New_York` (repeated by a daylight-saving change)");
  CHECK(exactly(zone, "2024-11-03T02:00:00Z") == "2024-11-03T07:00:00Z");
  // Past the last change a zone file lists (2037), its rule for the future still applies.
  CHECK(wall(zone, "2040-07-01T16:00:00Z") == "2040-07-01T12:00:00Z");
  CHECK(wall(zone, "2040-12-01T17:00:00Z") == "2040-12-01T12:00:00Z");
}

TEST_CASE("far ahead, where cctz answers from the zone's rule alone, the kept spans agree with each answer",
          "[adapters][clock]") {
  // cctz lists New York's changes to 2437 (400 years past its file's last, 2037) and then
  // answers lookups from the rule, while next_transition reports no further change.
  const auto zone = *TimeZone::find("America/New_York");
  std::size_t unique = 0;
  for (engine::Timestamp local = at("2436-01-01T00:00:00Z"); local < at("2440-01-01T00:00:00Z"); local += 6 * 3600) {
    std::string why;
    const engine::Timestamp utc = zone.to_utc(local);
    if (const auto exact = zone.to_utc_exactly(local, why)) {
      INFO("wall time " << format_timestamp(local));
      REQUIRE(utc == *exact);
      REQUIRE(zone.to_local(utc) == local);
      ++unique;
    }
  }
  CHECK(unique > 5000);
  CHECK(wall(zone, "2500-07-01T16:00:00Z") == "2500-07-01T12:00:00Z");
  CHECK(wall(zone, "2500-12-01T17:00:00Z") == "2500-12-01T12:00:00Z");
}

TEST_CASE("Lord Howe: a half-hour DST, skipped and repeated", "[adapters][clock]") {
  const auto zone = *TimeZone::find("Australia/Lord_Howe");
  // 2024-04-07 02:00 +11 becomes 01:30 +10:30 at 15:00Z (6 April): 01:30-01:59 happens twice.
  CHECK(wall(zone, "2024-04-06T14:59:59Z") == "2024-04-07T01:59:59Z");
  CHECK(wall(zone, "2024-04-06T15:00:00Z") == "2024-04-07T01:30:00Z");
  CHECK(instant(zone, "2024-04-07T01:45:00Z") == "2024-04-06T14:45:00Z");
  CHECK(instant(zone, "2024-04-07T02:00:00Z") == "2024-04-06T15:30:00Z");
  CHECK(exactly(zone, "2024-04-07T01:30:00Z") ==
        "the local time happens twice in `Australia/Lord_Howe` (repeated by a daylight-saving change)");
  // 2024-10-06 02:00 +10:30 becomes 02:30 +11 at 15:30Z (5 October).
  CHECK(wall(zone, "2024-10-05T15:29:59Z") == "2024-10-06T01:59:59Z");
  CHECK(wall(zone, "2024-10-05T15:30:00Z") == "2024-10-06T02:30:00Z");
  CHECK(instant(zone, "2024-10-06T02:15:00Z") == "2024-10-05T15:30:00Z");
  CHECK(instant(zone, "2024-10-06T02:30:00Z") == "2024-10-05T15:30:00Z");
  CHECK(exactly(zone, "2024-10-06T02:29:59Z") ==
        "the local time does not exist in `Australia/Lord_Howe` (skipped by a daylight-saving change)");
}

TEST_CASE("Kolkata: +05:30, and the war time of the 1940s", "[adapters][clock]") {
  const auto zone = *TimeZone::find("Asia/Kolkata");
  CHECK(instant(zone, "2024-06-01T00:00:00Z") == "2024-05-31T18:30:00Z");
  CHECK(wall(zone, "2024-05-31T18:30:00Z") == "2024-06-01T00:00:00Z");
  // 1941-10-01 00:00 +05:30 became 01:00 +06:30 (at 18:30Z on 30 September).
  CHECK(instant(zone, "1941-10-01T00:30:00Z") == "1941-09-30T18:30:00Z");
  CHECK(instant(zone, "1941-10-01T01:00:00Z") == "1941-09-30T18:30:00Z");
  // 1942-05-15 00:00 +06:30 became 14 May 23:00 +05:30 (at 17:30Z).
  CHECK(wall(zone, "1942-05-14T17:29:59Z") == "1942-05-14T23:59:59Z");
  CHECK(wall(zone, "1942-05-14T17:30:00Z") == "1942-05-14T23:00:00Z");
  CHECK(instant(zone, "1942-05-14T23:30:00Z") == "1942-05-14T17:00:00Z");
  CHECK(exactly(zone, "1942-05-14T23:30:00Z") ==
        "the local time happens twice in `Asia/Kolkata` (repeated by a daylight-saving change)");
  CHECK(exactly(zone, "1942-05-15T00:00:00Z") == "1942-05-14T18:30:00Z");
}

TEST_CASE("Samoa skipped 30 December 2011 whole", "[adapters][clock]") {
  const auto zone = *TimeZone::find("Pacific/Apia");
  // 29 December 24:00 -10 became 31 December 00:00 +14, at 10:00Z on the 30th.
  CHECK(wall(zone, "2011-12-30T09:59:59Z") == "2011-12-29T23:59:59Z");
  CHECK(wall(zone, "2011-12-30T10:00:00Z") == "2011-12-31T00:00:00Z");
  CHECK(instant(zone, "2011-12-29T23:59:59Z") == "2011-12-30T09:59:59Z");
  CHECK(instant(zone, "2011-12-30T12:00:00Z") == "2011-12-30T10:00:00Z");
  CHECK(instant(zone, "2011-12-31T00:00:00Z") == "2011-12-30T10:00:00Z");
  CHECK(exactly(zone, "2011-12-30T23:59:59Z") ==
        "the local time does not exist in `Pacific/Apia` (skipped by a daylight-saving change)");
}

TEST_CASE("a zone is a name of the tz database, not a path or a fixed offset", "[adapters][clock]") {
  for (const char* name : {"America/New_York", "US/Eastern", "EST5EDT", "Etc/GMT-14", "America/Argentina/Buenos_Aires",
                           "America/Port-au-Prince"}) {
    INFO(name);
    const auto zone = TimeZone::find(name);
    REQUIRE(zone);
    CHECK(zone->name() == name);
    CHECK_FALSE(zone->is_utc());
  }
  CHECK(TimeZone::find("UTC")->is_utc());
  CHECK(TimeZone::find("Etc/UTC")->is_utc());
  for (const char* name : {"", "Mars/Olympus_Mons", "america/new_york", "America", "America/", "America//New_York",
                           "/usr/share/zoneinfo/America/New_York", "../zoneinfo/America/New_York",
                           "file:/usr/share/zoneinfo/UTC", "Fixed/UTC+01:00", "posix/America/New_York",
                           "right/UTC", "posixrules", "Factory", "zone.tab", "tzdata.zi", "America/New_York "}) {
    INFO("`" << name << "`");
    CHECK_FALSE(TimeZone::find(name));
  }
}
