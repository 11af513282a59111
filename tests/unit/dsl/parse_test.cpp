#include <catch2/catch.hpp>

#include "tests/support/parse.hpp"

using namespace riskoff;
using riskoff::testing::codes;
using riskoff::testing::parse_text;

TEST_CASE("a complete rule file parses into declarations in source order", "[dsl][parse]") {
  const auto parsed = parse_text(
      "ruleset riskoff version \"0.1.0\" \"checklist\"\n"
      "input us10y : series 1d percent max_age 3d \"yield\"\n"
      "param jump = 15bp \"why\"\n"
      "let us10y_5d = change(us10y, 5d)\n"
      "signal rates_up \"Yields up\" = us10y_5d > jump because \"{us10y_5d}\"\n"
      "driver rates \"Rates\" = any(rates_up) equities \"e\" crypto \"c\"\n"
      "profile swing { decide hedge when rates_up advice \"a\" wait otherwise }\n"
      "test \"t\" { given us10y = [4.0, 4.2] expect swing -> hedge }\n");
  INFO(codes(parsed->sink));
  REQUIRE_FALSE(parsed->sink.has_errors());
  REQUIRE(parsed->module->header);
  CHECK(parsed->module->header->version.value == "0.1.0");
  REQUIRE(parsed->module->decls.size() == 7);
  const auto& input = std::get<dsl::InputDecl>(parsed->module->decls[0]);
  CHECK(input.is_series);
  CHECK(input.frequency == "1d");
  CHECK(input.unit == "percent");
  REQUIRE(input.max_age);
  CHECK(input.max_age->value == 3);
  const auto& group = std::get<dsl::GroupDecl>(parsed->module->decls[4]);
  REQUIRE(group.meta.size() == 2);
  CHECK(group.meta[1].key == "crypto");
  const auto& profile = std::get<dsl::ProfileDecl>(parsed->module->decls[5]);
  REQUIRE(profile.clauses.size() == 2);
  CHECK(profile.clauses[0].advice->value == "a");
  CHECK(profile.clauses[1].condition == nullptr);
}

TEST_CASE("operators bind as documented", "[dsl][parse]") {
  const auto parsed = parse_text(
      "ruleset t version \"1.0.0\"\n"
      "let a = 1 + 2 * 3 - -4\n"
      "let b = not x > 1 and y or z\n"
      "let c = if p then 1 else 2 + 3\n");
  REQUIRE_FALSE(parsed->sink.has_errors());
  CHECK(dsl::dump(*parsed->module) ==
        "(ruleset t \"1.0.0\" -)\n"
        "(let a (- (+ (num 1 0) (* (num 2 0) (num 3 0))) (neg (num 4 0))))\n"
        "(let b (or (and (not (> x (num 1 0))) y) z))\n"
        "(let c (if p (num 1 0) (+ (num 2 0) (num 3 0))))\n");
}

TEST_CASE("line and column are 1-based and count code points", "[dsl][source]") {
  SourceFile file("f.rules", "ab\nc\xC3\xA9x\n");
  CHECK(file.line_col(0).line == 1);
  CHECK(file.line_col(0).column == 1);
  const auto at = file.line_col(6);  // `x` after the two-byte é
  CHECK(at.line == 2);
  CHECK(at.column == 3);
  CHECK(file.line_text(2) == "c\xC3\xA9x");
}

TEST_CASE("a syntax error costs one declaration and parsing resumes", "[dsl][parse][diagnostics]") {
  const auto parsed = parse_text(
      "ruleset t version \"0.1.0\"\n"
      "let a = (1 + \n"
      "let b = 2\n"
      "signal s \"S\" b > 1\n"
      "let c = 3\n");
  CHECK(codes(parsed->sink) == "E0102 E0104");
  REQUIRE(parsed->module->decls.size() == 2);
  CHECK(std::get<dsl::LetDecl>(parsed->module->decls[0]).name == "b");
  CHECK(std::get<dsl::LetDecl>(parsed->module->decls[1]).name == "c");
}

TEST_CASE("diagnostics render with file:line:col, the line and a caret", "[dsl][diagnostics]") {
  const auto parsed = parse_text("ruleset t version \"0.1.0\"\nlet input = 3\n", "rules/x.rules");
  REQUIRE(parsed->sink.all().size() == 1);
  CHECK(render_text(parsed->sink.all()[0], parsed->sources) ==
        "rules/x.rules:2:5: error[E0111]: `input` is a reserved word and cannot be a name\n"
        " 2 | let input = 3\n"
        "   |     ^^^^^\n"
        "help: choose another name, e.g. `input_value`\n");
  CHECK(render_json(parsed->sink.all(), parsed->sources) ==
        "[\n  {\"file\": \"rules/x.rules\", \"line\": 2, \"column\": 5, \"end_line\": 2, \"end_column\": 10, "
        "\"severity\": \"error\", \"code\": \"E0111\", \"slug\": \"reserved-word\", \"message\": \"`input` is a reserved "
        "word and cannot be a name\", \"help\": \"choose another name, e.g. `input_value`\"}\n]\n");
}

TEST_CASE("the diagnostic limit keeps hostile input from flooding the output", "[dsl][diagnostics]") {
  std::string text = "ruleset t version \"0.1.0\"\n";
  for (int line = 0; line < 500; ++line) text += "let = 1\n";
  const auto parsed = parse_text(text);
  CHECK(parsed->sink.all().size() == 50);
  CHECK(parsed->sink.dropped() == 450);
  CHECK(parsed->sink.error_count() == 500);
}

TEST_CASE("a call keeps its arguments in order and finds its callee's span from its own", "[dsl][parse]") {
  const std::string text =
      "ruleset r version \"0.1.0\"\n"
      "let x = 1 + (macro.score(a: 2, b))\n";
  const auto parsed = parse_text(text);
  INFO(codes(parsed->sink));
  REQUIRE_FALSE(parsed->sink.has_errors());
  const auto& let = std::get<dsl::LetDecl>(parsed->module->decls.at(0));
  const auto& sum = std::get<dsl::Binary>(let.value->kind);
  const dsl::Expr& expr = *sum.rhs;
  const auto& call = std::get<dsl::Call>(expr.kind);
  const Span callee = dsl::callee_span(expr, call);
  CHECK(text.substr(callee.begin, callee.end - callee.begin) == "macro.score");
  REQUIRE(call.args.size() == 2);
  CHECK(std::get<dsl::NameRef>(call.args[0].value->kind).name == "a");
  REQUIRE(call.args[0].weight);
  CHECK(std::get<dsl::NameRef>(call.args[1].value->kind).name == "b");
  CHECK_FALSE(call.args[1].weight);
  std::vector<std::string> names;
  for (auto arg = call.args.rbegin(); arg != call.args.rend(); ++arg) names.push_back(std::get<dsl::NameRef>(arg->value->kind).name);
  CHECK(names == std::vector<std::string>{"b", "a"});
}

TEST_CASE("a call's argument list moved from is empty", "[dsl][parse]") {
  std::vector<dsl::CallArg> list(3);
  dsl::CallArgs args(std::move(list));
  CHECK(args.size() == 3);
  dsl::CallArgs moved(std::move(args));
  CHECK(moved.size() == 3);
  CHECK(args.empty());  // NOLINT(bugprone-use-after-move): what a moved-from list holds is the point
  CHECK(args.begin() == args.end());
}
