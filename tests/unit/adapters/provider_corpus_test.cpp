// The corpus of real provider files (tests/data/providers/, origins in its SOURCES.md): each
// read with the values it holds and the times it says, first and last rows spot-checked.
//
// Daily bars of an exchange must land on their own session date, never the previous UTC day:
// the yfinance files below are written at local midnight with the exchange's offset, east of UTC
// (Tokyo, Hong Kong) and west/at it (London, Paris), in both DST seasons. A reader either keeps
// the instant the file writes (local midnight, in UTC) or, once it stamps session dates
// (SeriesRead::session_dates), that date at 00:00Z: `session_is` accepts exactly those two.
// The `known_at_is` cases then pin when each session became known, in UTC: read as instants,
// a Tokyo bar written at local midnight would be known at 15:00Z the day before its session.
#include <catch2/catch.hpp>

#include "adapters/readers.hpp"
#include "adapters/sources.hpp"
#include "tests/support/files.hpp"

using namespace riskoff::adapters;
using riskoff::engine::format_timestamp;
using riskoff::engine::parse_timestamp;

namespace {
std::string corpus(const std::string& relative) {
  const auto path = riskoff::testing::test_data("providers/" + relative);
  INFO("the provider corpus lives in tests/data/providers/ (see its SOURCES.md)");
  REQUIRE(std::filesystem::exists(path));
  return riskoff::testing::read_file(path);
}
riskoff::engine::Timestamp at(const std::string& text) { return *parse_timestamp(text); }

// The observation at `index` is the session `date` written at local midnight with `offset`
// hours from UTC in the file, with `value`.
void session_is(const SeriesRead& read, std::size_t index, const std::string& date, int offset_hours, double value) {
  INFO("observation " << index << ", expected the session " << date << " (local midnight at UTC" << std::showpos
                      << offset_hours << ")");
  REQUIRE(index < read.times.size());
  const auto midnight = at(date + "T00:00:00Z");
  if (read.session_dates) CHECK(format_timestamp(read.times[index]) == format_timestamp(midnight));
  else CHECK(format_timestamp(read.times[index]) == format_timestamp(midnight - offset_hours * 3600));
  CHECK(read.values[index] == value);
}

// When the session `date` of a yfinance corpus file becomes known, declared as a manifest
// declares it (`tz`, `known_at`) and built as `snapshot build --explain-times` builds it: the
// last observation known one second before `expected` is the session before, and at `expected`
// it is `date` itself. Returns nothing; checks both sides of the instant.
void known_at_is(const std::string& file, const std::string& tz, const std::string& close, const std::string& date,
                 const std::string& expected) {
  const auto folder = riskoff::testing::test_data("providers/yfinance");
  const std::string text = R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "yahoo_csv", "unit": "index", "path": ")" +
                           file + R"(", "tz": ")" + tz + R"(", "known_at": ")" + close + R"("}}})";
  const auto manifest = read_manifest_text(text, (folder / "m.json").string());
  INFO(file << " session " << date << " in " << tz << " closing " << close << ", expected known at " << expected);
  REQUIRE(manifest.ok());
  BuildOptions options;
  options.default_lookback = 400.0 * 86400;
  options.as_of = at(expected);
  auto built = build_snapshot(manifest, options);
  REQUIRE(built.ok());
  REQUIRE(built.clocks.size() == 1);
  REQUIRE(built.clocks[0].last_time);
  CHECK(format_timestamp(*built.clocks[0].last_time) == date + "T00:00:00Z");
  CHECK(format_timestamp(*built.clocks[0].last_known) == expected);
  options.as_of = at(expected) - 1;
  built = build_snapshot(manifest, options);
  REQUIRE(built.ok());
  REQUIRE(built.clocks[0].next_time);
  CHECK(format_timestamp(*built.clocks[0].next_time) == date + "T00:00:00Z");
  CHECK(format_timestamp(*built.clocks[0].next_known) == expected);
  CHECK(*built.clocks[0].last_time < *built.clocks[0].next_time);
}
}  // namespace

