// Inside the decide pass: the tests and fixtures of the root file and of its sibling test files
// (NAME_test.rules and NAME_test_PART.rules, in the root's scope). A fixture's steps are checked as a test's; a test that
// starts `from` a fixture must name one; a fixture no test starts from is reported.
#include <algorithm>
#include <map>
#include <set>

#include "engine/check/passes.hpp"
#include "engine/snapshot.hpp"

namespace riskoff::engine::detail {
namespace {

std::string listed(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + backticked(name);
  return list;
}

class TestsCheck {
 public:
  explicit TestsCheck(CheckContext& ctx) : ctx_(ctx) {}

  void run() {
    // A test file checked on its own has no ruleset to test: load reported it (E0405).
    if (ctx_.rs.root().header && ctx_.rs.root().header->tests) return;
    std::vector<const Module*> modules{&ctx_.rs.root()};
    for (const auto& file : ctx_.rs.test_files) modules.push_back(file.get());
    // Fixtures first, from every file: a test may start from one declared after it.
    for (const Module* module : modules) declare_fixtures(*module);
    for (const Module* module : modules) {
      const Scope scope{0, module->source, -1};
      for (const auto& decl : module->decls) {
        if (const auto* fixture = std::get_if<FixtureDecl>(&decl)) {
          check_setup(*fixture, scope, "fixture " + backticked(fixture->name));
        } else if (const auto* test = std::get_if<TestDecl>(&decl)) {
          check_test(*test, scope);
        }
      }
    }
    report_unused_fixtures();
  }

 private:
  struct DeclaredFixture {
    const FixtureDecl* decl;
    SourceId source;
    bool used = false;
  };

  void declare_fixtures(const Module& module);
  void check_test(const TestDecl& test, const Scope& scope);
  // The steps tests and fixtures share: as_of, given, set.
  template <typename Setup>
  void check_setup(const Setup& setup, const Scope& scope, const std::string& what);
  void check_given(const Given& given, const Scope& scope);
  void check_expectation(const Expectation& expectation, const Scope& scope);
  void report_unused_fixtures();
  bool any_syntax_errors() const;

