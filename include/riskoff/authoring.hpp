// Writing rulesets: running the `test` blocks of a rule file. (Formatting and the checker's
// pass dumps join this header as they move behind the public API.)
//
// Contract: run_rule_tests() only reads the Ruleset (immutable; any number of threads) and the
// snapshot files its tests name; it never throws for what the rule file says (a test that
// cannot run says why in `errors`), only std::bad_alloc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "riskoff/export.h"
#include "riskoff/riskoff.hpp"

namespace riskoff {

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

// Runs every test of the ruleset's root file, in file order. Snapshot files named by a test
// (`snapshot "x.json"`) are read relative to the root file's folder.
//
//   for (const auto& test : riskoff::run_rule_tests(ruleset))
//     std::cout << (test.passed() ? "PASS " : "FAIL ") << test.name << '\n';
RISKOFF_API std::vector<RuleTestOutcome> run_rule_tests(const Ruleset& ruleset);

}  // namespace riskoff
