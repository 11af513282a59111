// The data's clock (adapters/clock.hpp): when each observation became known, with DST from the
// system tz database, east and west of UTC; readers that keep the local session date of an
// offset; the generic CSV's zone, missing tokens and headerless files; and, on the shipped
// data, a daily replay step where the last 4h bar and the daily close are the same session.
#include <catch2/catch.hpp>

#include "tests/support/files.hpp"
#include "adapters/clock.hpp"
#include "adapters/history.hpp"
#include "adapters/readers.hpp"
#include "adapters/sources.hpp"

using namespace riskoff;
using namespace riskoff::adapters;
using engine::format_timestamp;

namespace {

engine::Timestamp at(const char* text) { return *engine::parse_timestamp(text); }

std::string known(const char* tz, const char* close, const char* date, const char* lag = "0m") {
  Clock clock;
  clock.tz = tz;
  clock.close_minute = parse_time_of_day(close);
  REQUIRE(parse_lag(lag, clock.lag_seconds, clock.lag_business_days));
  const auto zone = TimeZone::find(tz);
  REQUIRE(zone);
  return format_timestamp(known_at(clock, *zone, at(date), true));
}

const engine::InputData* find(const engine::Snapshot& snapshot, const std::string& name) {
  for (const auto& input : snapshot.inputs) {
    if (input.name == name) return &input;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a session's close becomes known at its local close, DST from the tz database, east and west of UTC",
          "[adapters][clock]") {
  // New York: EST (UTC-5) in January, EDT (UTC-4) in July.
  CHECK(known("America/New_York", "16:00", "2024-01-15") == "2024-01-15T21:00:00Z");
  CHECK(known("America/New_York", "16:00", "2024-07-15") == "2024-07-15T20:00:00Z");
  CHECK(known("America/New_York", "16:15", "2024-03-08") == "2024-03-08T21:15:00Z");  // the Friday before DST
  CHECK(known("America/New_York", "16:15", "2024-03-11") == "2024-03-11T20:15:00Z");  // the Monday after
  // London and Frankfurt: GMT/BST and CET/CEST.
  CHECK(known("Europe/London", "16:30", "2024-01-15") == "2024-01-15T16:30:00Z");
  CHECK(known("Europe/London", "16:30", "2024-07-15") == "2024-07-15T15:30:00Z");
  CHECK(known("Europe/Berlin", "17:30", "2024-01-15") == "2024-01-15T16:30:00Z");
  CHECK(known("Europe/Berlin", "17:30", "2024-07-15") == "2024-07-15T15:30:00Z");
  // Tokyo and Hong Kong: no DST, the close is the same UTC morning all year.
  CHECK(known("Asia/Tokyo", "15:00", "2024-09-20") == "2024-09-20T06:00:00Z");
  CHECK(known("Asia/Tokyo", "15:00", "2024-01-15") == "2024-01-15T06:00:00Z");
  CHECK(known("Asia/Hong_Kong", "16:00", "2024-07-15") == "2024-07-15T08:00:00Z");
  // FRED: a Friday's rate is posted on Monday at 16:15 New York; a calendar lag adds hours.
  CHECK(known("America/New_York", "16:15", "2024-01-12", "1bd") == "2024-01-15T21:15:00Z");
  CHECK(known("America/New_York", "16:00", "2024-01-12", "30m") == "2024-01-12T21:30:00Z");
  CHECK(known("UTC", "24:00", "2024-01-12") == "2024-01-13T00:00:00Z");
}

TEST_CASE("an intraday bar stamped at its open is known one bar later, never after its session's close",
          "[adapters][clock]") {
  Clock clock;
  clock.tz = "America/New_York";
  clock.close_minute = 16 * 60;
  clock.bar_seconds = 4 * 3600;
  const auto zone = *TimeZone::find(clock.tz);
  // IBKR's 4h bars of a US winter day open at 14:30Z, 16:00Z and 20:00Z (15:00 New York).
  CHECK(format_timestamp(known_at(clock, zone, at("2026-02-04T14:30:00Z"), false)) == "2026-02-04T18:30:00Z");
  CHECK(format_timestamp(known_at(clock, zone, at("2026-02-04T16:00:00Z"), false)) == "2026-02-04T20:00:00Z");
  CHECK(format_timestamp(known_at(clock, zone, at("2026-02-04T20:00:00Z"), false)) == "2026-02-04T21:00:00Z");
  // In summer the 16:00Z bar ends at the 16:00 EDT close exactly.
  CHECK(format_timestamp(known_at(clock, zone, at("2020-03-16T16:00:00Z"), false)) == "2020-03-16T20:00:00Z");
}

TEST_CASE("a business-day lag on instants never makes a later close known before an earlier one",
          "[adapters][clock][hostile]") {
  // Found by the clock fuzz target: Friday 23:00 + 1bd is Monday 23:00, and Saturday 01:00 was
  // Monday 01:00, before it; build_snapshot then refused the one file as "different clocks".
  Clock clock;
  REQUIRE(parse_lag("1bd", clock.lag_seconds, clock.lag_business_days));
  const auto utc = TimeZone::utc();
  auto known = [&](const TimeZone& zone, const char* time) { return format_timestamp(known_at(clock, zone, at(time), false)); };
  CHECK(known(utc, "2024-03-07T10:00:00Z") == "2024-03-08T10:00:00Z");  // Thursday: Friday, same time
  CHECK(known(utc, "2024-03-08T23:00:00Z") == "2024-03-11T23:00:00Z");  // Friday: Monday
  CHECK(known(utc, "2024-03-09T01:00:00Z") == "2024-03-12T00:00:00Z");  // Saturday: from Monday's start
  CHECK(known(utc, "2024-03-10T23:59:00Z") == "2024-03-12T00:00:00Z");  // Sunday too
  CHECK(known(utc, "2024-03-11T00:30:00Z") == "2024-03-12T00:30:00Z");  // Monday
  // Across a DST change the local wall time is kept: Friday 08:00 EDT is known Monday 08:00 EST.
  const auto new_york = *TimeZone::find("America/New_York");
  CHECK(known(new_york, "2024-11-01T12:00:00Z") == "2024-11-04T13:00:00Z");
  // And the order holds through weekends and DST changes (New York's 25-hour day is 3 November;
  // Lord Howe moves by 30 minutes), every 15 minutes of twelve days.
  std::vector<engine::Timestamp> times;
  for (engine::Timestamp t = at("2024-10-31T00:00:00Z"); t < at("2024-11-12T00:00:00Z"); t += 900) times.push_back(t);
  for (const char* tz : {"UTC", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati"}) {
    INFO(tz);
    clock.tz = tz;
    const auto all = known_at(clock, times, false);
    for (std::size_t k = 1; k < all.size(); ++k) REQUIRE(all[k] >= all[k - 1]);
  }
}

TEST_CASE("an unknown time zone is refused with the input and the field", "[adapters][clock][hostile]") {
  testing::ScratchFolder scratch("clock-tz");
  scratch.write("f.csv", "DATE,X\n2026-02-02,1\n");
  const auto manifest = read_manifest(scratch.write(
      "m.json", R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "fred_csv", "unit": "percent", "path": "f.csv",
                    "tz": "America/Nowhere"}}})"));
  REQUIRE(manifest.problems.size() == 1);
  CHECK_THAT(manifest.problems[0], Catch::EndsWith("m.json: input `x`: `tz`: unknown time zone `America/Nowhere`; expected an "
                                                   "IANA name such as `America/New_York`, `Europe/London`, `Asia/Tokyo` or `UTC`"));
  const auto bad_lag = read_manifest(scratch.write(
      "l.json", R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "fred_csv", "unit": "percent", "path": "f.csv",
                    "lag": "1w"}}})"));
  REQUIRE(bad_lag.problems.size() == 1);
  CHECK_THAT(bad_lag.problems[0], Catch::Contains("input `x`: `lag`: expected a delay such as `30m`"));
}

