// Types of built-in calls: arity, argument shapes, and the window functions' series, window
// length and cost (what a "units/windows" pass would check; see passes.hpp for why it is here).
#include <algorithm>
#include <cmath>

#include "engine/builtins.hpp"
#include "engine/check/type_checker.hpp"

namespace riskoff::engine::detail {
namespace {

const NumberLit* window_literal(const CheckContext& ctx, const Expr& arg) {
  if (const auto* number = std::get_if<NumberLit>(&arg.kind)) return number;
  if (const std::uint32_t* ref = ctx.rs.references.find(&arg)) {
    const Symbol& symbol = ctx.rs.symbols[*ref];
    if (symbol.kind == SymbolKind::kParam) {
      const auto* param = static_cast<const ParamDecl*>(symbol.decl);
      return std::get_if<NumberLit>(&param->value->kind);
    }
  }
  return nullptr;
}

double check_window(TypeChecker& typer, CheckContext& ctx, const Expr& arg, const Scope& scope, double frequency_hours_value, bool& ok) {
  const Type type = typer.check(arg, scope);
  ok = false;
  if (type.kind == TypeKind::kError) return 0;
  if (type.kind != TypeKind::kDuration && type.kind != TypeKind::kBars) {
    ctx.sink.error(DiagCode::kExpectedWindow, scope.source, arg.span, "expected a window, found " + describe(type))
        .help = "a window is calendar time (`5d`, `4h`) or a count of observations (`30 bars`)";
    return 0;
  }
  // A negated window (`-5d`, or a parameter holding one) is never valid.
  const Expr* window_expr = &arg;
  if (const std::uint32_t* ref = ctx.rs.references.find(&arg); ref != nullptr && ctx.rs.symbols[*ref].kind == SymbolKind::kParam) {
    window_expr = static_cast<const ParamDecl*>(ctx.rs.symbols[*ref].decl)->value.get();
  }
  if (const auto* unary = std::get_if<Unary>(&window_expr->kind); unary != nullptr && unary->op == UnaryOp::kNeg) {
    ctx.sink.error(DiagCode::kInvalidWindow, scope.source, arg.span, "window " + backticked(to_source(*window_expr)) + " is negative")
        .help = "windows look back in time: write a positive duration or bar count, e.g. `5d`";
    return 0;
  }
  const NumberLit* literal = window_literal(ctx, arg);
  if (literal == nullptr) {
    // A window computed by a `let` or an `if` would escape the range check and the static cost
    // bound: its length must be known before evaluation.
    ctx.sink.error(DiagCode::kExpectedWindow, scope.source, arg.span,
                "a window must be a literal (`5d`, `30 bars`) or a parameter, found " + backticked(to_source(arg)))
        .help = "declare it as `param NAME = 5d \"reason\"`: it stays overridable and its length is checked";
    return 0;
  }
  const bool counted = literal->unit == LiteralUnit::kBars;
  const double seconds = literal->unit == LiteralUnit::kDays ? literal->value * 86400 : literal->value * 3600;
  // A duration also may not span more observations of this input than a bar window could.
  const double bars = counted ? literal->value : seconds / 3600 / std::max(1.0, frequency_hours_value);
  if (!window_in_range(type.kind, counted ? literal->value : seconds) || bars > kMaxWindowBars) {
    ctx.sink.error(DiagCode::kInvalidWindow, scope.source, arg.span, "window " + backticked(to_source(*literal)) + " is out of range")
        .help = window_limits_text();
    return 0;
  }
  ok = true;
  return bars;
}

const InputDecl* series_arg(TypeChecker& typer, CheckContext& ctx, const Expr& arg, const Scope& scope, std::string_view function) {
  const Type type = typer.check(arg, scope);
  if (type.kind == TypeKind::kError) return nullptr;
  const std::uint32_t* ref = ctx.rs.references.find(&arg);
  if (type.kind != TypeKind::kSeries || ref == nullptr) {
    ctx.sink.error(DiagCode::kExpectedSeries, scope.source, arg.span,
                backticked(function) + " reads a history: its first argument must be a series input, found " + describe(type))
        .help = "declare the data as `input NAME : series 1d ...` and pass it by name";
    return nullptr;
  }
  return static_cast<const InputDecl*>(ctx.rs.symbols[*ref].decl);
}

double input_frequency_hours(const InputDecl& input) {
  double hours = 24;
  parse_frequency_hours(input.frequency, hours);
  return hours;
}

}  // namespace

Type TypeChecker::check_kind(const Expr& expr, const Call& call, const Scope& scope) {
  const Builtin* builtin = find_builtin(call.callee);
  if (builtin == nullptr) {
    auto& diagnostic = ctx_.sink.error(DiagCode::kUnknownFunction, scope.source, callee_span(expr, call),
                                       "unknown function " + backticked(call.callee));
    std::vector<std::string> names;
    for (const auto& candidate : builtins()) names.emplace_back(candidate.name);
    const std::string suggestion = closest_match(call.callee, names);
    if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
    else if (resolve(ctx_, call.callee, scope) >= 0) diagnostic.help = backticked(call.callee) + " is a value, not a function";
    for (const auto& arg : call.args) check(*arg.value, scope);
    return Type::error();
  }
  const std::size_t count = call.args.size();
  if (count < builtin->min_args || (builtin->max_args != 255 && count > builtin->max_args)) {
    std::string expected = builtin->min_args == builtin->max_args ? std::to_string(builtin->min_args)
                           : builtin->max_args == 255 ? "at least " + std::to_string(builtin->min_args)
                                                      : std::to_string(builtin->min_args) + " to " + std::to_string(builtin->max_args);
    const bool singular = builtin->min_args == 1 && (builtin->max_args == 1 || builtin->max_args == 255);
    ctx_.sink.error(DiagCode::kWrongArity, scope.source, expr.span,
                backticked(call.callee) + " takes " + expected + " argument" + (singular ? "" : "s") + ", found " +
                    std::to_string(count))
        .help = "usage: " + std::string(builtin->signature);
    // The arguments are still names the user wrote: resolve them, so nothing cascades.
    for (const auto& arg : call.args) check(*arg.value, scope);
    return Type::error();
  }
  for (const auto& arg : call.args) {
    if (arg.weight && builtin->shape != BuiltinShape::kScore) {
      ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, arg.weight->span, "weights (`condition: weight`) are only allowed in `score`");
      return Type::error();
    }
  }
  switch (builtin->shape) {
    case BuiltinShape::kSeriesAt: {
      const InputDecl* input = series_arg(*this, ctx_, *call.args[0].value, scope, call.callee);
      if (input == nullptr) return Type::error();
      return Type::number(ctx_.rs.types[call.args[0].value.get()].unit);
    }
    case BuiltinShape::kSeriesWindow:
    case BuiltinShape::kPairWindow: {
      const bool pair = builtin->shape == BuiltinShape::kPairWindow;
      const InputDecl* input = series_arg(*this, ctx_, *call.args[0].value, scope, call.callee);
      const InputDecl* other = pair ? series_arg(*this, ctx_, *call.args[1].value, scope, call.callee) : nullptr;
      if (input == nullptr || (pair && other == nullptr)) return Type::error();
      double hours = input_frequency_hours(*input);
      if (pair) hours = std::min(hours, input_frequency_hours(*other));
      bool ok = false;
      const double bars = check_window(*this, ctx_, *call.args[pair ? 2 : 1].value, scope, hours, ok);
      if (!ok) return Type::error();
      ctx_.rs.cost_bars += bars * (pair ? 2 : 1);
      if (bars * (pair ? 2 : 1) > ctx_.costliest_bars) {
        ctx_.costliest_bars = bars * (pair ? 2 : 1);
        ctx_.costliest = DiagnosticNote{scope.source, expr.span, ""};
      }
      const Unit unit = ctx_.rs.types[call.args[0].value.get()].unit;
      switch (builtin->result) {
        case ResultUnit::kSame: return Type::number(unit);
        case ResultUnit::kChange: return Type::number(unit == Unit::kPercent ? Unit::kBp : unit);
        case ResultUnit::kPercent: return Type::number(Unit::kPercent);
        case ResultUnit::kNumber: return Type::number(Unit::kNumber);
      }
      return Type::error();
    }
    case BuiltinShape::kScalarSameUnit: {
      Type result = value_of(check(*call.args[0].value, scope));
      if (!numeric(result, *call.args[0].value, call.callee, scope)) return Type::error();
      for (std::size_t index = 1; index < count; ++index) {
        const Type next = value_of(check(*call.args[index].value, scope));
        if (!numeric(next, *call.args[index].value, call.callee, scope)) return Type::error();
        result = unify(result, *call.args[0].value, next, *call.args[index].value, call.callee, scope, expr.span);
        if (result.kind == TypeKind::kError) return result;
      }
      return result;
    }
    case BuiltinShape::kUnitConversion: {
      const Type arg = value_of(check(*call.args[0].value, scope));
      if (!numeric(arg, *call.args[0].value, call.callee, scope)) return Type::error();
      const bool to_bp = call.callee == "to_bp";
      const Unit from = to_bp ? Unit::kPercent : Unit::kBp;
      if (arg.untyped || arg.unit != from) {
        ctx_.sink.error(DiagCode::kUnitMismatch, scope.source, call.args[0].value->span,
                    backticked(call.callee) + " converts a number in " + std::string(unit_symbol(from)) + ", found " + describe(arg));
        return Type::error();
      }
      return Type::number(to_bp ? Unit::kBp : Unit::kPercent);
    }
    case BuiltinShape::kAggregate:
    case BuiltinShape::kAtLeast:
    case BuiltinShape::kScore: {
      std::size_t first = 0;
      if (builtin->shape == BuiltinShape::kAtLeast) {
        first = 1;
        const Type n = value_of(check(*call.args[0].value, scope));
        const auto* literal = std::get_if<NumberLit>(&call.args[0].value->kind);
        if (n.kind != TypeKind::kError &&
            (n.kind != TypeKind::kNumber || (!n.untyped && n.unit != Unit::kNumber) ||
             (literal != nullptr && (literal->value < 0 || std::floor(literal->value) != literal->value)))) {
          ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, call.args[0].value->span,
                      "`at_least` needs a whole count first, found " + describe(n));
          return Type::error();
        }
      }
      bool ok = true;
      for (std::size_t index = first; index < count; ++index) {
        const Type member = check(*call.args[index].value, scope);
        if (member.kind != TypeKind::kBool && member.kind != TypeKind::kGroupSet && member.kind != TypeKind::kError) {
          ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, call.args[index].value->span,
                      backticked(call.callee) + " counts conditions, found " + describe(member))
              .help = "pass signals, groups, comparisons or a set such as `drivers`";
          ok = false;
        }
        if (const auto& weight = call.args[index].weight) {
          const Type weight_type = value_of(check(*weight, scope));
          if (weight_type.kind != TypeKind::kNumber || (!weight_type.untyped && weight_type.unit != Unit::kNumber)) {
            if (weight_type.kind != TypeKind::kError) {
              ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, weight->span, "a weight must be a plain number, found " + describe(weight_type));
            }
            ok = false;
          }
        }
      }
      if (!ok) return Type::error();
      if (call.callee == "count" || call.callee == "score") return Type::number(Unit::kNumber);
      return Type::boolean();
    }
  }
  return Type::error();
}

}  // namespace riskoff::engine::detail
