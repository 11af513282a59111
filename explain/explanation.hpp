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
using ::riskoff::InputStatus;
using ::riskoff::ReasonKind;

// Builds the explanation. `content_hash` is passed in so callers hash the canonical text once.
Explanation explain(const engine::Plan& plan, const engine::BoundSnapshot& snapshot,
                    const engine::Evaluation& evaluation, std::string content_hash);

enum class Colour : std::uint8_t { kNever, kAlways };
std::string render_text(const Explanation& explanation, Colour colour);
std::string render_markdown(const Explanation& explanation);
// Versioned, documented in docs/explanation.md; byte-identical for the same input.
std::string render_json(const Explanation& explanation);

inline constexpr std::string_view kExplanationSchema = "riskoff.explanation/1";

std::string format_figure(double value, engine::Unit unit);

}  // namespace riskoff::explain
