#include "adapters/readers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "adapters/clock.hpp"
#include "adapters/read_support.hpp"
#include "adapters/read_window.hpp"
#include "support/checked.hpp"
#include "support/time.hpp"

namespace riskoff::adapters {
namespace {

using detail::field_column;
using detail::Builder;
using detail::parse_time;
using detail::backticked;
using detail::error_body;
using detail::content_of;
using detail::Line;
using detail::LineCursor;

// The first `count` lines of a file (fewer when it has fewer): what the readers look at to
// choose a layout.
std::vector<Line> head_of(std::string_view text, std::size_t count) {
  std::vector<Line> lines;
  LineCursor cursor{content_of(text)};
  for (Line line; lines.size() < count && cursor.next(line);) lines.push_back(line);
  return lines;
}

std::string_view trimmed(std::string_view field) {
  if (field.empty()) return {};
  // Nearly every cell has no blanks around it: two comparisons instead of two searches.
  const auto blank = [](char ch) { return ch == ' ' || ch == '\t'; };
  if (!blank(field.front()) && !blank(field.back())) return field;
  const auto first = field.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return field.substr(first, field.find_last_not_of(" \t") - first + 1);
}

// Fields of one CSV line; double quotes protect delimiters, "" is a quote inside quotes, and
// blanks around a field are dropped. A field without quotes is a view into the line (the
// common case, no copy); one with quotes is unquoted into `unquoted`, reserved to the line's
// size so the views into it stay valid. One CsvRow is reused for every line of a file. Fields
// are kept as split and trimmed when read: a reader looks at two fields of a row of seven, so
// a line without quotes keeps only its first `wanted` fields and counts the others (size()).
struct CsvRow {
  std::vector<std::string_view> fields;
  std::string unquoted;
  std::size_t count = 0;                          // the line's fields, kept or only counted
  std::size_t wanted = std::string_view::npos;   // fields [0, wanted) are kept
  std::size_t size() const { return count; }
  // A field below `wanted`.
  std::string_view operator[](std::size_t index) const { return trimmed(fields[index]); }
};

// A line without double quotes, split at its delimiters 16 bytes a step (x86-64 always has SSE2):
// most rows are a date and a few numbers, and a search call per field cost more than the field.
// A line's last partial block is read as the 16 bytes ending the line, the bytes already read
// shifted out, rather than byte by byte (a row of 70 bytes had 6 of them). False, with nothing
// kept, when the line has a quote: split_csv's general reading takes it.
bool split_plain(std::string_view line, char delimiter, CsvRow& row) {
  const char* data = line.data();
  const std::size_t size = line.size();
  std::vector<std::string_view>& fields = row.fields;
  const std::size_t wanted = row.wanted;
  std::size_t start = 0;
  std::size_t count = 1;
  auto delimiter_at = [&](std::size_t at) {
    if (fields.size() < wanted) fields.emplace_back(data + start, at - start);
    start = at + 1;
    ++count;
  };
  std::size_t at = 0;
#if defined(__SSE2__)
  if (size >= 16) {
    const __m128i delimiters = _mm_set1_epi8(delimiter);
    const __m128i quotes = _mm_set1_epi8('"');
    for (; at < size; at += 16) {
      const std::size_t block = size - at >= 16 ? at : size - 16;  // the last: the line's final 16 bytes
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + block));
      const unsigned seen = static_cast<unsigned>(at - block);  // bytes of the block already read
      if ((static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quotes))) >> seen) != 0) return false;
      auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, delimiters))) >> seen;
      if (fields.size() >= wanted) {
        for (; mask != 0; mask &= mask - 1) ++count;  // a few delimiters: no call for a bit count
        continue;
      }
      for (; mask != 0; mask &= mask - 1) delimiter_at(at + static_cast<std::size_t>(__builtin_ctz(mask)));
    }
  }
#endif
  for (; at < size; ++at) {
    if (data[at] == '"') return false;
    if (data[at] == delimiter) delimiter_at(at);
  }
  if (fields.size() < wanted) fields.emplace_back(data + start, size - start);
  row.count = count;
  return true;
}

