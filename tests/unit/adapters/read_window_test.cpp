// Reading only the rows a decision as of an instant can need (ReadWindow, adapters/readers.hpp):
// the rows read give the same observations as a whole read from a little before the window on,
// with the file's own line numbers; a fault in a row before them is not reported, one among
// them is; and Yahoo's opens come from the same single pass as its closes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "adapters/readers.hpp"
#include "adapters/sources.hpp"
#include "support/bounded_read.hpp"
#include "support/time.hpp"
#include "tests/support/files.hpp"

using namespace riskoff;
using namespace riskoff::adapters;

namespace {

engine::Timestamp day(const std::string& date) { return *engine::parse_timestamp(date + "T00:00:00Z"); }

// `Date,Close` rows, one a day from 2024-01-01 for `days` days, value = the day's number.
std::string daily_file(int days) {
  std::string text = "Date,Close\n";
  for (int k = 0; k < days; ++k) {
    text += engine::format_timestamp(day("2024-01-01") + k * std::int64_t{86400}).substr(0, 10) + "," + std::to_string(k) + "\n";
  }
  return text;
}

std::string first_problem(const SeriesRead& read) { return read.problems.empty() ? "" : read.problems.front().text(); }

// The observations of `whole` from time `from` on.
SeriesRead from_time(const SeriesRead& whole, engine::Timestamp from) {
  SeriesRead out;
  for (std::size_t k = 0; k < whole.times.size(); ++k) {
    if (whole.times[k] < from) continue;
    out.times.push_back(whole.times[k]);
    out.values.push_back(whole.values[k]);
    out.lines.push_back(whole.lines[k]);
  }
  return out;
}

// The line numbers a read shows (SeriesRead::line): a windowed read's, the skipped lines counted.
std::vector<std::size_t> lines_of(const SeriesRead& read) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < read.lines.size(); ++k) out.push_back(read.line(k));
  return out;
}

// A manifest of one input `x` reading `d.csv` in `folder/<name>/`, which holds `text` (its
// values times `scale`).
Manifest manifest_of(const testing::ScratchFolder& folder, const std::string& name, const std::string& text,
                     const std::string& scale = "1") {
  folder.write(name + "/d.csv", text);
  const std::string manifest = R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "csv", "unit": "index",
      "source": "test", "path": "d.csv", "scale": )" + scale + R"(, "mapping": {"value_column": "Close"}}}})";
  Manifest read = read_manifest(folder.write(name + "/sources.json", manifest));
  REQUIRE(read.ok());
  return read;
}

// A windowed read of `text` against the whole read: the same rows from `from` on, with their lines.
SeriesRead read_through_window(const std::string& text, const CsvMapping& mapping, const ReadWindow& window,
                               const SeriesRead& whole, engine::Timestamp from) {
  SeriesRead read = read_generic_csv(text, "d.csv", mapping, window);
  REQUIRE(read.ok());
  const SeriesRead expected = from_time(whole, from);
  CHECK(read.times == expected.times);
  CHECK(read.values == expected.values);
  CHECK(lines_of(read) == expected.lines);
  return read;
}

}  // namespace

TEST_CASE("a windowed read gives a whole read's rows from two before the window, with the file's lines",
          "[adapters][readers][window]") {
  const std::string text = daily_file(400);
  CsvMapping mapping;
  const SeriesRead whole = read_generic_csv(text, "d.csv", mapping);
  REQUIRE(whole.ok());
  // Anchored at 2025-01-10 (the last row dated by then), 30 days back: 2024-12-11 and later,
  // then 2024-12-10 (the reference) and 2024-12-09 (its order checked).
  const ReadWindow window{day("2025-01-10") + 3600, 30 * 86400.0};
  const SeriesRead read = read_through_window(text, mapping, window, whole, day("2024-12-09"));
  CHECK(read.line(0) == 345);  // 2024-12-09 is day 343: line 2 + 343

  // A window that reaches back before the first row reads the whole file.
  const SeriesRead all = read_generic_csv(text, "d.csv", mapping, ReadWindow{day("2025-01-10"), 900 * 86400.0});
  CHECK(all.times == whole.times);
  // So does an anchor before every row: nothing is dated by then.
  CHECK(read_generic_csv(text, "d.csv", mapping, ReadWindow{day("2020-01-01"), 86400.0}).times == whole.times);
}

