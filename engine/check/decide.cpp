// The decide pass: profiles (parameter overrides, clause order, reachability, a default), then
// the tests and fixtures (decide_tests.cpp).
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "engine/check/passes.hpp"
#include "engine/check/type_checker.hpp"
#include "engine/snapshot.hpp"

namespace riskoff::engine::detail {
namespace {

class DecidePass {
 public:
  explicit DecidePass(CheckContext& ctx) : ctx_(ctx), typer_(ctx) {}

  void run() {
    check_profiles();
    check_rule_tests(ctx_);
  }

 private:
  void check_profiles();

  CheckContext& ctx_;
  TypeChecker typer_;
};

void DecidePass::check_profiles() {
  const Module& root = ctx_.rs.root();
  Scope scope{0, root.source, -1};
  std::map<std::string, const ProfileDecl*> seen;
  for (const auto& decl : root.decls) {
    const auto* profile = std::get_if<ProfileDecl>(&decl);
    if (profile == nullptr) continue;
    if (const auto [it, inserted] = seen.emplace(profile->name, profile); !inserted) {
      ctx_.sink.error(DiagCode::kDuplicateName, root.source, profile->name_span, "profile " + backticked(profile->name) + " is declared twice")
          .note = DiagnosticNote{root.source, it->second->name_span, "first declared here"};
      continue;
    }
    ctx_.rs.profiles.push_back({profile, profile->name});
    std::set<std::string> overridden;
    for (const auto& override : profile->overrides) {
      if (!overridden.insert(override.name).second) {
        ctx_.sink.error(DiagCode::kDuplicateName, root.source, override.name_span,
                    "parameter " + backticked(override.name) + " is overridden twice in profile " + backticked(profile->name));
        continue;
      }
      check_override(ctx_, override, scope, "profile " + backticked(profile->name));
    }
    bool otherwise_seen = false;
    std::vector<std::string> earlier_conditions;
    bool always_true_before = false;
    for (const auto& clause : profile->clauses) {
      if (otherwise_seen) {
        ctx_.sink.error(DiagCode::kClauseAfterOtherwise, root.source, clause.span,
                    "decision " + backticked(clause.action) + " comes after `otherwise` and can never be chosen")
            .help = "`otherwise` must be the last decision of a profile";
        continue;
      }
      if (!clause.condition) {
        otherwise_seen = true;
        if (always_true_before) {
          ctx_.sink.error(DiagCode::kUnreachableClause, root.source, clause.otherwise_span,
                      "decision " + backticked(clause.action) + " can never be chosen")
              .help = "an earlier decision's condition is always true";
        }
        continue;
      }
      typer_.expect_condition(*clause.condition, scope, "decision " + backticked(clause.action));
      const std::string text = to_source(*clause.condition);
      const auto* literal = std::get_if<BoolLit>(&clause.condition->kind);
      const bool repeated = std::find(earlier_conditions.begin(), earlier_conditions.end(), text) != earlier_conditions.end();
      if (always_true_before || repeated || (literal != nullptr && !literal->value)) {
        ctx_.sink.error(DiagCode::kUnreachableClause, root.source, clause.condition->span,
                    "decision " + backticked(clause.action) + " can never be chosen")
            .help = always_true_before ? "an earlier decision's condition is always true"
                    : repeated         ? "an earlier decision has the same condition"
                                       : "its condition is always false";
      }
      if (literal != nullptr && literal->value) always_true_before = true;
      earlier_conditions.push_back(text);
    }
    if (!otherwise_seen) {
      ctx_.sink.error(DiagCode::kMissingOtherwise, root.source, profile->name_span,
                  "profile " + backticked(profile->name) + " has no `otherwise` decision")
          .help = "end the decisions with a default, e.g. `wait otherwise`";
    }
  }
}


}  // namespace

void check_override(CheckContext& ctx_, const ParamDecl& override, const Scope& scope, const std::string& where) {
  const std::int64_t index = resolve(ctx_, override.name, scope);
  if (index >= 0 && ctx_.rs.symbols[static_cast<std::size_t>(index)].kind == SymbolKind::kBroken) return;
  if (index < 0 || ctx_.rs.symbols[static_cast<std::size_t>(index)].kind != SymbolKind::kParam) {
    auto& diagnostic = ctx_.sink.error(DiagCode::kUnknownParam, scope.source, override.name_span,
                                   where + " overrides unknown parameter " + backticked(override.name));
    if (!last_shown(ctx_.sink)) return;
    std::vector<std::string> params;
    for (const auto& symbol : ctx_.rs.symbols) {
      if (symbol.kind == SymbolKind::kParam) params.push_back(symbol.name);
    }
    const std::string suggestion = closest_match(override.name, params);
    if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
    return;
  }
  Symbol& symbol = ctx_.rs.symbols[static_cast<std::size_t>(index)];
  const Type type = literal_type(ctx_, *override.value, scope.source, "the override of " + backticked(override.name));
  if (type.kind == TypeKind::kError || symbol.type.kind == TypeKind::kError) return;
  if (type.kind != symbol.type.kind || type.unit != symbol.type.unit) {
    const auto* number = std::get_if<NumberLit>(&override.value->kind);
    const bool bare = number != nullptr && number->unit == LiteralUnit::kNone;
    // A bare number may override a plain-number parameter.
    if (!(bare && symbol.type.kind == TypeKind::kNumber && symbol.type.unit == Unit::kNumber)) {
      ctx_.sink.error(DiagCode::kOverrideUnit, scope.source, override.value->span,
                  backticked(override.name) + " is " + describe(symbol.type) + ", but the override is " + describe(type))
          .help = "keep the parameter's unit, e.g. `" + override.name + " = " + to_source(*static_cast<const ParamDecl*>(symbol.decl)->value) + "`";
      return;
    }
  }
  // A window override gets the checks a window literal gets.
  if (symbol.type.kind == TypeKind::kDuration || symbol.type.kind == TypeKind::kBars) {
    const auto* unary = std::get_if<Unary>(&override.value->kind);
    const auto* number = std::get_if<NumberLit>(&(unary != nullptr ? *unary->operand : *override.value).kind);
    if (number != nullptr) {
      const double value = number_value(*number);
      if (unary != nullptr || !window_in_range(symbol.type.kind, value)) {
        ctx_.sink.error(DiagCode::kInvalidWindow, scope.source, override.value->span,
                    "window " + backticked(to_source(*override.value)) + " is out of range")
            .help = window_limits_text();
        return;
      }
    }
  }
  // The same value written differently (`15bp`, `15.0bp`) is still the default.
  const auto* param = static_cast<const ParamDecl*>(symbol.decl);
  auto literal_of = [](const Expr& expr) -> std::optional<std::pair<double, LiteralUnit>> {
    const auto* unary = std::get_if<Unary>(&expr.kind);
    const Expr& inner = unary != nullptr && unary->op == UnaryOp::kNeg ? *unary->operand : expr;
    if (const auto* number = std::get_if<NumberLit>(&inner.kind)) {
      return std::make_pair(unary != nullptr ? -number->value : number->value, number->unit);
    }
    if (const auto* boolean = std::get_if<BoolLit>(&expr.kind)) return std::make_pair(boolean->value ? 1.0 : 0.0, LiteralUnit::kNone);
    return std::nullopt;
  };
  const auto default_value = literal_of(*param->value);
  const auto override_value = literal_of(*override.value);
  if (default_value && override_value && *default_value == *override_value) {
    ctx_.sink.error(DiagCode::kShadowedOverride, scope.source, override.value->span,
                where + " sets " + backticked(override.name) + " to its default value")
        .help = "remove the override, or change the value";
  }
}

void run_decide(CheckContext& ctx) { DecidePass(ctx).run(); }

}  // namespace riskoff::engine::detail
