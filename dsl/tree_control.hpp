// The PEGTL control that builds the parse tree (dsl/tree.hpp) as the grammar matches: which rules
// make a node, and what a rule does to the tree when it starts, succeeds or fails. Internal to
// dsl/: included by parse.cpp only.
#pragma once

#include <type_traits>

#include "dsl/grammar.hpp"
#include "dsl/messages.hpp"
#include "dsl/tree.hpp"

namespace riskoff::dsl::detail {

namespace pegtl = tao::pegtl;
namespace g = grammar;

template <typename Rule, typename... Rules>
inline constexpr bool is_any_of = (std::is_same_v<Rule, Rules> || ...);

// The rules that make a node (dsl/tree.hpp), and the operator chains that make one only for two
// operands or more.
// clang-format off
template <typename Rule>
inline constexpr bool kKept = is_any_of<Rule,
    g::name, g::qualified_name, g::number_digits, g::unit_suffix, g::string_lit, g::mul_op, g::add_op,
    g::cmp_op, g::bool_lit, g::minus_sign, g::missing_value, g::otherwise, g::truth, g::step_number,
    g::optional_flag, g::kw_decide, g::unit_name, g::meta_key, g::action_name, g::series_kind, g::scalar_kind,
    g::header, g::import_decl, g::input_decl, g::max_age_option, g::calendar_option, g::param_decl,
    g::override_decl, g::let_decl, g::signal_decl, g::because_clause, g::meta_entry, g::minutes_option, g::driver_decl,
    g::check_decl, g::regime_decl, g::group_decl, g::clause, g::when_condition, g::regime_label,
    g::advice_text, g::profile_decl, g::value_list, g::given_step, g::age_option, g::set_step,
    g::as_of_step, g::snapshot_step, g::expect_action, g::expect_truth, g::test_decl, g::number_lit,
    g::signed_number, g::call, g::call_arg, g::name_ref, g::if_expr, g::neg_expr, g::not_expr, g::tests_header,
    g::fixture_ref, g::fixture_decl, g::product, g::sum, g::comparison, g::conjunction, g::disjunction>;
template <typename Rule>
inline constexpr bool kFoldOne = is_any_of<Rule, g::product, g::sum, g::comparison, g::conjunction, g::disjunction>;
// clang-format on

// Whether any of `Rules`, or a rule below them down to `Level` rules deep, is kept; past that
// depth a rule with sub-rules is assumed to (the recursive ones). The same test as PEGTL's
// parse_tree (its is_leaf<8>): the rules it selects must be the ones tracked here, because a
// tracked rule also counts towards the nesting limit (E0004 positions stay where they were).
template <unsigned Level, typename... Rules>
constexpr bool holds_kept(pegtl::type_list<Rules...> /*rules*/) {
  if constexpr (Level == 0) return sizeof...(Rules) > 0;
  else return ((kKept<Rules> || holds_kept<Level - 1>(typename Rules::subs_t{})) || ...);
}

template <typename Rule>
using error_control = pegtl::must_if<g::error_table, pegtl::normal, false>::control<Rule>;

// Builds the tree as the rules match: a kept rule makes a node of what it matched, and any rule
// that may hold one drops what it made when it fails.
template <typename Rule, bool Tracked = kKept<Rule> || holds_kept<8>(typename Rule::subs_t{})>
struct tree_control : error_control<Rule> {};

template <typename Rule>
struct tree_control<Rule, true> : error_control<Rule> {
  static constexpr bool enable = true;  // PEGTL's own rules too, when they may hold a kept one
  template <typename ParseInput, typename... States>
  static void start(const ParseInput& in, Tree& tree, States&&... /*unused*/) {
    tree.open(in.current());
  }
  template <typename ParseInput, typename... States>
  static void success(const ParseInput& in, Tree& tree, States&&... /*unused*/) {
    if constexpr (kKept<Rule>) tree.close_kept(&kRuleTag<Rule>, in.current(), kFoldOne<Rule>);
    else tree.close_unkept();
  }
  template <typename ParseInput, typename... States>
  static void failure(const ParseInput& in, Tree& tree, States&&... states) {
    tree.drop();
    error_control<Rule>::failure(in, tree, states...);
  }
};


}  // namespace riskoff::dsl::detail
