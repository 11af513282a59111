// Provider readers: quirks on small fixtures written here, one real file each (a slice of it,
// November 2019 to May 2020, in tests/data/), and corrupt inputs that must name the file, line
// and column.
#include <catch2/catch.hpp>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>

#include "tests/support/files.hpp"
#include "adapters/readers.hpp"

using namespace riskoff::adapters;
using riskoff::engine::format_timestamp;
using riskoff::engine::parse_timestamp;

namespace {
std::string real_file(const std::string& relative) {
  const auto path = riskoff::testing::test_data(relative);
  INFO("the vendored slices of real files live in tests/data/ (see its README)");
  REQUIRE(std::filesystem::exists(path));
  return riskoff::testing::read_file(path);
}
std::string first_problem(const SeriesRead& read) { return read.problems.empty() ? "" : read.problems.front().text(); }
riskoff::engine::Timestamp day(const char* text) { return *parse_timestamp(text); }
}  // namespace

TEST_CASE("FRED CSV: both headers, `.` and empty cells are missing, never 0", "[adapters][readers]") {
  const auto old_header = read_fred_csv("DATE,DGS10\n2021-01-04,0.93\n2021-01-05,.\n2021-01-06,\n2021-01-07,1.04\n", "f.csv");
  REQUIRE(old_header.ok());
  CHECK(old_header.values == std::vector<double>{0.93, 1.04});
  CHECK(old_header.missing == 2);
  const auto new_header = read_fred_csv("observation_date,DGS10\r\n2021-01-04,0.93\r\n", "f.csv");
  REQUIRE(new_header.ok());
  CHECK(new_header.times.front() == day("2021-01-04"));
  CHECK(first_problem(read_fred_csv("date,value\n2021-01-04,1\n", "f.csv")) ==
        "f.csv:1:1: expected a FRED header `DATE,<SERIES>` or `observation_date,<SERIES>`, found `date,value`");
  CHECK(first_problem(read_fred_csv("DATE,DGS10\n2021-01-04,abc\n", "f.csv")) ==
        "f.csv:2:12: expected a number in column `DGS10`, found `abc` (a number starts with a digit)");
  CHECK(first_problem(read_fred_csv("DATE,DGS10\n2021-01-05,1\n2021-01-04,2\n", "f.csv")) ==
        "f.csv:3:1: time 2021-01-04T00:00:00Z is out of order after 2021-01-05T00:00:00Z; expected oldest first throughout");
  CHECK(first_problem(read_fred_csv("DATE,DGS10\n2021-01-04,1\n2021-01-04,2\n", "f.csv")).find("duplicate time") !=
        std::string::npos);
  CHECK(first_problem(read_fred_csv("DATE,DGS10\n2021-01-04\n", "f.csv")) ==
        "f.csv:2:11: expected 2 fields as in the header, found 1 (truncated row?)");
  CHECK(first_problem(read_fred_csv("", "f.csv")) == "f.csv: the file is empty");
  CHECK(first_problem(read_fred_csv("<html><body>Service unavailable</body></html>", "f.csv")).find("HTML page") !=
        std::string::npos);
  const auto real = read_fred_csv(real_file("fred/DGS10__js5810.csv"), "DGS10.csv");
  REQUIRE(real.ok());
  // Holidays are `.`: Veterans Day, Thanksgiving, Christmas, New Year, Martin Luther King Day,
  // Presidents' Day, Good Friday and Memorial Day fall in the slice.
  CHECK(real.missing == 8);
  const auto at = std::find(real.times.begin(), real.times.end(), day("2020-03-09"));
  REQUIRE(at != real.times.end());
  CHECK(real.values[static_cast<std::size_t>(at - real.times.begin())] == 0.54);  // SOURCES.md sanity row
}

