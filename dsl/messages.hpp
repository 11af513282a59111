// Error texts for the grammar's commit points, as "CODE|message". The code is the stable
// DiagCode number (docs/diagnostics.md); parse.cpp splits the two. Rules that cannot fail
// (star, opt, sp) need no entry; a rule without one falls back to E0100.
#pragma once

#include "dsl/grammar.hpp"

namespace riskoff::dsl::grammar {

template <typename>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr auto error_message<string_close> = "7|unterminated string: a string ends with `\"` on the same line";
template <> inline constexpr auto error_message<number_end> = "105|invalid number or unknown unit (units are %, bp, usd, d, h, bars)";
template <> inline constexpr auto error_message<expression> = "102|expected an expression";
template <> inline constexpr auto error_message<operand> = "102|expected an expression";
template <> inline constexpr auto error_message<product> = "102|expected an expression";
template <> inline constexpr auto error_message<sum> = "102|expected an expression";
template <> inline constexpr auto error_message<negation> = "102|expected an expression";
template <> inline constexpr auto error_message<conjunction> = "102|expected an expression";
template <> inline constexpr auto error_message<call_arg> = "102|expected an argument";
template <> inline constexpr auto error_message<param_value> = "102|expected the parameter's value, e.g. `15bp`";
template <> inline constexpr auto error_message<close_paren> = "103|expected `)`";
template <> inline constexpr auto error_message<kw_then> = "100|expected `then` after the condition of `if`";
template <> inline constexpr auto error_message<kw_else> = "100|expected `else`: `if` needs both branches";
template <> inline constexpr auto error_message<name> = "107|expected a name (letters, digits and `_`, not starting with a digit)";
template <> inline constexpr auto error_message<kw_version> = "101|expected `version \"X.Y.Z\"` after the ruleset's name";
template <> inline constexpr auto error_message<version_text> = "110|expected the version as a string, e.g. `\"0.1.0\"`";
template <> inline constexpr auto error_message<import_path> = "106|expected the imported file's path as a string";
template <> inline constexpr auto error_message<kw_as> = "100|expected `as ALIAS` after the imported file";
template <> inline constexpr auto error_message<colon> = "108|expected `:` and the input's kind after its name";
template <> inline constexpr auto error_message<input_kind> = "108|expected `series FREQUENCY` (e.g. `series 1d`) or `scalar`";
template <> inline constexpr auto error_message<frequency> = "108|expected the series' frequency, e.g. `1d` or `8h`";
template <> inline constexpr auto error_message<unit_name> = "108|expected the input's unit: percent, bp, usd, index or number";
template <> inline constexpr auto error_message<number_lit> = "105|expected a number, e.g. `3d` or `15bp`";
template <> inline constexpr auto error_message<equals> = "104|expected `=`";
template <> inline constexpr auto error_message<string_lit> = "106|expected a string in double quotes";
template <> inline constexpr auto error_message<title> = "106|expected the title as a string, e.g. `\"Yields repricing higher\"`";
template <> inline constexpr auto error_message<group_tail> = "104|expected `=` and the group's condition";
template <> inline constexpr auto error_message<step_number> = "105|expected a whole number";
template <> inline constexpr auto error_message<clause_condition> = "112|expected `when CONDITION` or `otherwise` after the action";
template <> inline constexpr auto error_message<clause> = "112|expected a decision clause: `ACTION when CONDITION` or `ACTION otherwise`";
template <> inline constexpr auto error_message<open_brace> = "100|expected `{`";
template <> inline constexpr auto error_message<close_brace> = "103|expected `}`";
template <> inline constexpr auto error_message<decide_block> = "112|expected `decide` and the profile's decision clauses";
template <> inline constexpr auto error_message<signed_number> = "105|expected a number";
template <> inline constexpr auto error_message<value_list_close> = "103|expected `]` to close the list of values";
template <> inline constexpr auto error_message<given_value> = "113|expected a number, a list of numbers `[...]` or `missing`";
template <> inline constexpr auto error_message<action_name> = "107|expected an action name, e.g. `hedge`";
template <> inline constexpr auto error_message<kw_is> = "113|expected `is true`, `is false` or `is unknown`";
template <> inline constexpr auto error_message<expectation> = "113|expected `PROFILE -> ACTION` or `NAME is true|false|unknown` after `expect`";
template <> inline constexpr auto error_message<truth> = "113|expected `true`, `false` or `unknown`";
template <> inline constexpr auto error_message<test_name> = "106|expected the test's name as a string";
template <> inline constexpr auto error_message<test_step> = "113|expected a test step: `given`, `set`, `as_of`, `snapshot` or `expect`";
template <> inline constexpr auto error_message<fixture_ref> = "107|expected the fixture's name after `from`, e.g. `from quiet`";
template <> inline constexpr auto error_message<fixture_step> = "113|expected a fixture step: `given`, `set`, `as_of` or `snapshot` (expectations belong in tests)";
template <> inline constexpr auto error_message<tested_ruleset> = "107|expected the name of the ruleset these tests are for, e.g. `tests riskoff`";
template <> inline constexpr auto error_message<file_header> = "101|a rule file starts with `ruleset NAME version \"X.Y.Z\"` (a test file with `tests NAME`)";
template <> inline constexpr auto error_message<header> = "101|a rule file starts with `ruleset NAME version \"X.Y.Z\"`";
template <> inline constexpr auto error_message<expect_declaration> = "109|expected a declaration: `input`, `param`, `let`, `signal`, `driver`, `check`, `regime`, `group`, `profile`, `test`, `fixture` or `import`";
template <> inline constexpr auto error_message<eof> = "109|expected a declaration or the end of the file";
// clang-format on

// Only explicit must<> points raise: a rule with a message may still fail quietly inside sor<>.
struct error_table {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
  template <typename Rule>
  static constexpr bool raise_on_failure = false;
};

}  // namespace riskoff::dsl::grammar