TEST_CASE("daily bars written at local midnight with an offset keep the local session date", "[adapters][clock][readers]") {
  // yfinance writes each exchange's daily bar at its local midnight with the offset of that day.
  const auto read = read_yahoo_csv(
      "Date,Open,High,Low,Close,Adj Close,Volume\n"
      "2024-01-15 00:00:00-05:00,1,1,1,10,10,0\n"   // New York, winter
      "2024-07-15 00:00:00-04:00,1,1,1,11,11,0\n"   // New York, summer
      "2024-07-16 00:00:00+01:00,1,1,1,12,12,0\n"   // London, summer
      "2024-07-17 00:00:00+02:00,1,1,1,13,13,0\n"   // Frankfurt, summer
      "2024-09-20 00:00:00+09:00,1,1,1,14,14,0\n"   // Tokyo
      "2024-11-18 00:00:00+08:00,1,1,1,15,15,0\n"   // Hong Kong
      "2024-12-16 00:00:00+01:00,1,1,1,16,16,0\n",  // Frankfurt, winter
      "y.csv");
  REQUIRE(read.ok());
  CHECK(read.session_dates);
  const std::vector<std::string> dates = {"2024-01-15", "2024-07-15", "2024-07-16", "2024-07-17",
                                          "2024-09-20", "2024-11-18", "2024-12-16"};
  REQUIRE(read.times.size() == dates.size());
  for (std::size_t k = 0; k < dates.size(); ++k) CHECK(format_timestamp(read.times[k]) == dates[k] + "T00:00:00Z");
  // Intraday stamps with offsets stay instants, converted to UTC.
  const auto intraday = read_yahoo_csv("Datetime,Close\n2024-09-20 09:00:00+09:00,1\n", "y.csv");
  REQUIRE(intraday.ok());
  CHECK_FALSE(intraday.session_dates);
  CHECK(format_timestamp(intraday.times[0]) == "2024-09-20T00:00:00Z");
}