TEST_CASE("FRED API JSON: string values, `.` missing, either order", "[adapters][readers]") {
  const auto read = read_fred_json(
      R"({"observations":[{"date":"2025-11-01","value":"4.5"},{"date":"2025-10-01","value":"."},)"
      R"({"date":"2025-09-01","value":"4.4"}]})",
      "api.json");
  REQUIRE(read.ok());
  CHECK(read.values == std::vector<double>{4.4, 4.5});
  CHECK(read.missing == 1);
  CHECK(first_problem(read_fred_json(R"({"error_code":400,"error_message":"Bad Request"})", "api.json"))
            .find("FRED answered with an error") != std::string::npos);
  CHECK(first_problem(read_fred_json("<?xml version=\"1.0\"?><observations/>", "api.json")).find("HTML page") !=
        std::string::npos);
}

TEST_CASE("Yahoo CSV and yfinance files: `null` rows are missing", "[adapters][readers]") {
  const auto read = read_yahoo_csv(
      "Date,Open,High,Low,Close,Adj Close,Volume\n2017-11-08,null,null,null,null,null,null\n"
      "2017-11-09,25.288,25.69,25.19,25.195,25.195,300\n",
      "y.csv");
  REQUIRE(read.ok());
  CHECK(read.values == std::vector<double>{25.195});
  CHECK(read.missing == 1);
  const auto adjusted = read_yahoo_csv("Date,Open,High,Low,Close,Adj Close,Volume\n2017-11-09,1,1,1,2,1.5,3\n", "y.csv", "Adj Close");
  CHECK(adjusted.values == std::vector<double>{1.5});
  const auto real = read_yahoo_csv(real_file("yahoo/DX-Y.NYB__Navya-Manya.csv"), "dxy.csv");
  REQUIRE(real.ok());
  CHECK(real.missing == 31);  // the slice's rows of `null` (Sundays)
  const auto flattened = read_yahoo_csv(real_file("yfinance/GSPC__BrunoPPivetti.csv"), "gspc.csv");
  REQUIRE(flattened.ok());
  CHECK(flattened.times.back() == day("2020-05-29"));
  CHECK(first_problem(read_yahoo_csv("Date,Open\n2017-11-09,1\n", "y.csv")) ==
        "y.csv:1:1: expected columns `Date` and `Close` in the header, found `Date`, `Open`");
}

TEST_CASE("Yahoo chart JSON: seconds, exchange dates, nulls and error objects", "[adapters][readers]") {
  const auto read = read_yahoo_chart_json(
      R"({"chart":{"result":[{"meta":{"gmtoffset":-14400,"dataGranularity":"1d"},)"
      R"("timestamp":[1509715800,1509802200,1509888600],)"
      R"("indicators":{"quote":[{"close":[1032.48,null,1040.5]}]}}],"error":null}})",
      "chart.json");
  REQUIRE(read.ok());
  REQUIRE(read.times.size() == 2);
  CHECK(format_timestamp(read.times[0]) == "2017-11-03T00:00:00Z");  // 13:30Z open, New York date
  CHECK(read.missing == 1);
  CHECK(first_problem(read_yahoo_chart_json(
            R"({"chart":{"result":null,"error":{"code":"Not Found","description":"No data found"}}})", "c.json"))
            .find("Yahoo answered with an error") != std::string::npos);
  CHECK(first_problem(read_yahoo_chart_json(
            R"({"finance":{"result":null,"error":{"code":"unauthorized","description":"User is not logged in"}}})",
            "c.json"))
            .find("needs a login") != std::string::npos);
}

TEST_CASE("Stooq: CSV, and its HTTP-200 error bodies", "[adapters][readers]") {
  CHECK(read_stooq_csv("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,100\n", "s.csv").values ==
        std::vector<double>{1.5});
  CHECK(read_stooq_csv("Date,Open,High,Low,Close,Volume\n20050103,1,2,0.5,1.25,100\n", "s.csv").values ==
        std::vector<double>{1.25});
  CHECK(first_problem(read_stooq_csv("No data", "s.csv")) == "s.csv: the provider answered `No data` (unknown symbol or empty range)");
  CHECK(first_problem(read_stooq_csv("Exceeded the daily hits limit", "s.csv")) ==
        "s.csv: the provider's daily request limit was exceeded");
  CHECK(first_problem(read_stooq_csv("<!DOCTYPE html><html>proof of work</html>", "s.csv")).find("HTML page") !=
        std::string::npos);
}

