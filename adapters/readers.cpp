#include "adapters/readers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <nlohmann/json.hpp>

#include "adapters/read_support.hpp"
#include "support/checked.hpp"
#include "support/time.hpp"

namespace riskoff::adapters {
namespace {

using nlohmann::json;
using detail::field_column;
using detail::Builder;
using detail::parse_number;
using detail::parse_time;

std::string backticked(std::string_view text) {
  std::string shown(text.substr(0, 60));
  return "`" + shown + (text.size() > 60 ? "..." : "") + "`";
}

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

// A provider that answers HTTP 200 with an error page: say so instead of "bad header".
std::string error_body(std::string_view text) {
  std::string_view head = text.substr(0, 200);
  const auto first = head.find_first_not_of(" \t\r\n");
  head = first == std::string_view::npos ? std::string_view() : head.substr(first);
  if (head.empty()) return "the file is empty";
  if (head.starts_with("<") ) return "the file is an HTML page, not data (a provider error or anti-bot page)";
  if (head.starts_with("No data") || head.starts_with("Brak danych")) return "the provider answered `No data` (unknown symbol or empty range)";
  if (head.find("Exceeded the daily hits limit") != std::string_view::npos) return "the provider's daily request limit was exceeded";
  if (head.starts_with("{") && text.find("\"error\"") != std::string_view::npos) return "the provider answered with an error object: " + std::string(text.substr(0, 160));
  return {};
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
    builder.problem(header_line.number, 1,
                    "expected columns " + backticked(mapping.date_column) + " and " + backticked(mapping.value_column) +
                        " in the header, found " + header_list(header));
    return builder.finish();
  }
  for (std::size_t index = mapping.skip_lines + 1; index < lines.size(); ++index) {
    const Line& line = lines[index];
    if (line.text.empty()) continue;
    const auto fields = split_csv(line.text, mapping.delimiter);
    if (fields.size() <= std::max(date_column, value_column)) {
      builder.problem(line.number, field_column(line.text, mapping.delimiter, fields.size()),
                      "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(fields.size()) +
                          " (truncated row?)");
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
    if (!parse_number(cell, value, mapping.decimal_comma, mapping.thousands_separators, mapping.percent_suffix)) {
      builder.problem(line.number, field_column(line.text, mapping.delimiter, value_column),
                      "expected a number in column " + backticked(header[value_column]) + ", found " + backticked(cell));
      continue;
    }
    builder.add(time, value, line.number);
  }
  return builder.finish();
}

// The document, or (in `failure`) why the text is not one: an error page, or JSON's own message.
std::optional<json> load_json(std::string_view text, std::string_view file, SeriesRead& failure) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    std::string what = e.what();
    if (const auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
    const std::string body = error_body(text);
    Builder builder(file);
    builder.problem(0, 0, body.empty() ? "not valid JSON: " + what : body);
    failure = builder.finish();
    return std::nullopt;
  }
}

bool json_number(const json& value, double& out) {
  // Providers send numbers as strings ("0.00010000") or numbers; both are read exactly.
  if (value.is_number()) {
    out = value.get<double>();
    return std::isfinite(out);
  }
  return value.is_string() && parse_number(value.get<std::string>(), out);
}

bool json_time_ms(const json& value, engine::Timestamp& out) {
  long long raw = 0;
  if (value.is_number_integer()) raw = value.get<long long>();
  else if (value.is_string()) {
    const auto text = value.get<std::string>();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), raw);
    if (ec != std::errc() || end != text.data() + text.size()) return false;
  } else {
    return false;
  }
  // 16 digits: microseconds (Binance bulk files since 2025); 13: milliseconds.
  out = raw >= 100000000000000LL ? raw / 1000000 : raw / 1000;
  return true;
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

