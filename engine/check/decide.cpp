// The decide pass: profiles (parameter overrides, clause order, reachability, a default) and the
// tests inside the root file (givens, sets, expectations).
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
    check_tests();
  }

 private:
  void check_profiles();
  // A parameter override (profile `param` or test `set`): the parameter must exist, and the
  // value must be a literal of the same unit.
  void check_override(const ParamDecl& override, const Scope& scope, const std::string& where);
  void check_tests();
  void check_expectation(const Expectation& expectation, const Scope& scope);

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
      check_override(override, scope, "profile " + backticked(profile->name));
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

void DecidePass::check_override(const ParamDecl& override, const Scope& scope, const std::string& where) {
  const std::int64_t index = resolve(ctx_, override.name, scope);
  if (index >= 0 && ctx_.rs.symbols[static_cast<std::size_t>(index)].kind == SymbolKind::kBroken) return;
  if (index < 0 || ctx_.rs.symbols[static_cast<std::size_t>(index)].kind != SymbolKind::kParam) {
    auto& diagnostic = ctx_.sink.error(DiagCode::kUnknownParam, scope.source, override.name_span,
                                   where + " overrides unknown parameter " + backticked(override.name));
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
      const double value = number->unit == LiteralUnit::kDays    ? number->value * 86400
                           : number->unit == LiteralUnit::kHours ? number->value * 3600
                                                                 : number->value;
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

void DecidePass::check_tests() {
  const Module& root = ctx_.rs.root();
  Scope scope{0, root.source, -1};
  for (const auto& decl : root.decls) {
    const auto* test = std::get_if<TestDecl>(&decl);
    if (test == nullptr) continue;
    if (test->expectations.empty()) {
      ctx_.sink.error(DiagCode::kTestWithoutExpect, root.source, test->name.span, "test " + backticked(test->name.value) + " expects nothing")
          .help = "add `expect PROFILE -> ACTION` or `expect NAME is true`";
    }
    if (test->as_of && !parse_timestamp(test->as_of->value)) {
      ctx_.sink.error(DiagCode::kInvalidTimestamp, root.source, test->as_of->span,
                  "invalid time " + backticked(test->as_of->value))
          .help = "write UTC as YYYY-MM-DDTHH:MM:SSZ, e.g. \"2026-02-04T21:00:00Z\"";
    }
    std::vector<std::string> given_names;
    for (const auto& given : test->givens) {
      if (std::find(given_names.begin(), given_names.end(), given.input) != given_names.end()) {
        ctx_.sink.error(DiagCode::kDuplicateName, root.source, given.input_span,
                    "test " + backticked(test->name.value) + " gives " + backticked(given.input) + " twice")
            .help = "keep one `given` per input";
      }
      given_names.push_back(given.input);
      const std::int64_t index = resolve(ctx_, given.input, scope);
      if (index < 0) {
        unknown_name(ctx_, given.input, given.input_span, scope, "input");
        continue;
      }
      const Symbol& symbol = ctx_.rs.symbols[static_cast<std::size_t>(index)];
      if (symbol.kind == SymbolKind::kBroken) continue;  // its declaration failed to parse: reported there
      if (symbol.kind != SymbolKind::kInput) {
        auto& diagnostic = ctx_.sink.error(DiagCode::kNotAnInput, root.source, given.input_span,
                                       backticked(given.input) + " is not an input; tests give values to inputs only");
        diagnostic.help = symbol.kind == SymbolKind::kParam
                              ? "to change a parameter in a test, write `set " + given.input + " = VALUE`"
                              : backticked(given.input) + " is computed: give values to the inputs it reads";
        continue;
      }
      const auto* input = static_cast<const InputDecl*>(symbol.decl);
      if (given.shape == Given::Shape::kSeries && !input->is_series) {
        ctx_.sink.error(DiagCode::kGivenShape, root.source, given.span, backticked(given.input) + " is a scalar input: give one value, not a list");
      } else if (given.shape == Given::Shape::kScalar && input->is_series) {
        ctx_.sink.error(DiagCode::kGivenShape, root.source, given.span,
                    backticked(given.input) + " is a series: give a list of values, oldest first, e.g. `[4.10, 4.18]`");
      } else if (given.shape == Given::Shape::kSeries && given.values.empty()) {
        ctx_.sink.error(DiagCode::kGivenShape, root.source, given.span,
                    "an empty list for " + backticked(given.input) + "; write `missing` to test absent data");
      }
      for (const auto& value : given.values) {
        if (value.unit != LiteralUnit::kNone) {
          ctx_.sink.error(DiagCode::kGivenShape, root.source, given.span,
                      "test values are written in the input's unit (" + input->unit + ") without a suffix");
          break;
        }
      }
      if (given.age && given.age->unit != LiteralUnit::kDays && given.age->unit != LiteralUnit::kHours) {
        ctx_.sink.error(DiagCode::kExpectedWindow, root.source, given.span, "`age` must be a duration such as `4d`");
      }
    }
    std::vector<std::string> set_names;
    for (const auto& set : test->sets) {
      if (std::find(set_names.begin(), set_names.end(), set.name) != set_names.end()) {
        ctx_.sink.error(DiagCode::kDuplicateName, root.source, set.name_span,
                    "test " + backticked(test->name.value) + " sets " + backticked(set.name) + " twice")
            .help = "keep one `set` per parameter";
      }
      set_names.push_back(set.name);
      check_override(set, scope, "test " + backticked(test->name.value));
    }
    for (const auto& expectation : test->expectations) check_expectation(expectation, scope);
  }
}

void DecidePass::check_expectation(const Expectation& expectation, const Scope& scope) {
  if (expectation.kind == Expectation::Kind::kAction) {
    const auto profile = std::find_if(ctx_.rs.profiles.begin(), ctx_.rs.profiles.end(),
                                      [&](const CheckedProfile& p) { return p.name == expectation.subject; });
    if (profile == ctx_.rs.profiles.end()) {
      auto& diagnostic = ctx_.sink.error(DiagCode::kUnknownProfile, scope.source, expectation.subject_span,
                                     "unknown profile " + backticked(expectation.subject));
      std::vector<std::string> names;
      for (const auto& p : ctx_.rs.profiles) names.push_back(p.name);
      const std::string suggestion = closest_match(expectation.subject, names);
      if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
      return;
    }
    std::vector<std::string> actions;
    for (const auto& clause : profile->decl->clauses) actions.push_back(clause.action);
    if (std::find(actions.begin(), actions.end(), expectation.action) == actions.end()) {
      auto& diagnostic = ctx_.sink.error(DiagCode::kUnknownAction, scope.source, expectation.action_span,
                                     "profile " + backticked(expectation.subject) + " never decides " + backticked(expectation.action));
      const std::string suggestion = closest_match(expectation.action, actions);
      diagnostic.help = suggestion.empty() ? "its actions are listed in its `decide` block"
                                           : "did you mean " + backticked(suggestion) + "?";
    }
    return;
  }
  const std::int64_t index = resolve(ctx_, expectation.subject, scope);
  if (index < 0) {
    unknown_name(ctx_, expectation.subject, expectation.subject_span, scope, "signal or group");
    return;
  }
  const SymbolKind kind = ctx_.rs.symbols[static_cast<std::size_t>(index)].kind;
  if (kind != SymbolKind::kSignal && kind != SymbolKind::kGroup && kind != SymbolKind::kBroken) {
    ctx_.sink.error(DiagCode::kTypeMismatch, scope.source, expectation.subject_span,
                backticked(expectation.subject) + " is not a signal or group; only conditions can be expected true or false");
  }
}

}  // namespace

void run_decide(CheckContext& ctx) { DecidePass(ctx).run(); }

}  // namespace riskoff::engine::detail
