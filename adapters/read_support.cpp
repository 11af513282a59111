#include "adapters/read_support.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "support/time.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace riskoff::adapters::detail {

bool in_time_range(engine::Timestamp time) { return time >= kFirstTime && time <= kLastTime; }

namespace {

// '0' to '9', what std::isdigit accepts in every locale, without its call for the locale's table
// (every character of every number and date of a file comes through here).
bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

// Powers of ten a double holds exactly: a cell of at most 15 digits without exponent is its
// digits as an integer (below 2^53, exact) divided by one of these, and that one IEEE division
// rounds correctly, to the double from_chars gives (Clinger's fast path). Nearly every price, rate
// and count in a data file is one; from_chars cost ~250 instructions a cell.
constexpr double kExactPowers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
constexpr int kExactDigits = 15;

}  // namespace

std::string backticked(std::string_view text) {
  std::string shown(text.substr(0, 60));
  return "`" + shown + (text.size() > 60 ? "..." : "") + "`";
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
  // Rate limits and refusals as plain text (Yahoo answers 429 with `Edge: Too Many Requests`).
  if (head.find("Too Many Requests") != std::string_view::npos || head.starts_with("429")) {
    return "the provider's rate limit was hit (`Too Many Requests`): wait, or send fewer requests";
  }
  if (head.starts_with("400 Bad Request") || head.starts_with("Bad Request")) return "the provider refused the request (`Bad Request`): check the symbol, range and interval";
  if (head.starts_with("{")) {
    const std::string shown(text.substr(0, 160));
    // Each provider's JSON error, named, so the message says who refused and why.
    if (text.find("\"Note\"") != std::string_view::npos || text.find("\"Information\"") != std::string_view::npos) {
      return "Alpha Vantage answered with a notice instead of data (a rate limit or a premium endpoint): " + shown;
    }
    if (text.find("\"Error Message\"") != std::string_view::npos) return "Alpha Vantage answered with an error: " + shown;
    if (text.find("\"error_code\"") != std::string_view::npos && text.find("429") != std::string_view::npos) {
      return "the provider's rate limit was hit (429): " + shown;
    }
    if (text.find("\"detail\"") != std::string_view::npos) return "the provider answered with an error (`detail`): " + shown;
    if (text.find("\"error\"") != std::string_view::npos || text.find("\"msg\"") != std::string_view::npos) {
      return "the provider answered with an error object: " + shown;
    }
  }
  return {};
}