SeriesRead read_fred_json(std::string_view text, std::string_view file) {
  SeriesRead failure;
  const auto loaded = load_json(text, file, failure);
  if (!loaded) return failure;
  const json& document = *loaded;
  if (!document.is_object()) {
    Builder failed(file);
    failed.problem(0, 0, "expected a JSON object with `observations`");
    return failed.finish();
  }
  const auto observations = document.find("observations");
  if (observations == document.end() || !observations->is_array()) {
    Builder failed(file);
    const auto message = document.find("error_message");
    failed.problem(0, 0, message != document.end() ? "FRED answered with an error: " + message->dump()
                                                   : "expected `observations` (an array); is `file_type=json` set?");
    return failed.finish();
  }
  // The API may be asked for newest first (`sort_order=desc`): accept either order.
  Builder ordered(file, true);
  for (std::size_t index = 0; index < observations->size(); ++index) {
    const json& row = (*observations)[index];
    const auto date = row.find("date");
    const auto value = row.find("value");
    engine::Timestamp time = 0;
    if (date == row.end() || !date->is_string() || !parse_time(date->get<std::string>(), "%Y-%m-%d", time)) {
      ordered.problem(0, 0, "observations[" + std::to_string(index) + "]: expected `date` as YYYY-MM-DD");
      continue;
    }
    if (value == row.end() || (value->is_string() && value->get<std::string>() == ".")) {
      ordered.missing();
      continue;
    }
    double number = 0;
    if (!json_number(*value, number)) {
      ordered.problem(0, 0, "observations[" + std::to_string(index) + "] (" + date->get<std::string>() +
                                "): expected a number as a string, found " + value->dump());
      continue;
    }
    ordered.add(time, number, index + 1);
  }
  return ordered.finish();
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

SeriesRead read_yahoo_chart_json(std::string_view text, std::string_view file, std::string_view field) {
  Builder builder(file);
  SeriesRead failure;
  const auto loaded = load_json(text, file, failure);
  if (!loaded) return failure;
  const json& document = *loaded;
  const json* result = nullptr;
  if (document.contains("chart")) {
    const json& chart = document["chart"];
    if (chart.contains("error") && !chart["error"].is_null()) {
      builder.problem(0, 0, "Yahoo answered with an error: " + chart["error"].dump());
      return builder.finish();
    }
    if (chart.contains("result") && chart["result"].is_array() && !chart["result"].empty()) result = &chart["result"][0];
  } else if (document.contains("finance")) {
    builder.problem(0, 0, "Yahoo answered with an error: " + document["finance"].dump() +
                              " (the CSV download endpoint needs a login since 2024; use /v8/finance/chart)");
    return builder.finish();
  }
  if (result == nullptr) {
    builder.problem(0, 0, "expected `chart.result[0]`");
    return builder.finish();
  }
  const json& stamps = (*result)["timestamp"];
  const json* quote = nullptr;
  if (result->contains("indicators") && (*result)["indicators"].contains("quote") &&
      !(*result)["indicators"]["quote"].empty()) {
    quote = &(*result)["indicators"]["quote"][0];
  }
  if (!stamps.is_array() || quote == nullptr || !quote->contains(std::string(field)) ||
      !(*quote)[std::string(field)].is_array() || (*quote)[std::string(field)].size() != stamps.size()) {
    builder.problem(0, 0, "expected `timestamp` and `indicators.quote[0]." + std::string(field) + "` arrays of equal length");
    return builder.finish();
  }
  const json& values = (*quote)[std::string(field)];
  // Daily bars are stamped at the session open; the exchange's UTC offset gives their date.
  long long offset = 0;
  bool daily = false;
  if (result->contains("meta")) {
    const json& meta = (*result)["meta"];
    if (meta.contains("gmtoffset") && meta["gmtoffset"].is_number_integer()) offset = meta["gmtoffset"].get<long long>();
    if (meta.contains("dataGranularity") && meta["dataGranularity"].is_string()) {
      const auto granularity = meta["dataGranularity"].get<std::string>();
      daily = granularity == "1d" || granularity == "5d" || granularity == "1wk" || granularity == "1mo";
    }
  }
  for (std::size_t index = 0; index < stamps.size(); ++index) {
    if (!stamps[index].is_number_integer()) {
      builder.problem(0, 0, "timestamp[" + std::to_string(index) + "]: expected unix seconds");
      continue;
    }
    engine::Timestamp time = stamps[index].get<long long>();
    if (daily) {
      // Checked: both numbers are the provider's, and INT64_MAX + offset is undefined behaviour.
      const auto local = support::checked_add<engine::Timestamp>(time, offset);
      if (!local || !support::in_supported_years(*local)) {
        builder.problem(0, 0, "timestamp[" + std::to_string(index) + "]: " + std::to_string(time) + " with gmtoffset " +
                                  std::to_string(offset) + " is outside the years 0000 to 9999");
        continue;
      }
      time = *local / 86400 * 86400;
    }
    if (values[index].is_null()) {
      builder.missing();
      continue;
    }
    double number = 0;
    if (!json_number(values[index], number)) {
      builder.problem(0, 0, std::string(field) + "[" + std::to_string(index) + "]: expected a number, found " + values[index].dump());
      continue;
    }
    builder.add(time, number, index + 1);
  }
  return builder.finish();
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

SeriesRead read_binance_klines_json(std::string_view text, std::string_view file, engine::Timestamp now) {
  Builder builder(file);
  SeriesRead failure;
  const auto loaded = load_json(text, file, failure);
  if (!loaded) return failure;
  const json& document = *loaded;
  if (!document.is_array()) {
    builder.problem(0, 0, document.contains("msg") ? "Binance answered with an error: " + document.dump()
                                                   : "expected an array of klines");
    return builder.finish();
  }
  for (std::size_t index = 0; index < document.size(); ++index) {
    const json& bar = document[index];
    engine::Timestamp close_time = 0;
    double close = 0;
    if (!bar.is_array() || bar.size() != 12 || !json_time_ms(bar[6], close_time) || !json_number(bar[4], close)) {
      builder.problem(0, 0, "kline " + std::to_string(index) + ": expected 12 fields with the close at 4 and close time at 6");
      continue;
    }
    // The close time is the bar's last millisecond; stamp the close at the bar's end.
    const engine::Timestamp end = close_time + 1;
    if (end > now) continue;  // the bar still in progress: its close is only the latest price
    builder.add(end, close, index + 1);
  }
  return builder.finish();
}

namespace {

// Binance's record arrays: a millisecond time and a value (a number or a numeric string) per object.
SeriesRead read_json_records(std::string_view text, std::string_view file, const std::string& what,
                             const std::string& time_key, const std::string& value_key) {
  SeriesRead failure;
  const auto loaded = load_json(text, file, failure);
  if (!loaded) return failure;
  const json& document = *loaded;
  Builder builder(file);
  if (!document.is_array()) {
    builder.problem(0, 0, "expected an array of " + what + " records" +
                              (document.contains("msg") ? "; Binance answered with an error: " + document.dump() : ""));
    return builder.finish();
  }
  for (std::size_t index = 0; index < document.size(); ++index) {
    const json& row = document[index];
    engine::Timestamp time = 0;
    double value = 0;
    if (!row.is_object() || !row.contains(time_key) || !json_time_ms(row[time_key], time) || !row.contains(value_key) ||
        !json_number(row[value_key], value)) {
      builder.problem(0, 0, "record " + std::to_string(index) + ": expected `" + time_key + "` (ms) and `" + value_key + "`");
      continue;
    }
    builder.add(time, value, index + 1);
  }
  return builder.finish();
}

}  // namespace

SeriesRead read_binance_funding_json(std::string_view text, std::string_view file) {
  return read_json_records(text, file, "funding", "fundingTime", "fundingRate");
}

SeriesRead read_binance_funding_csv(std::string_view text, std::string_view file) {
  CsvMapping mapping;
  mapping.date_column = "calc_time";
  mapping.date_format = "unix_ms";
  mapping.value_column = "last_funding_rate";
  SeriesRead read = read_csv_columns(text, file, mapping, {}, false);
  // calc_time is a few milliseconds after the funding instant: stamp it on the minute.
  for (auto& time : read.times) time = time / 60 * 60;
  return read;
}

SeriesRead read_binance_open_interest_json(std::string_view text, std::string_view file, std::string_view field) {
  return read_json_records(text, file, "open-interest", "timestamp", std::string(field));
}

SeriesRead read_generic_csv(std::string_view text, std::string_view file, const CsvMapping& mapping) {
  return read_csv_columns(text, file, mapping, {""}, true);
}

}  // namespace riskoff::adapters