TEST_CASE("a Tokyo close is in a snapshot only after 15:00 Tokyo on its own date", "[adapters][clock][sources]") {
  testing::ScratchFolder scratch("clock-tokyo");
  scratch.write("n225.csv", "Date,Close\n2024-09-19 00:00:00+09:00,37155.33\n2024-09-20 00:00:00+09:00,37723.91\n");
  const auto manifest = read_manifest(scratch.write(
      "m.json", R"({"format": "riskoff.sources/1", "inputs": {"n225": {"reader": "yahoo_csv", "unit": "index",
                    "path": "n225.csv", "tz": "Asia/Tokyo", "known_at": "15:00"}}})"));
  REQUIRE(manifest.ok());
  BuildOptions options;
  options.as_of = at("2024-09-19T21:00:00Z");  // the issue's case: before the 20 Sep session
  auto built = build_snapshot(manifest, options);
  REQUIRE(built.ok());
  CHECK(built.snapshot.inputs[0].values == std::vector<double>{37155.33});
  REQUIRE(built.clocks.size() == 1);
  CHECK(format_timestamp(*built.clocks[0].next_known) == "2024-09-20T06:00:00Z");
  CHECK_THAT(built.clocks[0].why, Catch::StartsWith("session dates; close 15:00 (manifest) in Asia/Tokyo (manifest)"));
  options.as_of = at("2024-09-20T06:00:00Z");
  built = build_snapshot(manifest, options);
  CHECK(built.snapshot.inputs[0].values == std::vector<double>{37155.33, 37723.91});
  CHECK(format_timestamp(built.snapshot.inputs[0].times.back()) == "2024-09-20T00:00:00Z");
}

TEST_CASE("generic CSV: a time zone for wall times, missing tokens, and headerless files by column number",
          "[adapters][clock][readers]") {
  CsvMapping mapping;
  mapping.date_format = "%Y-%m-%d %H:%M:%S";
  mapping.tz = "America/New_York";
  const auto local = read_generic_csv("Date,Close\n2024-03-08 09:30:00,1\n2024-03-11 09:30:00,2\n", "a.csv", mapping);
  REQUIRE(local.ok());
  CHECK(format_timestamp(local.times[0]) == "2024-03-08T14:30:00Z");  // EST
  CHECK(format_timestamp(local.times[1]) == "2024-03-11T13:30:00Z");  // EDT

  CsvMapping fred;
  fred.date_column = "observation_date";
  fred.value_column = "DGS2";
  fred.missing = {".", ""};
  const auto multi = read_generic_csv("observation_date,DGS10,DGS2\n2024-01-01,.,.\n2024-01-02,3.95,4.33\n", "g.csv", fred);
  REQUIRE(multi.ok());
  CHECK(multi.values == std::vector<double>{4.33});
  CHECK(multi.missing == 1);

  // data.binance.vision klines without a header: open time (ms), OHLC, ... close time.
  const std::string dump =
      "1704067200000,42283.58,42554.57,42261.02,42475.23,1271.68,1704081599999,0,0,0,0,0\n"
      "1704081600000,42475.23,42775.00,42431.65,42613.56,1196.37,1704095999999,0,0,0,0,0\n";
  CsvMapping by_number;
  by_number.date_column = "1";
  by_number.date_format = "unix_ms";
  by_number.value_column = "5";
  const auto taken_for_header = read_generic_csv(dump, "k.csv", by_number);
  REQUIRE_FALSE(taken_for_header.ok());
  CHECK(taken_for_header.problems[0].text() ==
        "k.csv:1:1: expected a header line, found data (`1704067200000` is a date); a file without a header needs "
        "`\"header\": false` and columns by number");
  by_number.header = false;
  const auto headerless = read_generic_csv(dump, "k.csv", by_number);
  REQUIRE(headerless.ok());
  CHECK(headerless.values == std::vector<double>{42475.23, 42613.56});
  CHECK(format_timestamp(headerless.times[0]) == "2024-01-01T00:00:00Z");
}

