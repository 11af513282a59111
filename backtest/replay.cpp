// Running a replay: engine::Replayer at every step, then reading the steps in named passes
// (changes with their because-lines, data gaps, spells, the overlay, episodes). Each pass is a
// small function below; run_replay() at the end lists them in order.
#include <algorithm>
#include <cmath>
#include <limits>

#include "backtest/because.hpp"
#include "backtest/reference.hpp"
#include "backtest/replay.hpp"
#include "explain/explanation.hpp"

namespace riskoff::backtest {
namespace {

using engine::kNaN;

using explain::Truth;

// What a step reads besides the decision: groups in declaration order, the regime groups for
// the regime column, and where each key figure comes from (a let's node, or -1 - input slot
// for an input's last value).
struct StepReading {
  std::vector<std::pair<std::uint32_t, const engine::Symbol*>> groups;
  std::vector<std::pair<std::uint32_t, const dsl::GroupDecl*>> regimes;
  std::vector<std::int64_t> figure_sources;
};

// The header a report starts with: which ruleset, profile, period and overlay assumptions.
Replay describe_replay(const engine::Plan& plan, const std::vector<engine::Timestamp>& dates, const ReplayOptions& options) {
  Replay out;
  const auto& root = plan.ruleset().root();
  if (root.header) {
    out.ruleset = root.header->name;
    out.version = root.header->version.value;
  }
  out.content_hash = options.content_hash;
  out.profile = plan.profiles()[options.profile].name;
  out.from = dates.front();
  out.to = dates.back();
  out.overlay_options = options.overlay;
  out.episode_threshold = options.episode_threshold;
  out.reference = reference_name(options.reference);
  for (const auto& clause : plan.profiles()[options.profile].clauses) {
    const dsl::Clause& c = *clause.clause;
    out.clauses.push_back(c.action + (c.condition ? " when " + dsl::to_source(*c.condition) : " otherwise"));
  }
  const auto& rs = plan.ruleset();
  for (std::size_t symbol = 0; symbol < rs.symbols.size(); ++symbol) {
    const auto& sym = rs.symbols[symbol];
    if (sym.kind != engine::SymbolKind::kGroup || plan.symbol_nodes()[symbol] < 0) continue;
    const auto* decl = static_cast<const dsl::GroupDecl*>(sym.decl);
    out.groups.push_back({sym.name, decl->title.value, decl->kind});
  }
  return out;
}

// Groups are looked up once, not at every step: the group columns and the regime column.
void find_groups(const engine::Plan& plan, StepReading& reading) {
  const auto& rs = plan.ruleset();
  for (std::size_t symbol = 0; symbol < rs.symbols.size(); ++symbol) {
    const auto& sym = rs.symbols[symbol];
    if (sym.kind != engine::SymbolKind::kGroup || plan.symbol_nodes()[symbol] < 0) continue;
    const auto node = static_cast<std::uint32_t>(plan.symbol_nodes()[symbol]);
    reading.groups.emplace_back(node, &sym);
    const auto* decl = static_cast<const dsl::GroupDecl*>(sym.decl);
    if (decl->kind == dsl::GroupKind::kRegime) reading.regimes.emplace_back(node, decl);
  }
}

// Key figures are names the user may have mistyped: each must be a number the ruleset computes.
void resolve_figures(const engine::Plan& plan, const ReplayOptions& options, Replay& out, StepReading& reading,
                     std::vector<std::string>& errors) {
  const auto& rs = plan.ruleset();
  out.figure_names = options.figures.empty() ? default_figures(plan) : options.figures;
  out.figures_in_text = !options.figures.empty();
  for (const auto& name : out.figure_names) {
    const auto it = rs.by_name.find(name);
    const auto slot = plan.find_input(name);
    if (slot >= 0) {
      reading.figure_sources.push_back(-1 - slot);
      out.figure_units.push_back(plan.inputs()[static_cast<std::size_t>(slot)].unit);
    } else if (it != rs.by_name.end() && plan.symbol_nodes()[it->second] >= 0 &&
               rs.symbols[it->second].type.kind != engine::TypeKind::kBool) {
      reading.figure_sources.push_back(plan.symbol_nodes()[it->second]);
      out.figure_units.push_back(rs.symbols[it->second].type.unit);
    } else {
      errors.push_back("`" + name + "` is not a number the ruleset computes (a `let` or an input)");
    }
  }
}

// The regime column: the chosen clause's regime, else the first regime group that holds.
std::string regime_of(const engine::Plan& plan, const engine::Evaluation& evaluation, const StepReading& reading) {
  if (evaluation.chosen >= 0) {
    const auto& clause = plan.profiles()[evaluation.profile].clauses[static_cast<std::size_t>(evaluation.chosen)];
    if (clause.clause->regime) return clause.clause->regime->value;
  }
  for (const auto& [node, decl] : reading.regimes) {
    if (evaluation.values[node].truth == Truth::kTrue) return decl->title.value;
  }
  return "";
}

// One row from the step just taken. A step with a required input missing is left undecided
// (empty action) rather than decided on a hole, as `eval` would refuse it.
StepRow read_step(const engine::Plan& plan, const engine::Replayer& replayer, const engine::Evaluation& evaluation,
                  engine::Timestamp date, engine::Timestamp time, std::uint32_t profile, const StepReading& reading) {
  StepRow row;
  row.time = date;
  row.decided_at = time;
  if (replayer.missing_required().empty() && evaluation.chosen >= 0) {
    row.action = plan.profiles()[profile].clauses[static_cast<std::size_t>(evaluation.chosen)].clause->action;
    row.clause = static_cast<std::int32_t>(evaluation.chosen);
    row.depends_on_unknown = evaluation.depends_on_unknown();
  }
  row.regime = regime_of(plan, evaluation, reading);
  for (const auto& [node, sym] : reading.groups) {
    if (evaluation.values[node].truth == Truth::kTrue) row.groups_on.push_back(sym->name);
  }
  row.figures.reserve(reading.figure_sources.size());
  for (const auto source : reading.figure_sources) {
    if (source < 0) {
      const auto slot = static_cast<std::size_t>(-1 - source);
      const auto& view = replayer.bound().inputs[slot];
      const bool usable = view.data != nullptr && replayer.bound().status[slot] == engine::InputStatus::kOk;
      row.figures.push_back(usable ? view.values.back() : kNaN);
    } else {
      const auto& value = evaluation.values[static_cast<std::size_t>(source)];
      row.figures.push_back(value.number == value.upper ? value.number : kNaN);  // a range is not one figure
    }
  }
  return row;
}

// Every step in order, without look-ahead; the because-line of a change is read at the step it
// happens, while the replayer still holds that step's data.
void step_every_instant(const engine::Plan& plan, engine::Replayer& replayer, const std::vector<engine::Timestamp>& steps,
                        const std::vector<engine::Timestamp>& dates, const ReplayOptions& options, const StepReading& reading,
                        Replay& out) {
  out.gaps.resize(plan.inputs().size());
  out.steps.reserve(steps.size());
  std::string last_action;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const engine::Evaluation& evaluation = replayer.step(steps[k], options.profile, options.overrides);
    StepRow row = read_step(plan, replayer, evaluation, dates[k], steps[k], options.profile, reading);
    if (row.action.empty()) ++out.undecided;
    if (row.depends_on_unknown) ++out.depends_on_unknown;
    tally_step_gaps(replayer.bound(), out.gaps);
    if (!row.action.empty() && row.action != last_action) {
      if (!last_action.empty() && options.reasons == ChangeReasons::kOmit) {
        out.changes.push_back({row.time, last_action, row.action, "", ""});
      } else if (!last_action.empty()) {
        const auto explanation = explain::explain(plan, replayer.bound(), evaluation, options.content_hash);
        out.changes.push_back({row.time, last_action, row.action, change_because(explanation, last_action),
                               change_signature(explanation, last_action)});
      }
      last_action = row.action;
    }
    out.steps.push_back(std::move(row));
    if (options.progress) options.progress(k + 1, steps.size());
  }
}

// Steps per action in the profile's order, and each action's longest spell: how the time split.
void count_spells(const engine::Plan& plan, std::uint32_t profile, Replay& out) {
  for (const auto& clause : plan.profiles()[profile].clauses) {
    const std::string& action = clause.clause->action;
    if (std::none_of(out.steps_per_action.begin(), out.steps_per_action.end(),
                     [&](const auto& entry) { return entry.first == action; })) {
      out.steps_per_action.emplace_back(action, 0);
      out.longest.push_back({action, 0, 0, 0});
    }
  }
  const auto& steps = out.steps;
  for (std::size_t k = 0; k < steps.size();) {
    std::size_t end = k;
    while (end < steps.size() && steps[end].action == steps[k].action) ++end;
    for (std::size_t a = 0; a < out.steps_per_action.size(); ++a) {
      if (out.steps_per_action[a].first != steps[k].action) continue;
      out.steps_per_action[a].second += end - k;
      if (end - k > out.longest[a].steps) out.longest[a] = {steps[k].action, steps[k].time, steps[end - 1].time, end - k};
    }
    k = end;
  }
}

// The overlay follows the decisions: each decided step's exposure (NaN: undecided, hold on).
// Prices are those known at each step's instant; drawdowns are dated by the steps' own dates.
void follow_with_overlay(const std::vector<engine::Timestamp>& steps, const std::vector<engine::Timestamp>& dates,
                         const ReplayOptions& options, Replay& out) {
  ReferencePath reference = reference_path(options.reference, steps, options.overlay.next_open);
  out.reference_gaps = std::move(reference.gaps);
  std::vector<double> decided(steps.size(), kNaN);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    if (!out.steps[k].action.empty()) decided[k] = exposure_for(out.steps[k].action, options.overlay);
  }
  out.overlay = compute_overlay(dates, reference.step_return, decided, options.overlay, reference.open_gap);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    out.steps[k].reference = reference.known[k] || reference.all_cash ? out.overlay.hold_value[k] * 100 : kNaN;
  }
}

