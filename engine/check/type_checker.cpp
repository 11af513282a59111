// Types and units of expressions: names, operators, `if` (calls are in calls.cpp).
#include "engine/check/type_checker.hpp"

#include <type_traits>

namespace riskoff::engine::detail {
namespace {

bool is_zero_literal(const Expr& expr) {
  const auto* number = std::get_if<NumberLit>(&expr.kind);
  return number != nullptr && number->unit == LiteralUnit::kNone && number->value == 0;
}

}  // namespace

Type TypeChecker::symbol_type(std::int64_t index) {
  if (index < 0) return Type::error();
  const Symbol& symbol = ctx_.rs.symbols[static_cast<std::size_t>(index)];
  if (symbol.kind != SymbolKind::kLet) return symbol.type;
  if (ctx_.let_state.size() < ctx_.rs.symbols.size()) ctx_.let_state.resize(ctx_.rs.symbols.size(), 0);
  const auto let = static_cast<std::uint32_t>(index);
  if (ctx_.let_state[let] == 1) return Type::error();  // cycle: reported by order()
  if (ctx_.let_state[let] == 0) type_lets_from(let);
  return ctx_.rs.symbols[let].type;
}

// Lets are typed dependencies first, from an explicit work stack: a chain of lets as long as the
// limits allow (5,000 per file, 64 files) would otherwise recurse once per link and overflow the
// native stack. By the time a body is typed, every let it names is typed (state 2) or on the
// stack (state 1, a cycle), so check() never recurses into another let's body.
void TypeChecker::type_lets_from(std::uint32_t root) {
  struct Frame {
    std::uint32_t let;
    std::vector<std::uint32_t> reads;
    std::size_t next = 0;
  };
  std::vector<Frame> stack;
  ctx_.let_state[root] = 1;
  stack.push_back({root, lets_read(root)});
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next < top.reads.size()) {
      const std::uint32_t dep = top.reads[top.next++];
      if (ctx_.let_state[dep] == 0) {
        ctx_.let_state[dep] = 1;
        std::vector<std::uint32_t> reads = lets_read(dep);
        stack.push_back({dep, std::move(reads)});  // invalidates `top`
      }
      continue;
    }
    type_let_body(top.let);
    stack.pop_back();
  }
}

std::vector<std::uint32_t> TypeChecker::lets_read(std::uint32_t let) const {
  const auto* decl = static_cast<const LetDecl*>(ctx_.rs.symbols[let].decl);
  const std::size_t module_index = ctx_.symbol_module[let];
  const Scope scope{module_index, ctx_.rs.modules[module_index]->source, static_cast<std::int64_t>(let)};
  std::vector<std::uint32_t> out;
  std::vector<const Expr*> pending{decl->value.get()};
  while (!pending.empty()) {
    const Expr* expr = pending.back();
    pending.pop_back();
    if (expr == nullptr) continue;
    std::visit(
        [&](const auto& kind) {
          using Kind = std::decay_t<decltype(kind)>;
          if constexpr (std::is_same_v<Kind, NameRef>) {
            const std::int64_t index = resolve(ctx_, kind.name, scope);
            if (index >= 0 && ctx_.rs.symbols[static_cast<std::size_t>(index)].kind == SymbolKind::kLet)
              out.push_back(static_cast<std::uint32_t>(index));
          } else if constexpr (std::is_same_v<Kind, Unary>) {
            pending.push_back(kind.operand.get());
          } else if constexpr (std::is_same_v<Kind, Binary>) {
            pending.push_back(kind.rhs.get());
            pending.push_back(kind.lhs.get());
          } else if constexpr (std::is_same_v<Kind, IfExpr>) {
            pending.push_back(kind.else_value.get());
            pending.push_back(kind.then_value.get());
            pending.push_back(kind.condition.get());
          } else if constexpr (std::is_same_v<Kind, Call>) {
            for (auto arg = kind.args.rbegin(); arg != kind.args.rend(); ++arg) {
              pending.push_back(arg->weight.get());
              pending.push_back(arg->value.get());
            }
          }
        },
        expr->kind);
  }
  return out;
}