void split_csv(std::string_view line, char delimiter, CsvRow& row) {
  row.fields.clear();
  row.unquoted.clear();
  if (split_plain(line, delimiter, row)) return;
  row.fields.clear();
  row.unquoted.reserve(line.size());
  bool quoted = false;
  bool had_quote = false;
  std::size_t start = 0;
  auto finish = [&](std::size_t end) {
    const std::string_view raw = line.substr(start, end - start);
    if (!had_quote) {
      row.fields.push_back(raw);
      return;
    }
    const std::size_t from = row.unquoted.size();
    bool inside = false;
    for (std::size_t at = 0; at < raw.size(); ++at) {
      const char ch = raw[at];
      if (inside && ch == '"' && at + 1 < raw.size() && raw[at + 1] == '"') {
        row.unquoted += '"';
        ++at;
      } else if (ch == '"') {
        inside = !inside;
      } else {
        row.unquoted += ch;
      }
    }
    row.fields.push_back(std::string_view(row.unquoted).substr(from));
  };
  for (std::size_t at = 0; at < line.size(); ++at) {
    const char ch = line[at];
    if (quoted) {
      if (ch == '"' && at + 1 < line.size() && line[at + 1] == '"') ++at;
      else if (ch == '"') quoted = false;
    } else if (ch == '"') {
      quoted = had_quote = true;
    } else if (ch == delimiter) {
      finish(at);
      start = at + 1;
      had_quote = false;
    }
  }
  finish(line.size());
  row.count = row.fields.size();
}

// Field `column` of a CSV line, trimmed, as split_csv gives it, without splitting the fields
// after it: the window's search (narrow_to_window) dates rows by this cell alone, and a date is
// nearly always the first field. A line with a quote before the field's end is split whole (its
// quoting decides where the field is); false when the line has no such field.
bool field_of(std::string_view line, char delimiter, std::size_t column, CsvRow& row, std::string_view& field) {
  std::size_t start = 0;
  std::size_t seen = 0;
  for (std::size_t at = 0; at <= line.size(); ++at) {
    if (at == line.size() || line[at] == delimiter) {
      if (seen == column) {
        field = trimmed(line.substr(start, at - start));
        return true;
      }
      ++seen;
      start = at + 1;
    } else if (line[at] == '"') {
      split_csv(line, delimiter, row);
      if (column >= row.size()) return false;
      field = row[column];
      return true;
    }
  }
  return false;
}

std::vector<std::string> split_csv(std::string_view line, char delimiter) {
  CsvRow row;
  split_csv(line, delimiter, row);
  std::vector<std::string> fields;
  fields.reserve(row.size());
  for (std::size_t k = 0; k < row.size(); ++k) fields.emplace_back(row[k]);
  return fields;
}

std::size_t column_index(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (header[k] == name) return k;
  }
  // A 1-based column number also names a column.
  std::size_t number = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
  if (ec == std::errc() && end == name.data() + name.size() && number >= 1 && number <= header.size()) return number - 1;
  return std::string::npos;
}

std::string header_list(const std::vector<std::string>& header) {
  std::string out;
  for (const auto& name : header) out += (out.empty() ? "" : ", ") + backticked(name);
  return out;
}

// A second value column read in the same pass (Yahoo's `Open` beside `Close`): its own series,
// with its own problems, as if read alone.
struct AlsoColumn {
  std::string_view name;
  SeriesRead read;
};

