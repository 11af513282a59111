// The replay as a picture: a self-contained SVG (no scripts, no web fonts, nothing fetched).
// Top panel: the reference and the overlay on a log scale over coloured bands of the action in
// force, with a marker at every change; bottom panel: both drawdowns. Dates along the bottom,
// a legend above.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "backtest/report.hpp"

namespace riskoff::backtest {
namespace {

constexpr double kWidth = 1200, kHeight = 720;
constexpr double kLeft = 78, kRight = 24;
constexpr double kPriceTop = 100, kPriceBottom = 470;
constexpr double kDrawTop = 510, kDrawBottom = 660;

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

struct Colours {
  const char* band;
  const char* marker;
};

Colours colours_for(const std::string& action) {
  if (action.empty()) return {"#d9d9d9", "#555555"};  // no decision
  switch (action_kind(action)) {
    case ActionKind::kHedge: return {"#f4a6a6", "#b3261e"};
    case ActionKind::kReduce: return {"#fbd98d", "#b26a00"};
    case ActionKind::kWait: break;
  }
  return {"none", "#2e7d32"};  // wait: no band
}

std::string text_at(double x, double y, const std::string& text, const char* anchor = "start", int size = 13,
                    const char* fill = "#222", const char* weight = "normal") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + std::to_string(size) + "\" text-anchor=\"" +
         anchor + "\" fill=\"" + fill + "\" font-weight=\"" + weight + "\">" + escape(text) + "</text>\n";
}

int year_of(engine::Timestamp time) { return std::stoi(engine::format_timestamp(time).substr(0, 4)); }

}  // namespace

