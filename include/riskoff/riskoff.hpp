// riskoff's C++ API: compile a ruleset, build a snapshot, evaluate, read the decision and walk
// its explanation. docs/embedding.md is the guide; every function below states its contract.
//
// Errors. Problems in what the user wrote (a ruleset that does not check, a snapshot that does
// not parse or does not fit the ruleset, an unknown profile, a malformed override) are values:
// a result with `ok() == false` and messages that name the file, line, input or field. Failures
// of the host are exceptions: riskoff::IoError when a named file cannot be read, std::bad_alloc,
// and std::logic_error for a broken precondition (a caller's bug, documented per function).
//
// Threads. Ruleset and Decision are immutable once made: share them freely and call their const
// functions from any number of threads at once (tested under ThreadSanitizer). A Snapshot is a
// value: one thread may change it while no other thread uses that same object; evaluations keep
// their own copy of what they read, so changing a snapshot never changes an earlier decision.
//
// Ownership. Every type here is a cheap-to-copy handle to shared immutable state (or, for
// Snapshot, copy-on-write state); there is nothing to free.
//
// Stability. Source-compatible within a major version; for a binary-stable interface across
// compilers and languages use the C API (riskoff/riskoff.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "riskoff/explanation.hpp"
#include "riskoff/export.h"
#include "riskoff/result.hpp"
#include "riskoff/values.hpp"
#include "riskoff/version.h"

