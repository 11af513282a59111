// Do a ruleset's tests pin its rules? Two measures over the `test` blocks run_rule_tests() runs
// (riskoff/authoring.hpp), what `riskoff test --coverage` and `riskoff test --mutate` print:
//
// - rule_coverage(): for every signal, group, comparison inside a condition and `decide` clause,
//   which outcomes (true, false, unknown) the tests produced, read from the engine's own node
//   values (the trace every decision carries).
// - mutate_rules(): small changes to the compiled rules (a threshold or window one step off, a
//   comparison flipped, `and` for `or`, a clause dropped, a count threshold k±1), the tests run
//   against each; a mutant no test notices "survives" and comes with a suggested test.
//
// Contract: both only read the Ruleset (immutable) and the snapshot files its tests name; safe to
// call from any number of threads; mutate_rules() runs its own worker threads and returns when
// they are done. Reports are plain values, deterministic: the same ruleset gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "riskoff/authoring.hpp"
#include "riskoff/export.h"
#include "riskoff/result.hpp"

namespace riskoff {

enum class TestReportFormat : std::uint8_t {
  kText,  // for people: totals, then what is missing, with file:line
  kJson,  // docs/cli.md, "riskoff test --coverage / --mutate": fields in a fixed order
  kLcov,  // coverage only: lcov's tracefile (SF, DA, BRDA, end_of_record) for genhtml and editors
};

// One condition the tests should drive both ways.
struct CoverageItem {
  std::string kind;  // "signal", a group's keyword ("driver", "check", "regime", "group"),
                     // "comparison" (inside a larger condition) or "clause"
  std::string name;  // the signal or group; a comparison's owner; "PROFILE: ACTION" for a clause
  std::string text;  // the condition as source text (canonical form)
  std::string file;  // where it is written, 1-based line and column
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::size_t evaluations = 0;  // (test, profile) pairs that evaluated it; a clause: that reached it
  std::size_t true_count = 0, false_count = 0, unknown_count = 0;
  // Reads an optional input, so unknown is a designed outcome the tests should show; otherwise
  // only stale data makes it unknown and coverage does not ask for it.
  bool unknown_expected = false;
  std::vector<std::string> missing() const;  // "never true", "never false", "never unknown"
};

struct RISKOFF_API RuleCoverage {
  std::string ruleset;                 // the root rule file, as the ruleset was loaded
  std::vector<RuleTestOutcome> tests;  // what run_rule_tests() returns: the runs measured
  std::vector<CoverageItem> items;     // in source order: file, then offset
  std::size_t outcomes_needed() const;
  std::size_t outcomes_seen() const;
  std::size_t items_covered() const;   // items missing nothing
  // kText, kJson or kLcov. A summary of `tests` is in the text and JSON forms.
  std::string render(TestReportFormat format) const;
};

// Runs the ruleset's tests (as run_rule_tests() does) and measures what they drove.
//
//   auto coverage = riskoff::rule_coverage(ruleset);
//   std::cout << coverage.render(riskoff::TestReportFormat::kLcov);
RISKOFF_API RuleCoverage rule_coverage(const Ruleset& ruleset);

struct MutationOptions {
  unsigned jobs = 0;  // worker threads; 0: every hardware thread
};

struct MutantOutcome {
  std::string kind;     // "threshold", "window", "count threshold", "comparison", "logic", "drop clause"
  std::string file;     // where the change is written, 1-based line and column
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string from, to;  // "15bp" -> "16bp", ">" -> "<=", "hedge when ..." -> "(dropped)"
  std::string context;   // the comparison or declaration it sits in
  std::string owner;     // the signal, group, let, parameter or profile it belongs to
  bool killed = false;
  std::string killed_by{};   // the first test (file order) that failed on the mutant
  std::string suggestion{};  // survivors: a test that would kill it, in the language's syntax
};

struct RISKOFF_API MutationReport {
  std::string ruleset;                 // the root rule file, as the ruleset was loaded
  std::vector<RuleTestOutcome> tests;  // the tests on the rules as written (all passed)
  std::vector<MutantOutcome> mutants;  // in source order
  std::size_t killed() const;
  double score() const;  // killed / mutants, in percent (100 with no mutants)
  std::string render(TestReportFormat format) const;  // kText or kJson
};

// Lists the mutants (engine/mutants.hpp states the step rule) and runs every test against each,
// in parallel. The tests must pass on the rules as written: otherwise ErrorKind::kRuleset, naming
// the failing tests (a mutant is only "killed" against a suite that passes).
//
//   auto report = riskoff::mutate_rules(ruleset, {.jobs = 4});
//   if (report) std::cout << report->render(riskoff::TestReportFormat::kText);
RISKOFF_API Result<MutationReport> mutate_rules(const Ruleset& ruleset, const MutationOptions& options = {});

}  // namespace riskoff
