// What the provider readers share (readers.cpp): reading one cell as a number or a time, and
// collecting observations into a SeriesRead with honest ordering. Internal to adapters/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/readers.hpp"
#include "support/time.hpp"

namespace riskoff::adapters::detail {

// `text` in backticks, cut at 60 bytes: user input in messages.
std::string backticked(std::string_view text);
// A provider that answers HTTP 200 with an error page (HTML, `No data`, a limit, an error
// object): what to say instead of "bad header"; "" when the text does not look like one.
std::string error_body(std::string_view text);
// A layout another reader option reads (a yfinance multi-index CSV, CBOE's old vixcurrent.csv
// with its banner), from the file's first two lines: the option to use; "" when none is known.
std::string layout_hint(std::string_view first_line, std::string_view second_line);

// How a file writes its numbers (CsvMapping's locale flags); the default is "1234.5".
struct NumberStyle {
  bool decimal_comma = false;  // "4,25" is 4.25 (and `.` groups thousands)
  bool thousands = false;      // "7,408.30": groups of exactly 3 digits
  bool percent = false;        // "1.00%": a trailing `%` is dropped
};

// The whole cell must be a finite number in the style's grammar (read_support.cpp): "12abc",
// "4.", "1e999", "nan" and "" are not numbers. Returns why not ("" when it is one).
std::string number_problem(std::string_view cell, const NumberStyle& style, double& value);
bool parse_number(std::string_view cell, double& value, const NumberStyle& style = {});

// The instants a snapshot can hold (years 0000 to 9999): a time outside is a misread, and keeps
// every shift and difference of times far from overflowing.
inline constexpr engine::Timestamp kFirstTime = -62167219200;  // 0000-01-01T00:00:00Z
inline constexpr engine::Timestamp kLastTime = 253402300799;   // 9999-12-31T23:59:59Z
bool in_time_range(engine::Timestamp time);

// %Y %m %d %H %M %S and literal characters; "unix" (seconds) and "unix_ms" (milliseconds, or
// microseconds when 16 digits long). Anything after a complete date-time that is `+00:00` or
// `Z` is accepted as UTC.
bool parse_time(std::string_view cell, std::string_view format, engine::Timestamp& time);

// A cell's time as written: the wall time (as if UTC), and the UTC offset when the cell has one.
// A date-only format also accepts a time of day after the date (` 00:00:00`, `T09:30:00`), as
// yfinance writes daily bars at local midnight with the exchange's offset.
struct WallTime {
  engine::Timestamp wall = 0;
  std::optional<long> offset_seconds;
};
bool parse_wall_time(std::string_view cell, std::string_view format, WallTime& time);
// A format with no time of day (no %H) and not unix: its times are session dates.
bool is_date_only(std::string_view format);

// How many times `byte` occurs in `text`: the line number of a row found without reading the rows
// before it (16 bytes a step where SSE2 is there, as on every x86-64).
std::size_t count_byte(std::string_view text, char byte);

// The 1-based character column (code points, as editors count) where field `field` (0-based) of a
// CSV line starts, its leading blanks skipped, with split_csv's quoting; past the end of the line
// when the line has fewer fields. What a `file:line:col` problem points at.
std::size_t field_column(std::string_view line, char delimiter, std::size_t field);

// Collects observations, keeping the order honest: times must strictly increase, unless the
// whole file runs newest first (some providers), in which case it is reversed at the end.
class Builder {
 public:
  explicit Builder(std::string_view file, bool allow_newest_first = false, bool unordered = false)
      : file_(file), allow_newest_first_(allow_newest_first), unordered_(unordered) {}

