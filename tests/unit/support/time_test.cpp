// Civil UTC time: days of 0000–9999 round-trip and follow each other by one day; what
// a document may not write is refused; and instants far outside chrono's ±32767 years are
// written as the hand-written civil algorithm this replaced wrote them (pinned below).
#include <catch2/catch.hpp>

#include <chrono>
#include <limits>
#include <string>

#include "support/checked.hpp"
#include "support/time.hpp"

using riskoff::support::format_utc;
using riskoff::support::parse_utc;
using riskoff::support::utc_from_civil;

TEST_CASE("days from 0000-01-01 to 9999-12-31 parse, format back and follow each other by one day",
          "[support][time]") {
  // Every day of 1900–2100 and every 7th day elsewhere (all of them took half a minute under
  // the sanitizers); 10,000 Gregorian years are 25 cycles of 146,097 days.
  const auto first = parse_utc("0000-01-01"), modern = parse_utc("1900-01-01"), later = parse_utc("2101-01-01");
  REQUIRE(first);
  CHECK(*first == -62167219200);
  CHECK(parse_utc("9999-12-31") == *first + (3652425 - 1) * std::int64_t{86400});
  CHECK(format_utc(*first + 3652425 * std::int64_t{86400}) == "10000-01-01T00:00:00Z");
  std::string first_wrong;  // plain comparisons: millions of Catch assertions are slow
  for (std::int64_t day = 0; day < 3652425; ++day) {
    const auto time = *first + day * 86400;
    if (day % 7 != 0 && (time < *modern || time >= *later)) continue;
    const std::string text = format_utc(time);
    if (parse_utc(text) != time || parse_utc(std::string_view(text).substr(0, 10)) != time) {
      first_wrong = text;
      break;
    }
  }
  CHECK(first_wrong.empty());
}

TEST_CASE("UTC times parse exactly as documents write them", "[support][time]") {
  CHECK(parse_utc("2026-02-04T21:00:00Z") == 1770238800);
  CHECK(parse_utc("2000-02-29") == 951782400);
  CHECK(parse_utc("9999-12-31T23:59:59Z") == 253402300799);
  for (const char* bad : {"", "2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-01-00",
                          "2026-02-04T24:00:00Z", "2026-02-04T23:60:00Z", "2026-02-04T23:59:60Z",
                          "2026-02-04T21:00:00", "2026-02-04 21:00:00Z", "2026-2-04", "-001-01-01", "20260204",
                          "2026-02-04T21:00:00+00:00"}) {
    INFO(bad);
    CHECK_FALSE(parse_utc(bad));
  }
  CHECK(utc_from_civil({2026, 2, 4, 21, 0, 0}) == 1770238800);
  CHECK_FALSE(utc_from_civil({10000, 1, 1, 0, 0, 0}));
  CHECK_FALSE(utc_from_civil({2026, 256 + 2, 4, 0, 0, 0}));  // would wrap into February in a byte
  CHECK_FALSE(utc_from_civil({2026, 2, 256 + 4, 0, 0, 0}));
}

TEST_CASE("the counted calendar agrees with chrono's on every day of 0000-9999 and refuses the days that do not exist",
          "[support][time]") {
  namespace chr = std::chrono;
  std::string first_wrong;  // plain comparisons: millions of Catch assertions are slow
  for (int year = 0; year <= 9999 && first_wrong.empty(); ++year) {
    for (unsigned month = 1; month <= 12; ++month) {
      const chr::year_month_day_last last{chr::year{year} / chr::month{month} / chr::last};
      const unsigned length = static_cast<unsigned>(last.day());
      for (unsigned day = 1; day <= length + 1; ++day) {
        const auto counted = utc_from_civil({year, month, day, 23, 59, 58});
        if (day > length) {
          if (counted) first_wrong = std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day) + " accepted";
          continue;
        }
        const auto days = chr::sys_days{chr::year_month_day{chr::year{year}, chr::month{month}, chr::day{day}}};
        const std::int64_t expected = days.time_since_epoch().count() * std::int64_t{86400} + 86398;
        if (counted != expected) {
          first_wrong = std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day) + ": expected " +
                        std::to_string(expected) + ", got " + (counted ? std::to_string(*counted) : "nothing");
        }
      }
    }
  }
  CHECK(first_wrong.empty());
  CHECK_FALSE(utc_from_civil({2026, 0, 1, 0, 0, 0}));
  CHECK_FALSE(utc_from_civil({2026, 1, 0, 0, 0, 0}));
  CHECK_FALSE(utc_from_civil({-1, 12, 31, 0, 0, 0}));
}

TEST_CASE("any instant formats, with a sign or more year digits outside 0000–9999", "[support][time]") {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min(), kMax = std::numeric_limits<std::int64_t>::max();
  CHECK(format_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(format_utc(-1) == "1969-12-31T23:59:59Z");
  CHECK(format_utc(-62167219201) == "-001-12-31T23:59:59Z");
  CHECK(format_utc(253402300800) == "10000-01-01T00:00:00Z");
  CHECK(format_utc(-1000000000000) == "-29719-04-05T22:13:20Z");
  CHECK(format_utc(kMin) == "-292277022657-01-27T08:29:52Z");
  CHECK(format_utc(kMin / 2) == "-146138510344-07-14T16:14:56Z");
  CHECK(format_utc(kMax / 4) == "73069258126-09-25T03:52:31Z");
  CHECK(format_utc(kMax / 2) == "146138514283-06-19T07:45:03Z");
  CHECK(format_utc(kMax) == "292277026596-12-04T15:30:07Z");
}

TEST_CASE("checked arithmetic refuses what does not fit int64; the supported years are 0000-9999", "[support][time]") {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  CHECK_FALSE(riskoff::support::checked_add<std::int64_t>(kMax, 1));
  CHECK_FALSE(riskoff::support::checked_sub<std::int64_t>(kMin, 1));
  CHECK_FALSE(riskoff::support::checked_mul<std::int64_t>(kMax / 2, 3));
  CHECK(riskoff::support::checked_add<std::int64_t>(kMax - 1, 1) == kMax);
  CHECK_FALSE(riskoff::support::checked_int64(9.3e18));
  CHECK_FALSE(riskoff::support::checked_int64(std::numeric_limits<double>::quiet_NaN()));
  CHECK(riskoff::support::checked_int64(-9223372036854775808.0) == kMin);
  CHECK(riskoff::support::in_supported_years(*riskoff::support::parse_utc("0000-01-01")));
  CHECK(riskoff::support::in_supported_years(*riskoff::support::parse_utc("9999-12-31T23:59:59Z")));
  CHECK_FALSE(riskoff::support::in_supported_years(riskoff::support::kLastUtc + 1));
  CHECK_FALSE(riskoff::support::in_supported_years(kMin));
}