TEST_CASE("corpus: yfinance Tokyo (4063.T), east of UTC, winter and summer", "[adapters][corpus]") {
  const auto read = read_yahoo_csv(corpus("yfinance/4063-T-1d-bad-div.csv"), "4063-T.csv");
  REQUIRE(read.ok());
  REQUIRE(read.times.size() == 14);
  session_is(read, 0, "2022-01-04", 9, 4131.0);
  session_is(read, 8, "2022-07-01", 9, 3082.0);
  session_is(read, 13, "2022-07-08", 9, 3196.0);
}

TEST_CASE("corpus: yfinance Hong Kong (1398.HK), east of UTC, winter and summer", "[adapters][corpus]") {
  const auto read = read_yahoo_csv(corpus("yfinance/1398-HK-1d-bad-div.csv"), "1398-HK.csv");
  REQUIRE(read.ok());
  REQUIRE(read.times.size() == 15);
  session_is(read, 0, "2022-01-03", 8, 4.420000076293945);
  session_is(read, 14, "2022-07-08", 8, 4.28000020980835);
}

TEST_CASE("corpus: yfinance London (NVT.L) across both DST changes of 2022", "[adapters][corpus]") {
  const auto read = read_yahoo_csv(corpus("yfinance/NVT-L-1d-bad-div.csv"), "NVT-L.csv");
  REQUIRE(read.ok());
  REQUIRE(read.times.size() == 20);
  session_is(read, 0, "2022-03-21", 0, 0.66);   // GMT
  session_is(read, 4, "2022-03-25", 0, 0.66);   // the last Friday of GMT
  session_is(read, 5, "2022-03-28", 1, 0.66);   // BST from 27 March
  session_is(read, 14, "2022-10-28", 1, 0.6);   // the last Friday of BST
  session_is(read, 15, "2022-10-31", 0, 0.6);   // GMT from 30 October
  session_is(read, 19, "2022-11-04", 0, 0.6);
}

TEST_CASE("corpus: yfinance Paris (TEP.PA) across both DST changes of 2022", "[adapters][corpus]") {
  const auto read = read_yahoo_csv(corpus("yfinance/TEP-PA-1d-bad-div.csv"), "TEP-PA.csv");
  REQUIRE(read.ok());
  REQUIRE(read.times.size() == 20);
  session_is(read, 0, "2022-03-21", 1, 352.3999938964844);   // CET
  session_is(read, 5, "2022-03-28", 2, read.values[5]);      // CEST: the date is the check here
  session_is(read, 15, "2022-10-31", 1, read.values[15]);    // CET again
  session_is(read, 19, "2022-11-04", 1, 273.0);
}

TEST_CASE("corpus: Alpha Vantage intraday (US/Eastern, winter) and digital currency (UTC)", "[adapters][corpus]") {
  const auto msft = read_alphavantage_json(corpus("alphavantage/MSFT-intraday-1min.json"), "msft.json");
  REQUIRE(msft.ok());
  REQUIRE(msft.times.size() == 8);
  CHECK_FALSE(msft.session_dates);
  // The file's first bar is its newest: 2017-12-18 14:56 EST starts at 19:56Z and closes a minute later.
  CHECK(format_timestamp(msft.times.back()) == "2017-12-18T19:57:00Z");
  CHECK(msft.values.back() == 86.5);
  CHECK(format_timestamp(msft.times.front()) == "2017-12-18T19:50:00Z");  // the 14:49 bar
  CHECK(msft.values.front() == 86.505);
  const auto btc = read_alphavantage_json(corpus("alphavantage/BTC-CNY-digital-intraday-5min.json"), "btc.json", "price (USD)");
  REQUIRE(btc.ok());
  REQUIRE(btc.times.size() == 6);
  CHECK(format_timestamp(btc.times.back()) == "2017-12-20T19:35:00Z");  // 19:30 UTC + 5 min
  CHECK(btc.values.back() == 18780.02814954);
}

TEST_CASE("corpus: Polygon daily aggregates on both sides of the 2005 DST change", "[adapters][corpus]") {
  const auto read = read_polygon_aggs_json(corpus("polygon/AAPL-range-1-day-2005-04-01..04.json"), "aapl.json");
  REQUIRE(read.ok());
  CHECK(read.session_dates);
  // t = 05:00Z (EST midnight) on 1 April, 04:00Z (EDT midnight) on 4 April: both their own dates.
  REQUIRE(read.times.size() == 2);
  CHECK(format_timestamp(read.times[0]) == "2005-04-01T00:00:00Z");
  CHECK(format_timestamp(read.times[1]) == "2005-04-04T00:00:00Z");
  CHECK(read.values == std::vector<double>{1.4604, 1.4675});
}