TEST_CASE("CBOE VIX history", "[adapters][readers]") {
  CHECK(read_cboe_csv("DATE,OPEN,HIGH,LOW,CLOSE\n01/02/1990,17.24,17.24,17.24,17.24\n", "v.csv").values ==
        std::vector<double>{17.24});
  const auto real = read_cboe_csv(real_file("cboe/VIX_History__datahub-finance-vix.csv"), "vix.csv");
  REQUIRE(real.ok());
  const auto at = std::find(real.times.begin(), real.times.end(), day("2020-03-16"));
  REQUIRE(at != real.times.end());
  CHECK(real.values[static_cast<std::size_t>(at - real.times.begin())] == Approx(82.69));
}

TEST_CASE("Binance klines: closes at the bar's end, the bar in progress dropped, ms or µs", "[adapters][readers]") {
  const std::string bars =
      R"([[1499040000000,"0.0163","0.8","0.0157","0.01577","148976.1",1499126399999,"2434.19",308,"1756.87","28.46","0"],)"
      R"([1499126400000,"0.0157","0.8","0.0157","0.01600","1.1",1499212799999,"2434.19",308,"1756.87","28.46","0"]])";
  const auto done = read_binance_klines_json(bars, "k.json", day("2017-07-10"));
  REQUIRE(done.ok());
  CHECK(done.values == std::vector<double>{0.01577, 0.016});
  CHECK(format_timestamp(done.times[0]) == "2017-07-04T00:00:00Z");
  const auto live = read_binance_klines_json(bars, "k.json", day("2017-07-04") + 3600);
  CHECK(live.values == std::vector<double>{0.01577});  // the second bar has not closed yet
  CHECK(first_problem(read_binance_klines_json(R"({"code":-1121,"msg":"Invalid symbol."})", "k.json", 0))
            .find("Binance answered with an error") != std::string::npos);
}

TEST_CASE("Binance funding: JSON and monthly CSV dumps", "[adapters][readers]") {
  const auto json = read_binance_funding_json(
      R"([{"symbol":"BTCUSDT","fundingRate":"-0.03750000","fundingTime":1570608000000,"markPrice":"34287.5"},)"
      R"({"symbol":"BTCUSDT","fundingRate":"0.00010000","fundingTime":1570636800000,"markPrice":""}])",
      "f.json");
  REQUIRE(json.ok());
  CHECK(json.values == std::vector<double>{-0.0375, 0.0001});
  const auto real = read_binance_funding_csv(real_file("binance/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2020-03.csv"), "f.csv");
  REQUIRE(real.ok());
  CHECK(format_timestamp(real.times.front()) == "2020-03-01T00:00:00Z");
  CHECK(real.values.front() == Approx(0.00049317));
  const auto micro = read_binance_funding_csv("calc_time,funding_interval_hours,last_funding_rate\n1735689600000000,8,0.0001\n", "f.csv");
  REQUIRE(micro.ok());
  CHECK(format_timestamp(micro.times.front()) == "2025-01-01T00:00:00Z");
}

TEST_CASE("Binance open interest history: coins or notional", "[adapters][readers]") {
  const std::string text =
      R"([{"symbol":"BTCUSDT","sumOpenInterest":"20403.637","sumOpenInterestValue":"150570784.07","timestamp":"1583127900000"}])";
  CHECK(read_binance_open_interest_json(text, "oi.json").values == std::vector<double>{20403.637});
  CHECK(read_binance_open_interest_json(text, "oi.json", "sumOpenInterestValue").values == std::vector<double>{150570784.07});
}

