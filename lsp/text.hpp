// Positions as LSP counts them (0-based line, UTF-16 code units in the line) and byte offsets
// as the library counts them, over one text. Positions past a line's end clamp to its end, and
// lines past the text's end to the text's end: an editor a step behind never breaks an edit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace riskoff::lsp {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  // UTF-16 code units
};

class TextLines {
 public:
  explicit TextLines(std::string_view text);
  std::uint32_t offset_of(Position position) const;
  Position position_of(std::uint32_t offset) const;

 private:
  std::string_view text_;
  std::vector<std::uint32_t> line_starts_;  // Invariant: line_starts_[0] == 0, ascending.
};

// Replaces [begin, end) of `text` (positions in `text`) by `replacement`.
void apply_change(std::string& text, Position begin, Position end, std::string_view replacement);

}  // namespace riskoff::lsp
