// Decision: the action, the explanation (built once, on first request) and every named value.
#include <cmath>
#include <limits>
#include <optional>

#include "api/impl.hpp"
#include "explain/explanation.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff {
namespace {

const Decision::Impl& traced(const Decision::Impl& impl) {
  if (!impl.keep_trace) {
    throw std::logic_error("riskoff::Decision: evaluated with keep_trace = false, so it has no explanation or values");
  }
  return impl;
}

// The public kind of a symbol a caller can ask for the value of; none for the others.
std::optional<SymbolKind> public_kind(engine::SymbolKind kind) {
  switch (kind) {
    case engine::SymbolKind::kInput: return SymbolKind::kInput;
    case engine::SymbolKind::kLet: return SymbolKind::kLet;
    case engine::SymbolKind::kSignal: return SymbolKind::kSignal;
    case engine::SymbolKind::kGroup: return SymbolKind::kGroup;
    default: return std::nullopt;
  }
}

}  // namespace

const std::string& Decision::action() const { return impl_->action; }
const std::string& Decision::profile() const { return impl_->profile; }
bool Decision::depends_on_unknown() const { return impl_->evaluation.depends_on_unknown(); }
bool Decision::has_trace() const { return impl_->keep_trace; }
const std::vector<std::string>& Decision::unused_inputs() const { return impl_->unused_inputs; }

std::string Decision::as_of() const { return engine::format_timestamp(impl_->as_of); }

const Explanation& Decision::explanation() const {
  const Impl& impl = traced(*impl_);
  std::call_once(impl.explained, [&impl] {
    impl.explanation = explain::explain(*impl.ruleset->plan, impl.bound, impl.evaluation, impl.ruleset->content_hash);
    impl.explanation.unused_inputs = impl.unused_inputs;
  });
  return impl.explanation;
}

DecisionSummary Decision::summary() const {
  const Impl& impl = traced(*impl_);
  return explain::summarize(*impl.ruleset->plan, impl.bound, impl.evaluation);
}

std::string Decision::render(Format format) const {
  const auto slot = static_cast<std::size_t>(format);
  if (slot < impl_->rendered.size() && impl_->rendered[slot]) return *impl_->rendered[slot];
  return riskoff::render(explanation(), format);
}

std::vector<SymbolValue> Decision::values() const {
  const Impl& impl = traced(*impl_);
  const engine::Plan& plan = *impl.ruleset->plan;
  const engine::CheckedRuleset& checked = plan.ruleset();
  std::vector<SymbolValue> out;
  constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t slot = 0; slot < plan.inputs().size(); ++slot) {
    const auto& input = plan.inputs()[slot];
    SymbolValue value{input.name, SymbolKind::kInput, false, Truth::kUnknown, kUnknown, kUnknown, input.unit};
    // Missing and stale inputs read as unknown, as the rules see them.
    const engine::SeriesView& view = impl.bound.inputs[slot];
    if (view.data != nullptr && !view.values.empty() && impl.bound.status[slot] == engine::InputStatus::kOk) {
      value.number = value.upper = view.values.back();
    }
    out.push_back(std::move(value));
  }
  for (const std::uint32_t symbol : checked.evaluation_order) {
    const engine::Symbol& sym = checked.symbols[symbol];
    const std::int64_t node = plan.symbol_nodes()[symbol];
    const auto kind = public_kind(sym.kind);
    if (node < 0 || !kind) continue;
    const engine::NodeValue& result = impl.evaluation.values[static_cast<std::size_t>(node)];
    SymbolValue value;
    value.name = sym.name;
    value.kind = *kind;
    value.is_condition = plan.nodes()[static_cast<std::size_t>(node)].is_condition;
    value.truth = result.truth;
    value.number = result.number;
    value.upper = result.upper;
    value.unit = sym.type.unit;
    out.push_back(std::move(value));
  }
  return out;
}

std::optional<SymbolValue> Decision::value(std::string_view name) const {
  for (auto& value : values()) {
    if (value.name == name) return std::move(value);
  }
  return std::nullopt;
}

std::optional<Reason> explain_value(const Decision& decision, std::string_view name) {
  const Decision::Impl& impl = traced(ApiAccess::of(decision));
  const engine::Plan& plan = *impl.ruleset->plan;
  const auto& symbols = plan.ruleset().symbols;
  for (std::size_t symbol = 0; symbol < symbols.size(); ++symbol) {
    const auto kind = public_kind(symbols[symbol].kind);
    if (symbols[symbol].name != name || !kind || *kind == SymbolKind::kInput || plan.symbol_nodes()[symbol] < 0) continue;
    return explain::symbol_reason(plan, impl.bound, impl.evaluation, symbol);
  }
  return std::nullopt;
}

std::string render(const Explanation& explanation, Format format) {
  switch (format) {
    case Format::kMarkdown: return explain::render_markdown(explanation);
    case Format::kJson: return explain::render_json(explanation);
    case Format::kTextColour: return explain::render_text(explanation, explain::Colour::kAlways);
    case Format::kTextVerbose: return explain::render_text_verbose(explanation, explain::Colour::kNever);
    case Format::kTextVerboseColour: return explain::render_text_verbose(explanation, explain::Colour::kAlways);
    case Format::kText: break;
  }
  return explain::render_text(explanation, explain::Colour::kNever);
}

std::string render_profiles(const std::vector<Explanation>& explanations, Format format) {
  std::string out;
  switch (format) {
    case Format::kJson:
      out = "[\n";
      for (std::size_t index = 0; index < explanations.size(); ++index) {
        std::string one = explain::render_json(explanations[index]);
        out += one.substr(0, one.size() - 1) + (index + 1 < explanations.size() ? ",\n" : "\n");
      }
      return out + "]\n";
    case Format::kMarkdown:
      for (const auto& explanation : explanations) out += (out.empty() ? "" : "\n---\n\n") + explain::render_markdown(explanation);
      return out;
    case Format::kTextColour:
    case Format::kTextVerboseColour:
      return explain::render_profiles_text(explanations, explain::Colour::kAlways);
    case Format::kText:
    case Format::kTextVerbose:
      break;
  }
  return explain::render_profiles_text(explanations, explain::Colour::kNever);
}

std::string_view library_version() { return RISKOFF_VERSION_STRING; }
std::optional<std::int64_t> parse_time(std::string_view text) { return engine::parse_timestamp(text); }
std::string format_time(std::int64_t time) { return engine::format_timestamp(time); }
std::optional<std::int64_t> parse_as_of(std::string_view text) {
  auto time = engine::parse_timestamp(text);
  if (time && text.size() == 10) *time += 86400 - 1;  // a date alone: its last second
  return time;
}

std::optional<Unit> parse_unit(std::string_view text) {
  Unit unit = Unit::kNumber;
  if (text == "%") return Unit::kPercent;
  if (engine::parse_unit(text, unit)) return unit;
  return std::nullopt;
}

}  // namespace riskoff
