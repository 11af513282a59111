// A text file's lines, and the rows of a sorted file that a windowed read needs (ReadWindow,
// readers.hpp), found from its newest end: what the CSV readers (readers.cpp) and the Binance
// dump readers (binance_dumps.cpp) share. Internal to adapters/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>

#include "adapters/readers.hpp"

namespace riskoff::adapters::detail {

struct Line {
  std::size_t number;
  std::string_view text;
};

// A file's rows: the text without a UTF-8 byte-order mark and without the blank lines (only
// spaces and tabs) at its end, as saved files often have.
inline std::string_view content_of(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  if (last == std::string_view::npos) return {};
  const std::size_t end = text.find('\n', last);
  return end == std::string_view::npos ? text : text.substr(0, end);
}

// The lines of `content` from byte `at` (a line's start), numbered from `number`, without their
// terminators (\n or \r\n); nothing is split ahead of the line asked for.
struct LineCursor {
  std::string_view content;
  std::size_t at = 0;
  std::size_t number = 1;
  bool next(Line& line) {
    if (at >= content.size()) return false;  // content_of() ends with a line, not a terminator
    const std::size_t end = std::min(content.find('\n', at), content.size());
    std::string_view text = content.substr(at, end - at);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line = {number++, text};
    at = end + 1;
    return true;
  }
  // What is left to read.
  std::string_view rest() const { return content.substr(std::min(at, content.size())); }
};

// The rows a read as of an instant needs (ReadWindow), in a sorted file: taking its rows from the
// newest, the last row dated at or before `anchor_by` is the anchor (or `anchor_at_least`, when
// later: another file of the input has that row); the rows back to the anchor less `reach` are
// needed, then the last row before them (a window's reference observation) and the row after it
// in that order, so that the reference's order is still checked. `rows` is narrowed to those
// (from the end of a file oldest first, from its start of one newest first); the others are not
// read: `skipped` gives the lines stepped over, which the rows' numbers leave out until a message
// needs one (SkippedLines). A file that cannot be dated that far from its newest row (every row
// after the anchor, dates that do not read, no order) is read whole. `dated(line, time)` dates a
// row as its reader does (false: not a row with a date). True when the rows were narrowed from
// the end: the file runs oldest first (a file newest first would not narrow so).
template <class Dated>
bool narrow_to_window(LineCursor& rows, const ReadWindow& window, const Dated& dated_row, std::string_view& skipped) {
  const std::string_view content = rows.content;
  auto dated = [&](std::string_view text, engine::Timestamp& time) { return !text.empty() && dated_row(text, time); };
  std::optional<engine::Timestamp> anchor;
  bool reference_seen = false;
  // Each row from the newest: whether it is the last one needed (the one after the reference).
  auto last_needed = [&](std::string_view text) {
    if (text.empty()) return false;
    if (reference_seen) return true;
    engine::Timestamp time = 0;
    if (dated(text, time)) {
      if (!anchor && time <= window.anchor_by) anchor = std::max(time, window.anchor_at_least);
      reference_seen = anchor && static_cast<double>(time) < static_cast<double>(*anchor) - window.reach;
    }
    return false;
  };
  auto line_of = [&](std::size_t start, std::size_t end) {
    std::string_view text = content.substr(start, end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
  };
  // Newest first when the first row is later than the last.
  const std::size_t last_newline = content.rfind('\n');
  const std::size_t last_start = last_newline == std::string_view::npos || last_newline < rows.at ? rows.at : last_newline + 1;
  LineCursor forward = rows;
  Line first;
  engine::Timestamp first_time = 0, last_time = 0;
  if (forward.next(first) && dated(first.text, first_time) && dated(line_of(last_start, content.size()), last_time) &&
      first_time > last_time) {
    for (forward = rows; forward.next(first);) {
      if (last_needed(first.text)) {
        rows.content = content.substr(0, std::min(forward.at - 1, content.size()));
        return false;
      }
    }
    return false;
  }
  // Oldest first: each line back from the end, [start, end), `end` its terminator or the end.
  for (std::size_t end = content.size(); end > rows.at;) {
    const std::size_t newline = content.rfind('\n', end - 1);
    const std::size_t start = newline == std::string_view::npos || newline < rows.at ? rows.at : newline + 1;
    if (last_needed(line_of(start, end))) {
      skipped = content.substr(rows.at, start - rows.at);
      rows.at = start;
      return true;
    }
    if (start == rows.at) return false;
    end = start - 1;
  }
  return false;
}

}  // namespace riskoff::adapters::detail
