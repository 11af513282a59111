// data.binance.vision dumps: klines (headerless or headed, ms or µs, .csv or .zip), funding
// dumps whose interval changes, the futures metrics dump, and zips that must be refused.
#include <catch2/catch.hpp>

#include "adapters/readers.hpp"
#include "adapters/sources.hpp"
#include "adapters/zip_member.hpp"
#include "tests/support/files.hpp"

using namespace riskoff::adapters;
using riskoff::engine::format_timestamp;
using riskoff::engine::parse_timestamp;

namespace {
std::string provider_file(const std::string& relative) {
  return riskoff::testing::read_file(riskoff::testing::test_data("providers/" + relative));
}
std::string first_problem(const SeriesRead& read) { return read.problems.empty() ? "" : read.problems.front().text(); }
riskoff::engine::Timestamp at(const char* text) { return *parse_timestamp(text); }
constexpr riskoff::engine::Timestamp kLater = 4102444800;  // 2100-01-01: every bar has closed
std::string spot_text() { return provider_file("binance-vision/synthetic-BTCUSDT-1h-2025-01-01.csv"); }
}  // namespace

TEST_CASE("klines dumps: a headerless first bar is a bar, closes on the whole second, µs", "[adapters][binance]") {
  const std::string spot = provider_file("binance-vision/synthetic-BTCUSDT-1h-2025-01-01.csv");
  const auto read = read_binance_klines_csv(spot, "k.csv", kLater);
  REQUIRE(read.ok());
  // All three bars: the first row is data, never a header (the generic `csv` reader took it for one).
  REQUIRE(read.values == std::vector<double>{94050.5, 94051.5, 94052.5});
  // close_time 1735693199999999 µs is 00:59:59.999999: the bar closed at 01:00:00.
  CHECK(format_timestamp(read.times.front()) == "2025-01-01T01:00:00Z");
  CHECK(format_timestamp(read.times.back()) == "2025-01-01T03:00:00Z");
  CHECK(read.lines == std::vector<std::size_t>{1, 2, 3});
  CHECK_FALSE(read.session_dates);
  // The bar still open at `now` is left out.
  CHECK(read_binance_klines_csv(spot, "k.csv", at("2025-01-01T02:30:00Z")).values.size() == 2);
}

TEST_CASE("klines dumps: the futures header, ms times, and rows that are not klines", "[adapters][binance]") {
  const std::string headed =
      "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n"
      "1499040000000,0.01634790,0.80000000,0.01575800,0.01577100,148976.11427815,1499644799999,2434.19055334,308,"
      "1756.87402397,28.46694368,0\n";
  const auto read = read_binance_klines_csv(headed, "f.csv", kLater);
  REQUIRE(read.ok());
  CHECK(read.values == std::vector<double>{0.015771});
  CHECK(format_timestamp(read.times.front()) == "2017-07-10T00:00:00Z");
  CHECK(read.lines == std::vector<std::size_t>{2});
  CHECK(first_problem(read_binance_klines_csv("timestamp,open,high,low,close,volume\n2019-11-01 00:00:00,1,2,0.5,1.5,10\n",
                                              "k.csv", kLater)) ==
        "k.csv:1:37: expected a kline of 12 fields (open_time,open,high,low,close,volume,close_time,...), found 6 "
        "(is this a klines dump?)");
  CHECK(first_problem(read_binance_klines_csv("1499040000000,1,2,0.5,abc,10,1499644799999,1,1,1,1,0\n", "k.csv", kLater)) ==
        "k.csv:1:23: expected the close price, found `abc` (a number starts with a digit)");
  CHECK(first_problem(read_binance_klines_csv("1499040000000,1,2,0.5,1.5,10,soon,1,1,1,1,0\n", "k.csv", kLater)) ==
        "k.csv:1:30: expected the close time in ms or µs since 1970, found `soon`");
  CHECK(first_problem(read_binance_klines_csv("1499040000000,1,2,0.5,1.5,10,9223372036854775807,1,1,1,1,0\n", "k.csv", kLater)) ==
        "k.csv:1:30: expected the close time in ms or µs since 1970, found `9223372036854775807`");
  // Through the generic reader, a headerless dump's first bar is not taken for a header silently.
  CHECK(first_problem(read_generic_csv(spot_text(), "k.csv", CsvMapping{})) ==
        "k.csv:1:1: expected columns `Date` and `Close` in the header, found `1735689600000000`, `94000.10`, `94100.00`, "
        "`93900.00`, `94050.50`, `12.5`, `1735693199999999`, `1175000.0`, `1000`, `6.0`, `564000.0`, `0`; the first line "
        "is a bar of a headerless Binance klines dump, not a header: the `binance_klines_csv` reader reads it");
  CHECK(first_problem(read_binance_klines_csv("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", "k.csv", kLater))
            .find("error object") != std::string::npos);
}

