// What the text and markdown renderings share: widths that count characters (not UTF-8 bytes),
// word wrap to 100 columns, padding, colour on request, and the marks of the reason trees.
// Internal to explain/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "explain/explanation.hpp"

namespace riskoff::explain::detail {

constexpr std::size_t kWidth = 100;

std::string upper(std::string text);
std::size_t display_width(std::string_view text);
// Word-wraps `text` to kWidth, the first line after `first`, the rest indented by `indent`.
std::string wrap(const std::string& first, const std::string& text, std::size_t indent);
// The words of `text` on lines of at most `width` characters (a longer word is kept whole).
std::vector<std::string> wrap_cell(const std::string& text, std::size_t width);
// Pads to a display width.
std::string pad(const std::string& text, std::size_t width);
std::string join(const std::vector<std::string>& items, const char* separator);
std::string meta_value(const GroupRow& row, const char* key);
std::size_t count_status(const Explanation& e, InputStatus status);
// The header's ruleset line (name, version, hash, data freshness with `ok_word` for the inputs
// that are fine) and, when there are some, the `not used:` line; both text forms print it.
std::string ruleset_lines(const Explanation& e, const char* ok_word);
std::string status_word(Truth truth, const char* on, const char* off);
// A comparison, condition or value: shown as its own text, no heading.
bool is_leaf(ReasonKind kind);
bool is_combination(ReasonKind kind);
bool has_bad_inputs(const Explanation& e);
// "3.0bp below (20% of the threshold); alone it makes the decision REDUCE", or names the
// condition also needed.
std::string flip_consequence(const Flip& flip);
// "when <condition>", or "otherwise (no decision above it holds)" for the fall-through clause:
// the BECAUSE line's words after the action, in every text form and the summary.
std::string because_clause(const std::string& condition);

// ANSI colour when asked (the CLI asks only for a terminal without NO_COLOR).
class Painter {
 public:
  explicit Painter(Colour colour) : colour_(colour == Colour::kAlways) {}
  std::string paint(const std::string& text, const char* code) const;
  std::string mark(Truth truth) const;
  // The action in capitals, coloured by severity: hedge red, reduce yellow, wait green.
  std::string action(const std::string& action) const;

 private:
  bool colour_;
};

// "REDUCE  ·  profile swing  ·  as of <time>": the text explanation's first line and the summary's
// headline.
std::string headline(const Painter& painter, const std::string& action, const std::string& profile,
                     const std::string& as_of);

}  // namespace riskoff::explain::detail