std::string render_replay_svg(const Replay& r) {
  const auto& steps = r.steps;
  std::string out;
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
         "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) + "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  const std::string title = "riskoff replay: " + r.ruleset + " " + r.version + ", profile " + r.profile + ", " +
                            engine::format_timestamp(r.from).substr(0, 10) + " to " + engine::format_timestamp(r.to).substr(0, 10);
  out += text_at(kLeft, 28, title, "start", 18, "#111", "bold");
  if (steps.size() < 2) {
    out += text_at(kLeft, 80, "fewer than two steps: nothing to draw");
    return out + "</svg>\n";
  }
  const double t0 = static_cast<double>(steps.front().time), t1 = static_cast<double>(steps.back().time);
  auto x_of = [&](engine::Timestamp time) { return kLeft + (static_cast<double>(time) - t0) / (t1 - t0) * (kWidth - kLeft - kRight); };

  // Value scale (log) over both paths.
  const auto& hold = r.overlay.hold_value;
  const auto& overlay = r.overlay.overlay_value;
  double low = 1e300, high = 0;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    for (const double v : {hold[k] * 100, overlay[k] * 100}) {
      if (v > 0) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
  }
  if (!(high > low)) high = low * 1.1;
  const double log_low = std::log10(low) - 0.02, log_high = std::log10(high) + 0.02;
  auto y_of = [&](double value) {
    // A hedge ratio above 1 can take the overlay to zero or below: pinned to the bottom.
    value = std::max(value, low);
    return kPriceBottom - (std::log10(value) - log_low) / (log_high - log_low) * (kPriceBottom - kPriceTop);
  };
  // Drawdown scale.
  double deepest = -0.05;
  std::vector<double> hold_dd(steps.size()), overlay_dd(steps.size());
  double hold_peak = 0, overlay_peak = 0;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    hold_peak = std::max(hold_peak, hold[k]);
    overlay_peak = std::max(overlay_peak, overlay[k]);
    hold_dd[k] = hold[k] / hold_peak - 1;
    overlay_dd[k] = overlay[k] / overlay_peak - 1;
    deepest = std::min({deepest, hold_dd[k], overlay_dd[k]});
  }
  const double dd_floor = std::floor(deepest * 10) / 10;  // next 10% step down
  auto dd_y = [&](double dd) { return kDrawTop + dd / dd_floor * (kDrawBottom - kDrawTop); };

  // Action bands: each run of one action spans from its first step to the next run's first.
  for (std::size_t k = 0; k < steps.size();) {
    std::size_t end = k;
    while (end < steps.size() && steps[end].action == steps[k].action) ++end;
    const Colours colours = colours_for(steps[k].action);
    if (std::string(colours.band) != "none") {
      const double x0 = x_of(steps[k].time);
      const double x1 = end < steps.size() ? x_of(steps[end].time) : x_of(steps.back().time);
      for (const auto& [top, bottom] : {std::pair{kPriceTop, kPriceBottom}, std::pair{kDrawTop, kDrawBottom}}) {
        out += "<rect x=\"" + num(x0) + "\" y=\"" + num(top) + "\" width=\"" + num(std::max(x1 - x0, 0.8)) + "\" height=\"" +
               num(bottom - top) + "\" fill=\"" + colours.band + "\"/>\n";
      }
    }
    k = end;
  }

  // Grid and axes: years (or months for short replays) along x, 1-2-5 steps on the log scale.
  const int first_year = year_of(steps.front().time), last_year = year_of(steps.back().time);
  const bool monthly = last_year - first_year < 2;
  const int year_step = last_year - first_year > 12 ? 2 : 1;
  for (int year = first_year; year <= last_year + 1; ++year) {
    for (int month = 1; month <= (monthly ? 12 : 1); month += monthly ? 3 : 1) {
      if (!monthly && (year - first_year) % year_step != 0) continue;
      char date[32];
      std::snprintf(date, sizeof date, "%04d-%02d-01", year, month);
      const auto time = engine::parse_timestamp(date);
      if (!time || static_cast<double>(*time) < t0 || static_cast<double>(*time) > t1) continue;
      const double x = x_of(*time);
      out += "<line x1=\"" + num(x) + "\" y1=\"" + num(kPriceTop) + "\" x2=\"" + num(x) + "\" y2=\"" + num(kDrawBottom) +
             "\" stroke=\"#cccccc\" stroke-width=\"1\"/>\n";
      out += text_at(x, kDrawBottom + 20, monthly ? std::string(date).substr(0, 7) : std::to_string(year), "middle", 13);
    }
  }
  for (double decade = std::pow(10, std::floor(log_low)); decade <= std::pow(10, std::ceil(log_high)); decade *= 10) {
    // Narrow ranges get more ticks, so the scale always has a few labels.
    const bool narrow = log_high - log_low < 1.2;
    for (const double mantissa : narrow ? std::vector<double>{1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0} : std::vector<double>{1.0, 2.0, 5.0}) {
      const double value = decade * mantissa;
      const double log_value = std::log10(value);
      if (log_value < log_low || log_value > log_high) continue;
      const double y = y_of(value);
      out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kWidth - kRight) + "\" y2=\"" + num(y) +
             "\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n";
      char label[32];
      std::snprintf(label, sizeof label, "%g", value);
      out += text_at(kLeft - 8, y + 4, label, "end", 12);
    }
  }
  for (double dd = 0; dd >= dd_floor - 1e-9; dd -= (dd_floor < -0.5 ? 0.2 : 0.1)) {
    const double y = dd_y(dd);
    out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kWidth - kRight) + "\" y2=\"" + num(y) +
           "\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n";
    char label[16];
    std::snprintf(label, sizeof label, "%.0f%%", dd * 100);
    out += text_at(kLeft - 8, y + 4, label, "end", 12);
  }
  out += "<text transform=\"translate(20," + num((kPriceTop + kPriceBottom) / 2) +
         ") rotate(-90)\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">value of 100 (log scale)</text>\n";
  out += "<text transform=\"translate(20," + num((kDrawTop + kDrawBottom) / 2) +
         ") rotate(-90)\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">drawdown</text>\n";
  for (const auto& [top, bottom] : {std::pair{kPriceTop, kPriceBottom}, std::pair{kDrawTop, kDrawBottom}}) {
    out += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(top) + "\" width=\"" + num(kWidth - kLeft - kRight) + "\" height=\"" +
           num(bottom - top) + "\" fill=\"none\" stroke=\"#444\" stroke-width=\"1\"/>\n";
  }

  // Paths.
  auto polyline = [&](auto y_for, const char* colour, double width, const char* extra = "") {
    std::string points;
    for (std::size_t k = 0; k < steps.size(); ++k) points += num(x_of(steps[k].time)) + "," + num(y_for(k)) + " ";
    return "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"" + num(width) + "\"" + extra +
           " stroke-linejoin=\"round\" points=\"" + points + "\"/>\n";
  };
  // The overlay first: where it equals the reference (WAIT), the reference's line shows.
  out += polyline([&](std::size_t k) { return y_of(overlay[k] * 100); }, "#2e7d32", 1.6);
  out += polyline([&](std::size_t k) { return y_of(hold[k] * 100); }, "#1f3b73", 1.4);
  out += polyline([&](std::size_t k) { return dd_y(overlay_dd[k]); }, "#2e7d32", 1.3);
  out += polyline([&](std::size_t k) { return dd_y(hold_dd[k]); }, "#1f3b73", 1.2);

  // Change markers on the reference line: down-pointing into REDUCE/HEDGE, up-pointing back out.
  std::size_t change = 0;
  for (std::size_t k = 0; k < steps.size() && change < r.changes.size(); ++k) {
    if (steps[k].time != r.changes[change].time) continue;
    const auto& c = r.changes[change++];
    const double x = x_of(c.time), y = y_of(hold[k] * 100);
    const bool down = exposure_for(c.to, r.overlay_options) < exposure_for(c.from, r.overlay_options);
    const Colours colours = colours_for(down ? c.to : c.from);
    const std::string points = down ? num(x - 4) + "," + num(y - 13) + " " + num(x + 4) + "," + num(y - 13) + " " + num(x) + "," + num(y - 5)
                                    : num(x - 4) + "," + num(y + 13) + " " + num(x + 4) + "," + num(y + 13) + " " + num(x) + "," + num(y + 5);
    out += "<polygon points=\"" + points + "\" fill=\"" + (down ? colours.marker : "#555555") + "\" stroke=\"white\" stroke-width=\"0.6\"/>\n";
  }

  // Legend, above the top panel.
  double x = kLeft;
  const double y = 54;
  auto swatch = [&](const char* fill, const std::string& label) {
    out += "<rect x=\"" + num(x) + "\" y=\"" + num(y - 11) + "\" width=\"18\" height=\"13\" fill=\"" + fill +
           "\" stroke=\"#888\" stroke-width=\"0.5\"/>\n";
    out += text_at(x + 24, y, label, "start", 13);
    x += 40 + 9 * static_cast<double>(label.size());
  };
  auto line_key = [&](const char* colour, const std::string& label) {
    out += "<line x1=\"" + num(x) + "\" y1=\"" + num(y - 4) + "\" x2=\"" + num(x + 22) + "\" y2=\"" + num(y - 4) +
           "\" stroke=\"" + colour + "\" stroke-width=\"2.5\"/>\n";
    out += text_at(x + 28, y, label, "start", 13);
    x += 44 + 7.8 * static_cast<double>(label.size());
  };
  line_key("#1f3b73", r.reference + " (buy-and-hold)");
  line_key("#2e7d32", "overlay");
  swatch("#fbd98d", "REDUCE");
  swatch("#f4a6a6", "HEDGE");
  if (r.undecided > 0) swatch("#d9d9d9", "no decision");
  out += "<polygon points=\"" + num(x) + "," + num(y - 12) + " " + num(x + 10) + "," + num(y - 12) + " " + num(x + 5) + "," +
         num(y - 3) + "\" fill=\"#b3261e\"/>\n";
  out += "<polygon points=\"" + num(x + 14) + "," + num(y - 1) + " " + num(x + 24) + "," + num(y - 1) + " " + num(x + 19) + "," +
         num(y - 10) + "\" fill=\"#555555\"/>\n";
  out += text_at(x + 30, y, "change: risk cut / restored", "start", 13);
  out += text_at(kLeft, kDrawTop - 8, "drawdown from the running peak", "start", 13, "#222", "bold");
  out += text_at(kLeft, kPriceTop - 8, "value of 100 invested at the first step", "start", 13, "#222", "bold");
  out += text_at(kWidth - kRight, kHeight - 14,
                 "WAIT " + std::string("100%") + ", REDUCE " + num(r.overlay_options.reduce_to * 100) + "%, HEDGE " +
                     num((1 - r.overlay_options.hedge_ratio) * 100) + "% exposure; traded at the next step",
                 "end", 12, "#444");
  return out + "</svg>\n";
}

}  // namespace riskoff::backtest