TEST_CASE("zipped dumps are read through the manifest, within the data-file limit", "[adapters][binance]") {
  const auto archive = provider_file("binance-vision/synthetic-BTCUSDT-1h-2024-03-01-futures.zip");
  REQUIRE(looks_like_zip(archive));
  const auto member = read_zip_member(archive, 1 << 20);
  REQUIRE(member);
  CHECK(member->starts_with("open_time,open,high,low,close"));

  const auto two = read_zip_member(provider_file("binance-vision/synthetic-two-members.zip"), 1 << 20);
  REQUIRE_FALSE(two);
  CHECK(two.error().messages.front() ==
        "the zip holds 2 files (`a.csv`, `b.csv`); expected one (a data.binance.vision dump holds one CSV)");
  // 1 MiB of zeros in a 1 KiB archive: decompression stops at the limit.
  const auto bomb = read_zip_member(provider_file("binance-vision/synthetic-bomb-1MiB-zeros.zip"), 4096);
  REQUIRE_FALSE(bomb);
  CHECK(bomb.error().messages.front() == "the zip member `zeros.csv` is larger than the limit of 4 KiB (4096 bytes) for data files");
  CHECK_FALSE(read_zip_member("PK\x03\x04 broken", 4096));

  riskoff::testing::ScratchFolder folder("feeds-zip");
  const std::string manifest = folder.write(
      "sources.json",
      R"({"format":"riskoff.sources/1","inputs":{)"
      R"("btc_1h":{"reader":"binance_klines_csv","unit":"usd","path":")" +
          riskoff::testing::test_data("providers/binance-vision/synthetic-BTCUSDT-1h-*.zip").string() + R"("},)"
      R"("btc_oi":{"reader":"binance_metrics_csv","unit":"number","column":"sum_open_interest_value","path":")" +
          riskoff::testing::test_data("providers/binance-vision/synthetic-BTCUSDT-metrics-2024-03-01.zip").string() +
          R"("}}})");
  const auto read = read_manifest(manifest);
  REQUIRE(read.ok());
  BuildOptions options;
  options.as_of = at("2025-01-02T00:00:00Z");
  options.default_lookback = 400.0 * 86400;
  const auto built = build_snapshot(read, options);
  INFO((built.problems.empty() ? "" : built.problems.front()));
  REQUIRE(built.ok());
  const auto& btc = built.snapshot.inputs.front().name == "btc_1h" ? built.snapshot.inputs.front() : built.snapshot.inputs.back();
  // Both zips, the 2024 futures dump (ms, headed) and the 2025 spot dump (µs, headerless), joined.
  REQUIRE(btc.times.size() == 6);
  CHECK(format_timestamp(btc.times.front()) == "2024-03-01T01:00:00Z");
  CHECK(btc.values.front() == 61050.5);
  CHECK(format_timestamp(btc.times.back()) == "2025-01-01T03:00:00Z");
}

