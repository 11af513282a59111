// Problems in the user's rule files, as data. Every diagnostic has a stable code (documented in
// docs/diagnostics.md), a severity, a span in one source file, a lowercase message without a
// final period, and optional help and a secondary note. Rendering happens in one place only:
// render_text() for people, render_json() for editors and tools.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "riskoff/source.hpp"

namespace riskoff {

enum class Severity : std::uint8_t { kError, kWarning };

// Stable codes. Never renumber: tools and docs/diagnostics.md refer to them.
enum class DiagCode : std::uint16_t {
  // Input that is not a rule file at all (E00xx).
  kFileTooLarge = 1,        // file exceeds the size limit
  kInvalidUtf8 = 2,         // bytes that are not UTF-8
  kControlCharacter = 3,    // NUL or another control character (binary data)
  kNestingTooDeep = 4,      // parentheses nested beyond the parser's limit (prefix chains hit kExpressionTooLong)
  kTooManyDeclarations = 5, // more declarations than the limit
  kExpressionTooLong = 6,   // more operands in one expression than the limit
  kUnterminatedString = 7,  // string literal runs to the end of the line
  kInvalidEscape = 8,       // backslash escape other than \" and \\ .
  kBidiControl = 9,         // a bidirectional control character (U+202A-202E, U+2066-2069, marks)
  // Syntax (E01xx).
  kSyntax = 100,            // generic: something else was expected
  kExpectedHeader = 101,    // a file must start with `ruleset NAME version "X.Y.Z"`
  kExpectedExpression = 102,
  kExpectedClose = 103,     // missing `)`, `]` or `}`
  kExpectedEquals = 104,
  kInvalidNumber = 105,     // malformed number or unit suffix
  kExpectedString = 106,
  kExpectedName = 107,
  kExpectedInputKind = 108, // `series FREQ` or `scalar`, a unit, options
  kExpectedDeclaration = 109,
  kInvalidVersion = 110,    // not a semantic version
  kReservedWord = 111,      // a keyword used as a name
  kExpectedDecision = 112,  // `decide` clauses in a profile
  kExpectedTestStep = 113,  // `given`, `expect`, ... inside a test
  kForeignOperator = 114,   // an operator of another language: `=<`, `&&`, `||`, `!`, `=`
  // Names (E02xx).
  kDuplicateName = 200,
  kUnknownName = 201,
  kUnknownFunction = 202,
  kImportNotFound = 203,
  kImportCycle = 204,
  kUnknownProfile = 205,
  kUnknownParam = 206,
  kUnknownAction = 207,
  kUnknownPlaceholder = 208, // `{name}` in a `because` template that names nothing
  kDependencyCycle = 209,
  kNotAnInput = 210,         // `given` on something that is not an input
  kDuplicateMeta = 211,
  kUnknownFixture = 212,     // `test ... from NAME` names no fixture
  // Types and units (E03xx).
  kTypeMismatch = 300,
  kWrongArity = 301,
  kExpectedSeries = 302,     // a window function needs a series input
  kExpectedWindow = 303,     // a window must be a duration (`5d`) or a bar count (`30 bars`)
  kConditionNotBool = 304,
  kUnitMismatch = 305,
  kRateNeedsUnit = 306,      // bare number beside a % or bp quantity
  kOverrideUnit = 307,       // override of a parameter changes its unit
  kInvalidWindow = 308,      // window of zero, negative or beyond the limit
  kGivenShape = 309,         // test data does not fit the input (series vs scalar)
  kParamNotConstant = 310,   // a param default must be a literal
  kInvalidFrequency = 311,
  kInvalidTimestamp = 312,
  kUnknownUnit = 313,
  kCostTooHigh = 314,        // static cost bound of one evaluation beyond the limit
  // Decisions (E04xx).
  kMissingOtherwise = 400,
  kClauseAfterOtherwise = 401,
  kTestWithoutExpect = 404,
  kTestFileContent = 405,   // a test file (NAME_test.rules) holding more than fixtures and tests, or tested as a ruleset
  // Warnings (W05xx).
  kUnusedInput = 500,
  kUnusedParam = 501,
  kUnreachableClause = 502,
  kUnusedLet = 503,
  kShadowedOverride = 504,   // a profile override that sets the default value again
  kUnusedFixture = 505,      // a fixture no test starts from
  kSessionWordsCalendarWindow = 506,  // a window in calendar days whose reason speaks of trading days or sessions
};

// "E0201" or "W0500": the stable, grep-able form of a code.
std::string code_string(DiagCode code);
// A short kebab-case slug per code ("unknown-name") for JSON and docs.
std::string_view code_slug(DiagCode code);
Severity default_severity(DiagCode code);

struct DiagnosticNote {
  SourceId source{};
  Span span;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  DiagCode code = DiagCode::kSyntax;
  SourceId source{};
  Span span;
  std::string message;  // lowercase, no final period, user text in `backticks`
  std::string help;     // optional, rendered as `help: ...`
  std::optional<DiagnosticNote> note;
};

// Collects diagnostics up to a limit so hostile input cannot flood the output.
class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::size_t limit = 50) : limit_(limit) {}
  void report(Diagnostic diagnostic);
  Diagnostic& error(DiagCode code, SourceId source, Span span, std::string message);
  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return warnings_; }
  std::size_t dropped() const { return dropped_; }
  bool has_errors() const { return errors_ > 0; }
  // Orders diagnostics by file, then position (stable: same-place diagnostics keep pass order),
  // so output reads top to bottom whatever pass found each problem.
  void sort_by_location();

 private:
  std::size_t limit_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  std::size_t dropped_ = 0;
  Diagnostic overflow_;  // target of error() once the limit is reached
};

// FILE:LINE:COL: error[E0201]: message, the source line, a caret line, then help/note.
std::string render_text(const Diagnostic& diagnostic, const SourceSet& sources);
// One JSON object per diagnostic (see docs/diagnostics.md for the schema).
std::string render_json(const std::vector<Diagnostic>& diagnostics, const SourceSet& sources);

}  // namespace riskoff