TEST_CASE("generic CSV: quotes, thousands, percent, newest first, day-first dates", "[adapters][readers]") {
  CsvMapping investing;
  investing.date_format = "%m/%d/%Y";
  investing.value_column = "Price";
  investing.thousands_separators = true;
  const auto real = read_generic_csv(real_file("investing/SPX__wongkaho2626.csv"), "spx.csv", investing);
  REQUIRE(real.ok());
  const auto at = std::find(real.times.begin(), real.times.end(), day("2020-03-23"));
  REQUIRE(at != real.times.end());
  CHECK(real.values[static_cast<std::size_t>(at - real.times.begin())] == Approx(2237.40));  // SOURCES.md row
  CHECK(real.times.front() < real.times.back());  // newest-first file, returned oldest first

  CsvMapping european;
  european.delimiter = ';';
  european.decimal_comma = true;
  european.thousands_separators = true;
  european.date_format = "%d.%m.%Y";
  european.value_column = "Kurs";
  european.date_column = "Datum";
  const auto euro = read_generic_csv("\xEF\xBB\xBF" "Datum;Kurs\n02.01.2024;\"4.769,80\"\n03.01.2024;4.704,81\n", "eu.csv", european);
  REQUIRE(euro.ok());
  CHECK(euro.values == std::vector<double>{4769.80, 4704.81});

  CsvMapping change;
  change.value_column = "Change %";
  change.percent_suffix = true;
  change.date_format = "%m/%d/%Y";
  CHECK(read_generic_csv("Date,Change %\n01/02/2024,-1.21%\n", "c.csv", change).values == std::vector<double>{-1.21});
  CHECK(first_problem(read_generic_csv("Date,Close\n2024-01-02,1\n2024-01-04,2\n2024-01-03,3\n", "m.csv", CsvMapping{})) ==
        "m.csv:4:1: time 2024-01-03T00:00:00Z is out of order after 2024-01-04T00:00:00Z; expected oldest first throughout");
  CHECK(first_problem(read_generic_csv("Date,Close\n2024-01-02,1\n2024/01/03,2\n", "m.csv", CsvMapping{})) ==
        "m.csv:3:1: expected a date like `%Y-%m-%d`, found `2024/01/03`");
  // `col` is the character column of the field's first character, not the field's number: past a
  // quoted field holding the delimiter, multi-byte characters and blanks.
  CsvMapping labelled;
  labelled.value_column = "Close";
  CHECK(first_problem(read_generic_csv("Note,Date,Close\n\"a, \xC3\xA9\",2024-01-02,  x\n", "q.csv", labelled)) ==
        "q.csv:2:21: expected a number in column `Close`, found `x` (a number starts with a digit)");

  CsvMapping coinalyze;
  coinalyze.date_column = "t";
  coinalyze.value_column = "BTC/USDT - Binance";
  const auto oi = read_generic_csv(real_file("coinalyze/open_interest_history__CryptoVizArt.csv"), "oi.csv", coinalyze);
  REQUIRE(oi.ok());
  CHECK(oi.values.front() == Approx(3465520267.68));
}

// Hardening (issue "Hardening", item 1): provider answers of the wrong shape are messages naming
// the path, never an uncaught exception; Yahoo's valid empty range is an empty series.
TEST_CASE("Yahoo chart JSON of the wrong shape is a message, never a crash", "[adapters][readers][hostile]") {
  CHECK(first_problem(read_yahoo_chart_json(R"({"chart":{"result":[5],"error":null}})", "c.json")) ==
        "c.json: `chart.result[0]`: expected an object, found the number 5");
  CHECK(first_problem(read_yahoo_chart_json(
            R"({"chart":{"result":[{"timestamp":[1],"indicators":{"quote":{"close":[1]}}}],"error":null}})", "c.json")) ==
        "c.json: `chart.result[0].indicators.quote`: expected an array, found an object");
  CHECK(first_problem(read_yahoo_chart_json(
            R"({"chart":{"result":[{"timestamp":[1],"indicators":{"quote":[{"close":["1"]}]}}],"error":null}})", "c.json")) ==
        "c.json: `chart.result[0].indicators.quote[0].close[0]`: expected a number or null, found a string `\"1\"`");
  CHECK(first_problem(read_yahoo_chart_json(
            R"({"chart":{"result":[{"timestamp":"1","indicators":{"quote":[{"close":[1]}]}}],"error":null}})", "c.json")) ==
        "c.json: `chart.result[0].timestamp`: expected an array, found a string `\"1\"`");
  CHECK(first_problem(read_yahoo_chart_json(
            R"({"chart":{"result":[{"timestamp":[1,2],"indicators":{"quote":[{"close":[1]}]}}],"error":null}})", "c.json")) ==
        "c.json: expected `timestamp` and `indicators.quote[0].close` arrays of equal length; found 2 and 1");
  CHECK(first_problem(read_yahoo_chart_json(R"({"chart":{"result":[{"timestamp":[1e300]}],"error":null}})", "c.json")) ==
        "c.json: `chart.result[0].timestamp[0]`: expected a whole number from -62167219200 to 253402300799, found the "
        "number 1e+300");
  CHECK(first_problem(read_yahoo_chart_json(R"([1, 2])", "c.json")) == "c.json: expected an object, found an array");
}