namespace riskoff {

// The library's version at run time ("0.1.0"); RISKOFF_VERSION_STRING is the one compiled against.
RISKOFF_API std::string_view library_version();

// A named file could not be read (missing, unreadable, a directory). A host failure, not a
// problem in the file's content.
class RISKOFF_API IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// UTC times are seconds since 1970-01-01. "2026-02-04T21:00:00Z" or "2026-02-04" (midnight).
RISKOFF_API std::optional<std::int64_t> parse_time(std::string_view text);
// An as-of instant as a person types it (`--as-of`, a period's end): a full timestamp keeps its
// meaning; a date alone means the END of that UTC day, "2026-02-04" -> 2026-02-04T23:59:59Z, so
// everything stamped on that day is known (times are whole seconds: nothing falls after :59).
RISKOFF_API std::optional<std::int64_t> parse_as_of(std::string_view text);
// Always "YYYY-MM-DDTHH:MM:SSZ".
RISKOFF_API std::string format_time(std::int64_t time);

// A unit by name: "percent" (or "%"), "bp", "usd", "index", "number"; unit_name() is the inverse.
RISKOFF_API std::optional<Unit> parse_unit(std::string_view text);

// One diagnostic about a rule file, as data (codes in docs/diagnostics.md).
struct Problem {
  std::string code;        // stable: "E0201", "W0500"
  bool is_error = true;    // false for a warning
  std::string file;        // as given to compile() or load(), or an imported file's path
  std::uint32_t line = 0;  // 1-based; column counts Unicode code points like an editor
  std::uint32_t column = 0;
  std::string message;     // lowercase, names in `backticks`
  std::string help;        // may be empty
  std::string text;        // the full rendering: FILE:LINE:COL: error[E0201]: ..., line, caret, help
};

struct InputInfo {
  std::string name;
  Unit unit = Unit::kNumber;
  bool is_series = true;      // false: a scalar (one observation)
  bool optional = false;      // missing makes its conditions unknown instead of an error
  double max_age_hours = 0;   // older than this is stale (unknown); 0: never stale
};

// What a parameter holds; parameter_kind_name spells it "number", "duration", "bars", "condition".
enum class ParameterKind : std::uint8_t { kNumber, kDuration, kBars, kCondition };
RISKOFF_API const char* parameter_kind_name(ParameterKind kind);

struct ParameterInfo {
  std::string name;
  ParameterKind kind = ParameterKind::kNumber;
  Unit unit = Unit::kNumber;  // for "number"
  std::string default_text;   // as an override would write it: "15bp", "5d", "30bars"
};

// How Snapshot::to_json() lays the canonical JSON out.
enum class JsonLayout : std::uint8_t { kIndented = 0, kCompact = 1 };

// kText is the short form a trader reads in ten seconds (action, regime, the conditions that
// decided, what would change it, what was unknown); kTextVerbose is the full tree, every table
// and the five comparisons closest to flipping (`riskoff eval --verbose`). The *Colour forms add
// ANSI colours, for a terminal (what `riskoff eval` prints to a TTY). Markdown follows the
// verbose form; JSON is always complete (docs/explanation.md).
enum class Format : std::uint8_t {
  kText = 0, kMarkdown = 1, kJson = 2, kTextColour = 3, kTextVerbose = 4, kTextVerboseColour = 5,
};
inline constexpr std::size_t kFormatCount = 6;

// What a decision keeps beyond its action. kDrop: the action and the unknown flag only (no
// explanation, no values); for scans over many snapshots.
enum class NodeValues : std::uint8_t { kKeep = 0, kDrop = 1 };

// What a named value is; symbol_kind_name spells it "input", "let", "signal", "group" (the C
// API's riskoff_value.kind).
enum class SymbolKind : std::uint8_t { kInput, kLet, kSignal, kGroup };
RISKOFF_API const char* symbol_kind_name(SymbolKind kind);

// The value of one named rule (let, signal, group) or input after an evaluation.
struct SymbolValue {
  std::string name;
  SymbolKind kind = SymbolKind::kInput;
  bool is_condition = false; // conditions use `truth`; numbers use [number, upper]
  Truth truth = Truth::kUnknown;
  double number = 0;         // NaN when unknown
  double upper = 0;          // equal to number unless a count with unknown members is a range
  Unit unit = Unit::kNumber;
};

// One file of a ruleset's import closure: its path relative to the closure's common folder
// ('/'-separated, never `..`) and its canonical text (as `riskoff fmt` writes it). A plain value.
struct RulesetFileText {
  std::string path;
  std::string text;
};

class Snapshot;
class Decision;
struct ApiAccess;
struct CompileResult;
struct EvaluateResult;
struct SnapshotResult;

// The options of the one decision entry point, decide().
struct DecideOptions {
  std::string profile{};                 // empty: the ruleset's first profile
  std::vector<std::string> overrides{};  // "NAME=VALUE" with the parameter's unit: "yield_jump=20bp"
  NodeValues node_values = NodeValues::kKeep;
  // Renderings made while deciding and kept in the Decision (render() returns them without
  // building the explanation again). Others are still made on demand. Needs kKeep.
  std::vector<Format> renderings{};
};

// The options of Ruleset::evaluate (kept for callers of 0.1; decide() is the entry point).
struct EvaluateOptions {
  std::string profile{};
  std::vector<std::string> overrides{};
  bool keep_trace = true;  // false: NodeValues::kDrop
};

// One rule file given as text: an import of a ruleset compiled from memory.
struct RuleSource {
  std::string name;
  std::string text;
};

// A checked, compiled ruleset. Immutable; evaluate() from many threads at once.
class RISKOFF_API Ruleset {
 public:
  // Checks and compiles rule text. `name` labels diagnostics; imports resolve against
  // `directory`. Bad text is a value (problems, no ruleset); never throws for it.
  static CompileResult compile(std::string_view text, std::string name = "<memory>",
                               std::string directory = ".");
  // Checks and compiles rule text whose imports are given as text too, nothing read from disk:
  // each RuleSource's name is the import path as written in the root, relative to `name`'s
  // folder (`import "macro.rules" as m` finds the source named "macro.rules"). A missing one
  // is a problem at the import line.
  static CompileResult compile(std::string_view text, std::string name, std::vector<RuleSource> imports);
  // Reads a rule file and its imports. Throws IoError when the file itself cannot be read; an
  // unreadable import is a problem at the import line.
  static CompileResult load(const std::string& path);