// Reads a date,value CSV by header names (or, without a header, by column numbers).
// `lines` are the file's first lines (head_of), which the provider readers have already split to
// look at the header; the rows are read from the text itself, from where `window` says.
SeriesRead read_csv_columns(std::string_view text, const std::vector<Line>& lines, std::string_view file,
                            const CsvMapping& mapping, const std::vector<std::string>& missing_markers,
                            bool allow_newest_first, const std::optional<ReadWindow>& window,
                            AlsoColumn* also = nullptr) {
  Builder builder(file, allow_newest_first, mapping.unordered);
  if (const auto body = error_body(text); !body.empty()) {
    builder.problem(0, 0, body);
    return builder.finish();
  }
  // Date-only times are session dates: the local date as written, whatever offset follows it.
  const bool session_dates = detail::is_date_only(mapping.date_format);
  std::optional<TimeZone> zone;
  if (!mapping.tz.empty() && !session_dates) {
    zone = TimeZone::find(mapping.tz);
    if (!zone) {
      builder.problem(0, 0, "unknown time zone " + backticked(mapping.tz));
      return builder.finish();
    }
  }
  if (lines.size() <= mapping.skip_lines) {
    builder.problem(0, 0, mapping.header ? "no header line" : "no data line");
    return builder.finish();
  }
  std::size_t date_column = std::string::npos;
  std::size_t value_column = std::string::npos;
  std::size_t also_column = std::string::npos;
  std::vector<std::string> header;
  if (mapping.header) {
    const Line& header_line = lines[mapping.skip_lines];
    header = split_csv(header_line.text, mapping.delimiter);
    date_column = column_index(header, mapping.date_column);
    value_column = column_index(header, mapping.value_column);
    if (also) also_column = column_index(header, also->name);
    if (date_column == std::string::npos || value_column == std::string::npos) {
      const std::string hint = detail::layout_hint(lines.front().text, lines.size() > 1 ? lines[1].text : std::string_view());
      builder.problem(header_line.number, 1,
                      "expected columns " + backticked(mapping.date_column) + " and " + backticked(mapping.value_column) +
                          " in the header, found " + header_list(header) + (hint.empty() ? "" : "; " + hint));
      return builder.finish();
    }
    // Columns given by number find a "header" in any first row: a first row that reads as a
    // date and a number is data, and taking it for a header would drop it silently.
    engine::Timestamp ignored = 0;
    double number = 0;
    if (parse_time(header[date_column], mapping.date_format, ignored) && detail::parse_number(header[value_column], number)) {
      builder.problem(header_line.number, field_column(header_line.text, mapping.delimiter, date_column),
                      "expected a header line, found data (" + backticked(header[date_column]) +
                          " is a date); a file without a header needs `\"header\": false` and columns by number");
      return builder.finish();
    }
  } else {
    header = split_csv(lines[mapping.skip_lines].text, mapping.delimiter);
    auto number_of = [&](const std::string& name) {
      std::size_t number = 0;
      const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
      return ec == std::errc() && end == name.data() + name.size() && number >= 1 ? number - 1 : std::string::npos;
    };
    date_column = number_of(mapping.date_column);
    value_column = number_of(mapping.value_column);
    if (date_column == std::string::npos || value_column == std::string::npos) {
      builder.problem(0, 0, "without a header, `date_column` and `value_column` are column numbers (`1`, `5`), found " +
                                backticked(mapping.date_column) + " and " + backticked(mapping.value_column));
      return builder.finish();
    }
    if (std::max(date_column, value_column) >= header.size()) {
      builder.problem(lines[mapping.skip_lines].number, 1,
                      "expected at least " + std::to_string(std::max(date_column, value_column) + 1) + " fields, found " +
                          std::to_string(header.size()));
      return builder.finish();
    }
    for (auto& name : header) name = "column " + std::to_string(&name - header.data() + 1);
  }
  const detail::NumberStyle style{mapping.decimal_comma, mapping.thousands_separators, mapping.percent_suffix};
  CsvRow fields;
  fields.wanted = std::max({date_column, value_column, also_column == std::string::npos ? 0 : also_column}) + 1;
  // A row's time, as every row is read; false when its date cell is not one.
  auto row_time = [&](std::string_view cell, engine::Timestamp& time) {
    detail::WallTime wall;
    if (!detail::parse_wall_time(cell, mapping.date_format, wall)) return false;
    // The session's own date: a Tokyo bar `2024-09-20 00:00:00+09:00` is the 20 Sep session.
    if (session_dates) time = wall.wall - ((wall.wall % 86400) + 86400) % 86400;
    else time = wall.offset_seconds ? wall.wall - *wall.offset_seconds : zone ? zone->to_utc(wall.wall) : wall.wall;
    return detail::in_time_range(time);
  };
  const std::string_view content = content_of(text);
  const Line& first_row = lines[mapping.skip_lines];
  LineCursor rows{content, static_cast<std::size_t>(first_row.text.data() - content.data()), first_row.number};
  Line line;
  if (mapping.header) rows.next(line);  // the header, read above
  std::string_view skipped;
  auto dated = [&](std::string_view row, engine::Timestamp& time) {
    std::string_view cell;
    return field_of(row, mapping.delimiter, date_column, fields, cell) && row_time(cell, time);
  };
  const bool from_end = window && !mapping.unordered && detail::narrow_to_window(rows, *window, dated, skipped);
  if (from_end) builder.expect_oldest_first();
  // An unordered file is read whole and sorted; the window then keeps its newest rows. Not with a
  // second column, whose read must keep the same rows as the first.
  if (window && mapping.unordered && !also) builder.keep_window(*window);
  if (mapping.unordered) {
    // Its rows, guessed from the first one's length (a quarter more, as rows vary).
    const std::string_view rest = rows.rest();
    const std::size_t first_length = std::min(rest.find('\n'), rest.size()) + 1;
    builder.expect_rows(rest.size() / std::max<std::size_t>(first_length, 8) * 5 / 4 + 16);
  }
  builder.number_after(skipped);
  std::optional<Builder> also_builder;
  if (also) {
    also_builder.emplace(file, allow_newest_first, mapping.unordered);
    if (from_end) also_builder->expect_oldest_first();
    also_builder->number_after(skipped);
    if (also_column == std::string::npos) also_builder->problem(0, 0, "no column " + backticked(also->name));
  }
  // One cell of a row whose date was read: a value, a missing marker, or a problem.
  auto take_cell = [&](Builder& into, std::size_t column, engine::Timestamp time) {
    const std::string_view cell = fields[column];
    if (std::find(missing_markers.begin(), missing_markers.end(), cell) != missing_markers.end()) {
      into.missing();
      return;
    }
    double value = 0;
    if (const auto why = detail::number_problem(cell, style, value); !why.empty()) {
      into.problem(line.number, field_column(line.text, mapping.delimiter, column),
                   "expected a number in column " + backticked(header[column]) + ", found " + backticked(cell) + " (" +
                       why + ")");
      return;
    }
    into.add(time, value, line.number);
  };
  while (rows.next(line)) {
    if (line.text.empty()) continue;
    split_csv(line.text, mapping.delimiter, fields);
    // A row of another width than the header is cut or shifted: its cells may be read from
    // the wrong column, or a value cut short (`6900.1,69`) would pass as a number.
    if (fields.size() != header.size()) {
      const bool short_row = fields.size() < header.size();
      builder.problem(line.number, field_column(line.text, mapping.delimiter, std::min(fields.size(), header.size())),
                      "expected " + std::to_string(header.size()) + " fields as in " +
                          (mapping.header ? "the header" : "the first row") + ", found " + std::to_string(fields.size()) +
                          (short_row ? " (truncated row?)" : " (an unquoted delimiter inside a value?)"));
      if (also_builder) also_builder->problem(line.number, 0, "a row of another width");
      continue;
    }
    engine::Timestamp time = 0;
    if (!row_time(fields[date_column], time)) {
      builder.problem(line.number, field_column(line.text, mapping.delimiter, date_column),
                      "expected a date like " + backticked(mapping.date_format) + ", found " + backticked(fields[date_column]));
      if (also_builder) also_builder->problem(line.number, 0, "a row without a date");
      continue;
    }
    take_cell(builder, value_column, time);
    if (also_builder && also_column != std::string::npos) take_cell(*also_builder, also_column, time);
  }
  SeriesRead out = builder.finish();
  out.session_dates = session_dates;
  if (also) also->read = also_builder->finish();
  return out;
}

}  // namespace

