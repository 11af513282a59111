// Writing rulesets: the canonical layout of a rule file and running its `test` blocks.
//
// Contract: format_rules() is a pure function of its text. run_rule_tests() only reads the
// Ruleset (immutable; any number of threads) and the snapshot files its tests name. Neither
// throws for what the rule file says (problems and tests that cannot run are values), only
// std::bad_alloc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "riskoff/export.h"
#include "riskoff/riskoff.hpp"

namespace riskoff {

struct FormatResult {
  std::optional<std::string> text;  // the canonical form; absent when the text does not parse
  std::vector<Problem> problems;    // syntax errors, rendered as `riskoff check` renders them
  bool ok() const { return text.has_value(); }
};

// The canonical layout of one rule file (what `riskoff fmt` prints), comments kept; a fixed
// point (formatting the result again changes nothing). Text that does not parse gives its
// problems and no text: formatting never drops what failed to parse. `name` labels problems.
//
//   auto formatted = riskoff::format_rules(text, "my.rules");
//   if (formatted.ok() && *formatted.text != text) write(*formatted.text);
RISKOFF_API FormatResult format_rules(std::string_view text, std::string name = "<memory>");

// One `expect` line of a test and what it found.
struct RuleTestExpectation {
  std::uint32_t line = 0;  // of the `expect` in the rule file, 1-based
  std::string expected;    // "swing -> wait", "rates_up is true"
  std::string actual;      // "swing -> reduce", "rates_up is unknown"
  bool passed = false;
};

// One `test "..." { ... }` block, decided through decide() exactly as `riskoff eval` decides.
struct RuleTestOutcome {
  std::string name;                 // the test's title
  std::string file;                 // the rule file, as the ruleset was loaded
  std::uint32_t line = 0;           // of the test's title, 1-based
  std::vector<std::string> errors;  // the test could not run (a snapshot file, data that does not fit)
  std::vector<RuleTestExpectation> expectations;
  // The decision behind the first failing expectation: render it to show what the rules saw.
  std::optional<Decision> failed_decision;
  bool passed() const;
};

// Loads the ruleset at `path` as Ruleset::load() does, and with it the tests of its sibling test
// file, `NAME_test.rules` beside `NAME.rules`, when there is one (fixtures and tests only, in the
// ruleset's scope; its problems are among the result's). The ruleset is the same either way: same
// decisions, same content_hash(); only run_rule_tests() sees the sibling's tests. Throws IoError
// as load() does.
RISKOFF_API CompileResult load_with_tests(const std::string& path);

// Runs every test of the ruleset's root file, in file order, then those of its sibling test file
// when it was loaded with load_with_tests(). Snapshot files named by a test (`snapshot "x.json"`)
// are read relative to the root file's folder.
//
//   for (const auto& test : riskoff::run_rule_tests(ruleset))
//     std::cout << (test.passed() ? "PASS " : "FAIL ") << test.name << '\n';
RISKOFF_API std::vector<RuleTestOutcome> run_rule_tests(const Ruleset& ruleset);

}  // namespace riskoff
