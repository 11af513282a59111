// The corpus of real provider files (tests/data/providers/, origins in its SOURCES.md): each
// read with the values it holds and the times it says, first and last rows spot-checked.
//
// Daily bars of an exchange must land on their own session date, never the previous UTC day:
// the yfinance files below are written at local midnight with the exchange's offset, east of UTC
// (Tokyo, Hong Kong) and west/at it (London, Paris), in both DST seasons. A reader either keeps
// the instant the file writes (local midnight, in UTC) or, once it stamps session dates
// (SeriesRead::session_dates), that date at 00:00Z: `session_is` accepts exactly those two.
#include <catch2/catch.hpp>

#include "adapters/readers.hpp"
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
