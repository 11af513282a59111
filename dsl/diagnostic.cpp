#include "riskoff/diagnostic.hpp"

#include "dsl/json_text.hpp"
#include "support/json_writer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace riskoff {
namespace {

struct CodeInfo {
  DiagCode code;
  std::string_view slug;
};

// One row per code; docs/diagnostics.md documents each with an example.
constexpr std::array kCodes = {
    CodeInfo{DiagCode::kFileTooLarge, "file-too-large"},
    CodeInfo{DiagCode::kInvalidUtf8, "invalid-utf8"},
    CodeInfo{DiagCode::kControlCharacter, "control-character"},
    CodeInfo{DiagCode::kNestingTooDeep, "nesting-too-deep"},
    CodeInfo{DiagCode::kTooManyDeclarations, "too-many-declarations"},
    CodeInfo{DiagCode::kExpressionTooLong, "expression-too-long"},
    CodeInfo{DiagCode::kUnterminatedString, "unterminated-string"},
    CodeInfo{DiagCode::kInvalidEscape, "invalid-escape"},
    CodeInfo{DiagCode::kBidiControl, "bidi-control"},
    CodeInfo{DiagCode::kSyntax, "syntax"},
    CodeInfo{DiagCode::kExpectedHeader, "expected-header"},
    CodeInfo{DiagCode::kExpectedExpression, "expected-expression"},
    CodeInfo{DiagCode::kExpectedClose, "expected-close"},
    CodeInfo{DiagCode::kExpectedEquals, "expected-equals"},
    CodeInfo{DiagCode::kInvalidNumber, "invalid-number"},
    CodeInfo{DiagCode::kExpectedString, "expected-string"},
    CodeInfo{DiagCode::kExpectedName, "expected-name"},
    CodeInfo{DiagCode::kExpectedInputKind, "expected-input-kind"},
    CodeInfo{DiagCode::kExpectedDeclaration, "expected-declaration"},
    CodeInfo{DiagCode::kInvalidVersion, "invalid-version"},
    CodeInfo{DiagCode::kReservedWord, "reserved-word"},
    CodeInfo{DiagCode::kExpectedDecision, "expected-decision"},
    CodeInfo{DiagCode::kExpectedTestStep, "expected-test-step"},
    CodeInfo{DiagCode::kForeignOperator, "foreign-operator"},
    CodeInfo{DiagCode::kDuplicateName, "duplicate-name"},
    CodeInfo{DiagCode::kUnknownName, "unknown-name"},
    CodeInfo{DiagCode::kUnknownFunction, "unknown-function"},
    CodeInfo{DiagCode::kImportNotFound, "import-not-found"},
    CodeInfo{DiagCode::kImportCycle, "import-cycle"},
    CodeInfo{DiagCode::kUnknownProfile, "unknown-profile"},
    CodeInfo{DiagCode::kUnknownParam, "unknown-param"},
    CodeInfo{DiagCode::kUnknownAction, "unknown-action"},
    CodeInfo{DiagCode::kUnknownPlaceholder, "unknown-placeholder"},
    CodeInfo{DiagCode::kDependencyCycle, "dependency-cycle"},
    CodeInfo{DiagCode::kNotAnInput, "not-an-input"},
    CodeInfo{DiagCode::kDuplicateMeta, "duplicate-meta"},
    CodeInfo{DiagCode::kUnknownFixture, "unknown-fixture"},
    CodeInfo{DiagCode::kTypeMismatch, "type-mismatch"},
    CodeInfo{DiagCode::kWrongArity, "wrong-arity"},
    CodeInfo{DiagCode::kExpectedSeries, "expected-series"},
    CodeInfo{DiagCode::kExpectedWindow, "expected-window"},
    CodeInfo{DiagCode::kConditionNotBool, "condition-not-bool"},
    CodeInfo{DiagCode::kUnitMismatch, "unit-mismatch"},
    CodeInfo{DiagCode::kRateNeedsUnit, "rate-needs-unit"},
    CodeInfo{DiagCode::kOverrideUnit, "override-unit"},
    CodeInfo{DiagCode::kInvalidWindow, "invalid-window"},
    CodeInfo{DiagCode::kGivenShape, "given-shape"},
    CodeInfo{DiagCode::kParamNotConstant, "param-not-constant"},
    CodeInfo{DiagCode::kInvalidFrequency, "invalid-frequency"},
    CodeInfo{DiagCode::kInvalidTimestamp, "invalid-timestamp"},
    CodeInfo{DiagCode::kUnknownUnit, "unknown-unit"},
    CodeInfo{DiagCode::kCostTooHigh, "cost-too-high"},
    CodeInfo{DiagCode::kMissingOtherwise, "missing-otherwise"},
    CodeInfo{DiagCode::kClauseAfterOtherwise, "clause-after-otherwise"},
    CodeInfo{DiagCode::kTestWithoutExpect, "test-without-expect"},
    CodeInfo{DiagCode::kTestFileContent, "test-file-content"},
    CodeInfo{DiagCode::kUnusedInput, "unused-input"},
    CodeInfo{DiagCode::kUnusedParam, "unused-param"},
    CodeInfo{DiagCode::kUnreachableClause, "unreachable-clause"},
    CodeInfo{DiagCode::kUnusedLet, "unused-let"},
    CodeInfo{DiagCode::kShadowedOverride, "redundant-override"},
    CodeInfo{DiagCode::kUnusedFixture, "unused-fixture"},
    CodeInfo{DiagCode::kSessionWordsCalendarWindow, "session-words-calendar-window"},
};

// Display width of a byte range in code points, tabs kept as tabs by the caller.
std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char ch : text) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// The line as a terminal can show it: bytes that are not UTF-8 and control characters (the
// subject of E0002/E0003) and bidirectional controls (E0009, which would reorder the terminal's
// line) become U+FFFD, one column each, so the caret still lines up.
std::string printable(std::string_view line) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  std::size_t at = 0;
  while (at < line.size()) {
    const auto byte = static_cast<unsigned char>(line[at]);
    std::size_t length = byte < 0x80 ? 1 : (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : (byte & 0xF8) == 0xF0 ? 4 : 0;
    bool valid = length > 0 && at + length <= line.size();
    for (std::size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(line[at + k]) & 0xC0) == 0x80;
    if (const auto bidi = dsl::bidi_control_at(line, at); bidi.length > 0) {  // E0009: shown, not obeyed
      out += kReplacement;
      at += bidi.length;
      continue;
    }
    if (!valid || (length == 1 && ((byte < 0x20 && byte != '\t') || byte == 0x7F))) {
      out += kReplacement;
      ++at;
      continue;
    }
    out.append(line.substr(at, length));
    at += length;
  }
  return out;
}