  CheckContext& ctx_;
  std::map<std::string, DeclaredFixture> fixtures_;
};

void TestsCheck::declare_fixtures(const Module& module) {
  for (const auto& decl : module.decls) {
    const auto* fixture = std::get_if<FixtureDecl>(&decl);
    if (fixture == nullptr) continue;
    const auto [it, inserted] = fixtures_.emplace(fixture->name, DeclaredFixture{fixture, module.source});
    if (!inserted) {
      ctx_.sink.error(DiagCode::kDuplicateName, module.source, fixture->name_span,
                      "fixture " + backticked(fixture->name) + " is declared twice")
          .note = DiagnosticNote{it->second.source, it->second.decl->name_span, "first declared here"};
    }
  }
}

void TestsCheck::check_test(const TestDecl& test, const Scope& scope) {
  if (test.expectations.empty()) {
    ctx_.sink.error(DiagCode::kTestWithoutExpect, scope.source, test.name.span, "test " + backticked(test.name.value) + " expects nothing")
        .help = "add `expect PROFILE -> ACTION` or `expect NAME is true`";
  }
  if (!test.fixture.empty()) {
    if (const auto it = fixtures_.find(test.fixture); it != fixtures_.end()) {
      it->second.used = true;
    } else if (!any_syntax_errors()) {  // else the fixture may be a declaration that was dropped
      auto& diagnostic = ctx_.sink.error(DiagCode::kUnknownFixture, scope.source, test.fixture_span,
                                         "test " + backticked(test.name.value) + " starts from unknown fixture " +
                                             backticked(test.fixture));
      std::vector<std::string> names;
      for (const auto& [name, fixture] : fixtures_) names.push_back(name);
      const std::string suggestion = closest_match(test.fixture, names);
      if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
      else if (names.empty()) diagnostic.help = "declare it: `fixture " + test.fixture + " { given ... }`";
      else diagnostic.help = "the fixtures are " + listed(names);
    }
  }
  check_setup(test, scope, "test " + backticked(test.name.value));
  for (const auto& expectation : test.expectations) check_expectation(expectation, scope);
}

template <typename Setup>
void TestsCheck::check_setup(const Setup& setup, const Scope& scope, const std::string& what) {
  if (setup.as_of && !parse_timestamp(setup.as_of->value)) {
    ctx_.sink.error(DiagCode::kInvalidTimestamp, scope.source, setup.as_of->span, "invalid time " + backticked(setup.as_of->value))
        .help = "write UTC as YYYY-MM-DDTHH:MM:SSZ, e.g. \"2026-02-04T21:00:00Z\"";
  }
  std::vector<std::string> given_names;
  for (const auto& given : setup.givens) {
    if (std::find(given_names.begin(), given_names.end(), given.input) != given_names.end()) {
      ctx_.sink.error(DiagCode::kDuplicateName, scope.source, given.input_span, what + " gives " + backticked(given.input) + " twice")
          .help = "keep one `given` per input";
    }
    given_names.push_back(given.input);
    check_given(given, scope);
  }
  std::vector<std::string> set_names;
  for (const auto& set : setup.sets) {
    if (std::find(set_names.begin(), set_names.end(), set.name) != set_names.end()) {
      ctx_.sink.error(DiagCode::kDuplicateName, scope.source, set.name_span, what + " sets " + backticked(set.name) + " twice")
          .help = "keep one `set` per parameter";
    }
    set_names.push_back(set.name);
    check_override(ctx_, set, scope, what);
  }
}

void TestsCheck::check_given(const Given& given, const Scope& scope) {
  const std::int64_t index = resolve(ctx_, given.input, scope);
  if (index < 0) {
    unknown_name(ctx_, given.input, given.input_span, scope, "input");
    return;
  }
  const Symbol& symbol = ctx_.rs.symbols[static_cast<std::size_t>(index)];
  if (symbol.kind == SymbolKind::kBroken) return;  // its declaration failed to parse: reported there
  if (symbol.kind != SymbolKind::kInput) {
    auto& diagnostic = ctx_.sink.error(DiagCode::kNotAnInput, scope.source, given.input_span,
                                       backticked(given.input) + " is not an input; tests give values to inputs only");
    diagnostic.help = symbol.kind == SymbolKind::kParam ? "to change a parameter in a test, write `set " + given.input + " = VALUE`"
                                                        : backticked(given.input) + " is computed: give values to the inputs it reads";
    return;
  }
  const auto* input = static_cast<const InputDecl*>(symbol.decl);
  if (given.shape == Given::Shape::kSeries && !input->is_series) {
    ctx_.sink.error(DiagCode::kGivenShape, scope.source, given.span, backticked(given.input) + " is a scalar input: give one value, not a list");
  } else if (given.shape == Given::Shape::kScalar && input->is_series) {
    ctx_.sink.error(DiagCode::kGivenShape, scope.source, given.span,
                    backticked(given.input) + " is a series: give a list of values, oldest first, e.g. `[4.10, 4.18]`");
  } else if (given.shape == Given::Shape::kSeries && given.values.empty()) {
    ctx_.sink.error(DiagCode::kGivenShape, scope.source, given.span,
                    "an empty list for " + backticked(given.input) + "; write `missing` to test absent data");
  }
  for (const auto& value : given.values) {
    if (value.unit != LiteralUnit::kNone) {
      ctx_.sink.error(DiagCode::kGivenShape, scope.source, given.span,
                      "test values are written in the input's unit (" + input->unit + ") without a suffix");
      break;
    }
  }
  if (given.age && given.age->unit != LiteralUnit::kDays && given.age->unit != LiteralUnit::kHours) {
    ctx_.sink.error(DiagCode::kExpectedWindow, scope.source, given.span, "`age` must be a duration such as `4d`");
  }
}

void TestsCheck::check_expectation(const Expectation& expectation, const Scope& scope) {
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
    bool has_otherwise = false;
    for (const auto& clause : profile->decl->clauses) {
      actions.push_back(clause.action);
      has_otherwise = has_otherwise || !clause.condition;
    }
    // A profile without `otherwise` is reported once (E0400); the default action the test
    // expects is most likely the missing `otherwise`, so it is not a second mistake.
    if (has_otherwise && std::find(actions.begin(), actions.end(), expectation.action) == actions.end()) {
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

bool TestsCheck::any_syntax_errors() const {
  const auto& modules = ctx_.rs.modules;
  const auto broken = [](const auto& module) { return module->has_syntax_errors; };
  return std::any_of(modules.begin(), modules.end(), broken) ||
         std::any_of(ctx_.rs.test_files.begin(), ctx_.rs.test_files.end(), broken);
}

void TestsCheck::report_unused_fixtures() {
  // After a syntax error, the test that starts from a fixture may be the one that was dropped.
  if (any_syntax_errors()) return;
  for (const auto& [name, fixture] : fixtures_) {
    if (fixture.used) continue;
    ctx_.sink.error(DiagCode::kUnusedFixture, fixture.source, fixture.decl->name_span, "no test starts from fixture " + backticked(name))
        .help = "start a test from it (`test \"...\" from " + name + " { ... }`) or remove it";
  }
}

}  // namespace

void check_rule_tests(CheckContext& ctx) { TestsCheck(ctx).run(); }

}  // namespace riskoff::engine::detail
