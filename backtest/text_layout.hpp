// Plain-text layout shared by the replay's text report and its chart labels: figures as people
// read them, columns padded by characters (the arrows are three bytes each), and words wrapped
// to the report's width.
#pragma once

#include <cstddef>
#include <string>

namespace riskoff::backtest {

// Text reports stay within 100 columns, like explanations.
inline constexpr std::size_t kTextWidth = 100;

std::string upper(std::string text);
std::string printf_text(const char* format, double value);
std::string pct(double fraction);        // "+12.5%"
std::string pct_plain(double fraction);  // "12.5%"
std::string sharpe_text(double sharpe);   // "0.95", or "n/a" when undefined (kSharpeMinVolatility)
std::string csv_number(double value);     // the JSON number, or an empty cell when undefined
std::string days(double value);          // "528d"
std::size_t shown_width(const std::string& text);
std::string pad(std::string text, std::size_t width);   // to the right
std::string lpad(const std::string& text, std::size_t width);
// `head` verbatim, then the words of `text` onto lines of at most kTextWidth characters;
// continuation lines start with `indent` spaces (a word longer than a line is kept whole).
std::string wrap(const std::string& head, const std::string& text, std::size_t indent);

}  // namespace riskoff::backtest
