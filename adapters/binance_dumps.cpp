// data.binance.vision's bulk dumps: klines, funding rates and the futures `metrics` file. They
// are plain comma-separated numbers without quoting; since 2025 the spot files count time in
// microseconds. Each is read as the CSV inside its monthly or daily `.zip` (adapters/zip_member).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>

#include "adapters/read_support.hpp"
#include "adapters/read_window.hpp"
#include "adapters/readers.hpp"

namespace riskoff::adapters {
namespace {

using detail::backticked;
using detail::Builder;

struct Row {
  std::size_t line;
  std::string_view text;
  std::span<const std::string_view> fields;
};

// A file's rows, their fields in one vector (one allocation a file, not one a row).
class Rows {
 public:
  // Moved, the vectors keep their storage and the views into it; a copy would not.
  Rows() = default;
  Rows(Rows&&) = default;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  bool empty() const { return rows_.empty(); }
  std::size_t size() const { return rows_.size(); }
  const Row& front() const { return rows_.front(); }
  const Row& operator[](std::size_t index) const { return rows_[index]; }

 private:
  friend Rows rows_of(std::string_view text, std::size_t number);
  std::vector<std::string_view> cells_;
  std::vector<Row> rows_;
};

// A row as wide as the header, or a positioned problem: a short row must not shift columns.
bool has_header_width(const Row& row, const Row& header, Builder& builder) {
  if (row.fields.size() == header.fields.size()) return true;
  builder.problem(row.line, detail::field_column(row.text, ',', std::min(row.fields.size(), header.fields.size())),
                  "expected " + std::to_string(header.fields.size()) + " fields as in the header, found " +
                      std::to_string(row.fields.size()));
  return false;
}

// Lines (\n or \r\n, a byte-order mark dropped) cut at every comma; blank lines are skipped.
// The first is line `number` + 1 of its file.
Rows rows_of(std::string_view text, std::size_t number = 0) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  Rows out;
  std::vector<std::size_t> ends;  // where each row's fields end in cells_
  // Sized once from the lines and the first line's fields (rows of a dump are alike): the vectors
  // would otherwise grow by copies, for each of the ~80 monthly files of an input.
  const std::size_t lines = detail::count_byte(text, '\n') + 1;
  const std::string_view first_line = text.substr(0, text.find('\n'));
  out.rows_.reserve(lines);
  ends.reserve(lines);
  out.cells_.reserve(lines * (static_cast<std::size_t>(std::count(first_line.begin(), first_line.end(), ',')) + 1));
  while (!text.empty()) {
    ++number;
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    for (std::size_t start = 0;;) {
      const std::size_t comma = line.find(',', start);
      out.cells_.push_back(line.substr(start, comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    out.rows_.push_back({number, line, {}});
    ends.push_back(out.cells_.size());
  }
  // The fields are viewed once cells_ has stopped growing.
  for (std::size_t k = 0, from = 0; k < out.rows_.size(); from = ends[k++]) {
    out.rows_[k].fields = std::span<const std::string_view>(out.cells_.data() + from, ends[k] - from);
  }
  return out;
}

// A funding row's time: calc_time is a few milliseconds after the funding instant, stamped on
// the minute.
bool funding_time(std::string_view cell, engine::Timestamp& time) {
  if (!detail::parse_time(cell, "unix_ms", time)) return false;
  time = time / 60 * 60;
  return true;
}

bool integer(std::string_view cell, long long& out) {
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), out);
  return ec == std::errc() && end == cell.data() + cell.size();
}

// The column of `name` in a header row, or npos.
std::size_t find_column(const Row& header, std::string_view name) {
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    if (header.fields[k] == name) return k;
  }
  return std::string::npos;
}

std::string hours_text(double hours) {
  // Whole hours, what every dump has, as %g writes them, without snprintf's ~1,700 instructions
  // (once per monthly file).
  if (hours > 0 && hours < 1e6 && hours == static_cast<double>(static_cast<long>(hours))) {
    return std::to_string(static_cast<long>(hours)) + "h";
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%gh", hours);
  return buffer;
}

// A CSV that is not a dump at all: an error page, or one of the other dumps by mistake.
bool refuse_other_text(std::string_view text, Builder& builder) {
  if (const auto body = detail::error_body(text); !body.empty()) {
    builder.problem(0, 0, body);
    return true;
  }
  return false;
}

}  // namespace

SeriesRead read_binance_klines_csv(std::string_view text, std::string_view file, engine::Timestamp now) {
  Builder builder(file);
  if (refuse_other_text(text, builder)) return builder.finish();
  const auto rows = rows_of(text);
  constexpr std::size_t kFields = 12;  // open_time .. ignore, in both layouts
  std::size_t first = 0;
  // The futures dumps since 2022 have a header; spot and older futures dumps have none. A first
  // row is a header only if it names the columns: a bar is never taken for one.
  if (!rows.empty() && !rows.front().fields.empty() && rows.front().fields.front() == "open_time") {
    const Row& header = rows.front();
    if (header.fields.size() != kFields || find_column(header, "close") != 4 || find_column(header, "close_time") != 6) {
      builder.problem(header.line, 1, "expected the klines header `open_time,open,high,low,close,volume,close_time,...` "
                                      "(12 columns), found " + backticked(header.text));
      return builder.finish();
    }
    first = 1;
  }
  for (std::size_t index = first; index < rows.size(); ++index) {
    const Row& row = rows[index];
    if (row.fields.size() != kFields) {
      builder.problem(row.line, detail::field_column(row.text, ',', std::min(row.fields.size(), kFields)),
                      "expected a kline of 12 fields (open_time,open,high,low,close,volume,close_time,...), found " +
                          std::to_string(row.fields.size()) + (index == 0 ? " (is this a klines dump?)" : ""));
      continue;
    }
    long long close_time = 0;
    // Below 10^18: µs of the year 9999 are 2.5 * 10^17, and adding a unit cannot overflow.
    if (!integer(row.fields[6], close_time) || close_time < 0 || close_time >= 1'000'000'000'000'000'000LL) {
      builder.problem(row.line, detail::field_column(row.text, ',', 6),
                      "expected the close time in ms or µs since 1970, found " + backticked(row.fields[6]));
      continue;
    }
    double close = 0;
    if (const auto why = detail::number_problem(row.fields[4], {}, close); !why.empty()) {
      builder.problem(row.line, detail::field_column(row.text, ',', 4),
                      "expected the close price, found " + backticked(row.fields[4]) + " (" + why + ")");
      continue;
    }
    // The close time is the bar's last millisecond (or microsecond): the bar ends one unit
    // later, on a whole second.
    const long long unit = close_time >= 100000000000000LL ? 1000000 : 1000;
    const engine::Timestamp end = (close_time + unit) / unit;
    if (!detail::in_time_range(end)) {
      builder.problem(row.line, detail::field_column(row.text, ',', 6), "close time " + std::string(row.fields[6]) +
                                                                            " is outside the years 0000 to 9999");
      continue;
    }
    if (end > now) continue;  // the bar still in progress: its close is only the latest price
    builder.add(end, close, row.line);
  }
  return builder.finish();
}

SeriesRead read_binance_funding_csv(std::string_view text, std::string_view file, std::optional<double> per_hours,
                                    const std::optional<ReadWindow>& window) {
  Builder builder(file);
  if (refuse_other_text(text, builder)) return builder.finish();
  // The header is the first line that is not blank; the rows follow, all of them or the ones a
  // window needs.
  detail::LineCursor lines{detail::content_of(text)};
  detail::Line first{1, {}};
  while (lines.next(first) && first.text.find_first_not_of(" \t") == std::string_view::npos) {
  }
  const Rows head = rows_of(first.text, first.number - 1);
  const Row* header = head.empty() ? nullptr : &head.front();
  const std::size_t time_at = header ? find_column(*header, "calc_time") : std::string::npos;
  const std::size_t interval_at = header ? find_column(*header, "funding_interval_hours") : std::string::npos;
  const std::size_t rate_at = header ? find_column(*header, "last_funding_rate") : std::string::npos;
  if (time_at == std::string::npos || interval_at == std::string::npos || rate_at == std::string::npos) {
    builder.problem(header ? header->line : 0, 1,
                    "expected the funding header `calc_time,funding_interval_hours,last_funding_rate`, found " +
                        (header ? backticked(header->text) : std::string("nothing")));
    return builder.finish();
  }
  std::string_view skipped;
  if (window) {
    const auto dated = [&](std::string_view line, engine::Timestamp& time) {
      std::size_t start = 0;
      for (std::size_t k = 0; k < time_at && start != std::string_view::npos; ++k) {
        start = line.find(',', start);
        if (start != std::string_view::npos) ++start;
      }
      return start != std::string_view::npos && funding_time(line.substr(start, line.find(',', start) - start), time);
    };
    detail::narrow_to_window(lines, *window, dated, skipped);
  }
  builder.number_after(skipped);
  const Rows rows = rows_of(lines.rest(), lines.number - 1);
  // Where the interval changes: "8h at lines 2-90, 4h from line 91". Written only when it does:
  // a row's line as shown counts the lines a window skipped.
  double interval = 0;
  std::vector<std::pair<double, std::size_t>> runs;  // each interval and the line it starts at
  bool mixed = false;
  for (std::size_t index = 0; index < rows.size(); ++index) {
    const Row& row = rows[index];
    if (!has_header_width(row, *header, builder)) continue;
    engine::Timestamp time = 0;
    if (!funding_time(row.fields[time_at], time)) {
      builder.problem(row.line, detail::field_column(row.text, ',', time_at),
                      "expected `calc_time` in ms since 1970, found " + backticked(row.fields[time_at]));
      continue;
    }
    double hours = 0;
    if (!detail::parse_number(row.fields[interval_at], hours) || hours <= 0 || hours > 24) {
      builder.problem(row.line, detail::field_column(row.text, ',', interval_at),
                      "expected `funding_interval_hours` between 1 and 24, found " + backticked(row.fields[interval_at]));
      continue;
    }
    double rate = 0;
    if (const auto why = detail::number_problem(row.fields[rate_at], {}, rate); !why.empty()) {
      builder.problem(row.line, detail::field_column(row.text, ',', rate_at),
                      "expected a number in column `last_funding_rate`, found " + backticked(row.fields[rate_at]) + " (" +
                          why + ")");
      continue;
    }
    if (hours != interval) {
      if (interval != 0) mixed = true;
      runs.emplace_back(hours, row.line);
      interval = hours;
    }
    // A rate per `hours` is `per / hours` times as much per `per`: funding accrues linearly.
    if (per_hours) rate *= *per_hours / hours;
    builder.add(time, rate, row.line);
  }
  if (mixed && !per_hours) {
    std::string changes;
    for (const auto& [hours, line] : runs) {
      changes += (changes.empty() ? "" : ", ") + hours_text(hours) + " from line " + std::to_string(builder.line_shown(line));
    }
    builder.problem(0, 0, "the funding interval changes within the file (" + changes +
                              "): a series must have one interval; declare `per` (e.g. \"8h\") to scale every rate to it");
  }
  SeriesRead read = builder.finish();
  if (per_hours) read.per = hours_text(*per_hours);
  else if (interval != 0 && !mixed) read.per = hours_text(interval);
  return read;
}

SeriesRead read_binance_metrics_csv(std::string_view text, std::string_view file, std::string_view column) {
  Builder builder(file);
  if (refuse_other_text(text, builder)) return builder.finish();
  const auto rows = rows_of(text);
  const Row* header = rows.empty() ? nullptr : &rows.front();
  const std::size_t time_at = header ? find_column(*header, "create_time") : std::string::npos;
  const std::size_t value_at = header ? find_column(*header, column) : std::string::npos;
  if (time_at == std::string::npos || value_at == std::string::npos) {
    builder.problem(header ? header->line : 0, 1,
                    "expected a metrics header with `create_time` and " + backticked(column) +
                        " (`create_time,symbol,sum_open_interest,sum_open_interest_value,...`), found " +
                        (header ? backticked(header->text) : std::string("nothing")));
    return builder.finish();
  }
  for (std::size_t index = 1; index < rows.size(); ++index) {
    const Row& row = rows[index];
    if (!has_header_width(row, *header, builder)) continue;
    engine::Timestamp time = 0;
    if (!detail::parse_time(row.fields[time_at], "%Y-%m-%d %H:%M:%S", time)) {
      builder.problem(row.line, detail::field_column(row.text, ',', time_at),
                      "expected `create_time` like `2024-01-01 00:05:00` (UTC), found " + backticked(row.fields[time_at]));
      continue;
    }
    // An empty cell is a gap in Binance's statistics, not a zero.
    if (row.fields[value_at].empty()) {
      builder.missing();
      continue;
    }
    double value = 0;
    if (const auto why = detail::number_problem(row.fields[value_at], {}, value); !why.empty()) {
      builder.problem(row.line, detail::field_column(row.text, ',', value_at),
                      "expected a number in column " + backticked(column) + ", found " + backticked(row.fields[value_at]) +
                          " (" + why + ")");
      continue;
    }
    builder.add(time, value, row.line);
  }
  return builder.finish();
}

}  // namespace riskoff::adapters
