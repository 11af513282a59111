// AST -> checked ruleset: loads imports, resolves names, checks types and units, builds the
// dependency graph, and checks profiles and tests. Problems are Diagnostics; the result is
// usable by the engine only when the sink holds no errors.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dsl/ast.hpp"
#include "engine/expr_table.hpp"
#include "engine/source_loader.hpp"
#include "engine/types.hpp"
#include "riskoff/diagnostic.hpp"
#include "support/huge_pages.hpp"

namespace riskoff::engine {

// kBroken: a declaration dropped for a syntax error; its name resolves, quietly, to nothing.
enum class SymbolKind : std::uint8_t { kInput, kParam, kLet, kSignal, kGroup, kGroupSet, kBroken };

// Compile reads no Symbol: what it needs is in CheckedRuleset::symbol_heads (copied by the order
// pass from the first 32 bytes here, one line) and in the input and parameter slots.
struct Symbol {
  SymbolKind kind = SymbolKind::kLet;
  dsl::GroupKind group_kind = dsl::GroupKind::kGroup;
  bool used = false;
  Type type;
  SourceId source{};
  // The expression of a let (its value), signal or group (its condition); null otherwise.
  const dsl::Expr* body = nullptr;
  const void* decl = nullptr;  // the dsl::*Decl this symbol came from (kept alive by the ruleset)
  std::string name;  // fully qualified: `macro.rates_up` for a name imported as `macro`
  Span span;  // the declared name
  std::vector<std::uint32_t> deps;  // symbols this one reads (lets, signals, groups)
};

// What compile reads of every symbol, 16 bytes of its Symbol's 96: at 100,000 signals the
// symbols are 12 MB, past the cache, and compile read one line of each of them (issue 19).
struct SymbolHead {
  SymbolKind kind = SymbolKind::kBroken;
  dsl::GroupKind group_kind = dsl::GroupKind::kGroup;
  TypeKind type_kind = TypeKind::kError;
  const dsl::Expr* body = nullptr;
};
static_assert(sizeof(SymbolHead) == 16);

// What the plan knows of each input and parameter (Plan::inputs(), Plan::params()). The declare
// pass fills them while it reads each declaration, and compile copies them: at 100,000 signals
// reading 20,000 declarations again, several lines each, cost compile more than copying (issue 19).
struct InputSlot {
  std::string name;
  std::uint32_t symbol = 0;
  const dsl::InputDecl* decl = nullptr;
  Unit unit = Unit::kNumber;
  bool is_series = true;
  bool optional = false;
  double max_age_seconds = 0;     // 0: never stale
  double frequency_hours = 24;
  double annualization = 252;     // periods per year for realized_vol
};

struct ParamSlot {
  std::string name;
  const dsl::ParamDecl* decl = nullptr;
  Type type;
  double default_value = 0;  // seconds for durations, count for bars, truth 0/1 for conditions
};

struct CheckedProfile {
  const dsl::ProfileDecl* decl = nullptr;
  std::string name;
};

// Limits the checker enforces (docs/language.md, "Guarantees").
inline constexpr double kMaxWindowDays = 3660;    // ten years of calendar days
inline constexpr double kMaxWindowBars = 100000;  // observations in one window
inline constexpr double kMaxCostBars = 5e6;       // sum of all window lengths, in observations

// The one window rule, for literals, parameter overrides and `--set` alike: positive, whole when
// counted in bars, at most kMaxWindowDays of calendar time or kMaxWindowBars observations.
// `value` is seconds for a duration, a count for bars.
bool window_in_range(TypeKind kind, double value);
std::string window_limits_text();  // the rule in words, for help lines

// Literals in the plan's units: durations in seconds, bars as a count, truths 0/1, the rest as
// written. literal_value takes a literal, optionally negated (a parameter's value, an
// override's): 0 for anything else, which a checked ruleset never holds there.
double number_value(const dsl::NumberLit& number);
double literal_value(const dsl::Expr& expr);

// A checked ruleset: the modules (root first), their symbols, and what the checker learnt
// about every expression. Immutable once returned.
struct CheckedRuleset {
  SourceSet sources;
  std::vector<std::unique_ptr<dsl::Module>> modules;  // modules[0] is the root file
  std::vector<std::string> prefixes;                  // import prefix per module ("" for the root)
  support::HugePageVector<Symbol> symbols;  // 12 MB at 100k signals
  // Parallel to symbols, filled by the order pass once every type is known. The order pass runs
  // on every ruleset, with errors too (KeepChecked::kAlways keeps those); only one that checked
  // without errors is compiled.
  support::HugePageVector<SymbolHead> symbol_heads;
  // The inputs and the parameters in symbol order, filled by the declare pass.
  std::vector<InputSlot> input_slots;
  std::vector<ParamSlot> param_slots;
  std::unordered_map<std::string, std::uint32_t> by_name;
  std::vector<std::uint32_t> evaluation_order;  // lets, signals, groups: dependencies first
  std::uint32_t expr_ids_end = 0;  // Expr::id of every module and test file is below this
  ExprTable<Type> types;
  ExprTable<std::uint32_t> references;  // NameRef -> symbol
  std::vector<CheckedProfile> profiles;                            // root module's profiles
  double cost_bars = 0;  // static bound: observations read by one evaluation
  // The sibling test files CheckOptions::sibling_tests found: NAME_test.rules, then the parts
  // NAME_test_<part>.rules in name order; fixtures and tests in the root's scope. Not modules of
  // the ruleset: they never change what the rules decide nor the ruleset's identity
  // (ruleset_text), only what `riskoff test` runs.
  std::vector<std::unique_ptr<dsl::Module>> test_files;

