// The replay as a picture: a self-contained SVG (no scripts, no web fonts, nothing fetched).
// Top panel: the reference and the overlay on a log scale over coloured bands of the action in
// force; below it a strip of the changes (ticks, not markers on the price line: a replay has
// hundreds) and one strip per driver and regime showing when each was on; bottom panel: both
// drawdowns. Dates along the bottom (chart_ticks.cpp), a legend above that names every mark
// drawn. Every mark carries a class (band-reduce, change-cut-hedge, strip-driver, ...) and each
// legend entry names the class it explains (data-key), so a test can hold one against the other.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "backtest/chart_ticks.hpp"
#include "backtest/report.hpp"
#include "backtest/svg.hpp"

namespace riskoff::backtest {
namespace {

constexpr double kWidth = 1200;
constexpr double kLeft = 150, kRight = 24;
constexpr double kPriceHeight = 330, kDrawHeight = 120;
constexpr double kStripRow = 14, kStripGap = 3;

using svg::num;
using svg::text_at;

// Each kind of mark: its class, colour and the words the legend uses for it.
struct Mark {
  const char* key;
  const char* colour;
  const char* label;
};
constexpr Mark kReduceBand{"band-reduce", "#fbd98d", "REDUCE"};
constexpr Mark kHedgeBand{"band-hedge", "#f4a6a6", "HEDGE"};
constexpr Mark kUndecidedBand{"band-undecided", "#d9d9d9", "no decision"};
constexpr Mark kCutReduce{"change-cut-reduce", "#e07b00", "cut to REDUCE"};
constexpr Mark kCutHedge{"change-cut-hedge", "#b3261e", "cut to HEDGE"};
constexpr Mark kRestore{"change-restore", "#2e7d32", "risk restored"};
constexpr Mark kDriverStrip{"strip-driver", "#4a6fa5", "driver on"};
constexpr Mark kRegimeStrip{"strip-regime", "#8a5fb0", "regime on"};

const Mark* band_for(const std::string& action) {
  if (action.empty()) return &kUndecidedBand;
  switch (action_kind(action)) {
    case ActionKind::kHedge: return &kHedgeBand;
    case ActionKind::kReduce: return &kReduceBand;
    case ActionKind::kWait: break;
  }
  return nullptr;  // WAIT (and any other action at full exposure): no band
}

std::string rect(double x, double y, double w, double h, const Mark& mark) {
  return "<rect class=\"" + std::string(mark.key) + "\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
         num(std::max(w, 0.8)) + "\" height=\"" + num(h) + "\" fill=\"" + mark.colour + "\"/>\n";
}

std::string hline(double x0, double x1, double y, const char* colour) {
  return "<line x1=\"" + num(x0) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x1) + "\" y2=\"" + num(y) + "\" stroke=\"" + colour +
         "\" stroke-width=\"1\"/>\n";
}

// The legend: entries left to right, onto a second row when the first is full. Only marks that
// were drawn get an entry.
class Legend {
 public:
  explicit Legend(double y) : y_(y) {}
  void line(const char* key, const char* colour, const std::string& label) {
    place(label, 30);
    out_ += "<g class=\"legend\" data-key=\"" + std::string(key) + "\"><line x1=\"" + num(x_) + "\" y1=\"" + num(y_ - 4) +
            "\" x2=\"" + num(x_ + 22) + "\" y2=\"" + num(y_ - 4) + "\" stroke=\"" + colour + "\" stroke-width=\"2.5\"/>" +
            text_at(x_ + 28, y_, label) + "</g>\n";
    x_ += 40 + 7.5 * static_cast<double>(label.size());
  }
  void swatch(const Mark& mark, double width = 18) {
    const std::string label = mark.label;
    place(label, width + 8);
    out_ += "<g class=\"legend\" data-key=\"" + std::string(mark.key) + "\"><rect x=\"" + num(x_) + "\" y=\"" + num(y_ - 11) +
            "\" width=\"" + num(width) + "\" height=\"13\" fill=\"" + mark.colour + "\"/>" + text_at(x_ + width + 6, y_, label) +
            "</g>\n";
    x_ += width + 22 + 7.5 * static_cast<double>(label.size());
  }
  double bottom() const { return y_; }
  const std::string& svg() const { return out_; }

 private:
  void place(const std::string& label, double mark_width) {
    if (x_ + mark_width + 7.5 * static_cast<double>(label.size()) > kWidth - kRight && x_ > kLeft) {
      x_ = kLeft;
      y_ += 20;
    }
  }
  double x_ = kLeft, y_;
  std::string out_;
};

}  // namespace

