// JSON of market-data APIs (CoinGecko, Alpha Vantage, Tiingo, Polygon, Deribit), the providers'
// error and rate-limit answers, and the hints that name the option reading a known layout.
// Real answers from public repositories' fixtures live in tests/data/providers/ (SOURCES.md);
// the inline ones below are written here in each provider's documented shape.
#include <catch2/catch.hpp>

#include "adapters/readers.hpp"
#include "tests/support/files.hpp"

using namespace riskoff::adapters;
using riskoff::engine::format_timestamp;

namespace {
std::string first_problem(const SeriesRead& read) { return read.problems.empty() ? "" : read.problems.front().text(); }
bool says(const SeriesRead& read, const std::string& part) { return first_problem(read).find(part) != std::string::npos; }
}  // namespace

TEST_CASE("CoinGecko market_chart: prices, market caps or volumes at their instants", "[adapters][market-json]") {
  const std::string chart =
      R"({"prices":[[1704067200000,42280.23],[1704153600000,44187.14],[1704209731000,45010.5]],)"
      R"("market_caps":[[1704067200000,827843400000.1],[1704153600000,null],[1704209731000,881000000000]],)"
      R"("total_volumes":[[1704067200000,14499000000],[1704153600000,21006000000],[1704209731000,30000000000]]})";
  const auto prices = read_coingecko_market_chart_json(chart, "cg.json");
  REQUIRE(prices.ok());
  CHECK(prices.values == std::vector<double>{42280.23, 44187.14, 45010.5});
  CHECK(format_timestamp(prices.times.back()) == "2024-01-02T15:35:31Z");  // the live price, at its instant
  const auto caps = read_coingecko_market_chart_json(chart, "cg.json", "market_caps");
  CHECK(caps.values.size() == 2);
  CHECK(caps.missing == 1);
  CHECK(first_problem(read_coingecko_market_chart_json(
            R"({"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit."}})", "cg.json")) ==
        "cg.json: CoinGecko's rate limit was hit (429): You've exceeded the Rate Limit.");
  CHECK(first_problem(read_coingecko_market_chart_json(R"({"error":"coin not found"})", "cg.json")) ==
        "cg.json: CoinGecko answered with an error: coin not found");
  CHECK(says(read_coingecko_market_chart_json(R"({"prices":[[1704067200000]]})", "cg.json"), "prices[0]: expected [time in ms"));
  CHECK(says(read_coingecko_market_chart_json(R"({"prices":"x"})", "cg.json"), "prices"));
  CHECK(says(read_coingecko_market_chart_json("<html>Cloudflare: rate limited</html>", "cg.json"), "HTML page"));
}

TEST_CASE("Alpha Vantage daily: session dates; notices and errors named", "[adapters][market-json]") {
  const std::string daily =
      R"j({"Meta Data":{"1. Information":"Daily Prices (open, high, low, close) and Volumes","2. Symbol":"IBM",)j"
      R"j("3. Last Refreshed":"2024-01-05","4. Output Size":"Compact","5. Time Zone":"US/Eastern"},)j"
      R"j("Time Series (Daily)":{"2024-01-05":{"1. open":"160.0","4. close":"159.16","5. volume":"3"},)j"
      R"j("2024-01-04":{"1. open":"161.0","4. close":"161.10","5. volume":"4"}}})j";
  const auto read = read_alphavantage_json(daily, "av.json");
  REQUIRE(read.ok());
  CHECK(read.session_dates);
  CHECK(read.values == std::vector<double>{161.10, 159.16});  // oldest first
  CHECK(format_timestamp(read.times.front()) == "2024-01-04T00:00:00Z");
  CHECK(read_alphavantage_json(daily, "av.json", "1. open").values == std::vector<double>{161.0, 160.0});
  CHECK(first_problem(read_alphavantage_json(daily, "av.json", "adjusted close")) ==
        "av.json: Time Series `2024-01-04`: expected `adjusted close` as a number, there is none");
  CHECK(first_problem(read_alphavantage_json(
            R"({"Note":"Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute."})",
            "av.json")) ==
        "av.json: Alpha Vantage answered with a notice instead of data (a rate limit?): Thank you for using Alpha Vantage! "
        "Our standard API call frequency is 5 calls per minute.");
  CHECK(says(read_alphavantage_json(R"({"Information":"The **demo** API key is for demo purposes only."})", "av.json"),
             "a notice instead of data"));
  CHECK(says(read_alphavantage_json(R"({"Error Message":"Invalid API call."})", "av.json"),
             "Alpha Vantage answered with an error: Invalid API call."));
  // The same notices given to a CSV reader are named too, not called a bad header.
  CHECK(says(read_generic_csv(R"({"Note":"Thank you for using Alpha Vantage!"})", "av.csv", CsvMapping{}),
             "Alpha Vantage answered with a notice"));
}