  const dsl::Module& root() const { return *modules.front(); }
};

struct CheckResult {
  SourceSet sources;           // every file read, valid or not: renders the diagnostics
  DiagnosticSink diagnostics;
  std::unique_ptr<CheckedRuleset> ruleset;  // only when every pass ran and no error was found
  std::string io_error;  // set when the root file itself could not be read (exit code 2)
  std::string dump;      // the checked form after CheckOptions::dump_after, when asked
};

enum class KeepChecked : std::uint8_t { kWhenValid, kAlways };

struct CheckOptions {
  // A pass name (check_pass_names()): stop after that pass and render, in `dump`, what the
  // passes so far established (`riskoff check --dump-after=PASS`). Empty: run every pass.
  std::string_view dump_after;
  // Also read the root's sibling test file, `NAME_test.rules` beside `NAME.rules`, when there is
  // one (through the loader), and check its fixtures and tests against the root
  // (`riskoff check`, `riskoff test`). `riskoff eval` leaves it out: tests never change a decision.
  bool sibling_tests = false;
  // kAlways: keep the checked ruleset even when errors were found (what an editor's index reads:
  // the names, spans and references established so far). Never compile such a ruleset.
  KeepChecked keep = KeepChecked::kWhenValid;
};

// At most this many test parts (NAME_test_<part>.rules) beside one ruleset; more is an error.
inline constexpr std::size_t kMaxTestParts = 64;

// `dir/NAME_test.rules` for `dir/NAME.rules`; empty for a name that is not a `.rules` file or is a
// test file itself.
std::string sibling_test_file(std::string_view rule_file);
// `NAME_test_` for `dir/NAME.rules`: what the file names of its test parts start with (they end
// with `.rules`, and the part between holds no `_test_`); empty when sibling_test_file() is.
std::string test_part_prefix(std::string_view rule_file);
// `dir/NAME.rules` for `dir/NAME_test.rules` and for a part `dir/NAME_test_<part>.rules` (the
// last `_test_` of the file name splits NAME from the part); empty for any other name.
std::string tested_rule_file(std::string_view test_file);

// The checker's passes in the order they run, each with what it establishes.
struct CheckPassInfo {
  std::string_view name;
  std::string_view establishes;
};
std::vector<CheckPassInfo> check_passes();

// Checks `text` named `name` and everything it imports, read through `loader` (the checker
// reads nothing itself); import paths resolve as `loader` locates them.
CheckResult check_text(std::string name, std::string text, const SourceLoader& loader, const CheckOptions& options = {});
// Text already in memory (tests, editors) whose imports are files in `directory`.
CheckResult check_text(std::string name, std::string text, const std::filesystem::path& directory);
// Reads `path` and everything it imports from disk. Host failures on the root file are returned
// in io_error; unreadable imports are diagnostics at the import.
CheckResult check_file(const std::filesystem::path& path, const CheckOptions& options = {});

// "did you mean" helper shared with the CLI: the first closest candidate within a small edit
// distance (a quarter of the word's length, at least 1); none for a word over 64 characters.
// Linear in the candidates: each costs at most 64 x 33 steps, most only a length comparison.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace riskoff::engine
