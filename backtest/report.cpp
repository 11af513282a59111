// A replay as CSV (one row per step) and JSON (`riskoff.replay/1`, docs/replay.md); the text
// report is report_text.cpp, the chart chart_svg.cpp. Same input, same bytes.
#include <cmath>
#include <cstdio>

#include "support/json_writer.hpp"

#include "backtest/figures_row.hpp"
#include "backtest/report.hpp"
#include "backtest/text_layout.hpp"

namespace riskoff::backtest {

std::string overlay_assumptions(const Replay& r) {
  const auto& o = r.overlay_options;
  std::string out = "holds " + r.reference + " at " + pct_plain(1) + " on WAIT, " + pct_plain(o.reduce_to) +
                    " on REDUCE, " + pct_plain(1 - o.hedge_ratio) + " on HEDGE (hedge ratio " +
                    printf_text("%g", o.hedge_ratio) + "); a decision at a step's close is traded at the next step's " +
                    (o.next_open ? "open (the night's gap at the exposure held before; a step without an open at "
                                   "its close); "
                                 : "price; ");
  out += o.cost_bp > 0 ? printf_text("%g", o.cost_bp) + "bp per unit of exposure traded" : "no costs (--cost-bp)";
  out += "; no interest on cash, no dividends beyond what the price series holds";
  return out;
}

ReplayHeader replay_header(const Replay& r) {
  return {.ruleset = r.ruleset,
          .version = r.version,
          .profile = r.profile,
          .every = r.every,
          .reference = r.reference,
          .assumptions = overlay_assumptions(r),
          .from = r.from,
          .to = r.to,
          .steps = r.steps.size()};
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
  w.field_number("turnover", r.overlay.turnover);
  write_baselines(w, r.baselines);  // only with --baseline: replays without one keep their bytes
  w.end_object();
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
      .field("execution", r.overlay_options.next_open ? "next open" : "next step")
      .field("assumptions", overlay_assumptions(r))
      .end_object();
  summary_json(w, r, old_replay);
  episodes_and_gaps_json(w, r);
  changes_json(w, r, against);
  steps_json(w, r);
  w.end_object();
  return w.take() + "\n";
}

}  // namespace riskoff::backtest
