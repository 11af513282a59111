// TimeZone answers most questions from the span of its last answer (adapters/clock.cpp,
// OffsetSpan): whatever the order of the questions, each answer must be the tz database's. The
// reference is to_utc_exactly, which asks the database every time; the order is forward,
// backward and strided, so that a span kept from one question and wrongly reused for another
// shows as a difference. Zones with DST both sides of the equator, a half-hour DST (Lord Howe)
// and a skipped day (Samoa, 30 December 2011).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "adapters/clock.hpp"

using namespace riskoff;
using namespace riskoff::adapters;

namespace {

constexpr engine::Timestamp kFrom = 1262304000;  // 2010-01-01T00:00:00
constexpr engine::Timestamp kTo = 1356998400;    // 2013-01-01T00:00:00
constexpr engine::Timestamp kStep = 1800;

std::vector<std::size_t> order(std::size_t size, int kind) {
  std::vector<std::size_t> out(size);
  for (std::size_t k = 0; k < size; ++k) {
    out[k] = kind == 0 ? k : kind == 1 ? size - 1 - k : (k * 7919) % size;
  }
  return out;
}

}  // namespace

TEST_CASE("a zone's offsets kept from the last answer agree with the tz database in any order of questions") {
  for (const char* name : {"America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Apia"}) {
    INFO("zone " << name);
    const auto zone = TimeZone::find(name);
    REQUIRE(zone);
    std::vector<engine::Timestamp> times;
    for (engine::Timestamp t = kFrom; t < kTo; t += kStep) times.push_back(t);
    // 7919 is prime and does not divide the count: the strided order visits every time once.
    REQUIRE(times.size() % 7919 != 0);
    std::vector<engine::Timestamp> first_utc, first_local;
    for (int kind = 0; kind < 3; ++kind) {
      std::vector<engine::Timestamp> utc(times.size()), local(times.size());
      for (const std::size_t k : order(times.size(), kind)) {
        utc[k] = zone->to_utc(times[k]);
        local[k] = zone->to_local(times[k]);
      }
      if (kind == 0) {
        first_utc = utc;
        first_local = local;
        for (std::size_t k = 0; k < times.size(); ++k) {
          std::string why;
          // A wall time that occurs once: the database's one instant.
          if (const auto exact = zone->to_utc_exactly(times[k], why)) {
            INFO("wall time " << times[k]);
            REQUIRE(utc[k] == *exact);
          }
          // An instant's wall time names that instant again, unless the hour repeats.
          if (const auto back = zone->to_utc_exactly(local[k], why)) {
            INFO("instant " << times[k] << " read as wall time " << local[k]);
            REQUIRE(*back == times[k]);
          }
        }
      } else {
        INFO("order " << (kind == 1 ? "backward" : "strided"));
        REQUIRE(utc == first_utc);
        REQUIRE(local == first_local);
      }
    }
  }
}
