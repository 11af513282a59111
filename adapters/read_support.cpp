#include "adapters/read_support.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "support/time.hpp"

namespace riskoff::adapters::detail {

// The whole cell must be a finite number: "12abc", "1e999" and "" are not numbers.
bool parse_number(std::string cell, double& value, bool decimal_comma, bool thousands, bool percent) {
  if (percent && !cell.empty() && cell.back() == '%') cell.pop_back();
  if (thousands) cell.erase(std::remove(cell.begin(), cell.end(), decimal_comma ? '.' : ','), cell.end());
  if (decimal_comma) std::replace(cell.begin(), cell.end(), ',', '.');
  if (cell.empty()) return false;
  const char* first = cell.data();
  if (*first == '+') ++first;
  const auto [end, ec] = std::from_chars(first, cell.data() + cell.size(), value);
  return ec == std::errc() && end == cell.data() + cell.size() && std::isfinite(value);
}

// %Y %m %d %H %M %S and literal characters; "unix" (seconds) and "unix_ms" (milliseconds, or
// microseconds when 16 digits long). Anything after a
// complete date-time that is `+00:00` or `Z` is accepted as UTC.
bool parse_time(std::string_view cell, std::string_view format, engine::Timestamp& time) {
  if (format == "unix" || format == "unix_ms") {
    long long value = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (ec != std::errc() || end != cell.data() + cell.size()) return false;
    // Binance's bulk files switched from milliseconds to microseconds in 2025: 16 digits.
    if (format == "unix_ms") time = value >= 100000000000000LL ? value / 1000000 : value / 1000;
    else time = value;
    return true;
  }
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::size_t at = 0;
  for (std::size_t k = 0; k < format.size(); ++k) {
    if (format[k] == '%' && k + 1 < format.size()) {
      const char spec = format[++k];
      const std::size_t width = spec == 'Y' ? 4 : 2;
      unsigned value = 0;
      std::size_t read = 0;
      // Month and day may have one digit ("2019.3.30").
      while (read < width && at < cell.size() && std::isdigit(static_cast<unsigned char>(cell[at]))) {
        value = value * 10 + static_cast<unsigned>(cell[at++] - '0');
        ++read;
      }
      if (read == 0 || (spec == 'Y' && read != 4)) return false;
      if (spec == 'Y') year = static_cast<int>(value);
      else if (spec == 'm') month = value;
      else if (spec == 'd') day = value;
      else if (spec == 'H') hour = value;
      else if (spec == 'M') minute = value;
      else if (spec == 'S') second = value;
      else return false;
    } else {
      if (at >= cell.size() || cell[at] != format[k]) return false;
      ++at;
    }
  }
  // A trailing UTC offset (`Z`, `+00:00`, `-04:00`) converts the local time to UTC.
  std::string_view rest = cell.substr(at);
  long offset_seconds = 0;
  if (rest == "Z") {
    rest = {};
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(rest[1])) && std::isdigit(static_cast<unsigned char>(rest[2])) &&
             std::isdigit(static_cast<unsigned char>(rest[4])) && std::isdigit(static_cast<unsigned char>(rest[5]))) {
    offset_seconds = ((rest[1] - '0') * 10 + (rest[2] - '0')) * 3600L + ((rest[4] - '0') * 10 + (rest[5] - '0')) * 60L;
    if (rest[0] == '-') offset_seconds = -offset_seconds;
    rest = {};
  }
  if (!rest.empty()) return false;
  const auto parsed = support::utc_from_civil({year, month, day, hour, minute, second});
  if (!parsed) return false;
  time = *parsed - offset_seconds;
  return true;
}

std::size_t field_column(std::string_view line, char delimiter, std::size_t field) {
  std::size_t at = 0;
  bool quoted = false;
  for (std::size_t seen = 0; seen < field && at < line.size(); ++at) {
    if (line[at] == '"') quoted = !quoted;  // a doubled quote toggles twice: still inside
    else if (line[at] == delimiter && !quoted) ++seen;
  }
  while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
  std::size_t column = 1;
  for (std::size_t k = 0; k < at; ++k) {
    if ((static_cast<unsigned char>(line[k]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

}  // namespace riskoff::adapters::detail
