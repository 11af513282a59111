// A replay as text (summary first, then changes and steps), CSV (one row per step) and JSON
// (`riskoff.replay/1`, docs/replay.md). Same input, same bytes.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "support/json_writer.hpp"

#include "explain/explanation.hpp"
#include "backtest/report.hpp"

namespace riskoff::backtest {
namespace {

using explain::format_figure;

std::string upper(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return text;
}

std::string action_text(const std::string& action) { return action.empty() ? "-" : upper(action); }

std::string date(engine::Timestamp time) { return short_time(time); }

std::string printf_text(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string pct(double fraction) { return printf_text("%+.1f%%", fraction * 100); }
std::string pct_plain(double fraction) { return printf_text("%.1f%%", fraction * 100); }
std::string days(double value) { return printf_text("%.0fd", value); }

std::string pad(std::string text, std::size_t width) {
  // Widths count characters, not bytes: the arrows are three bytes each.
  std::size_t shown = 0;
  for (const unsigned char ch : text) shown += (ch & 0xC0) != 0x80;
  if (shown < width) text.append(width - shown, ' ');
  return text;
}

// `head` verbatim, then the words of `text` onto lines of at most kWidth characters;
// continuation lines start with `indent` spaces. Text reports stay within 100 columns, like
// explanations (a word longer than a line is kept whole).
constexpr std::size_t kWidth = 100;
std::size_t shown_width(const std::string& text) {
  std::size_t n = 0;
  for (const unsigned char ch : text) n += (ch & 0xC0) != 0x80;
  return n;
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
    if (line_has_words && shown_width(line) + 1 + shown_width(word) > kWidth) {
      out += line + "\n";
      line = std::string(indent, ' ') + word;
    } else {
      line += (line_has_words ? " " : "") + word;
    }
    line_has_words = true;
  }
  return out + line + "\n";
}

std::string lpad(const std::string& text, std::size_t width) {
  return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

std::string assumptions(const Replay& r) {
  const auto& o = r.overlay_options;
  std::string out = "holds " + r.reference + " at " + pct_plain(1) + " on WAIT, " + pct_plain(o.reduce_to) +
                    " on REDUCE, " + pct_plain(1 - o.hedge_ratio) + " on HEDGE (hedge ratio " +
                    printf_text("%g", o.hedge_ratio) + "); a decision at a step's close is traded at the next step's "
                    "price; ";
  out += o.cost_bp > 0 ? printf_text("%g", o.cost_bp) + "bp per unit of exposure traded" : "no costs (--cost-bp)";
  out += "; no interest on cash, no dividends beyond what the price series holds";
  return out;
}

std::string episode_timing(const Episode& e) {
  if (!e.left_wait) return "stayed WAIT";
  const double after_peak = static_cast<double>(*e.left_wait - e.peak) / 86400.0;
  const double before_trough = static_cast<double>(e.trough - *e.left_wait) / 86400.0;
  std::string out = upper(e.first_action) + " " + date(*e.left_wait) + " (";
  if (e.not_wait_at_peak) out += days(-after_peak) + " before the peak";
  else out += days(after_peak) + " after the peak";
  out += before_trough >= 0 ? ", " + days(before_trough) + " before the trough)" : ", " + days(-before_trough) + " after the trough)";
  return out;
}

void metrics_rows(std::string& out, const std::vector<std::pair<std::string, const PathMetrics*>>& columns,
                  double overlay_turnover) {
  // Columns 16 wide, wider when an intraday time ("2020-01-02T23:00Z") would touch its neighbour.
  std::size_t width = 16;
  for (const auto& column : columns) {
    width = std::max({width, date(column.second->drawdown_peak).size() + 2, date(column.second->drawdown_trough).size() + 2});
  }
  auto row = [&](const std::string& name, auto cell) {
    out += "  " + pad(name, 22);
    for (const auto& column : columns) out += lpad(cell(*column.second), width);
    out += "\n";
  };
  out += "  " + pad("", 22);
  for (const auto& column : columns) out += lpad(column.first, width);
  out += "\n";
  row("total return", [](const PathMetrics& m) { return pct(m.total_return); });
  row("annual return", [](const PathMetrics& m) { return pct(m.annual_return); });
  row("volatility (annual)", [](const PathMetrics& m) { return pct_plain(m.volatility); });
  row("max drawdown", [](const PathMetrics& m) { return pct(m.max_drawdown); });
  row("  from", [](const PathMetrics& m) { return m.max_drawdown < 0 ? date(m.drawdown_peak) : std::string("-"); });
  row("  to", [](const PathMetrics& m) { return m.max_drawdown < 0 ? date(m.drawdown_trough) : std::string("-"); });
  row("time under water", [](const PathMetrics& m) { return pct_plain(m.under_water); });
  row("longest under water", [](const PathMetrics& m) { return days(m.longest_under_water_days); });
  if (overlay_turnover >= 0) out += "  " + pad("overlay turnover", 22) + lpad(printf_text("%.1f", overlay_turnover), 16) + "  (exposure traded, sum)\n";
}

}  // namespace

std::string render_replay_text(const Replay& r, const AgainstReport* against, const Replay* old_replay) {
  std::string out;
  out += "riskoff replay · " + r.ruleset + " " + r.version + " · profile " + r.profile + "\n";
  out += date(r.from) + " → " + date(r.to) + " · " + std::to_string(r.steps.size()) + " steps (" + r.every + ")\n";
  out += wrap("overlay: ", assumptions(r), 9) + "\n";

  out += "Summary\n";
  out += "  " + pad("action", 8) + lpad("steps", 7) + lpad("share", 8) + "   longest spell\n";
  for (std::size_t a = 0; a < r.steps_per_action.size(); ++a) {
    const auto& [action, count] = r.steps_per_action[a];
    const Spell& spell = r.longest[a];
    out += "  " + pad(upper(action), 8) + lpad(std::to_string(count), 7) +
           lpad(pct_plain(static_cast<double>(count) / static_cast<double>(r.steps.size())), 8) + "   " +
           (spell.steps == 0 ? "-" : std::to_string(spell.steps) + (spell.steps == 1 ? " step, " : " steps, ") + date(spell.from) + " → " + date(spell.to)) + "\n";
  }
  out += "  changes: " + std::to_string(r.changes.size()) + " · undecided steps: " + std::to_string(r.undecided) +
         " · decided with unknown inputs above the chosen clause: " + std::to_string(r.depends_on_unknown) + "\n\n";

  out += "Overlay beside buy-and-hold (same steps)\n";
  std::vector<std::pair<std::string, const PathMetrics*>> columns = {{"overlay", &r.overlay.overlay}};
  if (old_replay != nullptr) columns.emplace_back("old overlay", &old_replay->overlay.overlay);
  columns.emplace_back("buy-and-hold", &r.overlay.hold);
  metrics_rows(out, columns, r.overlay.turnover);
  out += "\n";

  out += "Episodes (drawdowns of " + r.reference + " deeper than " + pct_plain(r.episode_threshold) + ")\n";
  if (r.episodes.empty()) out += "  none\n";
  for (const auto& e : r.episodes) {
    out += "  " + date(e.peak) + " → " + date(e.trough) + "  " + pct(e.depth) +
           (e.recovered ? " (recovered " + date(*e.recovered) + ")" : std::string(" (not recovered by the last step)")) + "\n";
    out += wrap("      first left WAIT: ", episode_timing(e), 8);
    out += wrap("      ", "overlay " + pct(e.overlay_depth) + " over the same dates: avoided " + pct_plain(e.avoided) + " of the fall", 8);
  }
  out += "\n";

  out += "Data gaps inside the period\n";
  bool any_gap = false;
  for (const auto& g : r.gaps) {
    if (g.steps_missing == 0 && g.steps_stale == 0 && !g.first && g.longest_gap_days <= 4) continue;
    any_gap = true;
    const std::string head = "  " + pad(g.name + (g.optional ? " (optional)" : ""), 26);
    std::string parts;
    auto add = [&parts](const std::string& part) { parts += (parts.empty() ? "" : "; ") + part; };
    if (g.first) add("starts " + date(*g.first));
    if (g.steps_missing > 0) add(std::to_string(g.steps_missing) + " steps with no data (unknown" + (g.optional ? ")" : ", undecided)"));
    if (g.steps_stale > 0) add(std::to_string(g.steps_stale) + " steps stale (unknown)");
    if (g.longest_gap_days > 4) add("longest gap " + days(g.longest_gap_days) + ", " + date(g.gap_from) + " → " + date(g.gap_to));
    out += wrap(head, parts, 28);
  }
  for (const auto& gap : r.reference_gaps) {
    any_gap = true;
    out += wrap("  reference: ", gap, 4);
  }
  if (!any_gap) out += "  none\n";
  out += "\n";

  if (against != nullptr) {
    out += "Against " + against->old_ruleset + ": " + std::to_string(against->diffs.size()) + " step" +
           (against->diffs.size() == 1 ? "" : "s") + " decide differently\n";
    for (const auto& change : against->parameter_changes) out += "  parameter " + change + "\n";
    for (const auto& d : against->diffs) {
      out += wrap("  " + date(d.time) + ": ", action_text(d.old_action) + " → " + action_text(d.new_action) + " because " + d.because, 6);
    }
    out += "\n";
  }

  out += "Changes (" + std::to_string(r.changes.size()) + ")\n";
  for (const auto& c : r.changes) {
    out += wrap("  " + date(c.time) + "  " + pad(action_text(c.from) + " → " + action_text(c.to), 16) + " ", "because " + c.because, 30);
  }
  // The time column fits intraday steps ("2020-01-02T23:00Z") as well as dates.
  std::size_t time_width = 11;
  for (const auto& s : r.steps) time_width = std::max(time_width, date(s.time).size() + 1);
  out += "\nSteps\n  " + pad("time", time_width) + pad("action", 8) + lpad("reference", 10) + "  " + pad("regime", 28) + "groups on" +
         (r.figures_in_text ? " | figures" : "") + "\n";
  for (const auto& s : r.steps) {
    std::string groups;
    for (const auto& g : s.groups_on) groups += (groups.empty() ? "" : ", ") + g;
    std::string rest = groups.empty() ? "-" : groups;
    if (r.figures_in_text) {
      rest += " |";
      for (std::size_t f = 0; f < s.figures.size(); ++f) {
        rest += " " + r.figure_names[f] + " " +
                (std::isnan(s.figures[f]) ? std::string("unknown") : format_figure(s.figures[f], r.figure_units[f]));
      }
    }
    // Groups and figures wrap under their own column, so a busy day stays within 100 columns.
    out += wrap("  " + pad(date(s.time), time_width) + pad(action_text(s.action) + (s.depends_on_unknown ? "?" : ""), 8) +
                    lpad(std::isnan(s.reference) ? "-" : printf_text("%.2f", s.reference), 10) + "  " +
                    pad(s.regime.empty() ? "-" : s.regime, 28),
                rest, 50 + time_width);
  }
  out += "  (? = decided while a clause above the chosen one was unknown)\n";
  return out;
}

std::string render_replay_csv(const Replay& r) {
  auto field = [](const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string out = "\"";
    for (const char ch : text) {
      if (ch == '"') out += '"';
      out += ch;
    }
    return out + "\"";
  };
  std::string out = "time,action,depends_on_unknown,regime,groups_on,reference,exposure,overlay";
  for (const auto& name : r.figure_names) out += "," + field(name);
  out += "\n";
  for (std::size_t k = 0; k < r.steps.size(); ++k) {
    const auto& s = r.steps[k];
    std::string groups;
    for (const auto& g : s.groups_on) groups += (groups.empty() ? "" : ";") + g;
    out += engine::format_timestamp(s.time) + "," + s.action + "," + (s.depends_on_unknown ? "true" : "false") + "," +
           field(s.regime) + "," + field(groups) + "," + (std::isnan(s.reference) ? "" : printf_text("%.6g", s.reference)) +
           "," + printf_text("%g", r.overlay.exposure[k]) + "," + printf_text("%.6g", r.overlay.overlay_value[k] * 100);
    for (const double figure : s.figures) out += "," + (std::isnan(figure) ? std::string() : support::json_number(figure));
    out += "\n";
  }
  return out;
}

namespace {

using support::JsonLayout;
using support::JsonWriter;

// One JSON layout for the whole report: the top level and the lists of records one member per
// line, each record on one line (people diff replays line by line).
void metrics_json(JsonWriter& w, const PathMetrics& m) {
  w.begin_object(JsonLayout::kSpaced)
      .field_number("total_return", m.total_return)
      .field_number("annual_return", m.annual_return)
      .field_number("volatility", m.volatility)
      .field_number("max_drawdown", m.max_drawdown)
      .field("max_drawdown_from", engine::format_timestamp(m.drawdown_peak))
      .field("max_drawdown_to", engine::format_timestamp(m.drawdown_trough))
      .field_number("under_water", m.under_water)
      .field_number("longest_under_water_days", m.longest_under_water_days)
      .end_object();
}

void time_or_null(JsonWriter& w, std::string_view name, const std::optional<engine::Timestamp>& time) {
  w.key(name);
  if (time) w.string(engine::format_timestamp(*time));
  else w.null();
}

void summary_json(JsonWriter& w, const Replay& r, const Replay* old_replay) {
  w.key("summary").begin_object().field_integer("steps", static_cast<std::int64_t>(r.steps.size()));
  w.key("steps_per_action").begin_object(JsonLayout::kSpaced);
  for (const auto& [action, count] : r.steps_per_action) w.field_integer(action, static_cast<std::int64_t>(count));
  w.end_object().key("longest_spells").begin_array(JsonLayout::kSpaced);
  for (const auto& s : r.longest) {
    w.begin_object().field("action", s.action).field_integer("steps", static_cast<std::int64_t>(s.steps));
    if (s.steps) w.field("from", engine::format_timestamp(s.from)).field("to", engine::format_timestamp(s.to));
    w.end_object();
  }
  w.end_array()
      .field_integer("changes", static_cast<std::int64_t>(r.changes.size()))
      .field_integer("undecided", static_cast<std::int64_t>(r.undecided))
      .field_integer("depends_on_unknown", static_cast<std::int64_t>(r.depends_on_unknown));
  metrics_json(w.key("overlay"), r.overlay.overlay);
  if (old_replay != nullptr) metrics_json(w.key("old_overlay"), old_replay->overlay.overlay);
  metrics_json(w.key("buy_and_hold"), r.overlay.hold);
  w.field_number("turnover", r.overlay.turnover).end_object();
}

void episodes_and_gaps_json(JsonWriter& w, const Replay& r) {
  w.key("episodes").begin_array();
  for (const auto& e : r.episodes) {
    w.begin_object(JsonLayout::kSpaced)
        .field("peak", engine::format_timestamp(e.peak))
        .field("trough", engine::format_timestamp(e.trough));
    time_or_null(w, "recovered", e.recovered);
    w.field_number("depth", e.depth);
    time_or_null(w, "left_wait", e.left_wait);
    w.field("first_action", e.first_action)
        .field_bool("not_wait_at_peak", e.not_wait_at_peak)
        .field_number("overlay_depth", e.overlay_depth)
        .field_number("avoided", e.avoided)
        .end_object();
  }
  w.end_array().key("gaps").begin_array();
  for (const auto& g : r.gaps) {
    w.begin_object(JsonLayout::kSpaced).field("input", g.name).field_bool("optional", g.optional);
    time_or_null(w, "first", g.first);
    w.field_integer("steps_missing", static_cast<std::int64_t>(g.steps_missing))
        .field_integer("steps_stale", static_cast<std::int64_t>(g.steps_stale))
        .field_number("longest_gap_days", g.longest_gap_days);
    if (g.longest_gap_days > 0) {
      w.field("gap_from", engine::format_timestamp(g.gap_from)).field("gap_to", engine::format_timestamp(g.gap_to));
    }
    w.end_object();
  }
  w.end_array().key("reference_gaps").begin_array(JsonLayout::kSpaced);
  for (const auto& name : r.reference_gaps) w.string(name);
  w.end_array();
}

void changes_json(JsonWriter& w, const Replay& r, const AgainstReport* against) {
  w.key("changes").begin_array();
  for (const auto& c : r.changes) {
    w.begin_object(JsonLayout::kSpaced)
        .field("time", engine::format_timestamp(c.time))
        .field("from", c.from)
        .field("to", c.to)
        .field("because", c.because)
        .end_object();
  }
  w.end_array();
  if (against == nullptr) return;
  w.key("against").begin_object(JsonLayout::kSpaced).field("old_ruleset", against->old_ruleset);
  w.key("parameter_changes").begin_array();
  for (const auto& change : against->parameter_changes) w.string(change);
  w.end_array().key("diffs").begin_array(JsonLayout::kPretty);
  for (const auto& d : against->diffs) {
    w.begin_object(JsonLayout::kSpaced)
        .field("time", engine::format_timestamp(d.time))
        .field("old", d.old_action)
        .field("new", d.new_action)
        .field("because", d.because)
        .end_object();
  }
  w.end_array().end_object();
}

void steps_json(JsonWriter& w, const Replay& r) {
  w.key("steps").begin_array();
  for (std::size_t k = 0; k < r.steps.size(); ++k) {
    const auto& s = r.steps[k];
    w.begin_object(JsonLayout::kSpaced)
        .field("time", engine::format_timestamp(s.time))
        .field("decided_at", engine::format_timestamp(s.decided_at))
        .key("action");
    if (s.action.empty()) w.null();
    else w.string(s.action);
    w.field_bool("depends_on_unknown", s.depends_on_unknown).field("regime", s.regime).key("groups_on").begin_array();
    for (const auto& group : s.groups_on) w.string(group);
    w.end_array()
        .field_number("reference", s.reference)
        .field_number("exposure", r.overlay.exposure[k])
        .field_number("overlay", r.overlay.overlay_value[k] * 100)
        .key("figures")
        .begin_array();
    for (const double figure : s.figures) w.number(figure);
    w.end_array().end_object();
  }
  w.end_array();
}

}  // namespace

std::string render_replay_json(const Replay& r, const AgainstReport* against, const Replay* old_replay) {
  JsonWriter w(JsonLayout::kPretty);
  w.begin_object().field("schema", kReplaySchema);
  w.key("ruleset").begin_object(JsonLayout::kSpaced).field("name", r.ruleset).field("version", r.version).field("sha256", r.content_hash).end_object();
  w.field("profile", r.profile).key("figures").begin_array(JsonLayout::kSpaced);
  for (std::size_t f = 0; f < r.figure_names.size(); ++f) {
    w.begin_object().field("name", r.figure_names[f]).field("unit", engine::unit_name(r.figure_units[f])).end_object();
  }
  w.end_array()
      .field("from", engine::format_timestamp(r.from))
      .field("to", engine::format_timestamp(r.to))
      .field("every", r.every);
  w.key("overlay")
      .begin_object(JsonLayout::kSpaced)
      .field("reference", r.reference)
      .field_number("reduce_to", r.overlay_options.reduce_to)
      .field_number("hedge_ratio", r.overlay_options.hedge_ratio)
      .field_number("cost_bp", r.overlay_options.cost_bp)
      .field("execution", "next step")
      .field("assumptions", assumptions(r))
      .end_object();
  summary_json(w, r, old_replay);
  episodes_and_gaps_json(w, r);
  changes_json(w, r, against);
  steps_json(w, r);
  w.end_object();
  return w.take() + "\n";
}

}  // namespace riskoff::backtest
