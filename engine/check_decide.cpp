// The checker's decide pass: profiles (overrides, clause order, reachability) and the tests
// inside rule files (see checker.hpp for the pass order).
#include <algorithm>
#include <optional>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dsl/parse.hpp"
#include "engine/builtins.hpp"
#include "engine/checker.hpp"
#include "engine/snapshot.hpp"

namespace riskoff::engine::detail {

void Checker::check_profiles() {
  const Module& root = rs_.root();
  Context ctx{0, root.source, -1};
  std::map<std::string, const ProfileDecl*> seen;
  for (const auto& decl : root.decls) {
    const auto* profile = std::get_if<ProfileDecl>(&decl);
    if (profile == nullptr) continue;
    if (const auto [it, inserted] = seen.emplace(profile->name, profile); !inserted) {
      sink_.error(DiagCode::kDuplicateName, root.source, profile->name_span, "profile " + backticked(profile->name) + " is declared twice")
          .note = DiagnosticNote{root.source, it->second->name_span, "first declared here"};
      continue;
    }
    rs_.profiles.push_back({profile, profile->name});
    std::set<std::string> overridden;
    for (const auto& override : profile->overrides) {
      if (!overridden.insert(override.name).second) {
        sink_.error(DiagCode::kDuplicateName, root.source, override.name_span,
                    "parameter " + backticked(override.name) + " is overridden twice in profile " + backticked(profile->name));
        continue;
      }
      check_override(override, ctx, "profile " + backticked(profile->name));
    }
    bool otherwise_seen = false;
    std::vector<std::string> earlier_conditions;
    bool always_true_before = false;
    for (const auto& clause : profile->clauses) {
      if (otherwise_seen) {
        sink_.error(DiagCode::kClauseAfterOtherwise, root.source, clause.span,
                    "decision " + backticked(clause.action) + " comes after `otherwise` and can never be chosen")
            .help = "`otherwise` must be the last decision of a profile";
        continue;
      }
      if (!clause.condition) {
        otherwise_seen = true;
        if (always_true_before) {
          sink_.error(DiagCode::kUnreachableClause, root.source, clause.otherwise_span,
                      "decision " + backticked(clause.action) + " can never be chosen")
              .help = "an earlier decision's condition is always true";
        }
        continue;
      }
      expect_condition(*clause.condition, ctx, "decision " + backticked(clause.action));
      const std::string text = to_source(*clause.condition);
      const auto* literal = std::get_if<BoolLit>(&clause.condition->kind);
      const bool repeated = std::find(earlier_conditions.begin(), earlier_conditions.end(), text) != earlier_conditions.end();
      if (always_true_before || repeated || (literal != nullptr && !literal->value)) {
        sink_.error(DiagCode::kUnreachableClause, root.source, clause.condition->span,
                    "decision " + backticked(clause.action) + " can never be chosen")
            .help = always_true_before ? "an earlier decision's condition is always true"
                    : repeated         ? "an earlier decision has the same condition"
                                       : "its condition is always false";
      }
      if (literal != nullptr && literal->value) always_true_before = true;
      earlier_conditions.push_back(text);
    }
    if (!otherwise_seen) {
      sink_.error(DiagCode::kMissingOtherwise, root.source, profile->name_span,
                  "profile " + backticked(profile->name) + " has no `otherwise` decision")
          .help = "end the decisions with a default, e.g. `wait otherwise`";
    }
  }
}

void Checker::check_override(const ParamDecl& override, const Context& ctx, const std::string& where) {
  const std::int64_t index = resolve(override.name, ctx);
  if (index >= 0 && rs_.symbols[static_cast<std::size_t>(index)].kind == SymbolKind::kBroken) return;
  if (index < 0 || rs_.symbols[static_cast<std::size_t>(index)].kind != SymbolKind::kParam) {
    auto& diagnostic = sink_.error(DiagCode::kUnknownParam, ctx.source, override.name_span,
                                   where + " overrides unknown parameter " + backticked(override.name));
    std::vector<std::string> params;
    for (const auto& symbol : rs_.symbols) {
      if (symbol.kind == SymbolKind::kParam) params.push_back(symbol.name);
    }
    const std::string suggestion = closest_match(override.name, params);
    if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
    return;
  }
  Symbol& symbol = rs_.symbols[static_cast<std::size_t>(index)];
  const Type type = literal_type(*override.value, ctx.source, "the override of " + backticked(override.name));
  if (type.kind == TypeKind::kError || symbol.type.kind == TypeKind::kError) return;
  if (type.kind != symbol.type.kind || type.unit != symbol.type.unit) {
    const auto* number = std::get_if<NumberLit>(&override.value->kind);
    const bool bare = number != nullptr && number->unit == LiteralUnit::kNone;
    // A bare number may override a plain-number parameter.
    if (!(bare && symbol.type.kind == TypeKind::kNumber && symbol.type.unit == Unit::kNumber)) {
      sink_.error(DiagCode::kOverrideUnit, ctx.source, override.value->span,
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
        sink_.error(DiagCode::kInvalidWindow, ctx.source, override.value->span,
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
    sink_.error(DiagCode::kShadowedOverride, ctx.source, override.value->span,
                where + " sets " + backticked(override.name) + " to its default value")
        .help = "remove the override, or change the value";
  }
}

void Checker::check_tests() {
  const Module& root = rs_.root();
  Context ctx{0, root.source, -1};
  for (const auto& decl : root.decls) {
    const auto* test = std::get_if<TestDecl>(&decl);
    if (test == nullptr) continue;
    if (test->expectations.empty()) {
      sink_.error(DiagCode::kTestWithoutExpect, root.source, test->name.span, "test " + backticked(test->name.value) + " expects nothing")
          .help = "add `expect PROFILE -> ACTION` or `expect NAME is true`";
    }
    if (test->as_of && !parse_timestamp(test->as_of->value)) {
      sink_.error(DiagCode::kInvalidTimestamp, root.source, test->as_of->span,
                  "invalid time " + backticked(test->as_of->value))
          .help = "write UTC as YYYY-MM-DDTHH:MM:SSZ, e.g. \"2026-02-04T21:00:00Z\"";
    }
    std::vector<std::string> given_names;
    for (const auto& given : test->givens) {
      if (std::find(given_names.begin(), given_names.end(), given.input) != given_names.end()) {
        sink_.error(DiagCode::kDuplicateName, root.source, given.input_span,
                    "test " + backticked(test->name.value) + " gives " + backticked(given.input) + " twice")
            .help = "keep one `given` per input";
      }
      given_names.push_back(given.input);
      const std::int64_t index = resolve(given.input, ctx);
      if (index < 0) {
        unknown_name(given.input, given.input_span, ctx, "input");
        continue;
      }
      const Symbol& symbol = rs_.symbols[static_cast<std::size_t>(index)];
      if (symbol.kind == SymbolKind::kBroken) continue;  // its declaration failed to parse: reported there
      if (symbol.kind != SymbolKind::kInput) {
        auto& diagnostic = sink_.error(DiagCode::kNotAnInput, root.source, given.input_span,
                                       backticked(given.input) + " is not an input; tests give values to inputs only");
        diagnostic.help = symbol.kind == SymbolKind::kParam
                              ? "to change a parameter in a test, write `set " + given.input + " = VALUE`"
                              : backticked(given.input) + " is computed: give values to the inputs it reads";
        continue;
      }
      const auto* input = static_cast<const InputDecl*>(symbol.decl);
      if (given.shape == Given::Shape::kSeries && !input->is_series) {
        sink_.error(DiagCode::kGivenShape, root.source, given.span, backticked(given.input) + " is a scalar input: give one value, not a list");
      } else if (given.shape == Given::Shape::kScalar && input->is_series) {
        sink_.error(DiagCode::kGivenShape, root.source, given.span,
                    backticked(given.input) + " is a series: give a list of values, oldest first, e.g. `[4.10, 4.18]`");
      } else if (given.shape == Given::Shape::kSeries && given.values.empty()) {
        sink_.error(DiagCode::kGivenShape, root.source, given.span,
                    "an empty list for " + backticked(given.input) + "; write `missing` to test absent data");
      }
      for (const auto& value : given.values) {
        if (value.unit != LiteralUnit::kNone) {
          sink_.error(DiagCode::kGivenShape, root.source, given.span,
                      "test values are written in the input's unit (" + input->unit + ") without a suffix");
          break;
        }
      }
      if (given.age && given.age->unit != LiteralUnit::kDays && given.age->unit != LiteralUnit::kHours) {
        sink_.error(DiagCode::kExpectedWindow, root.source, given.span, "`age` must be a duration such as `4d`");
      }
    }
    std::vector<std::string> set_names;
    for (const auto& set : test->sets) {
      if (std::find(set_names.begin(), set_names.end(), set.name) != set_names.end()) {
        sink_.error(DiagCode::kDuplicateName, root.source, set.name_span,
                    "test " + backticked(test->name.value) + " sets " + backticked(set.name) + " twice")
            .help = "keep one `set` per parameter";
      }
      set_names.push_back(set.name);
      check_override(set, ctx, "test " + backticked(test->name.value));
    }
    for (const auto& expectation : test->expectations) check_expectation(expectation, ctx);
  }
}

void Checker::check_expectation(const Expectation& expectation, const Context& ctx) {
  if (expectation.kind == Expectation::Kind::kAction) {
    const auto profile = std::find_if(rs_.profiles.begin(), rs_.profiles.end(),
                                      [&](const CheckedProfile& p) { return p.name == expectation.subject; });
    if (profile == rs_.profiles.end()) {
      auto& diagnostic = sink_.error(DiagCode::kUnknownProfile, ctx.source, expectation.subject_span,
                                     "unknown profile " + backticked(expectation.subject));
      std::vector<std::string> names;
      for (const auto& p : rs_.profiles) names.push_back(p.name);
      const std::string suggestion = closest_match(expectation.subject, names);
      if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
      return;
    }
    std::vector<std::string> actions;
    for (const auto& clause : profile->decl->clauses) actions.push_back(clause.action);
    if (std::find(actions.begin(), actions.end(), expectation.action) == actions.end()) {
      auto& diagnostic = sink_.error(DiagCode::kUnknownAction, ctx.source, expectation.action_span,
                                     "profile " + backticked(expectation.subject) + " never decides " + backticked(expectation.action));
      const std::string suggestion = closest_match(expectation.action, actions);
      diagnostic.help = suggestion.empty() ? "its actions are listed in its `decide` block"
                                           : "did you mean " + backticked(suggestion) + "?";
    }
    return;
  }
  const std::int64_t index = resolve(expectation.subject, ctx);
  if (index < 0) {
    unknown_name(expectation.subject, expectation.subject_span, ctx, "signal or group");
    return;
  }
  const SymbolKind kind = rs_.symbols[static_cast<std::size_t>(index)].kind;
  if (kind != SymbolKind::kSignal && kind != SymbolKind::kGroup && kind != SymbolKind::kBroken) {
    sink_.error(DiagCode::kTypeMismatch, ctx.source, expectation.subject_span,
                backticked(expectation.subject) + " is not a signal or group; only conditions can be expected true or false");
  }
}

void Checker::check_cost() {
  if (rs_.cost_bars <= kMaxCostBars) return;
  const Module& root = rs_.root();
  const Span at = root.header ? root.header->name_span : Span{};
  std::ostringstream bars;
  bars << static_cast<long long>(rs_.cost_bars);
  auto& diagnostic = sink_.error(DiagCode::kCostTooHigh, root.source, at,
                                 "one evaluation would read " + bars.str() + " observations; the limit is " +
                                     std::to_string(static_cast<long long>(kMaxCostBars)));
  diagnostic.help = "shorten the longest windows or use a lower-frequency input";
  if (costliest_bars_ > 0) {
    DiagnosticNote note = costliest_;
    note.message = "the costliest window reads " + std::to_string(static_cast<long long>(costliest_bars_)) + " observations";
    diagnostic.note = note;
  }
}

}  // namespace riskoff::engine::detail