TEST_CASE("at each daily replay step the last 4h bar and the daily close are the same session and agree",
          "[adapters][clock][replay]") {
  const auto manifest = read_manifest(testing::test_data("sources.json").string());
  REQUIRE(manifest.ok());
  auto history = load_history(manifest, {"spx", "spx_4h", "vix", "dxy", "us10y"}, {}, at("2020-05-31T00:00:00Z"));
  REQUIRE(history);
  StepRequest request;
  request.from = at("2019-11-04T00:00:00Z");
  request.to = at("2020-05-29T23:59:59Z");
  request.clock = find(*history, "spx");
  request.from_text = "2019-11-04";
  const auto grid = choose_steps(*history, request);
  REQUIRE(grid);
  REQUIRE(grid->steps.size() > 100);
  const auto& daily = *find(*history, "spx");
  const auto& bars = *find(*history, "spx_4h");
  const auto& vix = *find(*history, "vix");
  std::size_t compared = 0;
  for (const auto step : grid->steps) {
    auto last_known = [&](const engine::InputData& data) {
      std::size_t count = 0;
      while (count < data.times.size() && data.known(count) <= step) ++count;
      return count;
    };
    const std::size_t d = last_known(daily), b = last_known(bars), v = last_known(vix);
    REQUIRE(d > 0);
    INFO("step " << format_timestamp(step));
    // The step is the day's last close: the VIX close of the same date is in, too.
    CHECK(vix.times[v - 1] == daily.times[d - 1]);
    if (b == 0) continue;
    // The 4h bar's session (its New York date) is the daily close's date, and the closes agree.
    const auto zone = *TimeZone::find("America/New_York");
    const engine::Timestamp local = zone.to_local(bars.times[b - 1]);
    if (local - local % 86400 != daily.times[d - 1]) continue;  // a day the 4h file lacks
    CHECK(bars.values[b - 1] == Approx(daily.values[d - 1]).epsilon(0.005));
    ++compared;
  }
  CHECK(compared > 100);
}

TEST_CASE("one parser of bar lengths and intervals: the clock's `bar`, a source's `bar` and `per`, Alpha Vantage's",
          "[adapters][clock]") {
  CHECK(parse_bar_length("30s") == 30);
  CHECK(parse_bar_length("15m") == 15 * 60);
  CHECK(parse_bar_length("5min") == 5 * 60);   // Alpha Vantage's `4. Interval`
  CHECK(parse_bar_length("60min") == 3600);
  CHECK(parse_bar_length("4h") == 4 * 3600);
  CHECK(parse_bar_length("1d") == 86400);
  CHECK(parse_bar_length("1w") == 7 * 86400);  // Polygon's weekly aggregates
  CHECK(parse_bar_length("31d") == 31 * 86400);
  CHECK_FALSE(parse_bar_length("32d"));  // at most 31 days, wherever the length is written
  CHECK_FALSE(parse_bar_length("5w"));
  CHECK_FALSE(parse_bar_length("0h"));
  CHECK_FALSE(parse_bar_length("1D"));
  CHECK_FALSE(parse_bar_length("1bd"));
  CHECK_FALSE(parse_bar_length("h"));
  CHECK_FALSE(parse_bar_length("-4h"));
  CHECK_FALSE(parse_bar_length("4 h"));
}

TEST_CASE("a wall time a file writes must occur once: a DST change's skipped and repeated hours are named",
          "[adapters][clock]") {
  const auto new_york = *TimeZone::find("America/New_York");
  std::string why;
  CHECK(format_timestamp(*new_york.to_utc_exactly(at("2024-03-10T01:30:00Z"), why)) == "2024-03-10T06:30:00Z");
  CHECK(format_timestamp(*new_york.to_utc_exactly(at("2024-03-10T03:30:00Z"), why)) == "2024-03-10T07:30:00Z");
  CHECK(why.empty());
  CHECK_FALSE(new_york.to_utc_exactly(at("2024-03-10T02:30:00Z"), why));
  CHECK(why == "the local time does not exist in `America/New_York` (skipped by a daylight-saving change)");
  CHECK_FALSE(new_york.to_utc_exactly(at("2024-11-03T01:30:00Z"), why));
  CHECK(why == "the local time happens twice in `America/New_York` (repeated by a daylight-saving change)");
  // The lenient form a clock uses keeps the first of a repeated hour.
  CHECK(format_timestamp(new_york.to_utc(at("2024-11-03T01:30:00Z"))) == "2024-11-03T05:30:00Z");
  CHECK(format_timestamp(*TimeZone::utc().to_utc_exactly(at("2024-03-10T02:30:00Z"), why)) == "2024-03-10T02:30:00Z");
}