TEST_CASE("a windowed read reports a fault among the rows it needs, not one long before them",
          "[adapters][readers][window]") {
  std::string text = daily_file(400);
  const ReadWindow window{day("2025-01-10"), 30 * 86400.0};
  CsvMapping mapping;
  // Row 10 (line 11, 2024-01-10) broken: the decision as of 2025-01-10 cannot read it.
  std::string early = text;
  early.replace(early.find("2024-01-10,9"), 12, "2024-01-10,x");
  CHECK(first_problem(read_generic_csv(early, "d.csv", mapping)) ==
        "d.csv:11:12: expected a number in column `Close`, found `x` (a number starts with a digit)");
  const SeriesRead windowed = read_generic_csv(early, "d.csv", mapping, window);
  CHECK(windowed.ok());
  CHECK(windowed.times.front() == day("2024-12-09"));
  // Inside the window, a fault is reported at its own line, as by a whole read.
  std::string late = text;
  late.replace(late.find("2024-12-25,359"), 14, "2024-12-25,3x9");
  CHECK(first_problem(read_generic_csv(late, "d.csv", mapping, window)) ==
        "d.csv:361:12: expected a number in column `Close`, found `3x9` (unexpected `x` after the number)");
  // A reference row out of place is caught against the row before it.
  std::string displaced = text;
  displaced.replace(displaced.find("2024-12-10,344"), 14, "2023-12-10,344");
  CHECK(first_problem(read_generic_csv(displaced, "d.csv", mapping, window)) ==
        "d.csv:346:1: time 2023-12-10T00:00:00Z is out of order after 2024-12-09T00:00:00Z; expected oldest first throughout");
  // Unordered files are read whole: their rows can be anywhere.
  mapping.unordered = true;
  CHECK_FALSE(read_generic_csv(early, "d.csv", mapping, window).ok());
}

TEST_CASE("a newest-first file is read from its start to a little before the window", "[adapters][readers][window]") {
  std::string text = "Date,Close\n";
  for (int k = 399; k >= 0; --k) {
    text += engine::format_timestamp(day("2024-01-01") + k * 86400).substr(0, 10) + "," + std::to_string(k) + "\n";
  }
  // The oldest row broken: outside the window, unread.
  text.replace(text.rfind("2024-01-01,0"), 12, "2024-01-01,-");
  CsvMapping mapping;
  CHECK_FALSE(read_generic_csv(text, "n.csv", mapping).ok());
  const SeriesRead read = read_generic_csv(text, "n.csv", mapping, ReadWindow{day("2025-01-10"), 30 * 86400.0});
  REQUIRE(read.ok());
  CHECK(read.times.front() == day("2024-12-09"));
  CHECK(read.times.back() == day("2025-02-03"));  // rows after the anchor are read: the next observation
  CHECK(read.lines.back() == 2);
}

TEST_CASE("Yahoo's opens come from the same pass as its closes", "[adapters][readers][window]") {
  const std::string header = "Date,Open,High,Low,Close\n";
  const SeriesRead read =
      read_yahoo_csv(header + "2024-01-02,10,11,9,10.5\n2024-01-03,null,11,9,10.25\n2024-01-04,10.25,11,9,null\n", "y.csv");
  REQUIRE(read.ok());
  CHECK(read.values == std::vector<double>{10.5, 10.25});
  REQUIRE(read.opens.size() == 2);
  CHECK(read.opens[0] == 10);
  CHECK(std::isnan(read.opens[1]));  // a missing open is no open, never 0
  // An open that does not read leaves the file without opens; its closes stand.
  const SeriesRead bad_open = read_yahoo_csv(header + "2024-01-02,1O,11,9,10.5\n", "y.csv");
  CHECK(bad_open.ok());
  CHECK(bad_open.opens.empty());
  CHECK(read_yahoo_csv("Date,Close\n2024-01-02,10.5\n", "y.csv").opens.empty());
}