void TypeChecker::type_let_body(std::uint32_t index) {
  const auto* let = static_cast<const LetDecl*>(ctx_.rs.symbols[index].decl);
  const std::size_t module_index = ctx_.symbol_module[index];
  Scope scope{module_index, ctx_.rs.modules[module_index]->source, static_cast<std::int64_t>(index)};
  Type type = value_of(check(*let->value, scope));
  if (type.kind == TypeKind::kGroupSet) {
    ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, let->value->span,
                "a set of groups can only be used inside `any`, `all`, `count`, `at_least` or `score`");
    type = Type::error();
  }
  if (type.untyped) type.untyped = false;
  ctx_.rs.symbols[index].type = type;
  ctx_.let_state[index] = 2;
}

void TypeChecker::expect_condition(const Expr& expr, const Scope& scope, const std::string& what) {
  const Type type = check(expr, scope);
  if (type.kind != TypeKind::kBool && type.kind != TypeKind::kError) {
    ctx_.sink.error(DiagCode::kConditionNotBool, scope.source, expr.span,
                "the condition of " + what + " must be true or false, found " + describe(type))
        .help = "compare it with a threshold, e.g. `x > limit`";
  }
}

void TypeChecker::add_dep(const Scope& scope, std::uint32_t target) {
  ctx_.rs.symbols[target].used = true;
  if (scope.symbol < 0) return;
  const Symbol& target_symbol = ctx_.rs.symbols[target];
  if (target_symbol.kind == SymbolKind::kGroupSet) {
    for (std::uint32_t index = 0; index < ctx_.rs.symbols.size(); ++index) {
      if (ctx_.rs.symbols[index].kind == SymbolKind::kGroup && ctx_.rs.symbols[index].group_kind == target_symbol.group_kind) {
        ctx_.rs.symbols[static_cast<std::size_t>(scope.symbol)].deps.push_back(index);
      }
    }
    return;
  }
  if (target_symbol.kind == SymbolKind::kInput || target_symbol.kind == SymbolKind::kParam) return;
  ctx_.rs.symbols[static_cast<std::size_t>(scope.symbol)].deps.push_back(target);
}

