// The read window (ReadWindow, adapters/readers.hpp) over Binance funding dumps and over an
// input of several files (a `*` pattern of monthly dumps): a month before the window gives only
// its last two rows, counted back from a later month's newest row dated by the anchor, whatever
// order the file names put the months in; the snapshot is the one every row gives; a fault
// among the rows read is named at its own line, one before them is not read.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "adapters/readers.hpp"
#include "adapters/sources.hpp"
#include "support/time.hpp"
#include "tests/support/files.hpp"

using namespace riskoff;
using namespace riskoff::adapters;

namespace {

engine::Timestamp utc_day(const std::string& date) { return *engine::parse_timestamp(date + "T00:00:00Z"); }

const std::string kFundingHeader = "calc_time,funding_interval_hours,last_funding_rate\n";

// A funding dump of 8h rows from `from` (inclusive) to `to` (exclusive), calc_time a millisecond
// after each funding instant; rate = the row's number from 2024-01-01 in millionths.
std::string funding_rows(engine::Timestamp from, engine::Timestamp to) {
  std::string text;
  for (engine::Timestamp t = from; t < to; t += 8 * 3600) {
    text += std::to_string(t * 1000 + 1) + ",8," + std::to_string((t - utc_day("2024-01-01")) / (8 * 3600)) + "e-6\n";
  }
  return text;
}

std::string first_fault(const SeriesRead& read) { return read.problems.empty() ? "" : read.problems.front().text(); }

std::string month(int number) { return std::string("2024-") + (number < 10 ? "0" : "") + std::to_string(number); }

// Monthly dumps of 2024 as `f/<name of the month>` (names(month) gives it), each `kFundingHeader` and its
// month's rows; `edit` may change a month's text. The manifest of input `x` reading `f/*.csv`.
template <class Name, class Edit>
Manifest monthly_dumps(const testing::ScratchFolder& folder, const std::string& name, const Name& names, const Edit& edit) {
  for (int m = 1; m <= 12; ++m) {
    const engine::Timestamp end = m == 12 ? utc_day("2025-01-01") : utc_day(month(m + 1) + "-01");
    std::string text = kFundingHeader + funding_rows(utc_day(month(m) + "-01"), end);
    edit(m, text);
    folder.write(name + "/f/" + names(m), text);
  }
  const std::string manifest = R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "binance_funding_csv",
      "unit": "percent", "source": "test", "path": "f/*.csv"}}})";
  Manifest read = read_manifest(folder.write(name + "/sources.json", manifest));
  REQUIRE(read.ok());
  return read;
}

std::string by_month(int m) { return "XYZ-fundingRate-" + month(m) + ".csv"; }

}  // namespace

TEST_CASE("a windowed funding dump gives a whole read's rows from two before the window, with the file's lines",
          "[adapters][binance][window]") {
  const std::string text = kFundingHeader + funding_rows(utc_day("2024-01-01"), utc_day("2024-04-01"));
  const SeriesRead whole = read_binance_funding_csv(text, "f.csv");
  REQUIRE(whole.ok());
  // Anchored at 2024-03-20 00:00 (its last row dated by then), 5 days back: from 2024-03-15
  // 00:00, then the reference (03-14 16:00) and the row before it (08:00).
  const ReadWindow window{utc_day("2024-03-20"), 5 * 86400.0};
  const SeriesRead read = read_binance_funding_csv(text, "f.csv", std::nullopt, window);
  REQUIRE(read.ok());
  REQUIRE(read.times.front() == utc_day("2024-03-14") + 8 * 3600);
  const auto from = static_cast<std::ptrdiff_t>(whole.times.size() - read.times.size());
  CHECK(std::vector<engine::Timestamp>(whole.times.begin() + from, whole.times.end()) == read.times);
  CHECK(std::vector<double>(whole.values.begin() + from, whole.values.end()) == read.values);
  CHECK(read.line(0) == whole.line(static_cast<std::size_t>(from)));
  CHECK(read.line(0) == 2 + 73 * 3 + 1);  // 2024-03-14 is day 73 of 2024
  CHECK(read.per == "8h");
  // A later file's row dated by the anchor moves it: only this file's last two rows are needed.
  const SeriesRead tail = read_binance_funding_csv(text, "f.csv", std::nullopt, ReadWindow{utc_day("2024-05-01"), 5 * 86400.0, utc_day("2024-04-30")});
  CHECK(tail.times == std::vector<engine::Timestamp>{utc_day("2024-03-31") + 8 * 3600, utc_day("2024-03-31") + 16 * 3600});
  CHECK(tail.per == "8h");
}