TEST_CASE("a yfinance `Datetime` file with a row too short for a time is a message, never a crash",
          "[adapters][readers][hostile]") {
  // Found by the yahoo_csv fuzz target: the midnight check read past the end of a 1-byte row.
  const auto read = read_yahoo_csv("Datetime,Open,High,Low,Close\nn\n2019-11-01 00:00:00+00:00,1,1,1,2\n", "y.csv");
  CHECK_FALSE(read.ok());
  CHECK(first_problem(read).rfind("y.csv:2:", 0) == 0);
}

TEST_CASE("Yahoo's empty range (no `timestamp`) is an empty series with its reason", "[adapters][readers][hostile]") {
  const auto empty = read_yahoo_chart_json(
      R"({"chart":{"result":[{"meta":{"gmtoffset":-18000,"dataGranularity":"1d"},"indicators":{"quote":[{}]}}],"error":null}})",
      "c.json");
  CHECK(empty.ok());
  CHECK(empty.times.empty());
  CHECK(empty.empty_because == "Yahoo has no bars in the requested range: the answer has no `timestamp`");
}

TEST_CASE("provider JSON with a key given twice is refused", "[adapters][readers][hostile]") {
  CHECK(first_problem(read_binance_funding_json(
            R"([{"fundingTime":1570608000000,"fundingRate":"0.0001","fundingRate":"0.01"}])", "f.json")) ==
        "f.json: `[0]`: duplicate key `fundingRate` (only one may be given; a JSON reader would silently keep the last)");
  CHECK(first_problem(read_fred_json(R"({"observations":[{"date":"2025-11-01","value":"4."}]})", "api.json")) ==
        "api.json: observations[0] (2025-11-01): expected a number as a string, found a string `\"4.\"`");
  CHECK(first_problem(read_fred_json(R"({"observations":[{"date":5,"value":"4"}]})", "api.json")) ==
        "api.json: `observations[0].date`: expected a string, found the number 5");
  CHECK(first_problem(read_binance_klines_json(R"([[1e999]])", "k.json", 0)) ==
        "k.json: 1:3: not valid JSON: number overflow parsing '1e999' (not a finite number)");
}