Type TypeChecker::unify(Type lhs, const Expr& lhs_expr, Type rhs, const Expr& rhs_expr, std::string_view op, const Scope& scope,
           Span span) {
  if (lhs.kind == TypeKind::kError || rhs.kind == TypeKind::kError) return Type::error();
  if (lhs.untyped && rhs.untyped) return lhs;
  if (lhs.untyped || rhs.untyped) {
    const Type typed = lhs.untyped ? rhs : lhs;
    const Expr& bare = lhs.untyped ? lhs_expr : rhs_expr;
    const bool rate = typed.unit == Unit::kPercent || typed.unit == Unit::kBp;
    if (rate && !is_zero_literal(bare)) {
      const std::string literal = to_source(bare);
      ctx_.sink.error(DiagCode::kRateNeedsUnit, scope.source, bare.span,
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
  auto& diagnostic = ctx_.sink.error(DiagCode::kUnitMismatch, scope.source, span,
                                 "cannot apply " + backticked(op) + " to " + describe(lhs) + " and " + describe(rhs));
  const bool rates = (lhs.unit == Unit::kPercent && rhs.unit == Unit::kBp) || (lhs.unit == Unit::kBp && rhs.unit == Unit::kPercent);
  diagnostic.help = rates ? "convert explicitly: `to_bp(x)` turns % into bp, `to_pct(x)` turns bp into %"
                          : "both sides must be in the same unit";
  return Type::error();
}

Type TypeChecker::check(const Expr& expr, const Scope& scope) {
  const Type type = std::visit([&](const auto& kind) { return check_kind(expr, kind, scope); }, expr.kind);
  ctx_.rs.types[&expr] = type;
  return type;
}

Type TypeChecker::check_kind(const Expr& expr, const NameRef& ref, const Scope& scope) {
  const std::int64_t index = resolve(ctx_, ref.name, scope);
  if (index < 0) {
    unknown_name(ctx_, ref.name, expr.span, scope, "name");
    return Type::error();
  }
  ctx_.rs.references[&expr] = static_cast<std::uint32_t>(index);
  add_dep(scope, static_cast<std::uint32_t>(index));
  return symbol_type(index);
}

Type TypeChecker::check_kind(const Expr& expr, const Unary& unary, const Scope& scope) {
  const Type operand = value_of(check(*unary.operand, scope));
  if (operand.kind == TypeKind::kError) return operand;
  if (unary.op == UnaryOp::kNot) {
    if (operand.kind != TypeKind::kBool) {
      ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, unary.operand->span, "`not` needs a condition, found " + describe(operand));
      return Type::error();
    }
    return operand;
  }
  if (operand.kind != TypeKind::kNumber && operand.kind != TypeKind::kDuration) {
    ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, expr.span, "cannot negate " + describe(operand));
    return Type::error();
  }
  return operand;
}

Type TypeChecker::check_kind(const Expr& expr, const Binary& binary, const Scope& scope) {
  const Type lhs = value_of(check(*binary.lhs, scope));
  const Type rhs = value_of(check(*binary.rhs, scope));
  if (lhs.kind == TypeKind::kError || rhs.kind == TypeKind::kError) return Type::error();
  const std::string_view op = operator_text(binary.op);
  switch (binary.op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr: {
      for (const auto& [type, side] : {std::pair{lhs, binary.lhs.get()}, std::pair{rhs, binary.rhs.get()}}) {
        if (type.kind != TypeKind::kBool) {
          ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, side->span,
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
      if (!numeric(lhs, *binary.lhs, op, scope) || !numeric(rhs, *binary.rhs, op, scope)) return Type::error();
      if (unify(lhs, *binary.lhs, rhs, *binary.rhs, op, scope, expr.span).kind == TypeKind::kError) return Type::error();
      return Type::boolean();
    }
    case BinaryOp::kAdd:
    case BinaryOp::kSub: {
      if (!numeric(lhs, *binary.lhs, op, scope) || !numeric(rhs, *binary.rhs, op, scope)) return Type::error();
      return unify(lhs, *binary.lhs, rhs, *binary.rhs, op, scope, expr.span);
    }
    case BinaryOp::kMul: {
      if (!numeric(lhs, *binary.lhs, op, scope) || !numeric(rhs, *binary.rhs, op, scope)) return Type::error();
      const bool lhs_plain = lhs.untyped || lhs.unit == Unit::kNumber;
      const bool rhs_plain = rhs.untyped || rhs.unit == Unit::kNumber;
      if (lhs_plain) return rhs_plain ? Type{TypeKind::kNumber, Unit::kNumber, lhs.untyped && rhs.untyped} : rhs;
      if (rhs_plain) return lhs;
      ctx_.sink.error(DiagCode::kUnitMismatch, scope.source, expr.span,
                  "cannot multiply " + describe(lhs) + " by " + describe(rhs))
          .help = "one side of `*` must be a plain number";
      return Type::error();
    }
    case BinaryOp::kDiv: {
      if (!numeric(lhs, *binary.lhs, op, scope) || !numeric(rhs, *binary.rhs, op, scope)) return Type::error();
      const bool rhs_plain = rhs.untyped || rhs.unit == Unit::kNumber;
      if (rhs_plain) return lhs;
      if (lhs.untyped || lhs.unit == rhs.unit) return Type::number(Unit::kNumber);  // a ratio
      ctx_.sink.error(DiagCode::kUnitMismatch, scope.source, expr.span, "cannot divide " + describe(lhs) + " by " + describe(rhs))
          .help = "divide quantities of the same unit (a ratio) or by a plain number";
      return Type::error();
    }
  }
  return Type::error();
}

bool TypeChecker::numeric(Type type, const Expr& side, std::string_view op, const Scope& scope) {
  if (type.kind == TypeKind::kNumber) return true;
  auto& diagnostic = ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, side.span,
                                 backticked(op) + " needs numbers, found " + describe(type));
  if (type.kind == TypeKind::kGroupSet)
    diagnostic.help = "a set of groups can only be used inside `any`, `all`, `count`, `at_least` or `score`";
  if (type.kind == TypeKind::kBool) diagnostic.help = "use `and`, `or` and `not` to combine conditions";
  return false;
}

Type TypeChecker::check_kind(const Expr& expr, const IfExpr& value, const Scope& scope) {
  expect_condition(*value.condition, scope, "`if`");
  const Type then_type = value_of(check(*value.then_value, scope));
  const Type else_type = value_of(check(*value.else_value, scope));
  if (then_type.kind == TypeKind::kError || else_type.kind == TypeKind::kError) return Type::error();
  if (then_type.kind == TypeKind::kBool && else_type.kind == TypeKind::kBool) return then_type;
  if (then_type.kind != else_type.kind) {
    ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, expr.span,
                "the branches of `if` differ: " + describe(then_type) + " and " + describe(else_type));
    return Type::error();
  }
  if (then_type.kind != TypeKind::kNumber) return then_type;
  return unify(then_type, *value.then_value, else_type, *value.else_value, "if", scope, expr.span);
}
}  // namespace riskoff::engine::detail