TEST_CASE("Alpha Vantage intraday: US/Eastern local bar starts become UTC closes, in both DST seasons",
          "[adapters][market-json]") {
  auto intraday = [](const std::string& first, const std::string& second) {
    return R"j({"Meta Data":{"1. Information":"Intraday (5min)","4. Interval":"5min","6. Time Zone":"US/Eastern"},)j"
           R"j("Time Series (5min)":{")j" + first + R"(":{"4. close":"1.5"},")" + second + R"(":{"4. close":"2.5"}}})";
  };
  const auto winter = read_alphavantage_json(intraday("2024-01-05 09:30:00", "2024-01-05 15:55:00"), "av.json");
  REQUIRE(winter.ok());
  CHECK_FALSE(winter.session_dates);
  CHECK(format_timestamp(winter.times[0]) == "2024-01-05T14:35:00Z");  // 09:30 EST + 5 min
  CHECK(format_timestamp(winter.times[1]) == "2024-01-05T21:00:00Z");  // the 15:55 bar closes at 16:00 EST
  const auto summer = read_alphavantage_json(intraday("2024-07-05 09:30:00", "2024-07-05 15:55:00"), "av.json");
  REQUIRE(summer.ok());
  CHECK(format_timestamp(summer.times[1]) == "2024-07-05T20:00:00Z");  // 16:00 EDT
  // 02:30 on 10 March 2024 does not exist in New York.
  CHECK(says(read_alphavantage_json(intraday("2024-03-10 02:30:00", "2024-03-10 04:00:00"), "av.json"),
             "skipped by a daylight-saving change"));
}

TEST_CASE("Tiingo daily prices: session dates, `adjClose`, `detail` errors", "[adapters][market-json]") {
  const std::string prices =
      R"([{"date":"2019-01-02T00:00:00.000Z","close":157.92,"adjClose":150.1},)"
      R"({"date":"2019-01-03T00:00:00.000Z","close":142.19,"adjClose":null}])";
  const auto read = read_tiingo_json(prices, "t.json");
  REQUIRE(read.ok());
  CHECK(read.session_dates);
  CHECK(read.values == std::vector<double>{157.92, 142.19});
  CHECK(format_timestamp(read.times.back()) == "2019-01-03T00:00:00Z");
  const auto adjusted = read_tiingo_json(prices, "t.json", "adjClose");
  CHECK(adjusted.values == std::vector<double>{150.1});
  CHECK(adjusted.missing == 1);
  CHECK(first_problem(read_tiingo_json(R"({"detail":"Error: Ticker 'NOPE' not found"})", "t.json")) ==
        "t.json: Tiingo answered with an error: Error: Ticker 'NOPE' not found");
  CHECK(says(read_tiingo_json(R"([{"date":"2019-01-02T14:30:00.000Z","close":1}])", "t.json"),
             "expected a daily date like `2019-01-02T00:00:00.000Z`"));
}

