// Writing rulesets: checking a rule file (and what each checker pass establishes), the
// canonical layout of a rule file, and running its `test` blocks.
//
// Contract: check_rules() reads the file and its imports; format_rules() is a pure function of
// its text. All three are safe to call from any number of threads. run_rule_tests() only reads the
// Ruleset (immutable; any number of threads) and the snapshot files its tests name. Neither
// throws for what the rule file says (problems and tests that cannot run are values), only
// std::bad_alloc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "riskoff/export.h"
#include "riskoff/riskoff.hpp"

namespace riskoff {

// One pass of the checker, in the order they run (`riskoff check --dump-after=PASS`).
struct CheckPass {
  std::string name;         // "load", "declare", "types", "order", "decide", "cost", "unused"
  std::string establishes;  // what the pass adds to the checked form, in a few words
};
RISKOFF_API std::vector<CheckPass> check_passes();

struct RISKOFF_API CheckReport {
  std::vector<Problem> problems;  // errors and warnings, in file order, up to the reporting limit
  std::size_t dropped = 0;        // problems past that limit, not listed
  // {"file": PATH, "diagnostics": [...]}: one element of the array `riskoff check --format json`
  // writes (docs/diagnostics.md).
  std::string json;
  std::string dump;               // with CheckOptions::dump_after: the checked form after that pass
  std::size_t error_count() const;
  std::size_t warning_count() const;
};

struct CheckOptions {
  std::string dump_after{};  // a pass name: stop after it and render what is established so far
  bool sibling_tests = false;  // also check NAME_test.rules and NAME_test_*.rules beside the file (`riskoff check`)
};

// Checks a rule file and everything it imports: what `riskoff check` reports. A file that
// cannot be read is ErrorKind::kIo; an unknown pass in `dump_after` is kUsage (its message
// lists the passes). Problems in the rules are the report's data, never an error.
//
//   auto report = riskoff::check_rules("my.rules");
//   if (report) for (const auto& problem : report->problems) std::cerr << problem.text << '\n';
RISKOFF_API Result<CheckReport> check_rules(const std::string& path, const CheckOptions& options = {});

// A rule file's text as the checker reads it: a regular file only (a FIFO or a device is an
// ErrorKind::kIo error, never a hang), at most one byte past the 4 MiB rule-file limit, so that
// check_rules() and format_rules() report the excess in their own words.
RISKOFF_API Result<std::string> read_rule_file(const std::string& path);

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
struct RISKOFF_API RuleTestOutcome {
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
// files, `NAME_test.rules` and the parts `NAME_test_PART.rules` (in name order) beside `NAME.rules`,
// when there are any (fixtures and tests only, in the
// ruleset's scope; its problems are among the result's). The ruleset is the same either way: same
// decisions, same content_hash(); only run_rule_tests() sees the sibling's tests. Throws IoError
// as load() does.
RISKOFF_API CompileResult load_with_tests(const std::string& path);

// `dir/NAME.rules` for a test file `dir/NAME_test.rules` or a test part `dir/NAME_test_PART.rules`
// (the last `_test_` of the file name ends NAME); empty for any other name. How
// `riskoff check` and `riskoff test` map a test file given on the command line to its ruleset.
RISKOFF_API std::string tested_rule_file(std::string_view test_file);

// Runs every test of the ruleset's root file, in file order, then those of its sibling test files
// when it was loaded with load_with_tests(). Snapshot files named by a test (`snapshot "x.json"`)
// are read relative to the root file's folder.
//
//   for (const auto& test : riskoff::run_rule_tests(ruleset))
//     std::cout << (test.passed() ? "PASS " : "FAIL ") << test.name << '\n';
RISKOFF_API std::vector<RuleTestOutcome> run_rule_tests(const Ruleset& ruleset);

// --- The ruleset index: what an editor asks about names (riskoff-lsp, lsp/) ---

// A place in one file of an index: byte offsets into that file's text (RulesetIndex::files),
// half-open [begin, end).
struct TextRange {
  std::string file;  // as RulesetIndex::files names it
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// What a declared name is. The first five are the ruleset's values; the others name tests'
// subjects and are never read by a rule.
enum class IndexedKind : std::uint8_t { kInput, kParam, kLet, kSignal, kGroup, kProfile, kFixture, kTest };
// "input", "param", "let", "signal", "group", "profile", "fixture", "test".
RISKOFF_API const char* indexed_kind_name(IndexedKind kind);

// One declaration, with every place that names it.
struct IndexedSymbol {
  std::string name;         // as the root file writes it: `rates_up`, `macro.rates_up` (imported)
  IndexedKind kind = IndexedKind::kLet;
  std::string keyword;      // how it is declared: "input", "param", "driver", "check", "regime", ...
  std::string type;         // the checker's words: "a condition", "a number in bp"; empty if unknown
  std::string unit;         // "bp", "%", "usd", ...; empty for a condition or when unknown
  std::string value;        // a param's default (`15bp`), an input's `series 1d percent`, an expression
  std::string doc;          // the title, description or reason the author wrote
  std::string max_age;      // an input's `max_age` as written (`3d`); empty: never stale
  bool optional = false;    // an input declared `optional`
  TextRange declaration;    // the declared name
  TextRange extent;         // the whole declaration
  std::vector<TextRange> references;  // each use of the name (its last segment when qualified)
};

// One diagnostic with its ranges, and the quick fix the checker knows, if any.
struct IndexedDiagnostic {
  Problem problem;
  TextRange range;
  std::optional<TextRange> related;  // the diagnostic's note: the other place involved
  std::string related_message;
  std::string replacement;           // non-empty: writing it over `range` fixes the problem
};

// A built-in function: `change(series, window)` and what it computes.
struct BuiltinFunction {
  std::string name;
  std::string signature;
  std::string doc;
};
RISKOFF_API std::vector<BuiltinFunction> builtin_functions();

// Names and places of a rule file and everything it reads, built from the checker's own passes
// (even when it finds errors: names that resolved keep their references). A plain value.
struct RISKOFF_API RulesetIndex {
  std::vector<RulesetFileText> files;  // the files read, root first, each with the text as read
  std::vector<IndexedSymbol> symbols;  // declaration order, root first; profiles, fixtures, tests last
  std::vector<IndexedDiagnostic> diagnostics;  // file order, as `riskoff check` reports them
  std::vector<std::string> group_sets;         // `drivers`, `checks`, ... (aggregation arguments)
  std::vector<std::string> actions;            // what a `decide` clause may answer: "hedge", ...
  // The symbol declared or named at `offset` of `file`, or nullptr.
  const IndexedSymbol* symbol_at(std::string_view file, std::uint32_t offset) const;
  const std::string* text_of(std::string_view file) const;  // nullptr for a file not read
};

struct IndexOptions {
  // Texts that stand in for files on disk (an editor's unsaved buffers), by path as the
  // importing file's import resolves it (absolute paths are the surest).
  std::vector<RuleSource> open_files{};
};

// Indexes `text`, the content of the rule file `path` (imports resolve against its folder, and
// its sibling test file NAME_test.rules is read as `riskoff check` reads it). A test file
// (NAME_test.rules) is indexed through the ruleset it tests when that exists. Never throws for
// what the files say; unreadable files are diagnostics. Thread-safe.
//
//   auto index = riskoff::index_rules(text, "/abs/my.rules");
//   if (const auto* symbol = index.symbol_at("/abs/my.rules", offset)) show(symbol->type);
RISKOFF_API RulesetIndex index_rules(std::string_view text, const std::string& path, const IndexOptions& options = {});

// Why the named let, signal or group has its value in `decision`: the step its explanation would
// show for it (the same reason builder as Decision::explanation()), down to the comparisons that
// decided it, each with its figures and its margin to the threshold in the quantity's unit. What
// an editor shows on hover at a snapshot. nullopt for any other name (an input: see
// explanation().inputs). Precondition: decision.has_trace(), else std::logic_error.
//
//   if (auto why = riskoff::explain_value(decision, "rates_up")) for (auto& step : why->children) show(step.text);
RISKOFF_API std::optional<Reason> explain_value(const Decision& decision, std::string_view name);

}  // namespace riskoff