TEST_CASE("corpus: Tiingo daily prices and its `detail` error", "[adapters][corpus]") {
  const auto read = read_tiingo_json(corpus("tiingo/GOOGL-daily-2015-01-01..05.json"), "googl.json");
  REQUIRE(read.ok());
  CHECK(read.session_dates);
  REQUIRE(read.times.size() == 2);
  CHECK(format_timestamp(read.times[0]) == "2015-01-02T00:00:00Z");
  CHECK(format_timestamp(read.times[1]) == "2015-01-05T00:00:00Z");
  CHECK(read.values == std::vector<double>{529.55, 519.46});
  const auto error = read_tiingo_json(corpus("tiingo/error-detail-news_bulk.json"), "news.json");
  REQUIRE(error.problems.size() == 1);
  CHECK(error.problems.front().text() == "news.json: Tiingo answered with an error: You do not have permission to access the News API");
}

// Known-at instants in UTC, computed by hand: session date + the exchange's close in its zone.
TEST_CASE("corpus: known-at times of Tokyo and Hong Kong sessions, winter and summer (no DST)", "[adapters][corpus][clock]") {
  // Tokyo closed at 15:00 JST (UTC+9 all year) in 2022: 15:00 - 9h = 06:00Z, on the session's own date.
  known_at_is("4063-T-1d-bad-div.csv", "Asia/Tokyo", "15:00", "2022-01-05", "2022-01-05T06:00:00Z");
  known_at_is("4063-T-1d-bad-div.csv", "Asia/Tokyo", "15:00", "2022-07-01", "2022-07-01T06:00:00Z");
  // Hong Kong closes at 16:00 HKT (UTC+8 all year): 16:00 - 8h = 08:00Z.
  known_at_is("1398-HK-1d-bad-div.csv", "Asia/Hong_Kong", "16:00", "2022-01-04", "2022-01-04T08:00:00Z");
  known_at_is("1398-HK-1d-bad-div.csv", "Asia/Hong_Kong", "16:00", "2022-07-08", "2022-07-08T08:00:00Z");
}

TEST_CASE("corpus: known-at times of London and Paris sessions on both sides of both DST changes of 2022",
          "[adapters][corpus][clock]") {
  // London closes at 16:30 local. GMT (UTC+0) until 27 March: 16:30Z; BST (UTC+1) from 27 March
  // to 30 October: 16:30 - 1h = 15:30Z; GMT again after.
  known_at_is("NVT-L-1d-bad-div.csv", "Europe/London", "16:30", "2022-03-25", "2022-03-25T16:30:00Z");
  known_at_is("NVT-L-1d-bad-div.csv", "Europe/London", "16:30", "2022-03-28", "2022-03-28T15:30:00Z");
  known_at_is("NVT-L-1d-bad-div.csv", "Europe/London", "16:30", "2022-10-28", "2022-10-28T15:30:00Z");
  known_at_is("NVT-L-1d-bad-div.csv", "Europe/London", "16:30", "2022-10-31", "2022-10-31T16:30:00Z");
  // Paris (Euronext) closes at 17:30 local. CET (UTC+1): 16:30Z; CEST (UTC+2): 15:30Z.
  known_at_is("TEP-PA-1d-bad-div.csv", "Europe/Paris", "17:30", "2022-03-25", "2022-03-25T16:30:00Z");
  known_at_is("TEP-PA-1d-bad-div.csv", "Europe/Paris", "17:30", "2022-03-28", "2022-03-28T15:30:00Z");
  known_at_is("TEP-PA-1d-bad-div.csv", "Europe/Paris", "17:30", "2022-10-28", "2022-10-28T15:30:00Z");
  known_at_is("TEP-PA-1d-bad-div.csv", "Europe/Paris", "17:30", "2022-10-31", "2022-10-31T16:30:00Z");
}