// The reference's deep drawdowns, and what the ruleset did in each.
void find_replay_episodes(const std::vector<engine::Timestamp>& steps, const ReplayOptions& options, Replay& out) {
  std::vector<std::string> actions;
  actions.reserve(out.steps.size());
  for (const auto& row : out.steps) actions.push_back(row.action);
  out.episodes = find_episodes(steps, out.overlay.hold_value, out.overlay.overlay_value, actions, options.episode_threshold);
}

}  // namespace

namespace {

template <typename On>
RuleActivity activity(const Replay& replay, On on) {
  RuleActivity out;
  bool was_on = false;
  for (const auto& step : replay.steps) {
    const bool is_on = on(step);
    if (is_on) {
      if (out.steps == 0) out.first = step.time;
      out.last = step.time;
      ++out.steps;
      if (!was_on) ++out.spells;
    }
    was_on = is_on;
  }
  return out;
}

}  // namespace

bool group_on(const StepRow& step, const std::string& group) {
  return std::find(step.groups_on.begin(), step.groups_on.end(), group) != step.groups_on.end();
}

RuleActivity clause_activity(const Replay& replay, std::int32_t clause) {
  return activity(replay, [clause](const StepRow& step) { return clause < 0 ? step.action.empty() : step.clause == clause; });
}