std::string render_replay_svg(const Replay& r) {
  const auto& steps = r.steps;
  std::string body;
  const std::string title = "riskoff replay: " + r.ruleset + " " + r.version + ", profile " + r.profile + ", " +
                            engine::format_timestamp(r.from).substr(0, 10) + " to " + engine::format_timestamp(r.to).substr(0, 10);
  auto document = [&](double height, const std::string& inside) { return svg::document(kWidth, height, kLeft, title, inside); };
  if (steps.size() < 2) return document(120, text_at(kLeft, 80, "fewer than two steps: nothing to draw"));

  std::set<std::string> drawn;  // classes of the marks drawn, for the legend
  const double t0 = static_cast<double>(steps.front().time), t1 = static_cast<double>(steps.back().time);
  auto x_of = [&](engine::Timestamp time) { return kLeft + (static_cast<double>(time) - t0) / (t1 - t0) * (kWidth - kLeft - kRight); };
  // The right edge of step k's run: the next step's x (the last step ends the axis).
  auto x_after = [&](std::size_t end) { return end < steps.size() ? x_of(steps[end].time) : x_of(steps.back().time); };

  // Which strips: every driver, then every regime, one row each.
  std::vector<const GroupLabel*> strips;
  for (const auto kind : {dsl::GroupKind::kDriver, dsl::GroupKind::kRegime}) {
    for (const auto& g : r.groups) {
      if (g.kind == kind) strips.push_back(&g);
    }
  }
  // The legend is laid out first (its rows push the panels down), then filled below.
  const double price_top = 110;  // re-based after the legend: see `shift`
  const double price_bottom = price_top + kPriceHeight;
  const double changes_top = price_bottom + 14;
  const double strips_top = changes_top + kStripRow + 2 * kStripGap;
  const double strips_bottom = strips_top + static_cast<double>(strips.size()) * (kStripRow + kStripGap);
  const double draw_top = strips_bottom + 26, draw_bottom = draw_top + kDrawHeight;

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
  const double log_low = std::log10(low) - 0.01 * (std::log10(high) - std::log10(low)) - 0.002;
  const double log_high = std::log10(high) + 0.01 * (std::log10(high) - std::log10(low)) + 0.002;
  auto y_of = [&](double value) {
    // A hedge ratio above 1 can take the overlay to zero or below: pinned to the bottom.
    value = std::max(value, low);
    return price_bottom - (std::log10(value) - log_low) / (log_high - log_low) * kPriceHeight;
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
  auto dd_y = [&](double dd) { return draw_top + dd / dd_floor * kDrawHeight; };

  // Action bands: each run of one action spans from its first step to the next run's first.
  for (std::size_t k = 0; k < steps.size();) {
    std::size_t end = k;
    while (end < steps.size() && steps[end].action == steps[k].action) ++end;
    if (const Mark* band = band_for(steps[k].action)) {
      const double x0 = x_of(steps[k].time), x1 = x_after(end);
      body += rect(x0, price_top, x1 - x0, kPriceHeight, *band) + rect(x0, draw_top, x1 - x0, kDrawHeight, *band);
      drawn.insert(band->key);
    }
    k = end;
  }

  // Grid, ticks and labels: dates on x (years, months, days or hours by span), values on y.
  for (const auto& tick : date_ticks(steps.front().time, steps.back().time)) {
    const double x = x_of(tick.time);
    body += "<line x1=\"" + num(x) + "\" y1=\"" + num(price_top) + "\" x2=\"" + num(x) + "\" y2=\"" + num(draw_bottom) +
            "\" stroke=\"#cccccc\" stroke-width=\"1\"/>\n";
    // Labels at the ends stay inside the picture.
    const double half = 3.6 * static_cast<double>(tick.label.size());
    const char* anchor = x + half > kWidth - 2 ? "end" : x - half < 2 ? "start" : "middle";
    body += text_at(anchor[0] == 'e' ? kWidth - 2 : anchor[0] == 's' ? 2 : x, draw_bottom + 18, tick.label, anchor, 12,
                    " class=\"tick-x\"");
  }
  for (const double value : value_ticks(std::pow(10, log_low), std::pow(10, log_high))) {
    const double y = y_of(value);
    body += hline(kLeft, kWidth - kRight, y, "#dddddd");
    char label[32];
    std::snprintf(label, sizeof label, "%g", value);
    body += text_at(kLeft - 8, y + 4, label, "end", 12, " class=\"tick-y\"");
  }
  for (double dd = 0; dd >= dd_floor - 1e-9; dd -= (dd_floor < -0.5 ? 0.2 : 0.1)) {
    const double y = dd_y(dd);
    body += hline(kLeft, kWidth - kRight, y, "#dddddd");
    char label[16];
    std::snprintf(label, sizeof label, "%.0f%%", dd * 100);
    body += text_at(kLeft - 8, y + 4, label, "end", 12);
  }
  for (const auto& [top, bottom] : {std::pair{price_top, price_bottom}, std::pair{draw_top, draw_bottom}}) {
    body += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(top) + "\" width=\"" + num(kWidth - kLeft - kRight) + "\" height=\"" +
            num(bottom - top) + "\" fill=\"none\" stroke=\"#444\" stroke-width=\"1\"/>\n";
  }
  body += "<text transform=\"translate(20," + num((price_top + price_bottom) / 2) +
          ") rotate(-90)\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">value of 100 (log scale)</text>\n";

  // Paths; the overlay first: where it equals the reference (WAIT), the reference's line shows.
  auto polyline = [&](auto y_for, const char* key, const char* colour, double width) {
    std::string points;
    for (std::size_t k = 0; k < steps.size(); ++k) points += num(x_of(steps[k].time)) + "," + num(y_for(k)) + " ";
    drawn.insert(key);
    return "<polyline class=\"" + std::string(key) + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + num(width) +
           "\" stroke-linejoin=\"round\" points=\"" + points + "\"/>\n";
  };
  body += polyline([&](std::size_t k) { return y_of(overlay[k] * 100); }, "line-overlay", "#2e7d32", 1.6);
  body += polyline([&](std::size_t k) { return y_of(hold[k] * 100); }, "line-hold", "#1f3b73", 1.4);
  body += polyline([&](std::size_t k) { return dd_y(overlay_dd[k]); }, "line-overlay", "#2e7d32", 1.3);
  body += polyline([&](std::size_t k) { return dd_y(hold_dd[k]); }, "line-hold", "#1f3b73", 1.2);

  // The changes strip: a thin tick per change, cuts in the upper half and restorations in the
  // lower, so hundreds of changes stay readable as density rather than a pile of markers.
  body += text_at(kLeft - 8, changes_top + kStripRow - 3, "changes", "end", 11);
  body += hline(kLeft, kWidth - kRight, changes_top + kStripRow / 2, "#eeeeee");
  for (const auto& c : r.changes) {
    const bool cut = exposure_for(c.to, r.overlay_options) < exposure_for(c.from, r.overlay_options);
    const Mark& mark = !cut ? kRestore : action_kind(c.to) == ActionKind::kHedge ? kCutHedge : kCutReduce;
    body += rect(x_of(c.time) - 0.6, changes_top + (cut ? 0 : kStripRow / 2), 1.2, kStripRow / 2, mark);
    drawn.insert(mark.key);
  }
  // One strip per driver and regime: bars where it held.
  for (std::size_t s = 0; s < strips.size(); ++s) {
    const GroupLabel& g = *strips[s];
    const Mark& mark = g.kind == dsl::GroupKind::kDriver ? kDriverStrip : kRegimeStrip;
    const double top = strips_top + static_cast<double>(s) * (kStripRow + kStripGap);
    body += text_at(kLeft - 8, top + kStripRow - 3, g.name, "end", 11);
    body += "<rect x=\"" + num(kLeft) + "\" y=\"" + num(top) + "\" width=\"" + num(kWidth - kLeft - kRight) + "\" height=\"" +
            num(kStripRow) + "\" fill=\"#f6f6f6\"/>\n";
    for (std::size_t k = 0; k < steps.size();) {
      const bool on = group_on(steps[k], g.name);
      std::size_t end = k;
      while (end < steps.size() && group_on(steps[end], g.name) == on) ++end;
      if (on) {
        body += rect(x_of(steps[k].time), top, x_after(end) - x_of(steps[k].time), kStripRow, mark);
        drawn.insert(mark.key);
      }
      k = end;
    }
  }
  body += text_at(kLeft, draw_top - 8, "drawdown from the running peak", "start", 13, " font-weight=\"bold\"");
  body += text_at(kLeft, price_top - 8, "value of 100 invested at the first step", "start", 13, " font-weight=\"bold\"");
  body += text_at(kWidth - kRight, draw_bottom + 42,
                  "WAIT 100%, REDUCE " + num(r.overlay_options.reduce_to * 100) + "%, HEDGE " +
                      num((1 - r.overlay_options.hedge_ratio) * 100) + "% exposure; traded at the next step",
                  "end", 12);

  // The legend names exactly what was drawn, in a fixed order.
  Legend legend(54);
  legend.line("line-hold", "#1f3b73", r.reference + " (buy-and-hold)");
  legend.line("line-overlay", "#2e7d32", "overlay");
  for (const Mark* mark : {&kReduceBand, &kHedgeBand, &kUndecidedBand}) {
    if (drawn.count(mark->key) != 0) legend.swatch(*mark);
  }
  for (const Mark* mark : {&kCutReduce, &kCutHedge, &kRestore, &kDriverStrip, &kRegimeStrip}) {
    if (drawn.count(mark->key) != 0) legend.swatch(*mark, mark == &kDriverStrip || mark == &kRegimeStrip ? 18 : 4);
  }
  // A second legend row pushes everything below it down.
  const double shift = legend.bottom() - 54;
  const double height = draw_bottom + 56 + shift;
  std::string shifted = shift > 0 ? "<g transform=\"translate(0," + num(shift) + ")\">\n" + body + "</g>\n" : body;
  return document(height, legend.svg() + shifted);
}

}  // namespace riskoff::backtest
