// Parse tree -> AST, declaration by declaration (see lower.hpp).
#include "dsl/lower.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace riskoff::dsl::detail {

Header Lowerer::header(const Node& node) {
  Header header;
  header.span = span(node);
  header.tests = node.is_type<g::tests_header>();
  int strings = 0;
  for (const auto& child : node.children) {
    if (child->is_type<g::name>()) {
      header.name = child->string();
      header.name_span = span(*child);
    } else if (child->is_type<g::string_lit>()) {
      if (strings++ == 0) header.version = text(*child);
      else header.description = text(*child);
    }
  }
  return header;
}

ParamDecl Lowerer::param(const Node& node) {
  ParamDecl decl;
  decl.span = span(node);
  for (const auto& child : node.children) {
    if (child->is_type<g::name>() || child->is_type<g::qualified_name>()) {
      decl.name = child->string();
      decl.name_span = span(*child);
    } else if (child->is_type<g::string_lit>()) {
      decl.reason = text(*child);
    } else {
      decl.value = expr(*child);
    }
  }
  return decl;
}

Given Lowerer::given(const Node& node) {
  Given given;
  given.span = span(node);
  for (const auto& part : node.children) {
    if (part->is_type<g::qualified_name>()) {
      given.input = part->string();
      given.input_span = span(*part);
    } else if (part->is_type<g::missing_value>()) {
      given.shape = Given::Shape::kMissing;
    } else if (part->is_type<g::value_list>()) {
      given.shape = Given::Shape::kSeries;
      for (const auto& value : part->children) given.values.push_back(signed_number(*value));
    } else if (part->is_type<g::signed_number>()) {
      given.shape = Given::Shape::kScalar;
      given.values.push_back(signed_number(*part));
    } else if (part->is_type<g::age_option>()) {
      given.age = number(*part->children.at(0));
    }
  }
  return given;
}