  // The accessors below never throw (profiles() may throw std::bad_alloc).
  const std::string& name() const;
  const std::string& version() const;
  // sha256 of the canonical (formatted) text of the ruleset and every file it imports: layout
  // does not change it, an edited import does.
  const std::string& content_hash() const;
  // The canonical text of every file of the import closure, the root first, each once: what
  // content_hash() is the hash of and what the audit store keeps. Throws only std::bad_alloc.
  std::vector<RulesetFileText> closure() const;
  std::vector<std::string> profiles() const;
  const std::vector<InputInfo>& inputs() const;
  const std::vector<ParameterInfo>& parameters() const;

  // decide(*this, snapshot, ...) with the errors as a list: kept for callers of 0.1.
  EvaluateResult evaluate(const Snapshot& snapshot, const EvaluateOptions& options = {}) const;

  struct Impl;

 private:
  friend struct ApiAccess;  // the library's own code (api/), never consumers
  explicit Ruleset(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// What the market looked like at one instant: inputs by name, each a series of (time, value)
// observations, oldest first, none after as_of.
class RISKOFF_API Snapshot {
 public:
  explicit Snapshot(std::int64_t as_of);
  // Copies share the data until one of them changes (copy-on-write); never throw.
  Snapshot(const Snapshot& other) noexcept;
  Snapshot& operator=(const Snapshot& other) noexcept;
  Snapshot(Snapshot&& other) noexcept = default;
  Snapshot& operator=(Snapshot&& other) noexcept = default;
  ~Snapshot() = default;
  // Parses `riskoff.snapshot/1` JSON (docs/snapshot.md). Bad JSON (a NUL byte included) is a
  // value whose errors name `name`, the input, the index and what was expected. Throws only
  // std::bad_alloc.
  static SnapshotResult from_json(std::string_view json, std::string name = "<memory>");
  // Reads a snapshot file ("-": standard input). Throws IoError when it cannot be read.
  static SnapshotResult load(const std::string& path);

  std::int64_t as_of() const;
  // Adds an input. Returns an empty string, or what is wrong (a name that is empty, not UTF-8 or
  // has control characters, a duplicate name, lengths that differ, times not strictly ascending,
  // a time after as_of or outside the years 0000-9999, a value that is not finite); on error the
  // snapshot is unchanged. `known_at` (optional): when each observation became known, one per
  // time, never going back, none after as_of; empty: each time is its own known-at (a daily
  // close dated 00:00Z would then count as known at midnight: pass known_at for session dates,
  // as HistoryStore::read returns them). Throws only std::bad_alloc.
  std::string add_series(std::string name, Unit unit, std::vector<std::int64_t> times,
                         std::vector<double> values, std::vector<std::int64_t> known_at = {});
  std::string add_scalar(std::string name, Unit unit, std::int64_t time, double value);
  // Room for `inputs` inputs in all, as std::vector::reserve: adding them then moves nothing and
  // the heap's peak is what the snapshot holds, not the old and the grown copy of its list side
  // by side. Optional; throws only std::bad_alloc.
  void reserve(std::size_t inputs);
  std::size_t input_count() const;
  // Canonical JSON: byte-identical for equal snapshots; kIndented for people, kCompact (one
  // line) where it is only stored and hashed. Throws only std::bad_alloc.
  std::string to_json(JsonLayout layout = JsonLayout::kIndented) const;

  struct Impl;

 private:
  friend struct ApiAccess;
  std::shared_ptr<Impl> impl_;  // shared until changed (copy-on-write)
};

// One evaluation's outcome. Immutable; read it from any thread.
class RISKOFF_API Decision {
 public:
  // None of these five throws, but as_of() (std::bad_alloc).
  const std::string& action() const;   // "hedge", "reduce" or "wait", as the rule language spells them
  const std::string& profile() const;
  std::string as_of() const;           // the snapshot's instant, "YYYY-MM-DDTHH:MM:SSZ"
  // The decision skipped a clause whose condition was unknown (missing or stale data).
  bool depends_on_unknown() const;
  bool has_trace() const;              // decided with NodeValues::kKeep
  // Inputs of the snapshot that the ruleset does not declare, in snapshot order: ignored (one
  // snapshot may feed rulesets that read different subsets of it), never an error. Never throws.
  const std::vector<std::string>& unused_inputs() const;

  // The action, regime, headline and one-line because, read off the evaluation without building
  // the explanation (a few strings, not the chains and tables). Precondition: has_trace(), else
  // std::logic_error; otherwise throws only std::bad_alloc.
  DecisionSummary summary() const;
  // Built on first use and kept (thread-safe). Precondition: has_trace(), else std::logic_error.
  const Explanation& explanation() const;
  // The explanation as text (no colour), markdown or JSON (`riskoff.explanation/1`, byte-identical
  // for the same ruleset, snapshot and options). Precondition: has_trace(). Throws
  // std::logic_error when it does not hold, else only std::bad_alloc.
  std::string render(Format format) const;
  // Every input, let, signal and group, in dependency order. Precondition: has_trace() (else
  // std::logic_error); otherwise throws only std::bad_alloc.
  std::vector<SymbolValue> values() const;
  // One of them by name, or nullopt. As values() for exceptions.
  std::optional<SymbolValue> value(std::string_view name) const;

  struct Impl;

 private:
  friend struct ApiAccess;
  explicit Decision(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

struct CompileResult {
  std::optional<Ruleset> ruleset;  // present when there is no error (warnings may remain)
  std::vector<Problem> problems;   // errors and warnings, in file order
  bool ok() const { return ruleset.has_value(); }
};

struct SnapshotResult {
  std::optional<Snapshot> snapshot;
  std::vector<std::string> errors;
  std::string text;  // load(): the bytes read (what an audit record keeps), even when they do not parse
  bool ok() const { return snapshot.has_value(); }
};

struct EvaluateResult {
  // What `errors` are about: the options (profile, overrides) or the snapshot (does not fit).
  enum class Problem : std::uint8_t { kNone, kOptions, kSnapshot };
  std::optional<Decision> decision;
  Problem problem = Problem::kNone;
  std::vector<std::string> errors;
  bool ok() const { return decision.has_value(); }
};

// The one decision entry point: the ruleset's profile (by name; empty: the first), the
// overrides applied, the snapshot bound, the rules evaluated, and the explanation kept when
// asked. Every decision riskoff makes goes through here: `riskoff eval`, `audit recheck`, rule
// tests, the golden files, Ruleset::evaluate and the C API. Errors are values:
//   ErrorKind::kUsage     an unknown profile, a malformed override
//   ErrorKind::kRuleset   a ruleset without profiles (nothing to decide)
//   ErrorKind::kSnapshot  the snapshot does not fit (a required input missing, a unit that
//                         differs, an as_of outside the years 0000-9999)
// Throws only std::bad_alloc. Thread-safe: any number of decide() calls may share a Ruleset and
// a Snapshot.
//
//   auto decision = riskoff::decide(ruleset, snapshot, {.profile = "swing", .overrides = {"yield_jump=20bp"}});
//   if (!decision) return print(decision.error());
//   std::cout << decision->action() << '\n' << decision->render(riskoff::Format::kText);
RISKOFF_API Result<Decision> decide(const Ruleset& ruleset, const Snapshot& snapshot, const DecideOptions& options = {});

// Renders an explanation (for example one kept from an earlier decision). Throws only
// std::bad_alloc.
RISKOFF_API std::string render(const Explanation& explanation, Format format);

// Several profiles' explanations of one snapshot (`riskoff eval --profile all`). Text: one line
// per profile (profile, action, regime, the condition that decided), then what they share (the
// checklist, the drivers on, the unknown inputs) from the first, and which profiles see a
// different checklist. Markdown: each profile's in turn. JSON: an array of explanations. Throws
// only std::bad_alloc.
RISKOFF_API std::string render_profiles(const std::vector<Explanation>& explanations, Format format);

}  // namespace riskoff