  // Rows from here on are numbered as if the lines `skipped` were not there (a windowed read):
  // a problem's line number counts them only when it is made.
  void number_after(std::string_view skipped) { result_.skipped = SkippedLines(skipped); }
  // The number a message shows for a row's line (the skipped lines counted).
  std::size_t line_shown(std::size_t line) const { return result_.skipped.shift(line); }
  void problem(std::size_t line, std::size_t column, std::string message) {
    if (result_.problems.size() < 20) result_.problems.push_back({file_, result_.skipped.shift(line), column, std::move(message)});
  }
  void missing() { ++result_.missing; }
  // Rows read from the end of a file found oldest first there (a windowed read): its first
  // rows read do not decide its order, as they would from its start.
  void expect_oldest_first() { allow_newest_first_ = false; }
  // No observations is the provider's answer, not a fault of the file (see SeriesRead).
  void empty_because(std::string reason) { result_.empty_because = std::move(reason); }
  // An unordered file's rows are all read, checked and sorted as without a window; then only the
  // ones the window needs are kept (ReadWindow, chosen as narrow_to_window chooses them in a
  // sorted file), so the rows long before it cost no clock and no copy downstream.
  void keep_window(const ReadWindow& window) { window_ = window; }
  // About how many rows an unordered file has (all held until sorted): one allocation instead of
  // a doubling vector's copies, each into fresh pages; pages reserved but never written are
  // never touched.
  void expect_rows(std::size_t rows) {
    if (unordered_) pending_.reserve(rows);
  }
  void add(engine::Timestamp time, double value, std::size_t line) {
    if (!support::in_supported_years(time)) {
      problem(line, 1, "time " + std::to_string(time) + " (unix seconds) is outside the years 0000 to 9999");
      return;
    }
    if (unordered_) {
      pending_.push_back({time, value, line});
      return;
    }
    if (accepted_ > 0) {
      const engine::Timestamp previous = previous_.time;
      if (time == previous) {
        problem(line, 1, "duplicate time " + engine::format_timestamp(time) + " (line " +
                             std::to_string(result_.skipped.shift(previous_.line)) + " has it too)");
        return;
      }
      const bool descending = time < previous;
      if (accepted_ == 1 && descending && allow_newest_first_) newest_first_ = true;
      if (descending != newest_first_) {
        problem(line, 1, std::string("time ") + engine::format_timestamp(time) + " is out of order after " +
                             engine::format_timestamp(previous) + "; expected " +
                             (newest_first_ ? "newest first" : "oldest first") + " throughout");
        return;
      }
    }
    previous_ = {time, value, line};
    ++accepted_;
    if (dropping_) return;
    result_.times.push_back(time);
    result_.values.push_back(value);
    result_.lines.push_back(line);
  }
  SeriesRead finish() {
    if (unordered_) {
      // A file said to be unordered is mostly in order (an export sorted since the manifest was
      // written, rows appended out of order at its end): only the rows from its first step back
      // are sorted, then merged into the ordered ones before them. Both steps are stable, so the
      // rows end as a stable sort of the whole would leave them (equal times in file order: the
      // duplicate's message names the same line), for a comparison a row of the ordered part
      // instead of a merge sort of it.
      const auto by_time = [](const Pending& a, const Pending& b) { return a.time < b.time; };
      const auto disorder = std::is_sorted_until(pending_.begin(), pending_.end(), by_time);
      if (disorder != pending_.end()) {
        std::stable_sort(disorder, pending_.end(), by_time);
        std::inplace_merge(pending_.begin(), disorder, pending_.end(), by_time);
      }
      unordered_ = false;
      const std::size_t from = window_ ? first_needed() : 0;
      result_.times.reserve(pending_.size() - from);
      result_.values.reserve(pending_.size() - from);
      result_.lines.reserve(pending_.size() - from);
      for (std::size_t k = 0; k < pending_.size(); ++k) {
        dropping_ = k < from;  // checked as every row is (a duplicate is still refused), not kept
        add(pending_[k].time, pending_[k].value, pending_[k].line);
      }
      dropping_ = false;
    }
    if (newest_first_) {
      std::reverse(result_.times.begin(), result_.times.end());
      std::reverse(result_.values.begin(), result_.values.end());
      std::reverse(result_.lines.begin(), result_.lines.end());
    }
    if (result_.problems.empty() && result_.times.empty() && result_.empty_because.empty()) {
      problem(0, 0, "no observations in the file");
    }
    return std::move(result_);
  }

 private:
  struct Pending {
    engine::Timestamp time;
    double value;
    std::size_t line;
  };
  // The first of the sorted rows the window needs: from the newest, the anchor (the last row
  // dated by anchor_by, or anchor_at_least when later), the rows back to reach before it, the
  // last row before those and the one before it; 0 (every row) when the rows do not reach back
  // that far. The same rows narrow_to_window (read_window.hpp) keeps of a file in order.
  std::size_t first_needed() const {
    std::optional<engine::Timestamp> anchor;
    bool reference_seen = false;
    for (std::size_t k = pending_.size(); k-- > 0;) {
      if (reference_seen) return k;
      const engine::Timestamp time = pending_[k].time;
      if (!anchor && time <= window_->anchor_by) anchor = std::max(time, window_->anchor_at_least);
      reference_seen = anchor && static_cast<double>(time) < static_cast<double>(*anchor) - window_->reach;
    }
    return 0;
  }
  std::string file_;
  bool allow_newest_first_;
  bool unordered_;
  std::optional<ReadWindow> window_;
  Pending previous_{};      // the last row taken, and how many were
  std::size_t accepted_ = 0;
  bool dropping_ = false;
  std::vector<Pending> pending_;
  bool newest_first_ = false;
  SeriesRead result_;
};

}  // namespace riskoff::adapters::detail