std::optional<Decl> Lowerer::declaration(const Node& node) {
  reset();
  const Span whole = span(node);
  if (node.is_type<g::import_decl>()) {
    Import decl;
    decl.span = whole;
    for (const auto& child : node.children) {
      if (child->is_type<g::string_lit>()) decl.path = text(*child);
      else if (child->is_type<g::name>()) {
        decl.alias = child->string();
        decl.alias_span = span(*child);
      }
    }
    return decl;
  }
  if (node.is_type<g::input_decl>()) {
    InputDecl decl;
    decl.span = whole;
    for (const auto& child : node.children) {
      if (child->is_type<g::name>()) {
        decl.name = child->string();
        decl.name_span = span(*child);
      } else if (child->is_type<g::series_kind>()) {
        decl.is_series = true;
        const Node& freq = *child->children.at(0);
        decl.frequency = freq.string();
        decl.frequency_span = span(freq);
      } else if (child->is_type<g::unit_name>()) {
        decl.unit = child->string();
        decl.unit_span = span(*child);
      } else if (child->is_type<g::optional_flag>()) {
        decl.optional = true;
      } else if (child->is_type<g::max_age_option>()) {
        decl.max_age = number(*child->children.at(0));
        decl.max_age_span = span(*child->children.at(0));
      } else if (child->is_type<g::calendar_option>()) {
        decl.calendar = child->children.at(0)->string();
        decl.calendar_span = span(*child->children.at(0));
      } else if (child->is_type<g::string_lit>()) {
        decl.description = text(*child);
      }
    }
    return decl;
  }
  if (node.is_type<g::param_decl>()) return param(node);
  if (node.is_type<g::let_decl>()) {
    LetDecl decl;
    decl.span = whole;
    decl.name = node.children.at(0)->string();
    decl.name_span = span(*node.children.at(0));
    decl.value = expr(*node.children.at(1));
    return decl;
  }
  if (node.is_type<g::signal_decl>()) {
    SignalDecl decl;
    decl.span = whole;
    decl.name = node.children.at(0)->string();
    decl.name_span = span(*node.children.at(0));
    decl.title = text(*node.children.at(1));
    decl.condition = expr(*node.children.at(2));
    if (node.children.size() > 3) decl.because = text(*node.children.at(3)->children.at(0));
    return decl;
  }
  if (node.is_type<g::driver_decl>() || node.is_type<g::check_decl>() || node.is_type<g::regime_decl>() ||
      node.is_type<g::group_decl>()) {
    GroupDecl decl;
    decl.span = whole;
    decl.kind = node.is_type<g::driver_decl>()   ? GroupKind::kDriver
                : node.is_type<g::check_decl>()  ? GroupKind::kCheck
                : node.is_type<g::regime_decl>() ? GroupKind::kRegime
                                                 : GroupKind::kGroup;
    bool have_condition = false;
    for (const auto& child : node.children) {
      if (child->is_type<g::step_number>()) {
        decl.order_span = span(*child);
        std::int64_t value = 0;
        const auto digits = child->string_view();
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec != std::errc()) {
          sink_.error(DiagCode::kInvalidNumber, source_, span(*child), "step number `" + child->string() + "` is out of range");
          throw LowerError{};
        }
        decl.order = value;
      } else if (child->is_type<g::name>()) {
        decl.name = child->string();
        decl.name_span = span(*child);
      } else if (child->is_type<g::string_lit>()) {
        decl.title = text(*child);
      } else if (child->is_type<g::minutes_option>()) {
        const auto digits = child->children.at(0)->string_view();
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec != std::errc()) {
          sink_.error(DiagCode::kInvalidNumber, source_, span(*child->children.at(0)), "minutes `" + std::string(digits) + "` is out of range");
          throw LowerError{};
        }
        decl.minutes = value;
      } else if (child->is_type<g::because_clause>()) {
        decl.because = text(*child->children.at(0));
      } else if (child->is_type<g::meta_entry>()) {
        decl.meta.push_back({child->children.at(0)->string(), span(*child->children.at(0)), text(*child->children.at(1))});
      } else if (!have_condition) {
        decl.condition = expr(*child);
        have_condition = true;
      }
    }
    return decl;
  }
  if (node.is_type<g::profile_decl>()) {
    ProfileDecl decl;
    decl.span = whole;
    for (const auto& child : node.children) {
      if (child->is_type<g::name>()) {
        decl.name = child->string();
        decl.name_span = span(*child);
      } else if (child->is_type<g::string_lit>()) {
        decl.title = text(*child);
      } else if (child->is_type<g::kw_decide>()) {
        decl.decide_span = span(*child);
      } else if (child->is_type<g::override_decl>()) {
        decl.overrides.push_back(param(*child));
      } else if (child->is_type<g::clause>()) {
        Clause clause;
        clause.span = span(*child);
        for (const auto& part : child->children) {
          if (part->is_type<g::action_name>()) {
            clause.action = part->string();
            clause.action_span = span(*part);
          } else if (part->is_type<g::when_condition>()) {
            clause.condition = expr(*part->children.at(0));
          } else if (part->is_type<g::otherwise>()) {
            clause.otherwise_span = span(*part);
          } else if (part->is_type<g::regime_label>()) {
            clause.regime = text(*part->children.at(0));
          } else if (part->is_type<g::advice_text>()) {
            clause.advice = text(*part->children.at(0));
          }
        }
        decl.clauses.push_back(std::move(clause));
      }
    }
    return decl;
  }
  if (node.is_type<g::test_decl>()) {
    TestDecl decl;
    decl.span = whole;
    for (const auto& child : node.children) {
      if (child->is_type<g::string_lit>()) {
        decl.name = text(*child);
      } else if (child->is_type<g::fixture_ref>()) {
        decl.fixture = child->string();
        decl.fixture_span = span(*child);
      } else if (setup_step(*child, decl)) {
        continue;
      } else if (child->is_type<g::expect_action>()) {
        Expectation expectation;
        expectation.span = span(*child);
        expectation.kind = Expectation::Kind::kAction;
        expectation.subject = child->children.at(0)->string();
        expectation.subject_span = span(*child->children.at(0));
        expectation.action = child->children.at(1)->string();
        expectation.action_span = span(*child->children.at(1));
        decl.expectations.push_back(std::move(expectation));
      } else if (child->is_type<g::expect_truth>()) {
        Expectation expectation;
        expectation.span = span(*child);
        expectation.subject = child->children.at(0)->string();
        expectation.subject_span = span(*child->children.at(0));
        const auto truth = child->children.at(1)->string_view();
        expectation.kind = truth == "true"    ? Expectation::Kind::kTrue
                           : truth == "false" ? Expectation::Kind::kFalse
                                              : Expectation::Kind::kUnknown;
        decl.expectations.push_back(std::move(expectation));
      }
    }
    return decl;
  }
  if (node.is_type<g::fixture_decl>()) {
    FixtureDecl decl;
    decl.span = whole;
    for (const auto& child : node.children) {
      if (child->is_type<g::name>()) {
        decl.name = child->string();
        decl.name_span = span(*child);
      } else if (child->is_type<g::string_lit>()) {
        decl.title = text(*child);
      } else {
        setup_step(*child, decl);
      }
    }
    return decl;
  }
  return std::nullopt;
}

}  // namespace riskoff::dsl::detail
