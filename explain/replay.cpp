// Running a replay (engine::Replayer at every step) and reading it: changes with their
// because-lines, data gaps, spells, the overlay and episodes; and the diff of two rulesets.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "explain/explanation.hpp"
#include "explain/replay.hpp"

namespace riskoff::explain {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxLeaves = 2;  // deepest signals quoted under a clause's first member
constexpr std::size_t kMaxParts = 2;   // members of the clause's `and` quoted (the second with one signal)

// The deepest signals or groups along the branches with the wanted truth: the facts a person
// checks first. Stops at kMaxLeaves.
void collect_leaves(const Reason& reason, Truth wanted, std::vector<const Reason*>& out) {
  if (out.size() >= kMaxLeaves || reason.truth != wanted) return;
  const std::size_t before = out.size();
  for (const auto& child : reason.children) collect_leaves(child, wanted, out);
  const bool named = reason.kind == "signal" || reason.kind == "group" || reason.kind == "driver" ||
                     reason.kind == "check" || reason.kind == "regime";
  if (out.size() == before && named && out.size() < kMaxLeaves) out.push_back(&reason);
}

// "`signal`: its because-template"; when the template quotes no number, the first comparison
// under it does, so every line reaches the figures.
std::string leaf_text(const Reason& leaf) {
  std::string out = "`" + leaf.subject + "`" + (leaf.text.empty() ? (leaf.title.empty() ? "" : ": " + leaf.title) : ": " + leaf.text);
  if (std::any_of(leaf.text.begin(), leaf.text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return out;
  std::vector<const Reason*> stack = {&leaf};
  while (!stack.empty()) {
    const Reason* reason = stack.back();
    stack.pop_back();
    if (reason != &leaf && reason->kind == "comparison" && reason->truth == leaf.truth) return out + " (" + reason->text + ")";
    for (auto it = reason->children.rbegin(); it != reason->children.rend(); ++it) stack.push_back(&*it);
  }
  return out;
}

// One line for a chain: the first reason with the wanted truth, then its deepest signals. An
// `and` (all) lists its members with that truth, so a HEDGE on two signals names both.
std::string chain_line(const std::vector<Reason>& reasons, Truth wanted) {
  std::string out;
  std::size_t parts = 0;
  for (const auto& reason : reasons) {
    if (parts == kMaxParts) break;
    if (reason.truth != wanted) continue;
    // An any/condition node names nothing: its first child with the wanted truth says more.
    const Reason* head = &reason;
    while ((head->kind == "any" || head->kind == "condition") && !head->children.empty()) {
      const auto it = std::find_if(head->children.begin(), head->children.end(),
                                   [&](const Reason& child) { return child.truth == wanted; });
      if (it == head->children.end()) break;
      head = &*it;
    }
    std::vector<const Reason*> leaves;
    for (const auto& child : head->children) collect_leaves(child, wanted, leaves);
    // A because-line stays short enough to read: two signals under the first member, one under the second.
    leaves.resize(std::min<std::size_t>(leaves.size(), parts == 0 ? kMaxLeaves : 1));
    std::string line = head->kind == "all" && !leaves.empty() ? ""
                       : head->kind == "comparison"           ? head->text
                       : head->kind == "any" && wanted == Truth::kFalse ? "none of `" + head->subject + "` holds"
                                                              : leaf_text(*head);
    for (const Reason* leaf : leaves) line += (line.empty() ? "" : "; ") + leaf_text(*leaf);
    // Top-level reasons are the members of the clause's `and`: each one is part of the answer.
    out += (out.empty() ? "" : "; ") + line;
    ++parts;
  }
  return out;
}

// Why the decision is `to` now and no longer `from`.
std::string change_because(const Explanation& now, const std::string& from) {
  // A higher-ranked action that stopped holding: its first failing condition.
  for (const auto& clause : now.why_not) {
    if (clause.action == from) {
      const Truth wanted = clause.truth == Truth::kUnknown ? Truth::kUnknown : Truth::kFalse;
      const std::string line = chain_line(clause.reasons, wanted);
      return "`" + from + "` no longer holds" + (line.empty() ? "" : ": " + line);
    }
  }
  if (now.because.condition == "otherwise") return "no clause above `otherwise` holds";
  const std::string line = chain_line(now.because.reasons, Truth::kTrue);
  return line.empty() ? now.because.condition : line;
}

std::string regime_of(const engine::Plan& plan, const engine::Evaluation& evaluation,
                      const std::vector<std::pair<std::uint32_t, const dsl::GroupDecl*>>& regimes) {
  if (evaluation.chosen >= 0) {
    const auto& clause = plan.profiles()[evaluation.profile].clauses[static_cast<std::size_t>(evaluation.chosen)];
    if (clause.clause->regime) return clause.clause->regime->value;
  }
  for (const auto& [node, decl] : regimes) {
    if (evaluation.values[node].truth == Truth::kTrue) return decl->title.value;
  }
  return "";
}

// Price of a leg at each step: the last observation at or before the step, NaN before its first.
std::vector<double> leg_prices(const engine::InputData& series, const std::vector<engine::Timestamp>& steps) {
  std::vector<double> out(steps.size(), kNaN);
  std::size_t count = 0;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    while (count < series.times.size() && series.times[count] <= steps[k]) ++count;
    if (count > 0) out[k] = series.values[count - 1];
  }
  return out;
}

// The value of a parameter as the command line writes it.
std::string param_text(const engine::ParamSlot& param, double value) {
  if (param.type.kind == engine::TypeKind::kDuration) {
    return std::fmod(value, 86400) == 0 ? format_figure(value / 86400, engine::Unit::kNumber) + "d"
                                        : format_figure(value / 3600, engine::Unit::kNumber) + "h";
  }
  if (param.type.kind == engine::TypeKind::kBars) return format_figure(value, engine::Unit::kNumber) + " bars";
  if (param.type.kind == engine::TypeKind::kBool) return value != 0 ? "true" : "false";
  return format_figure(value, param.type.unit);
}

// Parameters a symbol reads, directly or through the lets, signals and groups it reads.
void params_read(const engine::Plan& plan, std::uint32_t symbol, const std::vector<std::int64_t>& first_node,
                 std::set<std::uint32_t>& seen, std::set<std::string>& out) {
  if (!seen.insert(symbol).second) return;
  const auto root = plan.symbol_nodes()[symbol];
  if (root < 0) return;
  for (auto node = first_node[symbol]; node <= root; ++node) {
    const auto& plan_node = plan.nodes()[static_cast<std::size_t>(node)];
    if (plan_node.op == engine::NodeOp::kParam) out.insert(plan.params()[plan_node.a].name);
  }
  for (const auto dep : plan.ruleset().symbols[symbol].deps) params_read(plan, dep, first_node, seen, out);
}

// A symbol's nodes are the run ending at its root, after the previous symbol's root.
std::vector<std::int64_t> first_nodes(const engine::Plan& plan) {
  std::vector<std::pair<std::int64_t, std::uint32_t>> roots;
  for (std::uint32_t symbol = 0; symbol < plan.symbol_nodes().size(); ++symbol) {
    if (plan.symbol_nodes()[symbol] >= 0) roots.emplace_back(plan.symbol_nodes()[symbol], symbol);
  }
  std::sort(roots.begin(), roots.end());
  std::vector<std::int64_t> out(plan.symbol_nodes().size(), 0);
  std::int64_t next = 0;
  for (const auto& [root, symbol] : roots) {
    out[symbol] = next;
    next = root + 1;
  }
  return out;
}

void collect_subjects(const std::vector<Reason>& reasons, std::set<std::string>& out) {
  for (const auto& reason : reasons) {
    out.insert(reason.subject);
    collect_subjects(reason.children, out);
  }
}

const Reason* find_subject(const std::vector<Reason>& reasons, const std::string& subject) {
  for (const auto& reason : reasons) {
    if (reason.subject == subject) return &reason;
    if (const Reason* found = find_subject(reason.children, subject)) return found;
  }
  return nullptr;
}

std::string truth_word(Truth truth) {
  return truth == Truth::kTrue ? "true" : truth == Truth::kFalse ? "false" : "unknown";
}

}  // namespace

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

std::vector<engine::Timestamp> replay_steps(const engine::InputData* clock, engine::Timestamp from, engine::Timestamp to,
                                            double every_seconds) {
  std::vector<engine::Timestamp> out;
  if (every_seconds > 0) {
    const auto step = static_cast<engine::Timestamp>(every_seconds);
    for (engine::Timestamp time = from; time <= to; time += step) out.push_back(time);
    return out;
  }
  if (clock == nullptr) return out;
  for (const auto time : clock->times) {
    if (time >= from && time <= to) out.push_back(time);
  }
  return out;
}

std::optional<Replay> run_replay(const engine::Plan& plan, const engine::Snapshot& history,
                                 const std::vector<engine::Timestamp>& steps, const ReplayOptions& options,
                                 std::vector<std::string>& errors) {
  engine::Replayer replayer(plan, history, errors);
  if (!errors.empty()) return std::nullopt;
  if (steps.empty()) {
    errors.push_back("no step to replay between the dates given");
    return std::nullopt;
  }
  Replay out;
  const auto& root = plan.ruleset().root();
  if (root.header) {
    out.ruleset = root.header->name;
    out.version = root.header->version.value;
  }
  out.content_hash = options.content_hash;
  out.profile = plan.profiles()[options.profile].name;
  out.from = steps.front();
  out.to = steps.back();
  out.overlay_options = options.overlay;
  out.episode_threshold = options.episode_threshold;
  double weights = 0;
  for (const auto& leg : options.reference) weights += leg.weight;
  for (const auto& leg : options.reference) {
    if (!out.reference.empty()) out.reference += " + ";
    out.reference += leg.input;
    if (options.reference.size() > 1) out.reference += " " + format_figure(100 * leg.weight / weights, engine::Unit::kNumber) + "%";
  }

  // Groups in declaration order; regime groups for the regime column.
  const auto& rs = plan.ruleset();
  std::vector<std::pair<std::uint32_t, const engine::Symbol*>> groups;
  std::vector<std::pair<std::uint32_t, const dsl::GroupDecl*>> regimes;
  for (std::size_t symbol = 0; symbol < rs.symbols.size(); ++symbol) {
    const auto& sym = rs.symbols[symbol];
    if (sym.kind != engine::SymbolKind::kGroup || plan.symbol_nodes()[symbol] < 0) continue;
    const auto node = static_cast<std::uint32_t>(plan.symbol_nodes()[symbol]);
    groups.emplace_back(node, &sym);
    const auto* decl = static_cast<const dsl::GroupDecl*>(sym.decl);
    if (decl->kind == dsl::GroupKind::kRegime) regimes.emplace_back(node, decl);
  }

  // Key figures: a let's node, or an input's last value (-1 - slot).
  out.figure_names = options.figures.empty() ? default_figures(plan) : options.figures;
  out.figures_in_text = !options.figures.empty();
  std::vector<std::int64_t> figure_sources;
  for (const auto& name : out.figure_names) {
    const auto it = rs.by_name.find(name);
    const auto slot = plan.find_input(name);
    if (slot >= 0) {
      figure_sources.push_back(-1 - slot);
      out.figure_units.push_back(plan.inputs()[static_cast<std::size_t>(slot)].unit);
    } else if (it != rs.by_name.end() && plan.symbol_nodes()[it->second] >= 0 &&
               rs.symbols[it->second].type.kind != engine::TypeKind::kBool) {
      figure_sources.push_back(plan.symbol_nodes()[it->second]);
      out.figure_units.push_back(rs.symbols[it->second].type.unit);
    } else {
      errors.push_back("`" + name + "` is not a number the ruleset computes (a `let` or an input)");
    }
  }
  if (!errors.empty()) return std::nullopt;

  const std::size_t slots = plan.inputs().size();
  out.gaps.resize(slots);
  std::vector<double> decided(steps.size(), kNaN);
  std::vector<std::string> actions(steps.size());
  std::string last_action;
  out.steps.reserve(steps.size());
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const engine::Evaluation& evaluation = replayer.step(steps[k], options.profile, options.overrides);
    StepRow row;
    row.time = steps[k];
    const bool decidable = replayer.missing_required().empty() && evaluation.chosen >= 0;
    if (decidable) {
      row.action = plan.profiles()[options.profile].clauses[static_cast<std::size_t>(evaluation.chosen)].clause->action;
      row.depends_on_unknown = evaluation.depends_on_unknown();
      if (row.depends_on_unknown) ++out.depends_on_unknown;
      decided[k] = exposure_for(row.action, options.overlay);
    } else {
      ++out.undecided;
    }
    row.regime = regime_of(plan, evaluation, regimes);
    for (const auto& [node, sym] : groups) {
      if (evaluation.values[node].truth == Truth::kTrue) row.groups_on.push_back(sym->name);
    }
    row.figures.reserve(figure_sources.size());
    for (const auto source : figure_sources) {
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
    for (std::size_t slot = 0; slot < slots; ++slot) {
      const auto status = replayer.bound().status[slot];
      if (status == engine::InputStatus::kMissing) ++out.gaps[slot].steps_missing;
      if (status == engine::InputStatus::kStale) ++out.gaps[slot].steps_stale;
    }
    if (decidable && row.action != last_action) {
      if (!last_action.empty()) {
        const auto explanation = explain(plan, replayer.bound(), evaluation, options.content_hash);
        out.changes.push_back({row.time, last_action, row.action, change_because(explanation, last_action)});
      }
      last_action = row.action;
    }
    actions[k] = row.action;
    out.steps.push_back(std::move(row));
    if (options.progress) options.progress(k + 1, steps.size());
  }

  // Holes in each input's data inside the period.
  for (std::size_t slot = 0; slot < slots; ++slot) {
    InputGaps& gaps = out.gaps[slot];
    const auto& input = plan.inputs()[slot];
    gaps.name = input.name;
    gaps.optional = input.optional;
    const auto& all = replayer.full_view(slot);
    if (all.data == nullptr || all.times.empty()) continue;
    if (all.times.front() > out.from) gaps.first = all.times.front();
    for (std::size_t k = 1; k < all.times.size(); ++k) {
      if (all.times[k] <= out.from) continue;
      if (all.times[k - 1] > out.to) break;
      const double days = static_cast<double>(all.times[k] - all.times[k - 1]) / 86400.0;
      if (days > gaps.longest_gap_days) {
        gaps.longest_gap_days = days;
        gaps.gap_from = all.times[k - 1];
        gaps.gap_to = all.times[k];
      }
    }
  }

  // Steps per action in the profile's order; longest spells.
  for (const auto& clause : plan.profiles()[options.profile].clauses) {
    const std::string& action = clause.clause->action;
    if (std::none_of(out.steps_per_action.begin(), out.steps_per_action.end(),
                     [&](const auto& entry) { return entry.first == action; })) {
      out.steps_per_action.emplace_back(action, 0);
      out.longest.push_back({action, 0, 0, 0});
    }
  }
  for (std::size_t k = 0; k < steps.size();) {
    std::size_t end = k;
    while (end < steps.size() && actions[end] == actions[k]) ++end;
    for (std::size_t a = 0; a < out.steps_per_action.size(); ++a) {
      if (out.steps_per_action[a].first != actions[k]) continue;
      out.steps_per_action[a].second += end - k;
      if (end - k > out.longest[a].steps) out.longest[a] = {actions[k], steps[k], steps[end - 1], end - k};
    }
    k = end;
  }

  // The reference: a constant mix, rebalanced every step; cash earns nothing.
  std::vector<double> reference_return(steps.size(), 0);
  std::vector<bool> reference_known(steps.size(), false);
  bool all_cash = true;
  for (const auto& leg : options.reference) {
    if (leg.series == nullptr) continue;
    all_cash = false;
    const auto prices = leg_prices(*leg.series, steps);
    std::size_t without = 0;
    for (std::size_t k = 0; k < steps.size(); ++k) {
      if (std::isnan(prices[k])) {
        ++without;
        continue;
      }
      reference_known[k] = true;
      if (k > 0 && !std::isnan(prices[k - 1]) && prices[k - 1] > 0) {
        reference_return[k] += leg.weight / weights * (prices[k] / prices[k - 1] - 1);
      }
    }
    if (without > 0) {
      out.reference_gaps.push_back("`" + leg.input + "` has no price before " + short_time(leg.series->times.front()) +
                                   ": " + std::to_string(without) + " step" + (without == 1 ? "" : "s") +
                                   " earn nothing on this leg");
    }
  }
  out.overlay = compute_overlay(steps, reference_return, decided, options.overlay);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    out.steps[k].reference = reference_known[k] || all_cash ? out.overlay.hold_value[k] * 100 : kNaN;
  }
  out.episodes = find_episodes(steps, out.overlay.hold_value, out.overlay.overlay_value, actions, options.episode_threshold);
  return out;
}