TEST_CASE("eval's snapshot does not stop at a broken row long before its window", "[adapters][sources][window]") {
  testing::ScratchFolder folder("read-window");
  std::string broken = daily_file(400);
  broken.replace(broken.find("2024-01-10,9"), 12, "2024-01-10,x");
  const Manifest clean = manifest_of(folder, "clean", daily_file(400));
  const Manifest with_fault = manifest_of(folder, "broken", broken);
  BuildOptions options;
  options.as_of = day("2025-01-10") + 12 * 3600;
  options.lookback = {{"x", 20 * 86400.0}};
  const auto expected = build_snapshot(clean, options);
  const auto built = build_snapshot(with_fault, options);
  INFO((built.problems.empty() ? std::string() : built.problems.front()));
  REQUIRE(built.ok());
  REQUIRE(expected.snapshot.inputs.size() == 1);
  REQUIRE(built.snapshot.inputs.size() == 1);
  CHECK(built.snapshot.inputs.front().times == expected.snapshot.inputs.front().times);
  CHECK(built.snapshot.inputs.front().values == expected.snapshot.inputs.front().values);
  CHECK(built.snapshot.inputs.front().times.back() >= day("2025-01-09"));
  // A lookback that reaches the broken row reads it, and fails on it.
  options.lookback = {{"x", 380 * 86400.0}};
  const auto failed = build_snapshot(with_fault, options);
  REQUIRE(failed.problems.size() == 1);
  CHECK(failed.problems.front().find("d.csv:11:12: expected a number") != std::string::npos);
}

TEST_CASE("a data file large enough to be kept or mapped reads as a small one, faults named by their line",
          "[adapters][sources][window]") {
  testing::ScratchFolder folder("read-window-mapped");
  // ~170 KB: read, its text kept while its input is read; ~4.6 MB: mapped (support::MappedFile).
  for (const int days : {10000, 270000}) {
    std::string text = daily_file(days);
    REQUIRE(text.size() > 128 * 1024);
    CHECK((text.size() >= support::MappedFile::kMapFrom) == (days > 10000));
    const std::string last_but_one =
        engine::format_timestamp(day("2024-01-01") + (days - 2) * std::int64_t{86400}).substr(0, 10) + "," + std::to_string(days - 2);
    const Manifest clean = manifest_of(folder, "clean" + std::to_string(days), text);
    text.replace(text.find(last_but_one), last_but_one.size(), last_but_one.substr(0, 11) + "x");
    const Manifest broken = manifest_of(folder, "broken" + std::to_string(days), text);
    BuildOptions options;
    options.as_of = day("2024-01-01") + days * std::int64_t{86400};
    options.lookback = {{"x", 20 * 86400.0}};
    const auto built = build_snapshot(clean, options);
    REQUIRE(built.ok());
    REQUIRE(built.snapshot.inputs.size() == 1);
    const auto& input = built.snapshot.inputs.front();
    CHECK(input.values.back() == days - 1);
    CHECK(input.times.back() == day("2024-01-01") + (days - 1) * std::int64_t{86400});
    // The same rows as the whole file read as text by the reader itself.
    const SeriesRead whole = read_generic_csv(daily_file(days), "d.csv", clean.sources.front().mapping);
    REQUIRE(whole.ok());
    CHECK(std::equal(input.values.begin(), input.values.end(), whole.values.end() - static_cast<std::ptrdiff_t>(input.values.size())));
    // The line of a fault in the newest rows is counted through the whole text when it is named.
    const auto failed = build_snapshot(broken, options);
    REQUIRE(failed.problems.size() == 1);
    CHECK(failed.problems.front().find("d.csv:" + std::to_string(days) + ":12: expected a number") != std::string::npos);
  }
}