void render_snippet(std::string& out, const SourceFile& file, Span span) {
  const LineCol begin = file.line_col(span.begin);
  const std::string_view line = file.line_text(begin.line);
  // Long lines (minified or hostile input) are cut around the caret so the output stays readable.
  constexpr std::size_t kMaxShown = 160;
  const std::string number = std::to_string(begin.line);
  const std::string gutter(number.size(), ' ');
  std::string_view shown = line;
  std::size_t caret_offset = 0;  // bytes of `shown` before the caret
  {
    const std::size_t start_of_line = file.text().rfind('\n', span.begin == 0 ? 0 : span.begin - 1);
    const std::size_t line_start = (start_of_line == std::string_view::npos || span.begin == 0) ? 0 : start_of_line + 1;
    caret_offset = span.begin - line_start;
    if (caret_offset > line.size()) caret_offset = line.size();
  }
  std::string prefix_marker;
  if (shown.size() > kMaxShown) {
    std::size_t from = caret_offset > kMaxShown / 2 ? caret_offset - kMaxShown / 2 : 0;
    while (from > 0 && (static_cast<unsigned char>(shown[from]) & 0xC0) == 0x80) --from;
    std::size_t to = std::min(shown.size(), from + kMaxShown);
    while (to < shown.size() && (static_cast<unsigned char>(shown[to]) & 0xC0) == 0x80) ++to;
    if (from > 0) prefix_marker = "...";
    caret_offset -= from;
    shown = shown.substr(from, to - from);
  }
  out += ' ' + number + " | " + prefix_marker + printable(shown) + '\n';
  out += ' ' + gutter + " | " + std::string(prefix_marker.size(), ' ');
  // Keep tabs so the caret lines up however the terminal renders them.
  for (std::size_t at = 0; at < caret_offset; ++at) {
    const char ch = shown[at];
    if (ch == '\t') out += '\t';
    else if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) out += ' ';
  }
  std::size_t width = 1;
  if (span.end > span.begin) {
    const std::size_t available = shown.size() - caret_offset;
    const std::size_t length = std::min<std::size_t>(span.end - span.begin, available);
    width = std::max<std::size_t>(1, code_points(shown.substr(caret_offset, length)));
  }
  out += std::string(width, '^');
  out += '\n';
}

}  // namespace

