// The shared layout of the text and markdown renderings.
#include "explain/text_layout.hpp"

#include <cctype>

namespace riskoff::explain::detail {

std::string upper(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return text;
}

bool is_leaf(ReasonKind kind) {
  return kind == ReasonKind::kComparison || kind == ReasonKind::kCondition || kind == ReasonKind::kValue;
}

bool is_combination(ReasonKind kind) {
  return kind == ReasonKind::kNot || kind == ReasonKind::kAny || kind == ReasonKind::kAll || kind == ReasonKind::kAtLeast;
}

std::string status_word(Truth truth, const char* on, const char* off) {
  return truth == Truth::kTrue ? on : truth == Truth::kFalse ? off : "unknown";
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char ch : text) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::vector<std::string> wrap_cell(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string wrap(const std::string& first, const std::string& text, std::size_t indent) {
  std::string out = first;
  std::size_t column = display_width(first);
  std::size_t at = 0;
  bool line_start = true;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    if (!line_start && column + 1 + display_width(word) > kWidth) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += display_width(word);
    line_start = false;
    at = end + 1;
  }
  return out + "\n";
}

std::string pad(const std::string& text, std::size_t width) {
  const std::size_t shown = display_width(text);
  return shown >= width ? text : text + std::string(width - shown, ' ');
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string meta_value(const GroupRow& row, const char* key) {
  for (const auto& [name, value] : row.meta) {
    if (name == key) return value;
  }
  return "";
}

std::size_t count_status(const Explanation& e, InputStatus status) {
  std::size_t count = 0;
  for (const auto& input : e.inputs) count += input.status == status ? 1 : 0;
  return count;
}

std::string ruleset_lines(const Explanation& e, const char* ok_word) {
  std::string out = "ruleset " + e.ruleset + " " + e.version + " (sha256 " + e.content_hash.substr(0, 12) + ")  ·  data: " +
                    std::to_string(count_status(e, InputStatus::kOk)) + " " + ok_word + ", " +
                    std::to_string(count_status(e, InputStatus::kStale)) + " stale, " +
                    std::to_string(count_status(e, InputStatus::kMissing)) + " missing\n";
  if (!e.unused_inputs.empty()) out += wrap("not used: ", join(e.unused_inputs, ", ") + " (the ruleset does not read them)", 10);
  return out;
}

bool has_bad_inputs(const Explanation& e) {
  for (const auto& input : e.inputs) {
    if (input.status != InputStatus::kOk) return true;
  }
  return false;
}

std::string flip_consequence(const Flip& flip) {
  std::string out = flip.gap + (flip.share.empty() ? "" : " (" + flip.share + ")");
  if (!flip.changes_to.empty()) return out + "; alone it makes the decision " + upper(flip.changes_to);
  return out + "; would flip, but `" + flip.blocker + "` also needed";
}

std::string Painter::paint(const std::string& text, const char* code) const {
  return colour_ ? std::string("\x1b[") + code + "m" + text + "\x1b[0m" : text;
}

std::string Painter::mark(Truth truth) const {
  if (truth == Truth::kTrue) return paint("[x]", "32");
  if (truth == Truth::kFalse) return paint("[ ]", "2");
  return paint("[?]", "33");
}

std::string Painter::action(const std::string& action) const {
  if (action.empty()) return paint("NO DECISION", "1");
  const char* code = action == "hedge" ? "1;31" : action == "reduce" ? "1;33" : action == "wait" ? "1;32" : "1";
  return paint(upper(action), code);
}

std::string because_clause(const std::string& condition) {
  return condition == "otherwise" ? "otherwise (no decision above it holds)" : "when " + condition;
}

std::string headline(const Painter& painter, const std::string& action, const std::string& profile,
                     const std::string& as_of) {
  return painter.action(action) + "  ·  profile " + profile + "  ·  as of " + as_of;
}

}  // namespace riskoff::explain::detail
