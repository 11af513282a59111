// Internal to engine/: the type and unit of one expression, with its names resolved and its
// dependencies recorded. Used by the types pass (bodies of lets, signals and groups) and the
// decide pass (profile conditions). Units and windows are checked here, as part of typing.
#pragma once

#include "engine/check/context.hpp"

namespace riskoff::engine::detail {

class TypeChecker {
 public:
  explicit TypeChecker(CheckContext& ctx) : ctx_(ctx) {}

  Type check(const Expr& expr, const Scope& scope);
  void expect_condition(const Expr& expr, const Scope& scope, const std::string& what);
  // Lets are typed on first use so that declaration order does not matter.
  Type symbol_type(std::int64_t index);

 private:
  // symbol_type's work stack (no recursion from one let into the next); the lets a body names.
  void type_lets_from(std::uint32_t root);
  std::vector<std::uint32_t> lets_read(std::uint32_t let) const;
  void type_let_body(std::uint32_t let);

  Type check_kind(const Expr&, const NumberLit& number, const Scope&) { return literal_number_type(number); }
  Type check_kind(const Expr&, const BoolLit&, const Scope&) { return Type::boolean(); }
  Type check_kind(const Expr& expr, const NameRef& ref, const Scope& scope);
  Type check_kind(const Expr& expr, const Unary& unary, const Scope& scope);
  Type check_kind(const Expr& expr, const Binary& binary, const Scope& scope);
  Type check_kind(const Expr& expr, const IfExpr& value, const Scope& scope);
  Type check_kind(const Expr& expr, const Call& call, const Scope& scope);  // calls.cpp
  // Two numbers meeting in `op`: the unit both share, or an error (reported once, here).
  Type unify(Type lhs, const Expr& lhs_expr, Type rhs, const Expr& rhs_expr, std::string_view op, const Scope& scope,
             Span span);
  bool numeric(Type type, const Expr& side, std::string_view op, const Scope& scope);
  void add_dep(const Scope& scope, std::uint32_t target);

  CheckContext& ctx_;
};

inline Type value_of(Type type) {
  if (type.kind == TypeKind::kSeries) type.kind = TypeKind::kNumber;
  return type;
}

}  // namespace riskoff::engine::detail
