// Plain-text layout for the replay's reports (text_layout.hpp).
#include "backtest/text_layout.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "support/json_writer.hpp"

namespace riskoff::backtest {

std::string upper(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return text;
}

std::string printf_text(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string pct(double fraction) { return printf_text("%+.1f%%", fraction * 100); }
std::string pct_plain(double fraction) { return printf_text("%.1f%%", fraction * 100); }
std::string sharpe_text(double sharpe) { return std::isfinite(sharpe) ? printf_text("%.2f", sharpe) : "n/a"; }
std::string csv_number(double value) { return std::isfinite(value) ? support::json_number(value) : ""; }
std::string days(double value) { return printf_text("%.0fd", value); }

std::size_t shown_width(const std::string& text) {
  std::size_t n = 0;
  for (const unsigned char ch : text) n += (ch & 0xC0) != 0x80;
  return n;
}

std::string pad(std::string text, std::size_t width) {
  const std::size_t shown = shown_width(text);
  if (shown < width) text.append(width - shown, ' ');
  return text;
}

std::string lpad(const std::string& text, std::size_t width) {
  const std::size_t shown = shown_width(text);
  return shown < width ? std::string(width - shown, ' ') + text : text;
}

std::string wrap(const std::string& head, const std::string& text, std::size_t indent) {
  std::string out;
  std::string line = head;
  bool line_has_words = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    const std::string word = text.substr(start, space - start);
    start = space + 1;
    if (word.empty()) continue;
    if (line_has_words && shown_width(line) + 1 + shown_width(word) > kTextWidth) {
      out += line + "\n";
      line = std::string(indent, ' ') + word;
    } else {
      line += (line_has_words ? " " : "") + word;
    }
    line_has_words = true;
  }
  return out + line + "\n";
}

}  // namespace riskoff::backtest