std::string layout_hint(std::string_view first_line, std::string_view second_line) {
  auto starts = [](std::string_view line, std::string_view prefix) { return line.starts_with(prefix); };
  // yfinance >= 0.2.51 writes a column MultiIndex: `Price,Close,...`, `Ticker,SPY,...`, `Date,,,`.
  if (starts(first_line, "Price,") && starts(second_line, "Ticker,")) {
    std::size_t number = 1;
    std::size_t close = 0;
    for (std::size_t at = 0, start = 0; at <= first_line.size(); ++at) {
      if (at == first_line.size() || first_line[at] == ',') {
        if (first_line.substr(start, at - start) == "Close" && close == 0) close = number;
        ++number;
        start = at + 1;
      }
    }
    return "this is a yfinance multi-index CSV (header rows `Price`, `Ticker`, `Date`): the `csv` reader with "
           "`skip_lines: 2`, `value_column: \"" + std::to_string(close == 0 ? 2 : close) + "\"` (Close) reads it";
  }
  // A headerless data.binance.vision klines dump: its first bar is no header.
  if (std::count(first_line.begin(), first_line.end(), ',') == 11 && first_line.size() > 13 &&
      std::all_of(first_line.begin(), first_line.begin() + 13, [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return "the first line is a bar of a headerless Binance klines dump, not a header: the `binance_klines_csv` reader reads it";
  }
  // CBOE's old vixcurrent.csv: a banner line, then `Date,VIX Open,VIX High,VIX Low,VIX Close`.
  if (starts(second_line, "Date,VIX Open")) {
    return "this is an old CBOE vixcurrent.csv (a banner line first): the `csv` reader with `skip_lines: 1`, "
           "`date_format: \"%m/%d/%Y\"`, `value_column: \"VIX Close\"` reads it";
  }
  return {};
}


// The grammar, one for every reader: [+-] digits [. digits] [(e|E) [+-] digits], the whole cell.
// With thousands separators the integer part may instead be grouped: 1 to 3 digits, then groups
// of exactly 3 ("7,408.30"; "4,26" is refused, it is no grouping). With a decimal comma the two
// characters swap ("7.408,30"), so a stray "4.26" is refused rather than read as 426. "4.",
// ".5", "1e", "nan", "inf" and anything after the number are refused: no partial numbers.
std::string number_problem(std::string_view cell, const NumberStyle& style, double& value) {
  if (style.percent && !cell.empty() && cell.back() == '%') cell.remove_suffix(1);
  const char decimal = style.decimal_comma ? ',' : '.';
  const char group = style.decimal_comma ? '.' : ',';
  auto digit = [&](std::size_t at) { return at < cell.size() && is_digit(cell[at]); };
  // The grammar is checked in place; only a number with separators to drop is copied.
  std::size_t at = 0;
  if (at < cell.size() && (cell[at] == '+' || cell[at] == '-')) ++at;
  const std::size_t sign_end = at;
  if (!digit(at)) {
    std::string word(cell.substr(at));
    for (auto& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (word == "nan" || word == "inf" || word == "infinity") return "not a finite number";
    return "a number starts with a digit";
  }
  std::size_t run = 0;
  bool grouped = false;
  // The digits as an integer while they are read (exact up to kExactDigits of them).
  std::uint64_t mantissa = 0;
  int digits = 0;
  int fraction = 0;  // of them after the decimal separator
  const auto take = [&](std::size_t at_digit) {
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(cell[at_digit] - '0');
    ++digits;
  };
  for (; at < cell.size(); ++at) {
    if (digit(at)) {
      take(at);
      ++run;
    } else if (cell[at] == group && style.thousands) {
      if ((grouped && run != 3) || (!grouped && run > 3)) break;
      grouped = true;
      run = 0;
    } else {
      break;
    }
  }
  if (grouped && run != 3) {
    return std::string("a thousands separator `") + group + "` must be followed by exactly 3 digits";
  }
  if (at < cell.size() && cell[at] == decimal) {
    if (!digit(++at)) return std::string("the decimal `") + decimal + "` must be followed by digits";
    for (; digit(at); ++at, ++fraction) take(at);
  }
  const bool exponent = at < cell.size() && (cell[at] == 'e' || cell[at] == 'E');
  if (exponent) {
    ++at;
    if (at < cell.size() && (cell[at] == '+' || cell[at] == '-')) ++at;
    if (!digit(at)) return "an exponent needs digits";
    while (digit(at)) ++at;
  }
  if (at != cell.size()) {
    if (cell[at] == group) {
      return std::string("`") + group + (style.thousands ? "` is misplaced: thousands groups have 3 digits"
                                                        : "` is not allowed: thousands_separators is off");
    }
    if (cell[at] == ',' || cell[at] == '.') return std::string("`") + cell[at] + "` is not the decimal separator here";
    return "unexpected `" + std::string(1, cell[at]) + "` after the number";
  }
  if (!exponent && digits <= kExactDigits) {
    const double magnitude = static_cast<double>(mantissa) / kExactPowers[fraction];
    value = cell.front() == '-' ? -magnitude : magnitude;
    return {};
  }
  // from_chars reads no `+`; the sign of a `-` stays. Group separators go, a decimal comma
  // becomes a point.
  std::string_view number = cell.substr(cell.front() == '+' ? 1 : 0);
  std::string plain;
  if (grouped || style.decimal_comma) {
    if (cell.front() == '-') plain += '-';
    for (std::size_t k = sign_end; k < cell.size(); ++k) {
      if (cell[k] == group) continue;
      plain += cell[k] == decimal ? '.' : cell[k];
    }
    number = plain;
  }
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value)) {
    return "the number is too large to be finite";
  }
  return {};
}

bool parse_number(std::string_view cell, double& value, const NumberStyle& style) {
  return number_problem(cell, style, value).empty();
}

// %Y %m %d %H %M %S and literal characters; "unix" (seconds) and "unix_ms" (milliseconds, or
// microseconds when 16 digits long). Anything after a
// complete date-time that is `+00:00` or `Z` is accepted as UTC.
bool is_date_only(std::string_view format) {
  return format != "unix" && format != "unix_ms" && format.find("%H") == std::string_view::npos;
}

bool parse_wall_time(std::string_view cell, std::string_view format, WallTime& out) {
  if (format == "unix" || format == "unix_ms") {
    long long value = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (ec != std::errc() || end != cell.data() + cell.size()) return false;
    // Binance's bulk files switched from milliseconds to microseconds in 2025: 16 digits.
    if (format == "unix_ms") out.wall = value >= 100000000000000LL ? value / 1000000 : value / 1000;
    else out.wall = value;
    out.offset_seconds = 0;
    return in_time_range(out.wall);
  }
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::size_t at = 0;
  auto digits = [&](std::size_t width, unsigned& value) {
    std::size_t read = 0;
    value = 0;
    while (read < width && at < cell.size() && is_digit(cell[at])) {
      value = value * 10 + static_cast<unsigned>(cell[at++] - '0');
      ++read;
    }
    return read;
  };
  // The formats nearly every file has, at fixed positions; any other shape of cell (one-digit
  // months, a missing field) goes through the general reading below, with the same result.
  const auto fixed = [&](std::size_t from, std::size_t width) {
    unsigned value = 0;
    for (std::size_t k = from; k < from + width; ++k) {
      if (cell[k] < '0' || cell[k] > '9') return -1;
      value = value * 10 + static_cast<unsigned>(cell[k] - '0');
    }
    return static_cast<int>(value);
  };
  const bool with_time = format.size() > 8;
  const bool date_first = format == "%Y-%m-%d" || format == "%Y-%m-%d %H:%M:%S";
  bool done = false;
  if (date_first && cell.size() >= (with_time ? 19u : 10u) && cell[4] == '-' && cell[7] == '-' &&
      (!with_time || (cell[10] == ' ' && cell[13] == ':' && cell[16] == ':'))) {
    const int y = fixed(0, 4), mo = fixed(5, 2), d = fixed(8, 2);
    const int h = with_time ? fixed(11, 2) : 0, mi = with_time ? fixed(14, 2) : 0, se = with_time ? fixed(17, 2) : 0;
    if (y >= 0 && mo >= 0 && d >= 0 && h >= 0 && mi >= 0 && se >= 0) {
      year = y;
      month = static_cast<unsigned>(mo);
      day = static_cast<unsigned>(d);
      hour = static_cast<unsigned>(h);
      minute = static_cast<unsigned>(mi);
      second = static_cast<unsigned>(se);
      at = with_time ? 19 : 10;
      done = true;
    }
  }
  for (std::size_t k = 0; k < format.size() && !done; ++k) {
    if (format[k] == '%' && k + 1 < format.size()) {
      const char spec = format[++k];
      unsigned value = 0;
      // Month and day may have one digit ("2019.3.30").
      const std::size_t read = digits(spec == 'Y' ? 4 : 2, value);
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
  // A date-only format: a time of day written after the date is the stamp's, not the format's.
  if (at + 9 <= cell.size() && (cell[at] == ' ' || cell[at] == 'T') && cell[at + 3] == ':' && cell[at + 6] == ':' &&
      is_date_only(format)) {
    ++at;
    unsigned value = 0;
    if (digits(2, value) != 2) return false;
    hour = value;
    if (cell[at++] != ':' || digits(2, value) != 2) return false;
    minute = value;
    if (cell[at++] != ':' || digits(2, value) != 2) return false;
    second = value;
  }
  // A trailing UTC offset (`Z`, `+00:00`, `-04:00`).
  std::string_view rest = cell.substr(at);
  out.offset_seconds.reset();
  if (rest == "Z") {
    out.offset_seconds = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             is_digit(rest[1]) && is_digit(rest[2]) && is_digit(rest[4]) && is_digit(rest[5])) {
    long offset = ((rest[1] - '0') * 10 + (rest[2] - '0')) * 3600L + ((rest[4] - '0') * 10 + (rest[5] - '0')) * 60L;
    out.offset_seconds = rest[0] == '-' ? -offset : offset;
  } else if (!rest.empty()) {
    return false;
  }
  const auto parsed = support::utc_from_civil({year, month, day, hour, minute, second});
  if (!parsed) return false;
  out.wall = *parsed;
  return true;
}

// The instant a cell names: its wall time less its offset (UTC without one).
bool parse_time(std::string_view cell, std::string_view format, engine::Timestamp& time) {
  WallTime wall;
  if (!parse_wall_time(cell, format, wall)) return false;
  time = wall.wall - wall.offset_seconds.value_or(0);
  return in_time_range(time);
}

}  // namespace riskoff::adapters::detail

namespace riskoff::adapters {

std::size_t SkippedLines::count() const {
  if (!count_) count_ = detail::count_byte(text_, '\n');
  return *count_;
}

}  // namespace riskoff::adapters

namespace riskoff::adapters::detail {

std::size_t count_byte(std::string_view text, char byte) {
  std::size_t count = 0;
  std::size_t at = 0;
#if defined(__SSE2__)
  const __m128i wanted = _mm_set1_epi8(byte);
  const __m128i zero = _mm_setzero_si128();
  while (text.size() - at >= 16) {
    // Per-byte counters (a match is -1, subtracted) summed before any can pass 255.
    __m128i counters = zero;
    for (int step = 0; step < 255 && text.size() - at >= 16; ++step, at += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
      counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(bytes, wanted));
    }
    const __m128i sums = _mm_sad_epu8(counters, zero);
    count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) + static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; at < text.size(); ++at) count += text[at] == byte ? 1 : 0;
  return count;
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