TEST_CASE("a fault in a windowed read names its exact line, the skipped lines counted only for it",
          "[adapters][readers][window]") {
  const std::string text = daily_file(400);
  const ReadWindow window{day("2025-01-10"), 30 * 86400.0};
  CsvMapping mapping;
  // A clean read numbers its rows without counting the lines it skipped; line() counts them.
  const SeriesRead clean = read_generic_csv(text, "d.csv", mapping, window);
  REQUIRE(clean.ok());
  CHECK(clean.lines.front() == 2);  // the first row after the header, 343 lines skipped
  CHECK(clean.line(0) == 345);
  CHECK(clean.line(clean.lines.size()) == 0);  // past the rows: no line
  // Every message naming a row inside the window names the line a whole read names.
  std::string duplicated = text;
  duplicated.replace(duplicated.find("2024-12-26,360"), 14, "2024-12-25,360");
  const std::string duplicate_message =
      "d.csv:362:1: duplicate time 2024-12-25T00:00:00Z (line 361 has it too)";
  CHECK(first_problem(read_generic_csv(duplicated, "d.csv", mapping)) == duplicate_message);
  CHECK(first_problem(read_generic_csv(duplicated, "d.csv", mapping, window)) == duplicate_message);
  std::string undated = text;
  undated.replace(undated.find("2025-01-03,368"), 14, "2025-01-3x,368");
  const std::string undated_message = "d.csv:370:1: expected a date like `%Y-%m-%d`, found `2025-01-3x`";
  CHECK(first_problem(read_generic_csv(undated, "d.csv", mapping)) == undated_message);
  CHECK(first_problem(read_generic_csv(undated, "d.csv", mapping, window)) == undated_message);
  std::string narrow = text;
  narrow.replace(narrow.find("2025-01-02,367"), 14, "2025-01-02");
  const SeriesRead cut = read_generic_csv(narrow, "d.csv", mapping, window);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.problems.front().line == 369);
  CHECK(cut.problems.front().text() == first_problem(read_generic_csv(narrow, "d.csv", mapping)));
}

TEST_CASE("a value that scales out of the finite numbers in a windowed read names its line",
          "[adapters][sources][window]") {
  testing::ScratchFolder folder("read-window-scale");
  std::string text = daily_file(400);
  text.replace(text.find("2025-01-02,367"), 14, "2025-01-02,1e300");
  const Manifest manifest = manifest_of(folder, "huge", text, "1e10");
  BuildOptions options;
  options.as_of = day("2025-01-10") + 12 * 3600;
  options.lookback = {{"x", 20 * 86400.0}};
  const auto built = build_snapshot(manifest, options);
  REQUIRE_FALSE(built.problems.empty());
  INFO(built.problems.front());
  CHECK(built.problems.front().find("d.csv:369: the value 1e+300 times `scale` 1e+10 is not a finite number") !=
        std::string::npos);
}

TEST_CASE("an unordered file is read and checked whole, then keeps the rows its window needs",
          "[adapters][readers][window]") {
  // daily_file(400)'s rows out of order: the newest first, 2024-12-20 (day 354) after the oldest.
  const std::string ordered = daily_file(400);
  std::vector<std::string> rows;
  for (std::size_t at = ordered.find('\n') + 1; at < ordered.size(); at = ordered.find('\n', at) + 1) {
    rows.push_back(ordered.substr(at, ordered.find('\n', at) + 1 - at));
  }
  std::string text = "Date,Close\n" + rows[399];
  for (int k = 0; k < 399; ++k) text += k == 354 ? "" : rows[k];
  text += rows[354];
  CsvMapping mapping;
  mapping.unordered = true;
  const SeriesRead whole = read_generic_csv(text, "d.csv", mapping);
  REQUIRE(whole.ok());
  REQUIRE(whole.times.size() == 400);
  // The same rows as from the file in order: 2024-12-09 on, each with its line in this file.
  const ReadWindow window{day("2025-01-10") + 3600, 30 * 86400.0};
  const SeriesRead read = read_through_window(text, mapping, window, whole, day("2024-12-09"));
  CHECK(read.times.size() == 57);  // 2024-12-09 to 2025-02-03
  CHECK(read.line(0) == 346);      // day 343: line 3 + 343 (the newest row is line 2)
  // Every row is still read and checked: a duplicate long before the window is refused.
  CHECK(first_problem(read_generic_csv(text + "2024-01-10,9\n", "d.csv", mapping, window)) ==
        "d.csv:402:1: duplicate time 2024-01-10T00:00:00Z (line 12 has it too)");
}

