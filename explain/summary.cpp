// Evaluation -> DecisionSummary: the decision in a few words, read straight off the plan and the
// node values. None of explain()'s chains, tables or flips is built: a client that only acts on
// the answer (`POST /v1/decide` with `formats: ["summary"]`) pays for the decision, not its story.
#include "explain/explanation.hpp"
#include "explain/node_view.hpp"
#include "explain/text_layout.hpp"

namespace riskoff::explain {

DecisionSummary summarize(const engine::Plan& plan, const engine::BoundSnapshot& snapshot,
                          const engine::Evaluation& evaluation) {
  DecisionSummary out;
  const auto& profile = plan.profiles()[evaluation.profile];
  out.profile = profile.name;
  out.as_of = engine::format_timestamp(snapshot.as_of);
  out.depends_on_unknown = evaluation.depends_on_unknown();
  std::string condition;
  if (evaluation.chosen >= 0) {
    const auto& clause = profile.clauses[static_cast<std::size_t>(evaluation.chosen)];
    out.action = clause.clause->action;
    if (clause.clause->regime) out.regime = clause.clause->regime->value;
    if (clause.clause->advice) out.advice = clause.clause->advice->value;
    condition = clause.node < 0 ? "otherwise" : detail::source(plan.nodes()[static_cast<std::size_t>(clause.node)]);
  }
  // As explain(): a clause that names no regime takes the first regime group that is on.
  const auto& symbols = plan.ruleset().symbols;
  for (std::size_t symbol = 0; out.regime.empty() && symbol < symbols.size(); ++symbol) {
    if (symbols[symbol].kind != engine::SymbolKind::kGroup) continue;
    const auto* decl = static_cast<const dsl::GroupDecl*>(symbols[symbol].decl);
    const auto node = plan.symbol_nodes()[symbol];
    if (decl->kind != dsl::GroupKind::kRegime || node < 0) continue;
    if (evaluation.values[static_cast<std::size_t>(node)].truth == Truth::kTrue) out.regime = decl->title.value;
  }
  // The same words as the text explanation's first line and its BECAUSE line (unwrapped).
  const detail::Painter plain(Colour::kNever);
  out.headline = detail::headline(plain, out.action, out.profile, out.as_of);
  out.because = out.action + " " + detail::because_clause(condition);
  return out;
}

}  // namespace riskoff::explain