TEST_CASE("a windowed funding dump names a fault among its rows at its line, and reads none before them",
          "[adapters][binance][window]") {
  const std::string text = kFundingHeader + funding_rows(utc_day("2024-01-01"), utc_day("2024-04-01"));
  const ReadWindow window{utc_day("2024-03-20"), 5 * 86400.0};
  // 2024-01-10 00:00 (line 2 + 27) broken: the window cannot read it.
  std::string early = text;
  const std::string january = std::to_string(utc_day("2024-01-10") * 1000 + 1) + ",8,";
  early.replace(early.find(january), january.size(), std::to_string(utc_day("2024-01-10") * 1000 + 1) + ",x,");
  CHECK(first_fault(read_binance_funding_csv(early, "f.csv")) ==
        "f.csv:29:15: expected `funding_interval_hours` between 1 and 24, found `x`");
  CHECK(read_binance_funding_csv(early, "f.csv", std::nullopt, window).ok());
  // In the window, at its own line: 2024-03-18 00:00 is line 2 + 77 * 3.
  std::string late = text;
  const std::string march = std::to_string(utc_day("2024-03-18") * 1000 + 1) + ",8,";
  late.replace(late.find(march), march.size(), std::to_string(utc_day("2024-03-18") * 1000 + 1) + ",x,");
  const std::string expected = "f.csv:233:15: expected `funding_interval_hours` between 1 and 24, found `x`";
  CHECK(first_fault(read_binance_funding_csv(late, "f.csv")) == expected);
  CHECK(first_fault(read_binance_funding_csv(late, "f.csv", std::nullopt, window)) == expected);
  // An interval that changes in the window is named by the lines a whole read names (its first
  // run starting at the first row read).
  std::string mixed = text;
  mixed.replace(mixed.find(march), march.size(), std::to_string(utc_day("2024-03-18") * 1000 + 1) + ",4,");
  const std::string runs = "f.csv: the funding interval changes within the file (8h from line 2, 4h from line 233, 8h from line 234)";
  CHECK(first_fault(read_binance_funding_csv(mixed, "f.csv")).starts_with(runs));
  CHECK(first_fault(read_binance_funding_csv(mixed, "f.csv", std::nullopt, window))
            .starts_with("f.csv: the funding interval changes within the file (8h from line 222, 4h from line 233, 8h from line 234)"));
}

TEST_CASE("monthly dumps of one input: the months before the window give their last rows, the snapshot every row's",
          "[adapters][sources][window]") {
  testing::ScratchFolder folder("read-window-files");
  const auto keep = [](int, std::string&) {};
  const Manifest clean = monthly_dumps(folder, "clean", by_month, keep);
  // A broken row near the end of March: no decision as of October with a 10-day lookback reads
  // it, though a window counted back from March's own last row would.
  const std::string march = std::to_string(utc_day("2024-03-29") * 1000 + 1) + ",8,";
  const auto break_march = [&](int m, std::string& text) {
    if (m == 3) text.replace(text.find(march), march.size(), march + "x");
  };
  const Manifest broken = monthly_dumps(folder, "broken", by_month, break_march);
  // The months named out of their order (December first, January last): the rows decide.
  const Manifest shuffled = monthly_dumps(folder, "shuffled", [](int m) { return "m" + std::to_string(100 - m) + ".csv"; }, keep);
  BuildOptions options;
  options.as_of = utc_day("2024-10-15") + 12 * 3600;
  options.lookback = {{"x", 10 * 86400.0}};
  const auto expected = build_snapshot(clean, options);
  REQUIRE(expected.ok());
  REQUIRE(expected.snapshot.inputs.size() == 1);
  const auto& rows = expected.snapshot.inputs.front();
  // Every row from the lookback before the last one known, and the reference before them.
  CHECK(rows.times.back() == utc_day("2024-10-15") + 8 * 3600);
  CHECK(rows.times.front() <= rows.times.back() - 10 * 86400);
  CHECK(rows.times.size() == 31);
  for (const Manifest* other : {&broken, &shuffled}) {
    const auto built = build_snapshot(*other, options);
    INFO((built.problems.empty() ? std::string() : built.problems.front()));
    REQUIRE(built.ok());
    REQUIRE(built.snapshot.inputs.size() == 1);
    CHECK(built.snapshot.inputs.front().times == rows.times);
    CHECK(built.snapshot.inputs.front().values == rows.values);
  }
  // A lookback that reaches March reads it, and fails on the broken row at its line.
  options.lookback = {{"x", 230 * 86400.0}};
  const auto failed = build_snapshot(broken, options);
  REQUIRE(failed.problems.size() == 1);
  CHECK(failed.problems.front().find("XYZ-fundingRate-2024-03.csv:" + std::to_string(2 + 28 * 3) +
                                     ":17: expected a number in column `last_funding_rate`, found `x264e-6`") != std::string::npos);
}

TEST_CASE("monthly dumps at another interval than a later month are refused, however far before the window",
          "[adapters][sources][window]") {
  testing::ScratchFolder folder("read-window-files-per");
  // January's rates are per 4h: its last two rows still say so.
  const auto four_hours = [](int m, std::string& text) {
    for (std::size_t at = text.find(",8,"); m == 1 && at != std::string::npos; at = text.find(",8,", at)) text.replace(at, 3, ",4,");
  };
  const Manifest manifest = monthly_dumps(folder, "per", by_month, four_hours);
  BuildOptions options;
  options.as_of = utc_day("2024-10-15") + 12 * 3600;
  options.lookback = {{"x", 10 * 86400.0}};
  const auto built = build_snapshot(manifest, options);
  REQUIRE(built.problems.size() == 1);
  CHECK(built.problems.front().find("XYZ-fundingRate-2024-02.csv: its rates are per 8h but ") != std::string::npos);
  CHECK(built.problems.front().find("XYZ-fundingRate-2024-01.csv's are per 4h") != std::string::npos);
}