// Item 7: strict numbers (no partial numbers, separators only where the locale allows them)
// and rows of the header's width.
TEST_CASE("numbers are read whole or refused, with the row and the reason", "[adapters][readers][hostile]") {
  CHECK(first_problem(read_yahoo_csv("Date,Open,High,Low,Close,Adj Close,Volume\n"
                                     "2024-01-02,6900.1,6950.2,6880.3,6910.4,6910.4,100\n2024-01-03,6900.1,6950.2,6880.3,69\n",
                                     "y.csv")) == "y.csv:3:35: expected 7 fields as in the header, found 5 (truncated row?)");
  CHECK(first_problem(read_fred_csv("DATE,DGS10\n2021-01-04,4.\n", "f.csv")) ==
        "f.csv:2:12: expected a number in column `DGS10`, found `4.` (the decimal `.` must be followed by digits)");
  CHECK(first_problem(read_fred_csv("DATE,DGS10\n2021-01-04,.5\n", "f.csv")).starts_with("f.csv:2:12: expected a number"));
  CHECK(first_problem(read_cboe_csv("DATE,OPEN,HIGH,LOW,CLOSE\n2024-01-02,1,1,1,nan\n", "v.csv")) ==
        "v.csv:2:18: expected a number in column `CLOSE`, found `nan` (not a finite number)");
  CHECK(first_problem(read_cboe_csv("DATE,OPEN,HIGH,LOW,CLOSE\n2024-01-02,1,1,1,inf\n", "v.csv")).starts_with("v.csv:2:18:"));
  CHECK(first_problem(read_cboe_csv("DATE,OPEN,HIGH,LOW,CLOSE\n2024-01-02,1,1,1,1e999\n", "v.csv")) ==
        "v.csv:2:18: expected a number in column `CLOSE`, found `1e999` (the number is too large to be finite)");
  CHECK(first_problem(read_cboe_csv("DATE,OPEN,HIGH,LOW,CLOSE\n2024-01-02,1,1,1,12abc\n", "v.csv")) ==
        "v.csv:2:18: expected a number in column `CLOSE`, found `12abc` (unexpected `a` after the number)");
  CHECK(first_problem(read_generic_csv("Date,Close\n2024-01-02,1,5\n", "m.csv", CsvMapping{})) ==
        "m.csv:2:14: expected 2 fields as in the header, found 3 (an unquoted delimiter inside a value?)");

  CsvMapping thousands;
  thousands.thousands_separators = true;
  CHECK(read_generic_csv("Date,Close\n2024-01-02,\"7,408.30\"\n2024-01-03,\"1,234,567\"\n2024-01-04,12.5\n", "t.csv", thousands)
            .values == std::vector<double>{7408.30, 1234567, 12.5});
  CHECK(first_problem(read_generic_csv("Date,Close\n2024-01-02,\"4,26\"\n", "t.csv", thousands)) ==
        "t.csv:2:12: expected a number in column `Close`, found `4,26` (a thousands separator `,` must be followed by "
        "exactly 3 digits)");
  CHECK(first_problem(read_generic_csv("Date,Close\n2024-01-02,\"1234,567\"\n", "t.csv", thousands)).starts_with(
      "t.csv:2:12: expected a number in column `Close`, found `1234,567` (`,` is misplaced"));
  CHECK(first_problem(read_generic_csv("Date,Close\n2024-01-02,\"4,26\"\n", "t.csv", CsvMapping{})) ==
        "t.csv:2:12: expected a number in column `Close`, found `4,26` (`,` is not allowed: thousands_separators is off)");

  CsvMapping european;
  european.decimal_comma = true;
  european.thousands_separators = true;
  european.delimiter = ';';
  CHECK(read_generic_csv("Date;Close\n2024-01-02;4.769,80\n2024-01-03;4,26\n", "e.csv", european).values ==
        std::vector<double>{4769.80, 4.26});
  CHECK(first_problem(read_generic_csv("Date;Close\n2024-01-02;4.26\n", "e.csv", european)) ==
        "e.csv:2:12: expected a number in column `Close`, found `4.26` (a thousands separator `.` must be followed by "
        "exactly 3 digits)");
  european.thousands_separators = false;
  CHECK(first_problem(read_generic_csv("Date;Close\n2024-01-02;4.26\n", "e.csv", european)) ==
        "e.csv:2:12: expected a number in column `Close`, found `4.26` (`.` is not allowed: thousands_separators is off)");
}

TEST_CASE("unix times outside the years 0000 to 9999 are refused", "[adapters][readers][hostile]") {
  CsvMapping unix_seconds;
  unix_seconds.date_format = "unix";
  CHECK(first_problem(read_generic_csv("Date,Close\n9223372036854775807,1\n", "u.csv", unix_seconds)) ==
        "u.csv:2:1: expected a date like `unix`, found `9223372036854775807`");
  CHECK(first_problem(read_binance_funding_json(R"([{"fundingTime":"9223372036854775807","fundingRate":"0.1"}])", "f.json"))
            .starts_with("f.json: record 0: expected `fundingTime` (ms)"));
}