AgainstReport compare_replays(const engine::Plan& new_plan, const engine::Snapshot& new_history, const Replay& new_replay,
                              const engine::Plan& old_plan, const engine::Snapshot& old_history, const Replay& old_replay,
                              const ReplayOptions& new_options, const ReplayOptions& old_options) {
  AgainstReport out;
  out.new_ruleset = new_replay.ruleset + " " + new_replay.version;
  out.old_ruleset = old_replay.ruleset + " " + old_replay.version;
  // Both histories already bound without error when the two replays ran: nothing to report here.
  std::vector<std::string> ignored;
  engine::Replayer new_replayer(new_plan, new_history, ignored);
  engine::Replayer old_replayer(old_plan, old_history, ignored);
  const auto new_first = first_nodes(new_plan);

  // Parameters that differ by name, as each profile sets them (checked at the first step).
  std::map<std::string, std::string> changed;  // name -> "old → new"
  if (!new_replay.steps.empty()) {
    const auto& a = new_replayer.step(new_replay.steps.front().time, new_options.profile, new_options.overrides);
    const auto& b = old_replayer.step(new_replay.steps.front().time, old_options.profile, old_options.overrides);
    for (std::size_t slot = 0; slot < new_plan.params().size(); ++slot) {
      const auto& param = new_plan.params()[slot];
      const auto old_slot = old_plan.find_param(param.name);
      if (old_slot < 0) continue;
      const double before = b.params[static_cast<std::size_t>(old_slot)];
      if (before != a.params[slot]) {
        changed[param.name] = param_text(old_plan.params()[static_cast<std::size_t>(old_slot)], before) + " → " +
                              param_text(param, a.params[slot]);
        out.parameter_changes.push_back("`" + param.name + "` " + changed[param.name]);
      }
    }
  }

  const std::size_t count = std::min(new_replay.steps.size(), old_replay.steps.size());
  for (std::size_t k = 0; k < count; ++k) {
    const StepRow& now = new_replay.steps[k];
    const StepRow& before = old_replay.steps[k];
    if (now.action == before.action) continue;
    DecisionDiff diff;
    diff.time = now.time;
    diff.new_action = now.action;
    diff.old_action = before.action;
    const auto& new_eval = new_replayer.step(now.time, new_options.profile, new_options.overrides);
    const auto& old_eval = old_replayer.step(now.time, old_options.profile, old_options.overrides);
    if (now.action.empty() || before.action.empty()) {
      diff.because = "one ruleset could not decide: a required input had no data yet";
      out.diffs.push_back(std::move(diff));
      continue;
    }
    const auto new_explanation = explain(new_plan, new_replayer.bound(), new_eval, "");
    const auto old_explanation = explain(old_plan, old_replayer.bound(), old_eval, "");
    std::set<std::string> in_chain;
    collect_subjects(new_explanation.because.reasons, in_chain);
    for (const auto& clause : new_explanation.why_not) collect_subjects(clause.reasons, in_chain);
    collect_subjects(old_explanation.because.reasons, in_chain);
    for (const auto& clause : old_explanation.why_not) collect_subjects(clause.reasons, in_chain);

    // The first signal (then group) in dependency order whose truth differs, preferring those
    // the two decisions cite.
    const auto& rs = new_plan.ruleset();
    std::int64_t culprit = -1;
    for (const bool cited_only : {true, false}) {
      for (const auto kind : {engine::SymbolKind::kSignal, engine::SymbolKind::kGroup}) {
        for (const auto symbol : rs.evaluation_order) {
          const auto& sym = rs.symbols[symbol];
          if (sym.kind != kind || new_plan.symbol_nodes()[symbol] < 0) continue;
          if (cited_only && in_chain.count(sym.name) == 0) continue;
          const auto old_symbol = old_plan.ruleset().by_name.find(sym.name);
          if (old_symbol == old_plan.ruleset().by_name.end()) continue;
          const auto old_node = old_plan.symbol_nodes()[old_symbol->second];
          if (old_node < 0) continue;
          const Truth a = new_eval.values[static_cast<std::size_t>(new_plan.symbol_nodes()[symbol])].truth;
          const Truth b = old_eval.values[static_cast<std::size_t>(old_node)].truth;
          if (a != b) {
            culprit = symbol;
            break;
          }
        }
        if (culprit >= 0) break;
      }
      if (culprit >= 0) break;
    }
    if (culprit < 0) {
      diff.because = "the `" + now.action + "` clause reads `" + new_explanation.because.condition +
                     "`; no shared signal or group differs";
      out.diffs.push_back(std::move(diff));
      continue;
    }
    const auto& sym = rs.symbols[static_cast<std::size_t>(culprit)];
    const Truth truth = new_eval.values[static_cast<std::size_t>(new_plan.symbol_nodes()[static_cast<std::size_t>(culprit)])].truth;
    std::set<std::uint32_t> seen;
    std::set<std::string> params;
    params_read(new_plan, static_cast<std::uint32_t>(culprit), new_first, seen, params);
    std::string cause;
    for (const auto& name : params) {
      if (const auto it = changed.find(name); it != changed.end()) {
        cause = "`" + name + "` " + it->second + " made ";
        break;
      }
    }
    diff.because = cause + "`" + sym.name + "` " + truth_word(truth);
    const Reason* reason = find_subject(new_explanation.because.reasons, sym.name);
    if (reason == nullptr) {
      for (const auto& clause : new_explanation.why_not) {
        if ((reason = find_subject(clause.reasons, sym.name)) != nullptr) break;
      }
    }
    if (reason == nullptr) reason = find_subject(old_explanation.because.reasons, sym.name);
    if (reason != nullptr && !reason->text.empty()) diff.because += ": " + reason->text;
    out.diffs.push_back(std::move(diff));
  }
  return out;
}

}  // namespace riskoff::explain
