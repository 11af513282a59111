// Look-ups and literal types every pass after declare may need.
#include "engine/check/context.hpp"

#include <algorithm>

#include "engine/builtins.hpp"

namespace riskoff::engine::detail {

std::int64_t resolve(const CheckContext& ctx, const std::string& name, const Scope& scope) {
  const CheckedRuleset& rs = ctx.rs;
  const std::string qualified = rs.prefixes[scope.module] + name;
  if (const auto it = rs.by_name.find(qualified); it != rs.by_name.end()) return it->second;
  if (const auto it = rs.by_name.find(name); it != rs.by_name.end() && rs.symbols[it->second].kind == SymbolKind::kGroupSet)
    return it->second;
  return -1;
}

std::vector<std::string> visible_names(const CheckContext& ctx, const Scope& scope) {
  std::vector<std::string> names;
  const std::string& prefix = ctx.rs.prefixes[scope.module];
  for (const auto& symbol : ctx.rs.symbols) {
    if (symbol.kind == SymbolKind::kGroupSet) names.push_back(symbol.name);
    else if (symbol.name.starts_with(prefix)) names.push_back(symbol.name.substr(prefix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

void unknown_name(CheckContext& ctx, const std::string& name, Span span, const Scope& scope, const char* what) {
  auto& diagnostic = ctx.sink.error(DiagCode::kUnknownName, scope.source, span, std::string("unknown ") + what + ' ' + backticked(name));
  if (!last_shown(ctx.sink)) return;
  const std::string suggestion = closest_match(name, visible_names(ctx, scope));
  if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
  else if (find_builtin(name) != nullptr) diagnostic.help = backticked(name) + " is a function: call it with arguments";
}

Type literal_type(CheckContext& ctx, const Expr& expr, SourceId source, const std::string& what) {
  const Expr* inner = &expr;
  if (const auto* unary = std::get_if<Unary>(&expr.kind); unary != nullptr && unary->op == UnaryOp::kNeg) {
    inner = unary->operand.get();
  }
  Type type = Type::error();
  if (const auto* number = std::get_if<NumberLit>(&inner->kind)) {
    type = literal_number_type(*number);
    if (type.untyped) type.untyped = false;  // a declared parameter is a plain number
  } else if (std::holds_alternative<BoolLit>(inner->kind) && inner == &expr) {
    type = Type::boolean();
  } else {
    ctx.sink.error(DiagCode::kParamNotConstant, source, expr.span, what + " must be a literal value, e.g. `15bp`")
        .help = "compute derived values with `let`; parameters are the knobs users override";
    return Type::error();
  }
  ctx.rs.types[&expr] = type;
  if (inner != &expr) ctx.rs.types[inner] = type;
  return type;
}

Type literal_number_type(const NumberLit& number) {
  switch (number.unit) {
    case LiteralUnit::kNone: return {TypeKind::kNumber, Unit::kNumber, true};
    case LiteralUnit::kPercent: return Type::number(Unit::kPercent);
    case LiteralUnit::kBp: return Type::number(Unit::kBp);
    case LiteralUnit::kUsd: return Type::number(Unit::kUsd);
    case LiteralUnit::kDays:
    case LiteralUnit::kHours: return {TypeKind::kDuration, Unit::kNumber, false};
    case LiteralUnit::kBars: return {TypeKind::kBars, Unit::kNumber, false};
  }
  return Type::error();
}

}  // namespace riskoff::engine::detail