TEST_CASE("metrics dump: open interest in coins or USDT, gaps left out", "[adapters][binance]") {
  const auto text = *read_zip_member(provider_file("binance-vision/synthetic-BTCUSDT-metrics-2024-03-01.zip"), 1 << 20);
  const auto coins = read_binance_metrics_csv(text, "m.csv");
  REQUIRE(coins.ok());
  CHECK(coins.values == std::vector<double>{80000.123, 80010.5});
  CHECK(coins.missing == 1);
  CHECK(format_timestamp(coins.times.front()) == "2024-03-01T00:05:00Z");
  const auto usdt = read_binance_metrics_csv(text, "m.csv", "sum_open_interest_value");
  CHECK(usdt.values == std::vector<double>{4900000000.5, 4901000000.25, 4902000000.0});
  CHECK(first_problem(read_binance_metrics_csv("symbol,sum\nBTC,1\n", "m.csv")) ==
        "m.csv:1:1: expected a metrics header with `create_time` and `sum_open_interest` "
        "(`create_time,symbol,sum_open_interest,sum_open_interest_value,...`), found `symbol,sum`");
}

TEST_CASE("funding dumps: one interval passes, mixed intervals are refused or scaled to `per`", "[adapters][binance]") {
  const auto mixed = provider_file("binance-vision/synthetic-XYZUSDT-fundingRate-mixed-intervals.csv");
  CHECK(first_problem(read_binance_funding_csv(mixed, "f.csv")) ==
        "f.csv: the funding interval changes within the file (8h from line 2, 4h from line 4, 1h from line 5): a series "
        "must have one interval; declare `per` (e.g. \"8h\") to scale every rate to it");
  const auto per8 = read_binance_funding_csv(mixed, "f.csv", 8.0);
  REQUIRE(per8.ok());
  CHECK(per8.per == "8h");
  // 0.01% per 8h stays; 0.005% per 4h is 0.01% per 8h; 0.001% per 1h is 0.008% per 8h.
  REQUIRE(per8.values.size() == 4);
  CHECK(per8.values[1] == Approx(0.0002));
  CHECK(per8.values[2] == Approx(0.0001));
  CHECK(per8.values[3] == Approx(0.00008));
  CHECK(format_timestamp(per8.times[0]) == "2024-01-01T00:00:00Z");  // calc_time ...002 ms, on the minute
  const auto real = read_binance_funding_csv(
      riskoff::testing::read_file(riskoff::testing::test_data("binance/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2020-01.csv")),
      "BTCUSDT-fundingRate-2020-01.csv");
  REQUIRE(real.ok());
  CHECK(real.per == "8h");
  CHECK(real.values.front() == -0.00012359);
  CHECK(first_problem(read_binance_funding_csv("calc_time,funding_interval_hours,last_funding_rate\n1577836800000,0,1\n", "f.csv")) ==
        "f.csv:2:15: expected `funding_interval_hours` between 1 and 24, found `0`");
}

TEST_CASE("funding files of one input at different intervals are refused without `per`", "[adapters][binance]") {
  riskoff::testing::ScratchFolder folder("feeds-funding");
  folder.write("f/XYZ-fundingRate-2024-01.csv", "calc_time,funding_interval_hours,last_funding_rate\n1704067200000,8,0.0001\n");
  folder.write("f/XYZ-fundingRate-2024-02.csv", "calc_time,funding_interval_hours,last_funding_rate\n1706745600000,4,0.0001\n");
  auto manifest_with = [&](const std::string& extra) {
    return read_manifest(folder.write("sources.json", R"({"format":"riskoff.sources/1","inputs":{"funding":{)"
                                                      R"("reader":"binance_funding_csv","unit":"number","path":"f/XYZ-*.csv")" +
                                                          extra + "}}}"));
  };
  BuildOptions options;
  options.as_of = at("2024-03-01T00:00:00Z");
  const auto refused = build_snapshot(manifest_with(""), options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.problems.front().find("XYZ-fundingRate-2024-02.csv: its rates are per 4h but ") != std::string::npos);
  const auto scaled = build_snapshot(manifest_with(R"(,"per":"8h")"), options);
  REQUIRE(scaled.ok());
  CHECK(scaled.snapshot.inputs.front().values == std::vector<double>{0.0001, 0.0002});
  const auto wrong = manifest_with(R"(,"per":"90m")");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.problems.front().find("`per`: expected a funding interval in hours like `8h`, found `90m`") != std::string::npos);
}