std::string code_string(DiagCode code) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%04u", default_severity(code) == Severity::kWarning ? 'W' : 'E',
                static_cast<unsigned>(code));
  return buf;
}

std::string_view code_slug(DiagCode code) {
  for (const auto& info : kCodes) {
    if (info.code == code) return info.slug;
  }
  return "unknown";
}

Severity default_severity(DiagCode code) {
  return static_cast<std::uint16_t>(code) >= 500 ? Severity::kWarning : Severity::kError;
}

void DiagnosticSink::report(Diagnostic diagnostic) {
  if (diagnostics_.size() >= limit_) {
    // Not shown, but counted: the summary line tells the true numbers.
    ++dropped_;
    if (diagnostic.severity == Severity::kError) ++errors_;
    else ++warnings_;
    return;
  }
  if (diagnostic.severity == Severity::kError) ++errors_;
  else ++warnings_;
  diagnostics_.push_back(std::move(diagnostic));
}

void DiagnosticSink::sort_by_location() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.source != b.source) return a.source < b.source;
    return a.span.begin < b.span.begin;
  });
}

Diagnostic& DiagnosticSink::error(DiagCode code, SourceId source, Span span, std::string message) {
  Diagnostic diagnostic;
  diagnostic.severity = default_severity(code);
  diagnostic.code = code;
  diagnostic.source = source;
  diagnostic.span = span;
  diagnostic.message = std::move(message);
  if (diagnostics_.size() >= limit_) {
    report(std::move(diagnostic));
    overflow_ = Diagnostic{};
    return overflow_;
  }
  report(std::move(diagnostic));
  return diagnostics_.back();
}

std::string render_text(const Diagnostic& diagnostic, const SourceSet& sources) {
  const SourceFile& file = sources.file(diagnostic.source);
  const LineCol at = file.line_col(diagnostic.span.begin);
  std::string out;
  out += std::string(file.name()) + ':' + std::to_string(at.line) + ':' + std::to_string(at.column) + ": ";
  out += diagnostic.severity == Severity::kError ? "error[" : "warning[";
  out += code_string(diagnostic.code) + "]: " + diagnostic.message + '\n';
  render_snippet(out, file, diagnostic.span);
  if (!diagnostic.help.empty()) out += "help: " + diagnostic.help + '\n';
  if (diagnostic.note) {
    const SourceFile& note_file = sources.file(diagnostic.note->source);
    const LineCol note_at = note_file.line_col(diagnostic.note->span.begin);
    out += "note: " + diagnostic.note->message + " at " + std::string(note_file.name()) + ':' +
           std::to_string(note_at.line) + ':' + std::to_string(note_at.column) + '\n';
  }
  return out;
}

std::string render_json(const std::vector<Diagnostic>& diagnostics, const SourceSet& sources) {
  support::JsonWriter json;
  json.begin_array();
  for (const auto& diagnostic : diagnostics) {
    const SourceFile& file = sources.file(diagnostic.source);
    const LineCol begin = file.line_col(diagnostic.span.begin);
    const LineCol end = file.line_col(diagnostic.span.end);
    json.begin_object(support::JsonLayout::kSpaced);
    json.field("file", file.name());
    json.field_integer("line", begin.line).field_integer("column", begin.column);
    json.field_integer("end_line", end.line).field_integer("end_column", end.column);
    json.field("severity", diagnostic.severity == Severity::kError ? "error" : "warning");
    json.field("code", code_string(diagnostic.code)).field("slug", code_slug(diagnostic.code));
    json.field("message", diagnostic.message);
    if (!diagnostic.help.empty()) json.field("help", diagnostic.help);
    if (diagnostic.note) {
      const SourceFile& note_file = sources.file(diagnostic.note->source);
      const LineCol note_at = note_file.line_col(diagnostic.note->span.begin);
      json.key("note").begin_object().field("file", note_file.name());
      json.field_integer("line", note_at.line).field_integer("column", note_at.column);
      json.field("message", diagnostic.note->message).end_object();
    }
    json.end_object();
  }
  json.end_array();
  return json.take() + "\n";
}

}  // namespace riskoff
