// The grammar of riskoff rule files (PEGTL 3.2). Rules only: no actions, no state. Every rule
// has a one-line comment; after a declaration's keyword the parse is committed (if_must), so
// errors point at the exact place where the text stops making sense. Error texts live in
// dsl/messages.hpp. Included only by dsl/*.cpp: PEGTL never reaches a public header.
#pragma once

#include <tao/pegtl.hpp>

namespace riskoff::dsl::grammar {
namespace pegtl = tao::pegtl;
using namespace pegtl;  // NOLINT: grammar files read best with PEGTL's rule names unqualified

// ---- white space and comments ------------------------------------------------------------
// `# ...` to the end of the line.
struct comment : seq<one<'#'>, until<eolf>> {};
// Any amount of blanks, line breaks and comments: the language is free-form.
struct sp : star<sor<one<' ', '\t', '\r', '\n'>, comment>> {};
// Blanks on one line only (between a number and its unit).
struct blanks : star<one<' ', '\t'>> {};

// ---- words --------------------------------------------------------------------------------
struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct identifier : seq<ident_first, star<ident_other>> {};
// A keyword is a whole word: `input` but not `inputs`.
template <typename Word>
struct key : seq<Word, not_at<ident_other>> {};

struct kw_ruleset : key<TAO_PEGTL_STRING("ruleset")> {};
struct kw_version : key<TAO_PEGTL_STRING("version")> {};
struct kw_import : key<TAO_PEGTL_STRING("import")> {};
struct kw_as : key<TAO_PEGTL_STRING("as")> {};
struct kw_input : key<TAO_PEGTL_STRING("input")> {};
struct kw_series : key<TAO_PEGTL_STRING("series")> {};
struct kw_scalar : key<TAO_PEGTL_STRING("scalar")> {};
struct kw_optional : key<TAO_PEGTL_STRING("optional")> {};
struct kw_max_age : key<TAO_PEGTL_STRING("max_age")> {};
struct kw_calendar : key<TAO_PEGTL_STRING("calendar")> {};
struct kw_param : key<TAO_PEGTL_STRING("param")> {};
struct kw_let : key<TAO_PEGTL_STRING("let")> {};
struct kw_signal : key<TAO_PEGTL_STRING("signal")> {};
struct kw_because : key<TAO_PEGTL_STRING("because")> {};
struct kw_driver : key<TAO_PEGTL_STRING("driver")> {};
struct kw_check : key<TAO_PEGTL_STRING("check")> {};
struct kw_regime : key<TAO_PEGTL_STRING("regime")> {};
struct kw_group : key<TAO_PEGTL_STRING("group")> {};
struct kw_minutes : key<TAO_PEGTL_STRING("minutes")> {};
struct kw_profile : key<TAO_PEGTL_STRING("profile")> {};
struct kw_decide : key<TAO_PEGTL_STRING("decide")> {};
struct kw_when : key<TAO_PEGTL_STRING("when")> {};
struct kw_otherwise : key<TAO_PEGTL_STRING("otherwise")> {};
struct kw_advice : key<TAO_PEGTL_STRING("advice")> {};
struct kw_test : key<TAO_PEGTL_STRING("test")> {};
struct kw_given : key<TAO_PEGTL_STRING("given")> {};
struct kw_expect : key<TAO_PEGTL_STRING("expect")> {};
struct kw_snapshot : key<TAO_PEGTL_STRING("snapshot")> {};
struct kw_as_of : key<TAO_PEGTL_STRING("as_of")> {};
struct kw_set : key<TAO_PEGTL_STRING("set")> {};
struct kw_and : key<TAO_PEGTL_STRING("and")> {};
struct kw_or : key<TAO_PEGTL_STRING("or")> {};
struct kw_not : key<TAO_PEGTL_STRING("not")> {};
struct kw_if : key<TAO_PEGTL_STRING("if")> {};
struct kw_then : key<TAO_PEGTL_STRING("then")> {};
struct kw_else : key<TAO_PEGTL_STRING("else")> {};
struct kw_true : key<TAO_PEGTL_STRING("true")> {};
struct kw_false : key<TAO_PEGTL_STRING("false")> {};
struct kw_is : key<TAO_PEGTL_STRING("is")> {};
struct kw_unknown : key<TAO_PEGTL_STRING("unknown")> {};
struct kw_missing : key<TAO_PEGTL_STRING("missing")> {};
struct kw_age : key<TAO_PEGTL_STRING("age")> {};
struct kw_fixture : key<TAO_PEGTL_STRING("fixture")> {};
struct kw_from : key<TAO_PEGTL_STRING("from")> {};
struct kw_tests : key<TAO_PEGTL_STRING("tests")> {};

// Words that can never name a declaration.
struct keyword
    : key<sor<TAO_PEGTL_STRING("ruleset"), TAO_PEGTL_STRING("version"), TAO_PEGTL_STRING("import"),
              TAO_PEGTL_STRING("as_of"), TAO_PEGTL_STRING("as"), TAO_PEGTL_STRING("input"),
              TAO_PEGTL_STRING("series"), TAO_PEGTL_STRING("scalar"), TAO_PEGTL_STRING("optional"),
              TAO_PEGTL_STRING("max_age"), TAO_PEGTL_STRING("calendar"), TAO_PEGTL_STRING("param"),
              TAO_PEGTL_STRING("let"), TAO_PEGTL_STRING("signal"), TAO_PEGTL_STRING("because"),
              TAO_PEGTL_STRING("driver"), TAO_PEGTL_STRING("check"), TAO_PEGTL_STRING("regime"),
              TAO_PEGTL_STRING("group"), TAO_PEGTL_STRING("minutes"), TAO_PEGTL_STRING("profile"),
              TAO_PEGTL_STRING("decide"), TAO_PEGTL_STRING("when"), TAO_PEGTL_STRING("otherwise"),
              TAO_PEGTL_STRING("advice"), TAO_PEGTL_STRING("test"), TAO_PEGTL_STRING("given"),
              TAO_PEGTL_STRING("expect"), TAO_PEGTL_STRING("snapshot"), TAO_PEGTL_STRING("set"),
              TAO_PEGTL_STRING("and"), TAO_PEGTL_STRING("or"), TAO_PEGTL_STRING("not"),
              TAO_PEGTL_STRING("if"), TAO_PEGTL_STRING("then"), TAO_PEGTL_STRING("else"),
              TAO_PEGTL_STRING("true"), TAO_PEGTL_STRING("false"), TAO_PEGTL_STRING("is"),
              TAO_PEGTL_STRING("unknown"), TAO_PEGTL_STRING("missing"), TAO_PEGTL_STRING("age"),
              TAO_PEGTL_STRING("fixture"), TAO_PEGTL_STRING("from"), TAO_PEGTL_STRING("tests")>> {};

// A declared name: an identifier that is not a keyword.
struct name : seq<not_at<keyword>, identifier> {};
// A reference, possibly through import aliases: `rates_up`, `macro.rates_up`.
struct qualified_name : seq<name, star<one<'.'>, name>> {};

// ---- literals -----------------------------------------------------------------------------
// `"..."` on one line; `\"` and `\\` are the only escapes.
struct string_escape : seq<one<'\\'>, one<'"', '\\'>> {};
struct string_char : sor<string_escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_close : one<'"'> {};
struct string_lit : if_must<one<'"'>, star<string_char>, string_close> {};

// `15`, `0.5`, `2.5e9`.
struct number_digits
    : seq<plus<digit>, opt<one<'.'>, plus<digit>>, opt<one<'e', 'E'>, opt<one<'+', '-'>>, plus<digit>>> {};
// The unit of a literal: `%`, `bp`, `usd`, `d`, `h`, `bars` (`30 bars`, `2.5e9 usd`, `15bp`).
struct unit_suffix
    : sor<one<'%'>, key<TAO_PEGTL_STRING("bp")>, key<TAO_PEGTL_STRING("usd")>, key<TAO_PEGTL_STRING("bars")>,
          key<one<'d'>>, key<one<'h'>>> {};
// Nothing word-like may follow a number: `15bq` is an unknown unit, not two tokens.
struct number_end : not_at<ident_other> {};
struct number_lit : seq<number_digits, opt<blanks, unit_suffix>, must<number_end>> {};
// A signed number, for parameter defaults and test data.
struct minus_sign : one<'-'> {};
struct signed_number : seq<opt<minus_sign, blanks>, number_lit> {};

// ---- expressions --------------------------------------------------------------------------
struct expression;
struct close_paren : one<')'> {};
// `( expr )`
struct paren_expr : if_must<one<'('>, sp, expression, sp, close_paren> {};
// `name: weight` inside `score(...)`, or a plain argument.
struct call_arg : seq<expression, opt<sp, one<':'>, sp, must<expression>>> {};
struct call_args : opt<call_arg, star<sp, one<','>, sp, must<call_arg>>> {};
// `change(us10y, 5d)`
struct call : seq<qualified_name, blanks, one<'('>, must<sp, call_args, sp, close_paren>> {};
struct name_ref : qualified_name {};
struct bool_lit : sor<kw_true, kw_false> {};
// `if cond then a else b`
struct if_expr : if_must<kw_if, sp, expression, sp, kw_then, sp, expression, sp, kw_else, sp, expression> {};
struct primary : sor<number_lit, bool_lit, if_expr, call, name_ref, paren_expr> {};
struct operand;
// `-x`
struct neg_expr : if_must<one<'-'>, sp, operand> {};
struct operand : sor<neg_expr, primary> {};
struct mul_op : one<'*', '/'> {};
struct product : seq<operand, star<sp, mul_op, sp, must<operand>>> {};
struct add_op : one<'+', '-'> {};
struct sum : seq<product, star<sp, add_op, sp, must<product>>> {};
struct cmp_op : sor<string<'>', '='>, string<'<', '='>, string<'=', '='>, string<'!', '='>, one<'>'>, one<'<'>> {};
// Comparisons do not chain: `a < b < c` is a syntax error.
struct comparison : seq<sum, opt<sp, cmp_op, sp, must<sum>>> {};
struct negation;
// `not x`
struct not_expr : if_must<kw_not, sp, negation> {};
struct negation : sor<not_expr, comparison> {};
struct conjunction : seq<negation, star<sp, kw_and, sp, must<negation>>> {};
struct disjunction : seq<conjunction, star<sp, kw_or, sp, must<conjunction>>> {};
// Wrappers use seq<> rather than inheritance so that the parse tree keeps the inner node.
struct expression : seq<disjunction> {};

// ---- declarations -------------------------------------------------------------------------
struct equals : one<'='> {};
struct colon : one<':'> {};
struct description : seq<string_lit> {};
struct version_text : seq<string_lit> {};
// `ruleset riskoff version "0.1.0" "description"`
struct header : if_must<kw_ruleset, sp, name, sp, kw_version, sp, version_text, opt<sp, description>> {};
// `tests riskoff`: a test file (riskoff_test.rules) holding fixtures and tests of that ruleset.
struct tested_ruleset : seq<name> {};
struct tests_header : if_must<kw_tests, sp, tested_ruleset> {};
// What a file starts with: a ruleset's header or a test file's.
struct file_header : sor<header, tests_header> {};

// `import "drivers.rules" as drivers`
struct import_path : seq<string_lit> {};
struct import_decl : if_must<kw_import, sp, import_path, sp, kw_as, sp, name> {};

// `input us10y : series 1d percent max_age 3d optional calendar trading "description"`
struct frequency : seq<number_lit> {};
struct series_kind : if_must<kw_series, sp, frequency> {};
struct scalar_kind : kw_scalar {};
struct input_kind : sor<series_kind, scalar_kind> {};
struct unit_name : name {};
struct optional_flag : kw_optional {};
struct max_age_option : if_must<kw_max_age, sp, number_lit> {};
struct calendar_option : if_must<kw_calendar, sp, name> {};
struct input_option : sor<optional_flag, max_age_option, calendar_option> {};
struct input_decl
    : if_must<kw_input, sp, name, sp, colon, sp, input_kind, sp, unit_name, star<sp, input_option>,
              opt<sp, description>> {};

// `param yield_jump = 15bp "reason"`
struct param_value : seq<expression> {};
struct param_decl : if_must<kw_param, sp, name, sp, equals, sp, param_value, opt<sp, description>> {};

// `let us10y_5d = change(us10y, 5d)`
struct let_decl : if_must<kw_let, sp, name, sp, equals, sp, expression> {};

// `because "US10Y {us10y_5d} over 5 days"`
struct because_clause : if_must<kw_because, sp, string_lit> {};
// `signal rates_up "Yields repricing higher" = expr because "..."`
struct title : seq<string_lit> {};
struct signal_decl : if_must<kw_signal, sp, name, sp, title, sp, equals, sp, expression, opt<sp, because_clause>> {};

// Metadata after a group: `equities "multiple compression in growth"`.
struct meta_key : name {};
struct meta_entry : seq<meta_key, sp, string_lit> {};
struct step_number : plus<digit> {};
struct minutes_option : if_must<kw_minutes, sp, step_number> {};
struct group_tail : seq<sp, equals, sp, expression, opt<sp, because_clause>, star<sp, meta_entry>> {};
// `driver rates "Rates / real yields" = any(...) equities "..." crypto "..." watch "..."`
struct driver_decl : if_must<kw_driver, sp, name, sp, title, group_tail> {};
// `check 1 macro "Macro check" minutes 2 = any(...)`
struct check_decl : if_must<kw_check, sp, step_number, sp, name, sp, title, opt<sp, minutes_option>, group_tail> {};
// `regime liquidity_shock "Liquidity shock" = ...`
struct regime_decl : if_must<kw_regime, sp, name, sp, title, group_tail> {};
// `group crypto_structure "Crypto structure" = ...`
struct group_decl : if_must<kw_group, sp, name, sp, title, group_tail> {};

// `hedge when cond regime "liquidity shock" advice "index put spreads"` / `wait otherwise`
struct action_name : name {};
struct when_condition : if_must<kw_when, sp, expression> {};
struct otherwise : kw_otherwise {};
struct regime_label : if_must<kw_regime, sp, string_lit> {};
struct advice_text : if_must<kw_advice, sp, string_lit> {};
struct clause_condition : sor<when_condition, otherwise> {};
struct clause : seq<action_name, sp, must<clause_condition>, opt<sp, regime_label>, opt<sp, advice_text>> {};
struct close_brace : one<'}'> {};
// Clauses run until `}`; a keyword there (say, the next declaration) means the `}` is missing.
struct decide_block : if_must<kw_decide, sp, clause, star<sp, not_at<close_brace>, not_at<keyword>, must<clause>>> {};
// `param yield_jump = 20bp` inside a profile: imported parameters are named with their alias.
struct override_decl : if_must<kw_param, sp, qualified_name, sp, equals, sp, param_value, opt<sp, description>> {};
struct profile_title : seq<string_lit> {};
struct open_brace : one<'{'> {};
// `profile swing "Swing trader" { param x = 1 decide ... }`
struct profile_decl
    : if_must<kw_profile, sp, name, opt<sp, profile_title>, sp, open_brace, star<sp, override_decl>, sp,
              decide_block, sp, close_brace> {};

// Test steps.
struct value_list_close : one<']'> {};
struct value_list : if_must<one<'['>, sp, opt<signed_number, star<sp, one<','>, sp, must<signed_number>>>, sp, value_list_close> {};
struct missing_value : kw_missing {};
struct given_value : sor<missing_value, value_list, signed_number> {};
struct age_option : if_must<kw_age, sp, number_lit> {};
struct given_step : if_must<kw_given, sp, qualified_name, sp, equals, sp, given_value, opt<sp, age_option>> {};
struct set_step : if_must<kw_set, sp, qualified_name, sp, equals, sp, param_value> {};
struct as_of_step : if_must<kw_as_of, sp, string_lit> {};
struct snapshot_step : if_must<kw_snapshot, sp, string_lit> {};
struct arrow : string<'-', '>'> {};
struct truth : sor<kw_true, kw_false, kw_unknown> {};
struct expect_action : seq<name, sp, arrow, sp, must<action_name>> {};
struct expect_truth : seq<qualified_name, sp, must<kw_is>, sp, must<truth>> {};
struct expectation : sor<expect_action, expect_truth> {};
struct expect_step : if_must<kw_expect, sp, expectation> {};
struct test_step : sor<given_step, set_step, as_of_step, snapshot_step, expect_step> {};
struct test_name : seq<string_lit> {};
// Steps run until `}`; a declaration keyword there means the `}` is missing.
struct declaration_keyword
    : key<sor<TAO_PEGTL_STRING("import"), TAO_PEGTL_STRING("input"), TAO_PEGTL_STRING("param"), TAO_PEGTL_STRING("let"),
              TAO_PEGTL_STRING("signal"), TAO_PEGTL_STRING("driver"), TAO_PEGTL_STRING("check"), TAO_PEGTL_STRING("regime"),
              TAO_PEGTL_STRING("group"), TAO_PEGTL_STRING("profile"), TAO_PEGTL_STRING("test"),
              TAO_PEGTL_STRING("fixture")>> {};
// `from quiet` after a test's name: the fixture whose steps the test starts from.
struct fixture_ref : seq<name> {};
struct test_origin : if_must<kw_from, sp, fixture_ref> {};
// `test "dollar and rates shock" from quiet { given ... expect swing -> hedge }`
struct test_decl
    : if_must<kw_test, sp, test_name, opt<sp, test_origin>, sp, open_brace,
              star<sp, not_at<close_brace>, not_at<declaration_keyword>, must<test_step>>, sp, close_brace> {};

// A fixture holds a test's data, never its expectations.
struct fixture_step : sor<given_step, set_step, as_of_step, snapshot_step> {};
struct fixture_title : seq<string_lit> {};
// `fixture quiet "the quiet background" { as_of "..." given us10y = [...] }`
struct fixture_decl
    : if_must<kw_fixture, sp, name, opt<sp, fixture_title>, sp, open_brace,
              star<sp, not_at<close_brace>, not_at<declaration_keyword>, must<fixture_step>>, sp, close_brace> {};

struct declaration
    : sor<import_decl, input_decl, param_decl, let_decl, signal_decl, driver_decl, check_decl, regime_decl,
          group_decl, profile_decl, test_decl, fixture_decl> {};
// A whole rule file. The header is required; after it, any number of declarations.
struct expect_declaration : declaration {};
struct rule_file : seq<sp, must<file_header>, star<sp, not_at<eof>, must<expect_declaration>>, sp, must<eof>> {};

}  // namespace riskoff::dsl::grammar