// A row keeps only the fields up to the columns read and counts the rest: a row's width, a quote
// and a delimiter are still seen anywhere in it, on both sides of every 16-byte step.
TEST_CASE("CSV rows: the fields after the columns read are counted, and a quote anywhere is honoured",
          "[adapters][readers][hostile]") {
  CsvMapping mapping;
  mapping.date_column = "Date";
  mapping.value_column = "Close";
  const std::string header = "Date,Close,Open,High,Low,Volume,Note\n";
  const auto read = read_generic_csv(header + "2024-01-02,5.5,1.25,1.5,1.125,123456789,plain words here\n"
                                              "2024-01-03,6.5,1.25,1.5,1.125,123456789,\"a note, with a comma\"\n"
                                              "2024-01-04,7.5,1.25,1.5,1.125,12,x\n",
                                     "w.csv", mapping);
  REQUIRE(read.ok());
  CHECK(read.values == std::vector<double>{5.5, 6.5, 7.5});
  // One field more or less, past every field read, after and within the first 16 bytes.
  CHECK(first_problem(read_generic_csv(header + "2024-01-02,5.5,1.25,1.5,1.125,123456789,note,extra\n", "w.csv", mapping)) ==
        "w.csv:2:46: expected 7 fields as in the header, found 8 (an unquoted delimiter inside a value?)");
  CHECK(first_problem(read_generic_csv(header + "2024-01-02,5.5,1.25,1.5,1.125,123456789\n", "w.csv", mapping)) ==
        "w.csv:2:40: expected 7 fields as in the header, found 6 (truncated row?)");
  CHECK(first_problem(read_generic_csv(header + "2024-01-02,5,1,1,1,1,1,1\n", "w.csv", mapping)) ==
        "w.csv:2:24: expected 7 fields as in the header, found 8 (an unquoted delimiter inside a value?)");
  // The value column last, long past the first 16 bytes, beside a quoted field.
  CsvMapping last;
  last.date_column = "Date";
  last.value_column = "Note";
  CHECK(first_problem(read_generic_csv(header + "2024-01-02,\"5,5\",1.25,1.5,1.125,123456789,42.25\n", "w.csv", last)).empty());
  CHECK(read_generic_csv(header + "2024-01-02,\"5,5\",1.25,1.5,1.125,123456789,42.25\n", "w.csv", last).values ==
        std::vector<double>{42.25});
}

// Short decimals (up to 15 digits, no exponent: nearly every cell of a data file) are read
// without from_chars; each must be the very double from_chars gives, sign, separators and
// rounding included, and a longer one still goes through from_chars.
TEST_CASE("short decimals read as from_chars reads them, to the last bit", "[adapters][readers]") {
  std::string plain = "Date,Close\n";
  std::string european = "Date;Close\n";
  std::vector<double> expected;
  std::uint64_t state = 12345;
  const auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int k = 0; k < 3000; ++k) {
    const int digits = 1 + static_cast<int>(next() >> 33) % 18;  // past 15: from_chars' own reading
    std::string number;
    for (int d = 0; d < digits; ++d) number += static_cast<char>('0' + (next() >> 40) % 10);
    const int point = static_cast<int>(next() >> 35) % (digits + 1);  // digits after the decimal
    std::string cell = point == 0 ? number : number.substr(0, digits - point) + "." + number.substr(digits - point);
    if (cell.front() == '.') cell.insert(cell.begin(), '0');
    if (next() % 3 == 0) cell.insert(cell.begin(), '-');
    double value = 0;
    REQUIRE(std::from_chars(cell.data(), cell.data() + cell.size(), value).ec == std::errc());
    expected.push_back(value);
    const std::string date = format_timestamp(day("2000-01-01T00:00:00Z") + k * std::int64_t{86400}).substr(0, 10);
    plain += date + "," + cell + "\n";
    std::string comma = cell;
    if (const auto at = comma.find('.'); at != std::string::npos) comma[at] = ',';
    european += date + ";" + comma + "\n";
  }
  const SeriesRead read = read_generic_csv(plain, "n.csv", CsvMapping{});
  REQUIRE(read.ok());
  REQUIRE(read.values.size() == expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    INFO("row " << k + 2);
    CHECK(std::bit_cast<std::uint64_t>(read.values[k]) == std::bit_cast<std::uint64_t>(expected[k]));
  }
  CsvMapping comma_mapping;
  comma_mapping.delimiter = ';';
  comma_mapping.decimal_comma = true;
  CHECK(read_generic_csv(european, "e.csv", comma_mapping).values == read.values);
  // Grouped thousands and a percent sign: the separators dropped, the same doubles.
  CsvMapping grouped;
  grouped.thousands_separators = true;
  grouped.percent_suffix = true;
  const SeriesRead thousands =
      read_generic_csv("Date,Close\n2024-01-02,\"-1,234,567.891\"\n2024-01-03,0.1%\n2024-01-04,-0.0\n", "g.csv", grouped);
  REQUIRE(thousands.values.size() == 3);
  CHECK(thousands.values[0] == -1234567.891);
  CHECK(thousands.values[1] == 0.1);
  CHECK(std::signbit(thousands.values[2]));
}

