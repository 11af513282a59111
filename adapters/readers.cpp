#include "adapters/readers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "adapters/clock.hpp"
#include "adapters/read_support.hpp"
#include "support/checked.hpp"
#include "support/time.hpp"

namespace riskoff::adapters {
namespace {

using detail::field_column;
using detail::Builder;
using detail::parse_time;
using detail::backticked;
using detail::error_body;

struct Line {
  std::size_t number;
  std::string_view text;
};

// Lines without terminators (\n or \r\n), a UTF-8 byte-order mark removed from the first.
std::vector<Line> lines_of(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Line> lines;
  std::size_t number = 1;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back({number++, line});
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  while (!lines.empty() && lines.back().text.find_first_not_of(" \t") == std::string_view::npos) lines.pop_back();
  return lines;
}

std::string_view trimmed(std::string_view field) {
  const auto first = field.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return field.substr(first, field.find_last_not_of(" \t") - first + 1);
}

// Fields of one CSV line; double quotes protect delimiters, "" is a quote inside quotes, and
// blanks around a field are dropped. A field without quotes is a view into the line (the
// common case, no copy); one with quotes is unquoted into `unquoted`, reserved to the line's
// size so the views into it stay valid. One CsvRow is reused for every line of a file. Fields
// are kept as split and trimmed when read: a reader looks at two fields of a row of seven.
struct CsvRow {
  std::vector<std::string_view> fields;
  std::string unquoted;
  std::size_t size() const { return fields.size(); }
  std::string_view operator[](std::size_t index) const { return trimmed(fields[index]); }
};

void split_csv(std::string_view line, char delimiter, CsvRow& row) {
  row.fields.clear();
  row.unquoted.clear();
  if (line.find('"') == std::string_view::npos) {
    // No quotes (nearly every row of every provider): the delimiters alone split it.
    for (std::size_t start = 0;;) {
      const std::size_t end = line.find(delimiter, start);
      if (end == std::string_view::npos) {
        row.fields.push_back(line.substr(start));
        return;
      }
      row.fields.push_back(line.substr(start, end - start));
      start = end + 1;
    }
  }
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

// Reads a date,value CSV by header names (or, without a header, by column numbers).
// `lines` are lines_of(text), which the provider readers have already split to look at the header.
SeriesRead read_csv_columns(std::string_view text, const std::vector<Line>& lines, std::string_view file,
                            const CsvMapping& mapping, const std::vector<std::string>& missing_markers,
                            bool allow_newest_first) {
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
  std::vector<std::string> header;
  if (mapping.header) {
    const Line& header_line = lines[mapping.skip_lines];
    header = split_csv(header_line.text, mapping.delimiter);
    date_column = column_index(header, mapping.date_column);
    value_column = column_index(header, mapping.value_column);
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
  for (std::size_t index = mapping.skip_lines + (mapping.header ? 1 : 0); index < lines.size(); ++index) {
    const Line& line = lines[index];
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
      continue;
    }
    detail::WallTime wall;
    engine::Timestamp time = 0;
    bool read = detail::parse_wall_time(fields[date_column], mapping.date_format, wall);
    if (read && session_dates) {
      // The session's own date: a Tokyo bar `2024-09-20 00:00:00+09:00` is the 20 Sep session.
      time = wall.wall - ((wall.wall % 86400) + 86400) % 86400;
    } else if (read) {
      time = wall.offset_seconds ? wall.wall - *wall.offset_seconds : zone ? zone->to_utc(wall.wall) : wall.wall;
    }
    if (!read || !detail::in_time_range(time)) {
      builder.problem(line.number, field_column(line.text, mapping.delimiter, date_column),
                      "expected a date like " + backticked(mapping.date_format) + ", found " + backticked(fields[date_column]));
      continue;
    }
    const std::string_view cell = fields[value_column];
    if (std::find(missing_markers.begin(), missing_markers.end(), cell) != missing_markers.end()) {
      builder.missing();
      continue;
    }
    double value = 0;
    if (const auto why = detail::number_problem(cell, style, value); !why.empty()) {
      builder.problem(line.number, field_column(line.text, mapping.delimiter, value_column),
                      "expected a number in column " + backticked(header[value_column]) + ", found " + backticked(cell) +
                          " (" + why + ")");
      continue;
    }
    builder.add(time, value, line.number);
  }
  SeriesRead out = builder.finish();
  out.session_dates = session_dates;
  return out;
}

}  // namespace

std::string ReadProblem::text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (column > 0) out += ":" + std::to_string(column);
  return out + ": " + message;
}

SeriesRead read_fred_csv(std::string_view text, std::string_view file) {
  // The header is `DATE,ID` (before December 2024) or `observation_date,ID`: read by position.
  const auto lines = lines_of(text);
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
  return read_csv_columns(text, lines, file, mapping, {".", ""}, false);
}

SeriesRead read_yahoo_csv(std::string_view text, std::string_view file, std::string_view column) {
  CsvMapping mapping;
  // Daily files say `Date`, intraday files `Datetime`. yfinance also writes daily bars under
  // `Datetime`, each at the exchange's local midnight (`2022-01-04 00:00:00+09:00`): those are
  // session dates, known at the session's close, not instants known at midnight (before the
  // session opened, and on the previous UTC day east of UTC).
  const auto lines = lines_of(text);
  if (!lines.empty() && lines.front().text.starts_with("Datetime")) {
    mapping.date_column = "Datetime";
    bool all_midnight = lines.size() > 1;
    for (std::size_t k = 1; k < lines.size() && all_midnight; ++k) {
      const std::string_view row = lines[k].text;
      // A row too short to hold a time is malformed: the column reader reports it by row.
      all_midnight = row.empty() || (row.size() >= 19 && row.substr(10, 9) == " 00:00:00");
    }
    if (!all_midnight) mapping.date_format = "%Y-%m-%d %H:%M:%S";
  }
  mapping.value_column = std::string(column);
  SeriesRead read = read_csv_columns(text, lines, file, mapping, {"null", ""}, false);
  if (column != "Close" || !read.ok()) return read;
  // The bar's opens, for execution at the next open: a file without the column has none.
  mapping.value_column = "Open";
  const SeriesRead opens = read_csv_columns(text, lines, file, mapping, {"null", ""}, false);
  if (!opens.ok()) return read;
  read.opens.assign(read.times.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t k = 0, j = 0; k < read.times.size(); ++k) {
    while (j < opens.times.size() && opens.times[j] < read.times[k]) ++j;
    if (j < opens.times.size() && opens.times[j] == read.times[k]) read.opens[k] = opens.values[j];
  }
  return read;
}

SeriesRead read_stooq_csv(std::string_view text, std::string_view file, std::string_view column) {
  CsvMapping mapping;
  mapping.value_column = std::string(column);
  // Old captures use YYYYMMDD dates.
  const auto lines = lines_of(text);
  if (lines.size() > 1 && lines[1].text.size() >= 8 && lines[1].text[4] != '-') mapping.date_format = "%Y%m%d";
  return read_csv_columns(text, lines, file, mapping, {}, false);
}

SeriesRead read_cboe_csv(std::string_view text, std::string_view file) {
  CsvMapping mapping;
  mapping.date_column = "DATE";
  mapping.value_column = "CLOSE";
  const auto lines = lines_of(text);
  if (lines.size() > 1 && lines[1].text.size() > 2 && lines[1].text[2] == '/') mapping.date_format = "%m/%d/%Y";
  return read_csv_columns(text, lines, file, mapping, {}, false);
}

SeriesRead read_generic_csv(std::string_view text, std::string_view file, const CsvMapping& mapping) {
  return read_csv_columns(text, lines_of(text), file, mapping, mapping.missing, true);
}

}  // namespace riskoff::adapters