std::string ReadProblem::text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (column > 0) out += ":" + std::to_string(column);
  return out + ": " + message;
}

SeriesRead read_fred_csv(std::string_view text, std::string_view file, const std::optional<ReadWindow>& window) {
  // The header is `DATE,ID` (before December 2024) or `observation_date,ID`: read by position.
  const auto lines = head_of(text, 2);
  CsvMapping mapping;
  mapping.date_column = "1";
  mapping.value_column = "2";
  if (!lines.empty()) {
    const auto header = split_csv(lines.front().text, ',');
    if (header.size() != 2 || (header[0] != "DATE" && header[0] != "observation_date")) {
      Builder builder(file);
      if (const auto body = error_body(text); !body.empty()) builder.problem(0, 0, body);
      else builder.problem(1, 1, "expected a FRED header `DATE,<SERIES>` or `observation_date,<SERIES>`, found " +
                                     backticked(lines.front().text));
      return builder.finish();
    }
  }
  return read_csv_columns(text, lines, file, mapping, {".", ""}, false, window);
}

SeriesRead read_yahoo_csv(std::string_view text, std::string_view file, std::string_view column,
                          const std::optional<ReadWindow>& window) {
  CsvMapping mapping;
  // Daily files say `Date`, intraday files `Datetime`. yfinance also writes daily bars under
  // `Datetime`, each at the exchange's local midnight (`2022-01-04 00:00:00+09:00`): those are
  // session dates, known at the session's close, not instants known at midnight (before the
  // session opened, and on the previous UTC day east of UTC).
  const auto lines = head_of(text, 2);
  if (!lines.empty() && lines.front().text.starts_with("Datetime")) {
    mapping.date_column = "Datetime";
    // Every row decides how all are read, so every row is looked at, however few are read.
    LineCursor rows{content_of(text)};
    Line row;
    rows.next(row);
    bool all_midnight = lines.size() > 1;
    while (all_midnight && rows.next(row)) {
      // A row too short to hold a time is malformed: the column reader reports it by row.
      all_midnight = row.text.empty() || (row.text.size() >= 19 && row.text.substr(10, 9) == " 00:00:00");
    }
    if (!all_midnight) mapping.date_format = "%Y-%m-%d %H:%M:%S";
  }
  mapping.value_column = std::string(column);
  // The bar's opens, for execution at the next open, read in the same pass: a file without the
  // column, or with any open that does not read, has none.
  AlsoColumn opens{"Open", {}};
  SeriesRead read =
      read_csv_columns(text, lines, file, mapping, {"null", ""}, false, window, column == "Close" ? &opens : nullptr);
  if (column != "Close" || !read.ok() || !opens.read.ok()) return read;
  read.opens.assign(read.times.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t k = 0, j = 0; k < read.times.size(); ++k) {
    while (j < opens.read.times.size() && opens.read.times[j] < read.times[k]) ++j;
    if (j < opens.read.times.size() && opens.read.times[j] == read.times[k]) read.opens[k] = opens.read.values[j];
  }
  return read;
}

