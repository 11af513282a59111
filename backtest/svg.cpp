// The shared SVG pieces (svg.hpp).
#include "backtest/svg.hpp"

#include <cstdio>

namespace riskoff::backtest::svg {

std::string num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

std::string escape(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '&') out += "&amp;";
    else if (ch == '"') out += "&quot;";
    else out += ch;
  }
  return out;
}

std::string text_at(double x, double y, const std::string& text, const char* anchor, int size, const char* extra) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + std::to_string(size) + "\" text-anchor=\"" +
         anchor + "\" fill=\"#222\"" + extra + ">" + escape(text) + "</text>\n";
}

std::string document(double width, double height, double left, const std::string& title, const std::string& inside) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n" +
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + text_at(left, 28, title, "start", 18, " font-weight=\"bold\"") +
         inside + "</svg>\n";
}

}  // namespace riskoff::backtest::svg
