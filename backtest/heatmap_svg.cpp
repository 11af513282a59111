// A two-parameter sweep as a picture: one cell per point, the first axis down, the second
// across, coloured by the overlay's annual return from the grid's lowest (red) through the
// middle (pale yellow) to its highest (green), each cell labelled with the figure; the
// ruleset's own point is framed. Cells carry class "cell" (and "own"), so tests can count them.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "backtest/svg.hpp"
#include "backtest/sweep.hpp"
#include "backtest/text_layout.hpp"

namespace riskoff::backtest {
namespace {

constexpr double kLeft = 170, kTop = 80, kRight = 30;
constexpr double kCellHeight = 36, kMaxCellWidth = 110, kGridWidth = 880, kMinWidth = 900;

// Red (lowest) through pale yellow to green (highest): a diverging scale reads as worse/better.
std::string colour_at(double t) {
  struct Rgb {
    double r, g, b;
  };
  constexpr Rgb kLow{215, 48, 39}, kMid{255, 255, 191}, kHigh{26, 152, 80};
  t = std::clamp(std::isfinite(t) ? t : 0.5, 0.0, 1.0);
  const Rgb& a = t < 0.5 ? kLow : kMid;
  const Rgb& b = t < 0.5 ? kMid : kHigh;
  const double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  char out[8];
  std::snprintf(out, sizeof out, "#%02x%02x%02x", static_cast<int>(std::lround(a.r + (b.r - a.r) * u)),
                static_cast<int>(std::lround(a.g + (b.g - a.g) * u)), static_cast<int>(std::lround(a.b + (b.b - a.b) * u)));
  return out;
}

}  // namespace

std::string render_sweep_svg(const SweepReport& r) {
  using svg::num;
  using svg::text_at;
  if (r.axes.size() != 2) return "";
  const auto& rows = r.axes[0];
  const auto& columns = r.axes[1];
  const double cell_width = std::min(kMaxCellWidth, kGridWidth / static_cast<double>(columns.values.size()));
  // Never narrower than the title and the legend's sentences need.
  const double width = std::max(kMinWidth, kLeft + cell_width * static_cast<double>(columns.values.size()) + kRight);
  const double height = kTop + kCellHeight * static_cast<double>(rows.values.size()) + 90;
  double low = 0, high = 0;
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    const double annual = r.points[p].figures.annual_return;
    low = p == 0 ? annual : std::min(low, annual);
    high = p == 0 ? annual : std::max(high, annual);
  }
  std::string body = text_at(kLeft, 52,
                             r.header.every + ", " + short_time(r.header.from) + " to " + short_time(r.header.to) +
                                 "; " + r.axes[1].parameter + " across, " + r.axes[0].parameter + " down");
  for (std::size_t c = 0; c < columns.values.size(); ++c) {
    body += text_at(kLeft + (static_cast<double>(c) + 0.5) * cell_width, kTop - 8, columns.values[c], "middle");
  }
  for (std::size_t row = 0; row < rows.values.size(); ++row) {
    body += text_at(kLeft - 10, kTop + (static_cast<double>(row) + 0.62) * kCellHeight, rows.values[row], "end");
  }
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    const auto& point = r.points[p];
    const double x = kLeft + static_cast<double>(point.at[1]) * cell_width;
    const double y = kTop + static_cast<double>(point.at[0]) * kCellHeight;
    const double annual = point.figures.annual_return;
    const bool own = r.own_point && *r.own_point == p;
    body += "<rect class=\"cell" + std::string(own ? " own" : "") + "\" x=\"" + num(x) + "\" y=\"" + num(y) +
            "\" width=\"" + num(cell_width) + "\" height=\"" + num(kCellHeight) + "\" fill=\"" +
            colour_at(high > low ? (annual - low) / (high - low) : 0.5) + "\"" +
            (own ? " stroke=\"#111\" stroke-width=\"3\"" : " stroke=\"white\" stroke-width=\"1\"") + "/>\n";
    body += text_at(x + cell_width / 2, y + kCellHeight * 0.62, pct(annual), "middle", 12);
  }
  const double legend_y = kTop + kCellHeight * static_cast<double>(rows.values.size()) + 30;
  body += text_at(kLeft, legend_y, "overlay's annual return: red " + pct(low) + " (lowest) to green " + pct(high) +
                                       " (highest); framed: the ruleset's own values");
  // The verdict in lines of the text report's width: an SVG text element does not wrap.
  const std::string verdict = wrap("", r.verdict_text, 0);
  double line_y = legend_y + 20;
  for (std::size_t start = 0; start < verdict.size(); line_y += 16) {
    const auto end = verdict.find('\n', start);
    body += text_at(kLeft, line_y, verdict.substr(start, end - start), "start", 12);
    start = end + 1;
  }
  const std::string title =
      "riskoff replay --sweep: " + r.header.ruleset + " " + r.header.version + ", profile " + r.header.profile;
  return svg::document(width, height, kLeft, title, body);
}

}  // namespace riskoff::backtest
