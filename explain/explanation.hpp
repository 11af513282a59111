// One evaluation as data a person can read: what was decided, because of what (down to the
// numbers), why not the actions ranked above it, the checklist, the drivers table, what is
// closest to flipping, and which inputs were missing or stale. Rendered three ways (text,
// markdown, JSON) by render.cpp; the data is built once by explain().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/evaluate.hpp"
#include "riskoff/explanation.hpp"

namespace riskoff::explain {

using engine::Truth;

// The data types are public (include/riskoff/explanation.hpp): embedders walk them.
using ::riskoff::Figure;
using ::riskoff::Reason;
using ::riskoff::ClauseExplanation;
using ::riskoff::GroupRow;
using ::riskoff::Flip;
using ::riskoff::InputRow;
using ::riskoff::Explanation;
using ::riskoff::DecisionSummary;
using ::riskoff::InputStatus;
using ::riskoff::ReasonKind;

// Builds the explanation. `content_hash` is passed in so callers hash the canonical text once.
Explanation explain(const engine::Plan& plan, const engine::BoundSnapshot& snapshot,
                    const engine::Evaluation& evaluation, std::string content_hash);

// The decision in a few words (DecisionSummary), without building the explanation.
DecisionSummary summarize(const engine::Plan& plan, const engine::BoundSnapshot& snapshot,
                          const engine::Evaluation& evaluation);

// Why symbol `symbol` (a let, signal or group of the plan's ruleset) has its value: the step a
// because-chain shows for it, with the children that decided it.
Reason symbol_reason(const engine::Plan& plan, const engine::BoundSnapshot& snapshot,
                     const engine::Evaluation& evaluation, std::size_t symbol);

enum class Colour : std::uint8_t { kNever, kAlways };
// The short form (what a trader reads in ten seconds) and the full tree with every table.
std::string render_text(const Explanation& explanation, Colour colour);
std::string render_text_verbose(const Explanation& explanation, Colour colour);
// `riskoff eval --profile all`: a line per profile, then what they share.
std::string render_profiles_text(const std::vector<Explanation>& explanations, Colour colour);
std::string render_markdown(const Explanation& explanation);
// Versioned, documented in docs/explanation.md; byte-identical for the same input.
std::string render_json(const Explanation& explanation);

inline constexpr std::string_view kExplanationSchema = "riskoff.explanation/1";

// A number as shown in its unit ("+18.0bp", "1.64%", "2.10B usd"), with the unit's usual
// decimals plus `extra_decimals` where a comparison needs them to print its two sides apart
// (trailing zeros beyond the usual are dropped). The one number policy of the explanation.
std::string format_figure(double value, engine::Unit unit, int extra_decimals = 0);
int default_decimals(double value, engine::Unit unit);
// The number a figure's text shows, read back ("1.2B usd" -> 1.2e9); NaN when there is none.
double shown_value(std::string_view text);

}  // namespace riskoff::explain
