// Evaluation -> Explanation (data), assembled in the order a reader asks: what was decided and
// on what, because of what, why not the actions ranked above it, the group tables, what is
// closest to flipping, and which inputs were missing or stale. The parts live beside it:
// node_view (look-ups over the evaluation), reasons (the chains), tables (the rest). Rendering
// is in render.cpp.
#include <cmath>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "explain/explanation.hpp"
#include "explain/node_view.hpp"
#include "explain/reasons.hpp"
#include "explain/tables.hpp"

namespace riskoff::explain {
namespace {

using engine::Unit;

// Which ruleset, profile and instant decided, and whether an unknown could have changed it.
void describe_decision(const detail::NodeView& view, std::string content_hash, Explanation& out) {
  const auto& root = view.ruleset().root();
  if (root.header) {
    out.ruleset = root.header->name;
    out.version = root.header->version.value;
  }
  out.content_hash = std::move(content_hash);
  const auto& profile = view.plan().profiles()[view.evaluation().profile];
  out.profile = profile.name;
  if (profile.decl->title) out.profile_title = profile.decl->title->value;
  out.as_of = engine::format_timestamp(view.snapshot().as_of);
  out.depends_on_unknown = view.evaluation().depends_on_unknown();
}

// The chosen clause in full, and the first failure of each clause ranked above it.
void explain_clauses(const detail::NodeView& view, const detail::ReasonBuilder& reasons, Explanation& out) {
  const auto& evaluation = view.evaluation();
  if (evaluation.chosen < 0) return;
  const auto& profile = view.plan().profiles()[evaluation.profile];
  const auto& clause = profile.clauses[static_cast<std::size_t>(evaluation.chosen)];
  out.action = clause.clause->action;
  out.because = reasons.clause_explanation(clause, detail::Detail::kFull);
  out.regime = out.because.regime;
  out.advice = out.because.advice;
  for (std::int64_t index = 0; index < evaluation.chosen; ++index) {
    out.why_not.push_back(
        reasons.clause_explanation(profile.clauses[static_cast<std::size_t>(index)], detail::Detail::kFirstFailure));
  }
}

}  // namespace

// How many decimals a unit shows by default: bp in tenths, percentages in hundredths (funding
// rates, which live in thousandths of a percent, in ten-thousandths), levels in hundredths,
// whole numbers without decimals.
int default_decimals(double value, engine::Unit unit) {
  const double magnitude = std::fabs(value);
  switch (unit) {
    case Unit::kBp: return 1;
    case Unit::kPercent: return magnitude != 0 && magnitude < 0.1 ? 4 : 2;
    case Unit::kNumber: return value == std::floor(value) && magnitude < 1e9 ? 0 : 2;
    case Unit::kUsd:
    case Unit::kIndex: return 2;
  }
  return 2;
}

namespace {

// `value` with `decimals` decimals, trailing zeros dropped down to `least` decimals: the extra
// digits a comparison asks for are shown only where they say something.
std::string fixed(double value, int decimals, int least) {
  // std::to_chars prints as printf("%.*f") does, without parsing a format string: an explanation
  // of 10,000 signals formats tens of thousands of figures (issue 19). printf keeps what to_chars
  // leaves out: NaN and infinity, and numbers too long for the buffer (printed cut short).
  char buffer[64];
  std::string text;
  const auto printed = std::isfinite(value) ? std::to_chars(buffer, buffer + sizeof buffer - 1, value, std::chars_format::fixed, decimals)
                                            : std::to_chars_result{nullptr, std::errc::value_too_large};
  if (printed.ec == std::errc{}) {
    text.assign(buffer, printed.ptr);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    text = buffer;
  }
  if (decimals > least && text.find('.') != std::string::npos) {
    int shown = decimals;
    while (shown > least && text.back() == '0') {
      text.pop_back();
      --shown;
    }
    if (text.back() == '.') text.pop_back();
  }
  if (text.find_first_not_of("-0.") == std::string::npos && text.front() == '-') text.erase(0, 1);  // no "-0.00"
  return text;
}

}  // namespace

std::string format_figure(double value, engine::Unit unit, int extra_decimals) {
  const int least = default_decimals(value, unit);
  const int decimals = least + std::max(0, extra_decimals);
  const double magnitude = std::fabs(value);
  switch (unit) {
    case Unit::kBp: return fixed(value, decimals, least) + "bp";
    case Unit::kPercent: return fixed(value, decimals, least) + "%";
    case Unit::kUsd:
      if (magnitude >= 1e9) return fixed(value / 1e9, decimals, least) + "B usd";
      if (magnitude >= 1e6) return fixed(value / 1e6, decimals, least) + "M usd";
      return fixed(value, decimals, least) + " usd";
    case Unit::kIndex:
    case Unit::kNumber: break;
  }
  return fixed(value, decimals, least);
}

double shown_value(std::string_view text) {
  // std::from_chars reads what format_figure prints (digits, '-', '.', "nan", "inf") as strtod
  // does, correctly rounded, without copying the text to end it with a NUL: every comparison of
  // an explanation reads its two sides back at least once (issue 19). strtod stays for the rest.
  double parsed = 0;
  const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (error == std::errc{}) {
    if (stop != text.data() + text.size() && *stop == 'B') return parsed * 1e9;
    if (stop != text.data() + text.size() && *stop == 'M') return parsed * 1e6;
    return parsed;
  }
  const std::string copy(text);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str()) return std::nan("");
  if (*end == 'B') value *= 1e9;
  else if (*end == 'M') value *= 1e6;
  return value;
}

Explanation explain(const engine::Plan& plan, const engine::BoundSnapshot& snapshot, const engine::Evaluation& evaluation,
                    std::string content_hash) {
  const detail::NodeView view(plan, snapshot, evaluation);
  const detail::ReasonBuilder reasons(view);
  Explanation out;
  describe_decision(view, std::move(content_hash), out);
  explain_clauses(view, reasons, out);
  auto groups = detail::group_tables(view, reasons);
  out.checklist = std::move(groups.checklist);
  out.drivers = std::move(groups.drivers);
  out.regimes = std::move(groups.regimes);
  // A clause that names no regime: the regime group that is on says which one we are in.
  if (out.regime.empty()) {
    for (const auto& regime : out.regimes) {
      if (regime.status == Truth::kTrue) {
        out.regime = regime.title;
        break;
      }
    }
  }
  out.closest = detail::closest_to_flipping(view, reasons);
  out.inputs = detail::input_rows(view);
  return out;
}

Reason symbol_reason(const engine::Plan& plan, const engine::BoundSnapshot& snapshot,
                     const engine::Evaluation& evaluation, std::size_t symbol) {
  const detail::NodeView view(plan, snapshot, evaluation);
  Reason out = detail::ReasonBuilder(view).symbol_reason(symbol, 0);
  // A let is shown by its value where a signal or group is shown by its title.
  if (out.kind == ReasonKind::kCondition && !plan.nodes()[static_cast<std::size_t>(plan.symbol_nodes()[symbol])].is_condition) {
    out.kind = ReasonKind::kValue;
    out.value = detail::figure(view.value(static_cast<std::size_t>(plan.symbol_nodes()[symbol])),
                               plan.ruleset().symbols[symbol].type.unit);
  }
  return out;
}

}  // namespace riskoff::explain
