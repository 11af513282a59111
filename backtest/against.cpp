// Two rulesets over the same steps: the parameters that differ, and for every step decided
// differently, the first signal or group responsible and the changed parameter it reads.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "backtest/against.hpp"
#include "explain/explanation.hpp"

namespace riskoff::backtest {
namespace {

using explain::format_figure;
using explain::Reason;
using explain::Truth;

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

// Parameters a symbol reads, directly or through the lets, signals and groups it reads. A work
// list, not recursion: a chain of lets may be as long as the checker's limits allow (tens of
// thousands), far deeper than the native stack.
void params_read(const engine::Plan& plan, std::uint32_t start, const std::vector<std::int64_t>& first_node,
                 std::set<std::uint32_t>& seen, std::set<std::string>& out) {
  std::vector<std::uint32_t> pending{start};
  while (!pending.empty()) {
    const std::uint32_t symbol = pending.back();
    pending.pop_back();
    if (!seen.insert(symbol).second) continue;
    const auto root = plan.symbol_nodes()[symbol];
    if (root < 0) continue;
    for (auto node = first_node[symbol]; node <= root; ++node) {
      const auto& plan_node = plan.nodes()[static_cast<std::size_t>(node)];
      if (plan_node.op == engine::NodeOp::kParam) out.insert(plan.params()[plan_node.a].name);
    }
    const auto& deps = plan.ruleset().symbols[symbol].deps;
    pending.insert(pending.end(), deps.begin(), deps.end());
  }
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
    const auto& a = new_replayer.step(new_replay.steps.front().decided_at, new_options.profile, new_options.overrides);
    const auto& b = old_replayer.step(new_replay.steps.front().decided_at, old_options.profile, old_options.overrides);
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
    const auto& new_eval = new_replayer.step(now.decided_at, new_options.profile, new_options.overrides);
    const auto& old_eval = old_replayer.step(now.decided_at, old_options.profile, old_options.overrides);
    if (now.action.empty() || before.action.empty()) {
      diff.because = "one ruleset could not decide: a required input had no data yet";
      out.diffs.push_back(std::move(diff));
      continue;
    }
    const auto new_explanation = explain::explain(new_plan, new_replayer.bound(), new_eval, "");
    const auto old_explanation = explain::explain(old_plan, old_replayer.bound(), old_eval, "");
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

}  // namespace riskoff::backtest