TEST_CASE("Polygon aggregates: exchange days are session dates, UTC bars close one bar later", "[adapters][market-json]") {
  // 2024-01-02 and 2024-07-02 at New York midnight (05:00Z in winter, 04:00Z in summer).
  const auto stocks = read_polygon_aggs_json(
      R"({"ticker":"SPY","status":"OK","results":[{"t":1704171600000,"c":472.65},{"t":1719892800000,"c":549.0}]})", "p.json");
  REQUIRE(stocks.ok());
  CHECK(stocks.session_dates);
  CHECK(format_timestamp(stocks.times[0]) == "2024-01-02T00:00:00Z");
  CHECK(format_timestamp(stocks.times[1]) == "2024-07-02T00:00:00Z");
  const auto hourly = read_polygon_aggs_json(
      R"({"status":"OK","results":[{"t":1704067200000,"c":1},{"t":1704070800000,"c":2}]})", "p.json", "c", 3600);
  REQUIRE(hourly.ok());
  CHECK_FALSE(hourly.session_dates);
  CHECK(format_timestamp(hourly.times[0]) == "2024-01-01T01:00:00Z");
  CHECK(first_problem(read_polygon_aggs_json(
            R"({"status":"OK","results":[{"t":1704067200000,"c":1},{"t":1704070800000,"c":2}]})", "p.json")) ==
        "p.json: bars 0 and 1 start 3600 s apart but `bar` is 86400 s: declare the bar length the request asked for");
  CHECK(first_problem(read_polygon_aggs_json(R"({"status":"ERROR","request_id":"x","error":"Unknown API Key"})", "p.json")) ==
        "p.json: Polygon answered with status `ERROR`: Unknown API Key");
  CHECK(says(read_polygon_aggs_json(R"({"status":"NOT_AUTHORIZED","message":"Your plan doesn't include this data."})", "p.json"),
             "status `NOT_AUTHORIZED`: Your plan"));
  const auto none = read_polygon_aggs_json(R"({"ticker":"SPY","queryCount":0,"resultsCount":0,"status":"OK"})", "p.json");
  CHECK(none.ok());
  CHECK(none.empty_because == "Polygon has no bars in the requested range (no `results`)");
}

TEST_CASE("Deribit DVOL: the close of each bar at its end; errors named", "[adapters][market-json]") {
  const std::string dvol =
      R"({"jsonrpc":"2.0","result":{"data":[[1704067200000,55.1,56.0,54.2,55.5],[1704153600000,55.5,57.0,55.0,56.25]],)"
      R"("continuation":null},"usIn":1,"usOut":2,"usDiff":1,"testnet":false})";
  const auto daily = read_deribit_dvol_json(dvol, "d.json");
  REQUIRE(daily.ok());
  CHECK(daily.values == std::vector<double>{55.5, 56.25});
  CHECK(format_timestamp(daily.times[0]) == "2024-01-02T00:00:00Z");
  CHECK(says(read_deribit_dvol_json(dvol, "d.json", 7 * 86400), "start 86400 s apart but `bar` is 604800 s"));
  CHECK(first_problem(read_deribit_dvol_json(
            R"({"jsonrpc":"2.0","error":{"message":"Invalid params","code":-32602},"testnet":false})", "d.json")) ==
        R"(d.json: Deribit answered with an error: {"code":-32602,"message":"Invalid params"})");
  CHECK(says(read_deribit_dvol_json(R"({"jsonrpc":"2.0","result":{"data":[[1704067200000,1,2]]}})", "d.json"),
             "result.data[0]: expected [time in ms, ...] with at least 5 numbers"));
  CHECK(says(read_deribit_dvol_json(R"({"jsonrpc":"2.0","result":{"data":[[]]}})", "d.json"), "result.data[0]"));
}

TEST_CASE("rate-limit and refusal bodies, and the option that reads a known layout", "[adapters][market-json]") {
  CHECK(first_problem(read_yahoo_csv("Edge: Too Many Requests", "y.csv")) ==
        "y.csv: the provider's rate limit was hit (`Too Many Requests`): wait, or send fewer requests");
  CHECK(first_problem(read_yahoo_chart_json("Too Many Requests\r\n", "y.json")) ==
        "y.json: the provider's rate limit was hit (`Too Many Requests`): wait, or send fewer requests");
  CHECK(first_problem(read_yahoo_csv("400 Bad Request", "y.csv")) ==
        "y.csv: the provider refused the request (`Bad Request`): check the symbol, range and interval");
  CHECK(says(read_yahoo_chart_json(
                 R"({"chart":{"result":null,"error":{"code":"Bad Request","description":"Invalid input - interval=1h is not supported"}}})",
                 "y.json"),
             "Yahoo answered with an error"));
  CHECK(first_problem(read_yahoo_csv("Price,Close,High,Low,Open,Volume\nTicker,^VIX,^VIX,^VIX,^VIX,^VIX\nDate,,,,,\n"
                                     "2024-01-02,13.2,14.2,13.0,13.5,0\n",
                                     "vix.csv")) ==
        "vix.csv:1:1: expected columns `Date` and `Close` in the header, found `Price`, `Close`, `High`, `Low`, `Open`, "
        "`Volume`; this is a yfinance multi-index CSV (header rows `Price`, `Ticker`, `Date`): the `csv` reader with "
        "`skip_lines: 2`, `value_column: \"2\"` (Close) reads it");
  CHECK(first_problem(read_cboe_csv("\"Download VIX data for free at www.cboe.com\"\nDate,VIX Open,VIX High,VIX Low,VIX Close\n"
                                    "1/2/2004,17.96,18.68,17.54,18.22\n",
                                    "vixcurrent.csv"))
            .find("this is an old CBOE vixcurrent.csv (a banner line first): the `csv` reader with `skip_lines: 1`") !=
        std::string::npos);
  // ... and the hinted options do read them.
  CsvMapping multi;
  multi.skip_lines = 2;
  multi.value_column = "2";
  CHECK(read_generic_csv("Price,Close,High\nTicker,^VIX,^VIX\nDate,,\n2024-01-02,13.2,14.2\n", "vix.csv", multi).values ==
        std::vector<double>{13.2});
  CsvMapping old_cboe;
  old_cboe.skip_lines = 1;
  old_cboe.date_format = "%m/%d/%Y";
  old_cboe.value_column = "VIX Close";
  CHECK(read_generic_csv("\"Download VIX data\"\nDate,VIX Open,VIX High,VIX Low,VIX Close\n1/2/2004,17.96,18.68,17.54,18.22\n",
                         "vixcurrent.csv", old_cboe)
            .values == std::vector<double>{18.22});
}
