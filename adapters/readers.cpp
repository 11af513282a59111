#include "adapters/readers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

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

// Fields of one CSV line; double quotes protect delimiters, "" is a quote inside quotes.
std::vector<std::string> split_csv(std::string_view line, char delimiter) {
  std::vector<std::string> fields(1);
  bool quoted_field = false;
  for (std::size_t at = 0; at < line.size(); ++at) {
    const char ch = line[at];
    if (quoted_field) {
      if (ch == '"' && at + 1 < line.size() && line[at + 1] == '"') {
        fields.back() += '"';
        ++at;
      } else if (ch == '"') {
        quoted_field = false;
      } else {
        fields.back() += ch;
      }
    } else if (ch == '"') {
      quoted_field = true;
    } else if (ch == delimiter) {
      fields.emplace_back();
    } else {
      fields.back() += ch;
    }
  }
  for (auto& field : fields) {
    const auto first = field.find_first_not_of(" \t");
    const auto last = field.find_last_not_of(" \t");
    field = first == std::string::npos ? std::string() : field.substr(first, last - first + 1);
  }
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

// Reads a date,value CSV by header names.
SeriesRead read_csv_columns(std::string_view text, std::string_view file, const CsvMapping& mapping,
                            const std::vector<std::string>& missing_markers, bool allow_newest_first) {
  Builder builder(file, allow_newest_first, mapping.unordered);
  if (const auto body = error_body(text); !body.empty()) {
    builder.problem(0, 0, body);
    return builder.finish();
  }
  const auto lines = lines_of(text);
  if (lines.size() <= mapping.skip_lines) {
    builder.problem(0, 0, "no header line");
    return builder.finish();
  }
  const Line& header_line = lines[mapping.skip_lines];
  const auto header = split_csv(header_line.text, mapping.delimiter);
  const std::size_t date_column = column_index(header, mapping.date_column);
  const std::size_t value_column = column_index(header, mapping.value_column);
  if (date_column == std::string::npos || value_column == std::string::npos) {
    const std::string hint = detail::layout_hint(lines.front().text, lines.size() > 1 ? lines[1].text : std::string_view());
    builder.problem(header_line.number, 1,
                    "expected columns " + backticked(mapping.date_column) + " and " + backticked(mapping.value_column) +
                        " in the header, found " + header_list(header) + (hint.empty() ? "" : "; " + hint));
    return builder.finish();
  }
  const detail::NumberStyle style{mapping.decimal_comma, mapping.thousands_separators, mapping.percent_suffix};
  for (std::size_t index = mapping.skip_lines + 1; index < lines.size(); ++index) {
    const Line& line = lines[index];
    if (line.text.empty()) continue;
    const auto fields = split_csv(line.text, mapping.delimiter);
    // A row of another width than the header is cut or shifted: its cells may be read from
    // the wrong column, or a value cut short (`6900.1,69`) would pass as a number.
    if (fields.size() != header.size()) {
      const bool short_row = fields.size() < header.size();
      builder.problem(line.number, field_column(line.text, mapping.delimiter, std::min(fields.size(), header.size())),
                      "expected " + std::to_string(header.size()) + " fields as in the header, found " +
                          std::to_string(fields.size()) +
                          (short_row ? " (truncated row?)" : " (an unquoted delimiter inside a value?)"));
      continue;
    }
    engine::Timestamp time = 0;
    if (!parse_time(fields[date_column], mapping.date_format, time)) {
      builder.problem(line.number, field_column(line.text, mapping.delimiter, date_column),
                      "expected a date like " + backticked(mapping.date_format) + ", found " + backticked(fields[date_column]));
      continue;
    }
    const std::string& cell = fields[value_column];
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
  return builder.finish();
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
  return read_csv_columns(text, file, mapping, {".", ""}, false);
}

SeriesRead read_yahoo_csv(std::string_view text, std::string_view file, std::string_view column) {
  CsvMapping mapping;
  // Daily files say `Date`, intraday files `Datetime`.
  const auto lines = lines_of(text);
  if (!lines.empty() && lines.front().text.starts_with("Datetime")) {
    mapping.date_column = "Datetime";
    mapping.date_format = "%Y-%m-%d %H:%M:%S";
  }
  mapping.value_column = std::string(column);
  return read_csv_columns(text, file, mapping, {"null", ""}, false);
}

SeriesRead read_stooq_csv(std::string_view text, std::string_view file, std::string_view column) {
  CsvMapping mapping;
  mapping.value_column = std::string(column);
  // Old captures use YYYYMMDD dates.
  const auto lines = lines_of(text);
  if (lines.size() > 1 && lines[1].text.size() >= 8 && lines[1].text[4] != '-') mapping.date_format = "%Y%m%d";
  return read_csv_columns(text, file, mapping, {}, false);
}

SeriesRead read_cboe_csv(std::string_view text, std::string_view file) {
  CsvMapping mapping;
  mapping.date_column = "DATE";
  mapping.value_column = "CLOSE";
  const auto lines = lines_of(text);
  if (lines.size() > 1 && lines[1].text.size() > 2 && lines[1].text[2] == '/') mapping.date_format = "%m/%d/%Y";
  return read_csv_columns(text, file, mapping, {}, false);
}

SeriesRead read_generic_csv(std::string_view text, std::string_view file, const CsvMapping& mapping) {
  return read_csv_columns(text, file, mapping, {""}, true);
}

}  // namespace riskoff::adapters