SeriesRead read_stooq_csv(std::string_view text, std::string_view file, std::string_view column,
                          const std::optional<ReadWindow>& window) {
  CsvMapping mapping;
  mapping.value_column = std::string(column);
  // Old captures use YYYYMMDD dates.
  const auto lines = head_of(text, 2);
  if (lines.size() > 1 && lines[1].text.size() >= 8 && lines[1].text[4] != '-') mapping.date_format = "%Y%m%d";
  return read_csv_columns(text, lines, file, mapping, {}, false, window);
}

SeriesRead read_cboe_csv(std::string_view text, std::string_view file, const std::optional<ReadWindow>& window) {
  CsvMapping mapping;
  mapping.date_column = "DATE";
  mapping.value_column = "CLOSE";
  const auto lines = head_of(text, 2);
  if (lines.size() > 1 && lines[1].text.size() > 2 && lines[1].text[2] == '/') mapping.date_format = "%m/%d/%Y";
  return read_csv_columns(text, lines, file, mapping, {}, false, window);
}

SeriesRead read_generic_csv(std::string_view text, std::string_view file, const CsvMapping& mapping,
                            const std::optional<ReadWindow>& window) {
  return read_csv_columns(text, head_of(text, mapping.skip_lines + 2), file, mapping, mapping.missing, true, window);
}

}  // namespace riskoff::adapters
