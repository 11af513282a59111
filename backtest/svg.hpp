// The SVG pieces every picture of the backtest stage draws with (the replay chart, chart_svg.cpp;
// the sweep heatmap, heatmap_svg.cpp): numbers with one decimal, escaped text, a text element,
// and the document around them. Self-contained output: no scripts, no fonts fetched.
#pragma once

#include <string>

namespace riskoff::backtest::svg {

std::string num(double value);  // one decimal: coordinates stay short and byte-stable
std::string escape(const std::string& text);
std::string text_at(double x, double y, const std::string& text, const char* anchor = "start", int size = 13,
                    const char* extra = "");
// A white page of `width` x `height` with `title` in bold at (left, 28), then `inside`.
std::string document(double width, double height, double left, const std::string& title, const std::string& inside);

}  // namespace riskoff::backtest::svg
