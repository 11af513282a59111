// A replay as text: the header and overlay assumptions, the summary, the overlay beside
// buy-and-hold, episodes, data gaps, the differences against an older ruleset, the changes
// grouped by transition and reason, and which rule fired when; with StepRows::kList every change
// with its figures and one row per step. Same input, same bytes.
#include <algorithm>
#include <cmath>

#include "backtest/figures_row.hpp"
#include "backtest/report.hpp"
#include "backtest/sweep.hpp"
#include "backtest/text_layout.hpp"
#include "backtest/walk_forward.hpp"
#include "explain/explanation.hpp"

namespace riskoff::backtest {
namespace {

using explain::format_figure;

std::string date(engine::Timestamp time) { return short_time(time); }

std::string action_text(const std::string& action) { return action.empty() ? "-" : upper(action); }

std::string episode_timing(const Episode& e) {
  if (!e.left_wait) return "stayed WAIT";
  const double after_peak = static_cast<double>(*e.left_wait - e.peak) / 86400.0;
  const double before_trough = static_cast<double>(e.trough - *e.left_wait) / 86400.0;
  std::string out = upper(e.first_action) + " " + date(*e.left_wait) + " (";
  // Leaving WAIT on the peak's own step is neither before nor after it ("-0d before" read as a
  // sign error); the same holds at the trough.
  if (after_peak == 0) out += "at the peak";
  else if (e.not_wait_at_peak) out += days(-after_peak) + " before the peak";
  else out += days(after_peak) + " after the peak";
  if (before_trough == 0) out += ", at the trough)";
  else out += before_trough > 0 ? ", " + days(before_trough) + " before the trough)" : ", " + days(-before_trough) + " after the trough)";
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

void header_and_summary(std::string& out, const Replay& r) {
  out += "riskoff replay · " + r.ruleset + " " + r.version + " · profile " + r.profile + "\n";
  out += date(r.from) + " → " + date(r.to) + " · " + std::to_string(r.steps.size()) + " steps (" + r.every + ")\n";
  out += wrap("overlay: ", overlay_assumptions(r), 9) + "\n";

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

}

// `--baseline`: every baseline's overlay over the same steps, reference and execution.
void baselines_table(std::string& out, const Replay& r) {
  if (r.baselines.empty()) return;
  out += "Baselines (same steps, same reference, same execution; each with its first profile)\n";
  std::vector<std::pair<std::string, ReplayFigures>> rows = {{r.ruleset + " (" + r.profile + ")", replay_figures(r)}};
  add_baseline_rows(rows, r.baselines);
  rows.push_back({"buy-and-hold", hold_figures(r.overlay)});
  out += figure_rows(rows) + "\n";
}

void overlay_and_episodes(std::string& out, const Replay& r, const Replay* old_replay) {
  out += "Overlay beside buy-and-hold (same steps)\n";
  std::vector<std::pair<std::string, const PathMetrics*>> columns = {{"overlay", &r.overlay.overlay}};
  if (old_replay != nullptr) columns.emplace_back("old overlay", &old_replay->overlay.overlay);
  columns.emplace_back("buy-and-hold", &r.overlay.hold);
  metrics_rows(out, columns, r.overlay.turnover);
  out += "\n";
  baselines_table(out, r);

  out += "Episodes (drawdowns of " + r.reference + " deeper than " + pct_plain(r.episode_threshold) + ")\n";
  if (r.episodes.empty()) out += "  none\n";
  for (const auto& e : r.episodes) {
    out += "  " + date(e.peak) + " → " + date(e.trough) + "  " + pct(e.depth) +
           (e.recovered ? " (recovered " + date(*e.recovered) + ")" : std::string(" (not recovered by the last step)")) + "\n";
    out += wrap("      first left WAIT: ", episode_timing(e), 8);
    out += wrap("      ", "overlay " + pct(e.overlay_depth) + " over the same dates: avoided " + pct_plain(e.avoided) + " of the fall", 8);
  }
  out += "\n";

}

void data_gaps(std::string& out, const Replay& r) {
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

}

void against_section(std::string& out, const AgainstReport* against) {
  if (against != nullptr) {
    out += "Against " + against->old_ruleset + ": " + std::to_string(against->diffs.size()) + " step" +
           (against->diffs.size() == 1 ? "" : "s") + " decide differently\n";
    for (const auto& change : against->parameter_changes) out += "  parameter " + change + "\n";
    for (const auto& d : against->diffs) {
      out += wrap("  " + date(d.time) + ": ", action_text(d.old_action) + " → " + action_text(d.new_action) + " because " + d.because, 6);
    }
    out += "\n";
  }

}

// Every change with its because-line, down to the numbers (with the step rows).
void every_change(std::string& out, const Replay& r) {
  out += "Changes (" + std::to_string(r.changes.size()) + ")\n";
  for (const auto& c : r.changes) {
    out += wrap("  " + date(c.time) + "  " + pad(action_text(c.from) + " → " + action_text(c.to), 16) + " ", "because " + c.because, 30);
  }
}

// Changes between the same two actions for the same reasons (the same signature) on one line,
// under their transition: how often, first and last, and the reason by name. The most frequent
// transitions first, and within each the most frequent reasons.
void grouped_changes(std::string& out, const Replay& r) {
  struct Kind {
    std::string signature;
    std::size_t count = 0;
    engine::Timestamp first = 0, last = 0;
  };
  struct Transition {
    std::string from, to;
    std::size_t count = 0;
    std::vector<Kind> kinds;
  };
  std::vector<Transition> transitions;
  std::size_t kinds = 0;
  for (const auto& c : r.changes) {
    auto t = std::find_if(transitions.begin(), transitions.end(), [&](const auto& one) { return one.from == c.from && one.to == c.to; });
    if (t == transitions.end()) t = transitions.insert(transitions.end(), Transition{c.from, c.to, 0, {}});
    ++t->count;
    auto k = std::find_if(t->kinds.begin(), t->kinds.end(), [&](const auto& one) { return one.signature == c.signature; });
    if (k == t->kinds.end()) {
      k = t->kinds.insert(t->kinds.end(), Kind{c.signature, 0, c.time, c.time});
      ++kinds;
    }
    ++k->count;
    k->last = c.time;
  }
  // Stable sorts keep first appearance as the tie-break: the same input, the same order.
  std::stable_sort(transitions.begin(), transitions.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  auto dates = [](const Kind& k) { return k.count == 1 ? date(k.first) : date(k.first) + " … " + date(k.last); };
  std::size_t date_width = 12;
  for (auto& t : transitions) {
    std::stable_sort(t.kinds.begin(), t.kinds.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
    for (const auto& k : t.kinds) date_width = std::max(date_width, shown_width(dates(k)) + 2);
  }
  out += wrap("", "Changes: " + std::to_string(r.changes.size()) + ", of " + std::to_string(kinds) +
                      (kinds == 1 ? " kind" : " kinds") +
                      " (the same two actions for the same reasons; --steps lists each change with its figures)",
              2);
  if (transitions.empty()) out += "  none\n";
  const std::size_t indent = 4 + 6 + date_width;
  for (const auto& t : transitions) {
    out += "  " + action_text(t.from) + " → " + action_text(t.to) + " (" + std::to_string(t.count) + ")\n";
    for (const auto& k : t.kinds) {
      out += wrap("    " + pad("×" + std::to_string(k.count), 6) + pad(dates(k), date_width), k.signature, indent);
    }
  }
}

// Which rule fired when: each clause of the profile (the one that decided), the undecided
// steps, and each driver and regime (on when it held): steps on, spells, first and last.
void rules_fired(std::string& out, const Replay& r) {
  std::size_t date_width = 12;
  for (const auto& s : r.steps) date_width = std::max(date_width, date(s.time).size() + 2);
  out += "Which rule fired when\n  " + lpad("steps", 6) + lpad("spells", 8) + "  " + pad("first", date_width) +
         pad("last", date_width) + "rule\n";
  const std::size_t indent = 2 + 6 + 8 + 2 + 2 * date_width;
  auto row = [&](const RuleActivity& a, const std::string& rule) {
    const bool on = a.steps > 0;
    out += wrap("  " + lpad(std::to_string(a.steps), 6) + lpad(std::to_string(a.spells), 8) + "  " +
                    pad(on ? date(a.first) : "-", date_width) + pad(on ? date(a.last) : "-", date_width),
                rule, indent);
  };
  for (std::size_t c = 0; c < r.clauses.size(); ++c) row(clause_activity(r, static_cast<std::int32_t>(c)), r.clauses[c]);
  if (r.undecided > 0) row(clause_activity(r, -1), "undecided (a required input had no data yet)");
  for (const auto kind : {dsl::GroupKind::kDriver, dsl::GroupKind::kRegime}) {
    for (const auto& g : r.groups) {
      if (g.kind != kind) continue;
      row(group_activity(r, g.name), std::string(kind == dsl::GroupKind::kDriver ? "driver " : "regime ") + g.name + ": " + g.title);
    }
  }
}

void step_rows(std::string& out, const Replay& r) {
  // The time column fits intraday steps ("2020-01-02T23:00Z") as well as dates.
  std::size_t time_width = 11;
  for (const auto& s : r.steps) time_width = std::max(time_width, date(s.time).size() + 1);
  out += "Steps\n  " + pad("time", time_width) + pad("action", 8) + lpad("reference", 10) + "  " + pad("regime", 28) + "groups on" +
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
}

}  // namespace

std::string render_replay_text(const Replay& r, const AgainstReport* against, const Replay* old_replay, StepRows rows) {
  std::string out;
  header_and_summary(out, r);
  overlay_and_episodes(out, r, old_replay);
  data_gaps(out, r);
  against_section(out, against);
  if (rows == StepRows::kList) every_change(out, r);
  else grouped_changes(out, r);
  out += "\n";
  rules_fired(out, r);
  if (rows == StepRows::kList) {
    out += "\n";
    step_rows(out, r);
  }
  return out;
}

}  // namespace riskoff::backtest
