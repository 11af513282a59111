// The read-only view of an evaluated decision that the rest of explain/ describes.
#include "explain/node_view.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

namespace riskoff::explain::detail {
namespace {

using engine::NodeOp;
using engine::NodeValue;
using engine::SymbolKind;
using engine::Unit;

std::string truth_word(Truth truth) {
  return truth == Truth::kTrue ? "true" : truth == Truth::kFalse ? "false" : "unknown";
}

// Durations are held in seconds and shown as days or hours; bar counts say "bars".
std::optional<std::string> window_text(double value, engine::TypeKind kind) {
  if (kind == engine::TypeKind::kDuration) {
    return std::fmod(value, 86400) == 0 ? format_figure(value / 86400, Unit::kNumber) + "d"
                                        : format_figure(value / 3600, Unit::kNumber) + "h";
  }
  if (kind == engine::TypeKind::kBars) return format_figure(value, Unit::kNumber) + " bars";
  return std::nullopt;
}

}  // namespace

bool known(const NodeValue& value) { return !std::isnan(value.number); }

Figure figure(const NodeValue& value, Unit unit, int extra_decimals) {
  Figure out;
  out.unit = unit;
  out.known = known(value);
  if (!out.known) {
    out.text = "unknown";
    return out;
  }
  out.value = value.number;
  out.upper = value.upper;
  out.text = format_figure(value.number, unit, extra_decimals);
  if (value.upper != value.number) out.text += "-" + format_figure(value.upper, unit, extra_decimals);
  return out;
}

Figure signed_figure(const NodeValue& value, Unit unit, const engine::PlanNode& node, int extra_decimals) {
  Figure out = figure(value, unit, extra_decimals);
  const bool computed = node.op != NodeOp::kConst && node.op != NodeOp::kParam && node.op != NodeOp::kInput;
  if (out.known && computed && unit == Unit::kBp && value.number > 0) out.text = "+" + out.text;
  return out;
}

std::string source(const engine::PlanNode& node) { return node.expr != nullptr ? dsl::to_source(*node.expr) : ""; }

NodeView::NodeView(const engine::Plan& plan, const engine::BoundSnapshot& snapshot,
                   const engine::Evaluation& evaluation)
    : plan_(plan), snapshot_(snapshot), eval_(evaluation) {
  // Which symbol owns each node: a symbol's nodes end at its root, in compile order.
  owner_.assign(plan.nodes().size(), -1);
  std::vector<std::pair<std::int64_t, std::int64_t>> roots;  // root node, symbol
  for (std::size_t symbol = 0; symbol < plan.symbol_nodes().size(); ++symbol) {
    if (plan.symbol_nodes()[symbol] >= 0) roots.emplace_back(plan.symbol_nodes()[symbol], symbol);
  }
  std::sort(roots.begin(), roots.end());
  std::size_t next = 0;
  for (std::size_t node = 0; node < plan.nodes().size(); ++node) {
    while (next < roots.size() && roots[next].first < static_cast<std::int64_t>(node)) ++next;
    if (next < roots.size()) owner_[node] = roots[next].second;
  }
  // Sources with no module map to module 0, as the scan this replaces answered.
  const auto& modules = plan.ruleset().modules;
  for (std::size_t module = modules.size(); module-- > 0;) {
    const auto source = static_cast<std::size_t>(modules[module]->source);
    if (source >= module_by_source_.size()) module_by_source_.resize(source + 1, 0);
    module_by_source_[source] = static_cast<std::uint32_t>(module);
  }
}

std::size_t NodeView::module_of(std::int64_t symbol) const {
  const auto source = static_cast<std::size_t>(ruleset().symbols[static_cast<std::size_t>(symbol)].source);
  return source < module_by_source_.size() ? module_by_source_[source] : 0;
}

Unit NodeView::unit_of(const dsl::Expr* expr) const {
  if (expr == nullptr) return Unit::kNumber;
  const engine::Type* type = ruleset().types.find(expr);
  return type == nullptr ? Unit::kNumber : type->unit;
}

bool NodeView::untyped(const dsl::Expr* expr) const {
  if (expr == nullptr) return true;
  const engine::Type* type = ruleset().types.find(expr);
  return type == nullptr || type->untyped;
}

std::string NodeView::render_template(const std::string& text, std::size_t module) const {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    // The text up to the next `{` as it is; `{{` is a brace, `{NAME}` the symbol's value.
    const std::size_t brace = std::min(text.find('{', at), text.size());
    out.append(text, at, brace - at);
    if (brace == text.size()) break;
    at = brace;
    if (at + 1 < text.size() && text[at + 1] == '{') {
      out += '{';
      at += 2;
      continue;
    }
    const std::size_t close = text.find('}', at);
    if (close == std::string::npos) {
      out += text[at++];
      continue;
    }
    out += symbol_value_text(ruleset().prefixes[module] + text.substr(at + 1, close - at - 1));
    at = close + 1;
  }
  return out;
}

std::string NodeView::symbol_value_text(const std::string& name) const {
  const auto& rs = ruleset();
  const auto it = rs.by_name.find(name);
  if (it == rs.by_name.end()) return "{" + name + "}";
  const auto& symbol = rs.symbols[it->second];
  switch (symbol.kind) {
    case SymbolKind::kInput: {
      const auto slot = plan_.find_input(name);
      const auto& data = snapshot_.inputs[static_cast<std::size_t>(slot)];
      if (data.data == nullptr || snapshot_.status[static_cast<std::size_t>(slot)] != engine::InputStatus::kOk) return "unknown";
      return format_figure(data.values.back(), symbol.type.unit);
    }
    case SymbolKind::kParam: {
      const auto slot = static_cast<std::size_t>(plan_.find_param(name));
      const double value = eval_.params[slot];
      if (symbol.type.kind == engine::TypeKind::kBool) return value != 0 ? "true" : "false";
      if (const auto window = window_text(value, symbol.type.kind)) return *window;
      return format_figure(value, symbol.type.unit);
    }
    default: {
      const auto node = plan_.symbol_nodes()[it->second];
      if (node < 0) return "unknown";
      const NodeValue& value = eval_.values[static_cast<std::size_t>(node)];
      if (symbol.type.kind == engine::TypeKind::kBool) return truth_word(value.truth);
      if (const auto window = window_text(value.number, symbol.type.kind); window && known(value)) return *window;
      return signed_figure(value, symbol.type.unit, plan_.nodes()[static_cast<std::size_t>(node)]).text;
    }
  }
}

}  // namespace riskoff::explain::detail