// An unordered file mostly in order (rows appended out of place at its end): its ordered rows are
// merged with its sorted tail, stably, so every row lands where a sort of the whole puts it, and a
// time given twice names the earlier line, whichever part each is in.
TEST_CASE("an unordered file in order but for its last rows is read as if sorted whole", "[adapters][readers][window]") {
  const std::string ordered = daily_file(400);
  CsvMapping mapping;
  mapping.unordered = true;
  const SeriesRead sorted = read_generic_csv(ordered, "d.csv", mapping);
  REQUIRE(sorted.ok());
  // Day 354 (line 356) and day 10 (line 12) moved to the end: lines 400 and 401.
  std::string text = ordered;
  text.erase(text.find("2024-12-20,354\n"), 15);
  text.erase(text.find("2024-01-11,10\n"), 14);
  text += "2024-12-20,354\n2024-01-11,10\n";
  const SeriesRead read = read_generic_csv(text, "d.csv", mapping);
  REQUIRE(read.ok());
  CHECK(read.times == sorted.times);
  CHECK(read.values == sorted.values);
  CHECK(read.line(10) == 401);
  CHECK(read.line(11) == 12);
  CHECK(read.line(354) == 400);
  // A time twice, once among the ordered rows and once at the end: the later line is refused.
  CHECK(first_problem(read_generic_csv(text + "2024-01-05,9\n", "d.csv", mapping)) ==
        "d.csv:402:1: duplicate time 2024-01-05T00:00:00Z (line 6 has it too)");
  CHECK(first_problem(read_generic_csv(text + "2024-12-20,9\n", "d.csv", mapping)) ==
        "d.csv:402:1: duplicate time 2024-12-20T00:00:00Z (line 400 has it too)");
}

// The window's search dates each row by its date cell alone; with the date in another column than
// the first, or quotes before it, the cell is the one a whole read takes.
TEST_CASE("a windowed read finds the date cell wherever it is, quotes and blanks included",
          "[adapters][readers][window]") {
  CsvMapping mapping;
  mapping.date_column = "Date";
  mapping.value_column = "Close";
  std::string text = "Close,Note,Date\n";
  for (int k = 0; k < 400; ++k) {
    const std::string date = engine::format_timestamp(day("2024-01-01") + k * std::int64_t{86400}).substr(0, 10);
    // Every third row quotes a note holding the delimiter, and pads its date with blanks.
    text += std::to_string(k) + (k % 3 == 0 ? ",\"a, b\", " + date + " \n" : ",n," + date + "\n");
  }
  const SeriesRead whole = read_generic_csv(text, "d.csv", mapping);
  REQUIRE(whole.ok());
  REQUIRE(whole.times.size() == 400);
  const SeriesRead read = read_through_window(text, mapping, ReadWindow{day("2025-01-10"), 30 * 86400.0}, whole,
                                              day("2024-12-09"));
  CHECK(read.times.size() == 57);
  // A last row without the date column is no row to date: the search steps over it as before.
  std::string short_last = text + "1,n\n";
  CHECK(first_problem(read_generic_csv(short_last, "d.csv", mapping, ReadWindow{day("2025-01-10"), 30 * 86400.0})) ==
        "d.csv:402:4: expected 3 fields as in the header, found 2 (truncated row?)");
}
