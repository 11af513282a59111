// The checker's types pass: type and unit of every expression, built-in signatures,
// windows, templates (see checker.hpp for the pass order).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dsl/parse.hpp"
#include "engine/builtins.hpp"
#include "engine/checker.hpp"

namespace riskoff::engine::detail {

void Checker::check_bodies(std::size_t module_index) {
  const Module& module = *rs_.modules[module_index];
  for (const auto& decl : module.decls) {
    if (const auto* let = std::get_if<LetDecl>(&decl)) {
      symbol_type(lookup_exact(rs_.prefixes[module_index] + let->name, let));
    } else if (const auto* signal = std::get_if<SignalDecl>(&decl)) {
      const auto index = lookup_exact(rs_.prefixes[module_index] + signal->name, signal);
      if (index < 0) continue;
      Context ctx{module_index, module.source, index};
      expect_condition(*signal->condition, ctx, "signal " + backticked(signal->name));
      if (signal->because) check_template(*signal->because, ctx);
    } else if (const auto* group = std::get_if<GroupDecl>(&decl)) {
      const auto index = lookup_exact(rs_.prefixes[module_index] + group->name, group);
      if (index < 0) continue;
      Context ctx{module_index, module.source, index};
      expect_condition(*group->condition, ctx, std::string(group_keyword(group->kind)) + ' ' + backticked(group->name));
      if (group->because) check_template(*group->because, ctx);
    }
  }
}

std::int64_t Checker::lookup_exact(const std::string& name, const void* decl) const {
  const auto it = rs_.by_name.find(name);
  if (it == rs_.by_name.end() || rs_.symbols[it->second].decl != decl) return -1;
  return it->second;
}

Type Checker::symbol_type(std::int64_t index) {
  if (index < 0) return Type::error();
  Symbol& symbol = rs_.symbols[static_cast<std::size_t>(index)];
  if (symbol.kind != SymbolKind::kLet) return symbol.type;
  if (let_state_.size() < rs_.symbols.size()) let_state_.resize(rs_.symbols.size(), 0);
  if (let_state_[static_cast<std::size_t>(index)] == 2) return symbol.type;
  if (let_state_[static_cast<std::size_t>(index)] == 1) return Type::error();  // cycle: reported by order()
  let_state_[static_cast<std::size_t>(index)] = 1;
  const auto* let = static_cast<const LetDecl*>(symbol.decl);
  const std::size_t module_index = symbol_module_[static_cast<std::size_t>(index)];
  Context ctx{module_index, rs_.modules[module_index]->source, index};
  Type type = value_of(check(*let->value, ctx));
  if (type.kind == TypeKind::kGroupSet) {
    sink_.error(DiagCode::kTypeMismatch, ctx.source, let->value->span,
                "a set of groups can only be used inside `any`, `all`, `count`, `at_least` or `score`");
    type = Type::error();
  }
  if (type.untyped) type.untyped = false;
  rs_.symbols[static_cast<std::size_t>(index)].type = type;
  let_state_[static_cast<std::size_t>(index)] = 2;
  return type;
}

void Checker::expect_condition(const Expr& expr, const Context& ctx, const std::string& what) {
  const Type type = check(expr, ctx);
  if (type.kind != TypeKind::kBool && type.kind != TypeKind::kError) {
    sink_.error(DiagCode::kConditionNotBool, ctx.source, expr.span,
                "the condition of " + what + " must be true or false, found " + describe(type))
        .help = "compare it with a threshold, e.g. `x > limit`";
  }
}

std::int64_t Checker::resolve(const std::string& name, const Context& ctx) const {
  const std::string qualified = rs_.prefixes[ctx.module] + name;
  if (const auto it = rs_.by_name.find(qualified); it != rs_.by_name.end()) return it->second;
  if (const auto it = rs_.by_name.find(name); it != rs_.by_name.end() && rs_.symbols[it->second].kind == SymbolKind::kGroupSet)
    return it->second;
  return -1;
}

std::vector<std::string> Checker::visible_names(const Context& ctx) const {
  std::vector<std::string> names;
  const std::string& prefix = rs_.prefixes[ctx.module];
  for (const auto& symbol : rs_.symbols) {
    if (symbol.kind == SymbolKind::kGroupSet) names.push_back(symbol.name);
    else if (symbol.name.starts_with(prefix)) names.push_back(symbol.name.substr(prefix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

void Checker::unknown_name(const std::string& name, Span span, const Context& ctx, const char* what) {
  auto& diagnostic = sink_.error(DiagCode::kUnknownName, ctx.source, span, std::string("unknown ") + what + ' ' + backticked(name));
  const std::string suggestion = closest_match(name, visible_names(ctx));
  if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
  else if (find_builtin(name) != nullptr) diagnostic.help = backticked(name) + " is a function: call it with arguments";
}

void Checker::add_dep(const Context& ctx, std::uint32_t target) {
  rs_.symbols[target].used = true;
  if (ctx.symbol < 0) return;
  const Symbol& target_symbol = rs_.symbols[target];
  if (target_symbol.kind == SymbolKind::kGroupSet) {
    for (std::uint32_t index = 0; index < rs_.symbols.size(); ++index) {
      if (rs_.symbols[index].kind == SymbolKind::kGroup && rs_.symbols[index].group_kind == target_symbol.group_kind) {
        rs_.symbols[static_cast<std::size_t>(ctx.symbol)].deps.push_back(index);
      }
    }
    return;
  }
  if (target_symbol.kind == SymbolKind::kInput || target_symbol.kind == SymbolKind::kParam) return;
  rs_.symbols[static_cast<std::size_t>(ctx.symbol)].deps.push_back(target);
}

Type Checker::value_of(Type type) {
  if (type.kind == TypeKind::kSeries) type.kind = TypeKind::kNumber;
  return type;
}

bool Checker::is_zero_literal(const Expr& expr) {
  const auto* number = std::get_if<NumberLit>(&expr.kind);
  return number != nullptr && number->unit == LiteralUnit::kNone && number->value == 0;
}

Type Checker::unify(Type lhs, const Expr& lhs_expr, Type rhs, const Expr& rhs_expr, std::string_view op, const Context& ctx,
           Span span) {
  if (lhs.kind == TypeKind::kError || rhs.kind == TypeKind::kError) return Type::error();
  if (lhs.untyped && rhs.untyped) return lhs;
  if (lhs.untyped || rhs.untyped) {
    const Type typed = lhs.untyped ? rhs : lhs;
    const Expr& bare = lhs.untyped ? lhs_expr : rhs_expr;
    const bool rate = typed.unit == Unit::kPercent || typed.unit == Unit::kBp;
    if (rate && !is_zero_literal(bare)) {
      const std::string literal = to_source(bare);
      sink_.error(DiagCode::kRateNeedsUnit, ctx.source, bare.span,
                  "bare number " + backticked(literal) + " beside " + describe(typed) + " needs a unit")
          .help = "write " + backticked(literal + std::string(typed.unit == Unit::kBp ? "bp" : "%")) +
                  ": percent and basis points are easy to confuse, so riskoff asks";
      return Type::error();
    }
    return typed;
  }
  if (lhs.unit == rhs.unit) return lhs;
  // Index levels are plain points: a plain-number parameter (`vix_stress = 25`) is their threshold.
  if ((lhs.unit == Unit::kIndex && rhs.unit == Unit::kNumber) || (lhs.unit == Unit::kNumber && rhs.unit == Unit::kIndex)) {
    return Type::number(Unit::kIndex);
  }
  auto& diagnostic = sink_.error(DiagCode::kUnitMismatch, ctx.source, span,
                                 "cannot apply " + backticked(op) + " to " + describe(lhs) + " and " + describe(rhs));
  const bool rates = (lhs.unit == Unit::kPercent && rhs.unit == Unit::kBp) || (lhs.unit == Unit::kBp && rhs.unit == Unit::kPercent);
  diagnostic.help = rates ? "convert explicitly: `to_bp(x)` turns % into bp, `to_pct(x)` turns bp into %"
                          : "both sides must be in the same unit";
  return Type::error();
}

Type Checker::record(const Expr& expr, Type type) {
  rs_.types[&expr] = type;
  return type;
}

Type Checker::check(const Expr& expr, const Context& ctx) {
  return std::visit([&](const auto& kind) { return record(expr, check_kind(expr, kind, ctx)); }, expr.kind);
}

Type Checker::check_kind(const Expr& expr, const NameRef& ref, const Context& ctx) {
  const std::int64_t index = resolve(ref.name, ctx);
  if (index < 0) {
    unknown_name(ref.name, expr.span, ctx, "name");
    return Type::error();
  }
  rs_.references[&expr] = static_cast<std::uint32_t>(index);
  add_dep(ctx, static_cast<std::uint32_t>(index));
  return symbol_type(index);
}

Type Checker::check_kind(const Expr& expr, const Unary& unary, const Context& ctx) {
  const Type operand = value_of(check(*unary.operand, ctx));
  if (operand.kind == TypeKind::kError) return operand;
  if (unary.op == UnaryOp::kNot) {
    if (operand.kind != TypeKind::kBool) {
      sink_.error(DiagCode::kTypeMismatch, ctx.source, unary.operand->span, "`not` needs a condition, found " + describe(operand));
      return Type::error();
    }
    return operand;
  }
  if (operand.kind != TypeKind::kNumber && operand.kind != TypeKind::kDuration) {
    sink_.error(DiagCode::kTypeMismatch, ctx.source, expr.span, "cannot negate " + describe(operand));
    return Type::error();
  }
  return operand;
}

Type Checker::check_kind(const Expr& expr, const Binary& binary, const Context& ctx) {
  const Type lhs = value_of(check(*binary.lhs, ctx));
  const Type rhs = value_of(check(*binary.rhs, ctx));
  if (lhs.kind == TypeKind::kError || rhs.kind == TypeKind::kError) return Type::error();
  const std::string_view op = operator_text(binary.op);
  switch (binary.op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr: {
      for (const auto& [type, side] : {std::pair{lhs, binary.lhs.get()}, std::pair{rhs, binary.rhs.get()}}) {
        if (type.kind != TypeKind::kBool) {
          sink_.error(DiagCode::kTypeMismatch, ctx.source, side->span,
                      backticked(op) + " needs conditions on both sides, found " + describe(type))
              .help = "compare it with a threshold, e.g. `x > limit`";
          return Type::error();
        }
      }
      return Type::boolean();
    }
    case BinaryOp::kEq:
    case BinaryOp::kNe:
      if (lhs.kind == TypeKind::kBool && rhs.kind == TypeKind::kBool) return Type::boolean();
      [[fallthrough]];
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe: {
      if (!numeric(lhs, *binary.lhs, op, ctx) || !numeric(rhs, *binary.rhs, op, ctx)) return Type::error();
      if (unify(lhs, *binary.lhs, rhs, *binary.rhs, op, ctx, expr.span).kind == TypeKind::kError) return Type::error();
      return Type::boolean();
    }
    case BinaryOp::kAdd:
    case BinaryOp::kSub: {
      if (!numeric(lhs, *binary.lhs, op, ctx) || !numeric(rhs, *binary.rhs, op, ctx)) return Type::error();
      return unify(lhs, *binary.lhs, rhs, *binary.rhs, op, ctx, expr.span);
    }
    case BinaryOp::kMul: {
      if (!numeric(lhs, *binary.lhs, op, ctx) || !numeric(rhs, *binary.rhs, op, ctx)) return Type::error();
      const bool lhs_plain = lhs.untyped || lhs.unit == Unit::kNumber;
      const bool rhs_plain = rhs.untyped || rhs.unit == Unit::kNumber;
      if (lhs_plain) return rhs_plain ? Type{TypeKind::kNumber, Unit::kNumber, lhs.untyped && rhs.untyped} : rhs;
      if (rhs_plain) return lhs;
      sink_.error(DiagCode::kUnitMismatch, ctx.source, expr.span,
                  "cannot multiply " + describe(lhs) + " by " + describe(rhs))
          .help = "one side of `*` must be a plain number";
      return Type::error();
    }
    case BinaryOp::kDiv: {
      if (!numeric(lhs, *binary.lhs, op, ctx) || !numeric(rhs, *binary.rhs, op, ctx)) return Type::error();
      const bool rhs_plain = rhs.untyped || rhs.unit == Unit::kNumber;
      if (rhs_plain) return lhs;
      if (lhs.untyped || lhs.unit == rhs.unit) return Type::number(Unit::kNumber);  // a ratio
      sink_.error(DiagCode::kUnitMismatch, ctx.source, expr.span, "cannot divide " + describe(lhs) + " by " + describe(rhs))
          .help = "divide quantities of the same unit (a ratio) or by a plain number";
      return Type::error();
    }
  }
  return Type::error();
}

bool Checker::numeric(Type type, const Expr& side, std::string_view op, const Context& ctx) {
  if (type.kind == TypeKind::kNumber) return true;
  auto& diagnostic = sink_.error(DiagCode::kTypeMismatch, ctx.source, side.span,
                                 backticked(op) + " needs numbers, found " + describe(type));
  if (type.kind == TypeKind::kGroupSet)
    diagnostic.help = "a set of groups can only be used inside `any`, `all`, `count`, `at_least` or `score`";
  if (type.kind == TypeKind::kBool) diagnostic.help = "use `and`, `or` and `not` to combine conditions";
  return false;
}

Type Checker::check_kind(const Expr& expr, const IfExpr& value, const Context& ctx) {
  expect_condition(*value.condition, ctx, "`if`");
  const Type then_type = value_of(check(*value.then_value, ctx));
  const Type else_type = value_of(check(*value.else_value, ctx));
  if (then_type.kind == TypeKind::kError || else_type.kind == TypeKind::kError) return Type::error();
  if (then_type.kind == TypeKind::kBool && else_type.kind == TypeKind::kBool) return then_type;
  if (then_type.kind != else_type.kind) {
    sink_.error(DiagCode::kTypeMismatch, ctx.source, expr.span,
                "the branches of `if` differ: " + describe(then_type) + " and " + describe(else_type));
    return Type::error();
  }
  if (then_type.kind != TypeKind::kNumber) return then_type;
  return unify(then_type, *value.then_value, else_type, *value.else_value, "if", ctx, expr.span);
}

double Checker::check_window(const Expr& arg, const Context& ctx, double frequency_hours_value, bool& ok) {
  const Type type = check(arg, ctx);
  ok = false;
  if (type.kind == TypeKind::kError) return 0;
  if (type.kind != TypeKind::kDuration && type.kind != TypeKind::kBars) {
    sink_.error(DiagCode::kExpectedWindow, ctx.source, arg.span, "expected a window, found " + describe(type))
        .help = "a window is calendar time (`5d`, `4h`) or a count of observations (`30 bars`)";
    return 0;
  }
  // A negated window (`-5d`, or a parameter holding one) is never valid.
  const Expr* window_expr = &arg;
  if (const auto it = rs_.references.find(&arg);
      it != rs_.references.end() && rs_.symbols[it->second].kind == SymbolKind::kParam) {
    window_expr = static_cast<const ParamDecl*>(rs_.symbols[it->second].decl)->value.get();
  }
  if (const auto* unary = std::get_if<Unary>(&window_expr->kind); unary != nullptr && unary->op == UnaryOp::kNeg) {
    sink_.error(DiagCode::kInvalidWindow, ctx.source, arg.span, "window " + backticked(to_source(*window_expr)) + " is negative")
        .help = "windows look back in time: write a positive duration or bar count, e.g. `5d`";
    return 0;
  }
  const NumberLit* literal = window_literal(arg);
  if (literal == nullptr) {
    // A window computed by a `let` or an `if` would escape the range check and the static cost
    // bound: its length must be known before evaluation.
    sink_.error(DiagCode::kExpectedWindow, ctx.source, arg.span,
                "a window must be a literal (`5d`, `30 bars`) or a parameter, found " + backticked(to_source(arg)))
        .help = "declare it as `param NAME = 5d \"reason\"`: it stays overridable and its length is checked";
    return 0;
  }
  const bool counted = literal->unit == LiteralUnit::kBars;
  const double seconds = literal->unit == LiteralUnit::kDays ? literal->value * 86400 : literal->value * 3600;
  // A duration also may not span more observations of this input than a bar window could.
  const double bars = counted ? literal->value : seconds / 3600 / std::max(1.0, frequency_hours_value);
  if (!window_in_range(type.kind, counted ? literal->value : seconds) || bars > kMaxWindowBars) {
    sink_.error(DiagCode::kInvalidWindow, ctx.source, arg.span, "window " + backticked(to_source(*literal)) + " is out of range")
        .help = window_limits_text();
    return 0;
  }
  ok = true;
  return bars;
}

const NumberLit* Checker::window_literal(const Expr& arg) const {
  if (const auto* number = std::get_if<NumberLit>(&arg.kind)) return number;
  if (const auto it = rs_.references.find(&arg); it != rs_.references.end()) {
    const Symbol& symbol = rs_.symbols[it->second];
    if (symbol.kind == SymbolKind::kParam) {
      const auto* param = static_cast<const ParamDecl*>(symbol.decl);
      return std::get_if<NumberLit>(&param->value->kind);
    }
  }
  return nullptr;
}

const InputDecl* Checker::series_arg(const Expr& arg, const Context& ctx, std::string_view function) {
  const Type type = check(arg, ctx);
  if (type.kind == TypeKind::kError) return nullptr;
  const auto it = rs_.references.find(&arg);
  if (type.kind != TypeKind::kSeries || it == rs_.references.end()) {
    sink_.error(DiagCode::kExpectedSeries, ctx.source, arg.span,
                backticked(function) + " reads a history: its first argument must be a series input, found " + describe(type))
        .help = "declare the data as `input NAME : series 1d ...` and pass it by name";
    return nullptr;
  }
  return static_cast<const InputDecl*>(rs_.symbols[it->second].decl);
}

double Checker::input_frequency_hours(const InputDecl& input) const {
  double hours = 24;
  parse_frequency_hours(input.frequency, hours);
  return hours;
}

Type Checker::check_kind(const Expr& expr, const Call& call, const Context& ctx) {
  const Builtin* builtin = find_builtin(call.callee);
  if (builtin == nullptr) {
    auto& diagnostic = sink_.error(DiagCode::kUnknownFunction, ctx.source, call.callee_span, "unknown function " + backticked(call.callee));
    std::vector<std::string> names;
    for (const auto& candidate : builtins()) names.emplace_back(candidate.name);
    const std::string suggestion = closest_match(call.callee, names);
    if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
    else if (resolve(call.callee, ctx) >= 0) diagnostic.help = backticked(call.callee) + " is a value, not a function";
    for (const auto& arg : call.args) check(*arg.value, ctx);
    return Type::error();
  }
  const std::size_t count = call.args.size();
  if (count < builtin->min_args || (builtin->max_args != 255 && count > builtin->max_args)) {
    std::string expected = builtin->min_args == builtin->max_args ? std::to_string(builtin->min_args)
                           : builtin->max_args == 255 ? "at least " + std::to_string(builtin->min_args)
                                                      : std::to_string(builtin->min_args) + " to " + std::to_string(builtin->max_args);
    const bool singular = builtin->min_args == 1 && (builtin->max_args == 1 || builtin->max_args == 255);
    sink_.error(DiagCode::kWrongArity, ctx.source, expr.span,
                backticked(call.callee) + " takes " + expected + " argument" + (singular ? "" : "s") + ", found " +
                    std::to_string(count))
        .help = "usage: " + std::string(builtin->signature);
    // The arguments are still names the user wrote: resolve them, so nothing cascades.
    for (const auto& arg : call.args) check(*arg.value, ctx);
    return Type::error();
  }
  for (const auto& arg : call.args) {
    if (arg.weight && builtin->shape != BuiltinShape::kScore) {
      sink_.error(DiagCode::kTypeMismatch, ctx.source, arg.weight->span, "weights (`condition: weight`) are only allowed in `score`");
      return Type::error();
    }
  }
  switch (builtin->shape) {
    case BuiltinShape::kSeriesAt: {
      const InputDecl* input = series_arg(*call.args[0].value, ctx, call.callee);
      if (input == nullptr) return Type::error();
      return Type::number(rs_.types[call.args[0].value.get()].unit);
    }
    case BuiltinShape::kSeriesWindow:
    case BuiltinShape::kPairWindow: {
      const bool pair = builtin->shape == BuiltinShape::kPairWindow;
      const InputDecl* input = series_arg(*call.args[0].value, ctx, call.callee);
      const InputDecl* other = pair ? series_arg(*call.args[1].value, ctx, call.callee) : nullptr;
      if (input == nullptr || (pair && other == nullptr)) return Type::error();
      double hours = input_frequency_hours(*input);
      if (pair) hours = std::min(hours, input_frequency_hours(*other));
      bool ok = false;
      const double bars = check_window(*call.args[pair ? 2 : 1].value, ctx, hours, ok);
      if (!ok) return Type::error();
      rs_.cost_bars += bars * (pair ? 2 : 1);
      if (bars * (pair ? 2 : 1) > costliest_bars_) {
        costliest_bars_ = bars * (pair ? 2 : 1);
        costliest_ = DiagnosticNote{ctx.source, expr.span, ""};
      }
      const Unit unit = rs_.types[call.args[0].value.get()].unit;
      switch (builtin->result) {
        case ResultUnit::kSame: return Type::number(unit);
        case ResultUnit::kChange: return Type::number(unit == Unit::kPercent ? Unit::kBp : unit);
        case ResultUnit::kPercent: return Type::number(Unit::kPercent);
        case ResultUnit::kNumber: return Type::number(Unit::kNumber);
      }
      return Type::error();
    }
    case BuiltinShape::kScalarSameUnit: {
      Type result = value_of(check(*call.args[0].value, ctx));
      if (!numeric(result, *call.args[0].value, call.callee, ctx)) return Type::error();
      for (std::size_t index = 1; index < count; ++index) {
        const Type next = value_of(check(*call.args[index].value, ctx));
        if (!numeric(next, *call.args[index].value, call.callee, ctx)) return Type::error();
        result = unify(result, *call.args[0].value, next, *call.args[index].value, call.callee, ctx, expr.span);
        if (result.kind == TypeKind::kError) return result;
      }
      return result;
    }
    case BuiltinShape::kUnitConversion: {
      const Type arg = value_of(check(*call.args[0].value, ctx));
      if (!numeric(arg, *call.args[0].value, call.callee, ctx)) return Type::error();
      const bool to_bp = call.callee == "to_bp";
      const Unit from = to_bp ? Unit::kPercent : Unit::kBp;
      if (arg.untyped || arg.unit != from) {
        sink_.error(DiagCode::kUnitMismatch, ctx.source, call.args[0].value->span,
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
        const Type n = value_of(check(*call.args[0].value, ctx));
        const auto* literal = std::get_if<NumberLit>(&call.args[0].value->kind);
        if (n.kind != TypeKind::kError &&
            (n.kind != TypeKind::kNumber || (!n.untyped && n.unit != Unit::kNumber) ||
             (literal != nullptr && (literal->value < 0 || std::floor(literal->value) != literal->value)))) {
          sink_.error(DiagCode::kTypeMismatch, ctx.source, call.args[0].value->span,
                      "`at_least` needs a whole count first, found " + describe(n));
          return Type::error();
        }
      }
      bool ok = true;
      for (std::size_t index = first; index < count; ++index) {
        const Type member = check(*call.args[index].value, ctx);
        if (member.kind != TypeKind::kBool && member.kind != TypeKind::kGroupSet && member.kind != TypeKind::kError) {
          sink_.error(DiagCode::kTypeMismatch, ctx.source, call.args[index].value->span,
                      backticked(call.callee) + " counts conditions, found " + describe(member))
              .help = "pass signals, groups, comparisons or a set such as `drivers`";
          ok = false;
        }
        if (const auto& weight = call.args[index].weight) {
          const Type weight_type = value_of(check(*weight, ctx));
          if (weight_type.kind != TypeKind::kNumber || (!weight_type.untyped && weight_type.unit != Unit::kNumber)) {
            if (weight_type.kind != TypeKind::kError) {
              sink_.error(DiagCode::kTypeMismatch, ctx.source, weight->span, "a weight must be a plain number, found " + describe(weight_type));
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

void Checker::check_template(const Text& text, const Context& ctx) {
  const std::string& value = text.value;
  for (std::size_t at = 0; at < value.size(); ++at) {
    if (value[at] != '{') continue;
    if (at + 1 < value.size() && value[at + 1] == '{') {
      ++at;
      continue;
    }
    const std::size_t close = value.find('}', at);
    // +1 skips the opening quote of the literal in the source span.
    const auto begin = static_cast<std::uint32_t>(text.span.begin + 1 + at);
    if (close == std::string::npos) {
      sink_.error(DiagCode::kUnknownPlaceholder, ctx.source, {begin, begin + 1}, "unclosed `{` in explanation template")
          .help = "write `{name}` to show a value, `{{` for a literal brace";
      return;
    }
    const std::string name = value.substr(at + 1, close - at - 1);
    const Span span{begin, static_cast<std::uint32_t>(begin + close - at + 1)};
    const std::int64_t index = resolve(name, ctx);
    if (index >= 0 && rs_.symbols[static_cast<std::size_t>(index)].kind == SymbolKind::kGroupSet) {
      sink_.error(DiagCode::kUnknownPlaceholder, ctx.source, span,
                  "template placeholder " + backticked("{" + name + "}") + " names a set of groups, not one value")
          .help = "show a count instead: `let " + name + "_on = count(" + name + ")` and `{" + name + "_on}`";
    } else if (index < 0) {
      auto& diagnostic = sink_.error(DiagCode::kUnknownPlaceholder, ctx.source, span,
                                     "template placeholder " + backticked("{" + name + "}") + " names nothing");
      std::vector<std::string> candidates;
      for (const auto& candidate : visible_names(ctx)) {
        const auto it = rs_.by_name.find(candidate);
        if (it == rs_.by_name.end() || rs_.symbols[it->second].kind != SymbolKind::kGroupSet) candidates.push_back(candidate);
      }
      const std::string suggestion = closest_match(name, candidates);
      if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked("{" + suggestion + "}") + "?";
    } else {
      // Templates are read after evaluation: a placeholder is a use, not a dependency.
      rs_.symbols[static_cast<std::size_t>(index)].used = true;
    }
    at = close;
  }
}

}  // namespace riskoff::engine::detail