RuleActivity group_activity(const Replay& replay, const std::string& group) {
  return activity(replay, [&group](const StepRow& step) { return group_on(step, group); });
}

std::vector<std::string> default_figures(const engine::Plan& plan) {
  std::vector<std::string> out;
  for (const auto& symbol : plan.ruleset().symbols) {
    if (symbol.kind == engine::SymbolKind::kLet && symbol.type.kind != engine::TypeKind::kBool &&
        symbol.name.find('.') == std::string::npos) {
      out.push_back(symbol.name);
    }
  }
  return out;
}

std::optional<Replay> run_replay(const engine::Plan& plan, const engine::Snapshot& history,
                                 const std::vector<engine::Timestamp>& steps, const ReplayOptions& options,
                                 std::vector<std::string>& errors) {
  engine::Replayer replayer(plan, history, errors);  // bind the history: names and units checked once
  if (!errors.empty()) return std::nullopt;
  if (steps.empty()) {
    errors.push_back("no step to replay between the dates given");
    return std::nullopt;
  }
  if (!options.step_dates.empty() && options.step_dates.size() != steps.size()) {
    errors.push_back("internal: " + std::to_string(options.step_dates.size()) + " step dates for " + std::to_string(steps.size()) + " steps");
    return std::nullopt;
  }
  const std::vector<engine::Timestamp>& dates = options.step_dates.empty() ? steps : options.step_dates;
  Replay out = describe_replay(plan, dates, options);
  StepReading reading;
  find_groups(plan, reading);
  resolve_figures(plan, options, out, reading, errors);
  if (!errors.empty()) return std::nullopt;
  step_every_instant(plan, replayer, steps, dates, options, reading, out);
  measure_gaps(plan, replayer, out.from, out.to, out.gaps);
  count_spells(plan, options.profile, out);
  follow_with_overlay(steps, dates, options, out);
  find_replay_episodes(dates, options, out);
  return out;
}

}  // namespace riskoff::backtest