// The last bytes of a row shorter than a 16-byte step are read as the step ending the row: a
// delimiter or a quote there counts once, wherever the row ends.
TEST_CASE("CSV rows of every length: the last partial step sees each delimiter and quote once",
          "[adapters][readers][hostile]") {
  CsvMapping mapping;
  mapping.value_column = "Close";
  for (std::size_t pad = 0; pad < 40; ++pad) {
    INFO("a note of " << pad << " bytes");
    const std::string note(pad, 'n');
    const SeriesRead read = read_generic_csv("Date,Close,Note\n2024-01-02,5.5," + note + "\n", "p.csv", mapping);
    CHECK(read.ok());
    CHECK(read.values == std::vector<double>{5.5});
    CHECK(first_problem(read_generic_csv("Date,Close,Note\n2024-01-02,5.5," + note + ",\n", "p.csv", mapping)) ==
          "p.csv:2:" + std::to_string(17 + pad) + ": expected 3 fields as in the header, found 4 (an unquoted delimiter inside a value?)");
    // A quoted delimiter in the row's last bytes is a field's, not a delimiter.
    CHECK(read_generic_csv("Date,Close,Note\n2024-01-02,5.5,\"" + note + ",\"\n", "p.csv", mapping).ok());
  }
}

// `%Y-%m-%d` and `%Y-%m-%d %H:%M:%S` are read at fixed positions, every digit checked: a
// non-digit anywhere is the general reading's refusal, as before.
TEST_CASE("fixed-position dates: a non-digit in any place is refused", "[adapters][readers][hostile]") {
  CsvMapping daily;
  CsvMapping timed;
  timed.date_format = "%Y-%m-%d %H:%M:%S";
  const std::string date = "2024-01-02 13:45:30";
  for (const std::size_t place : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) {
    std::string cell = date;
    cell[place] = place % 2 == 0 ? '/' : ':';  // just below and above '0'-'9'
    INFO(cell);
    CHECK(first_problem(read_generic_csv("Date,Close\n" + cell + ",1\n", "t.csv", timed)) ==
          "t.csv:2:1: expected a date like `%Y-%m-%d %H:%M:%S`, found `" + cell + "`");
    if (place < 10) {
      CHECK(first_problem(read_generic_csv("Date,Close\n" + cell.substr(0, 10) + ",1\n", "d.csv", daily)) ==
            "d.csv:2:1: expected a date like `%Y-%m-%d`, found `" + cell.substr(0, 10) + "`");
    }
  }
  CHECK(read_generic_csv("Date,Close\n" + date + ",1\n", "t.csv", timed).times ==
        std::vector<riskoff::engine::Timestamp>{day("2024-01-02T13:45:30Z")});
}
