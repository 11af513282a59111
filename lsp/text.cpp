#include "lsp/text.hpp"

#include <algorithm>

namespace riskoff::lsp {

namespace {

// Bytes of the UTF-8 sequence starting with `lead` (1 for a stray continuation byte, so a
// broken text still advances).
std::uint32_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

TextLines::TextLines(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (std::uint32_t offset = 0; offset < text.size(); ++offset) {
    if (text[offset] == '\n') line_starts_.push_back(offset + 1);
  }
}

std::uint32_t TextLines::offset_of(Position position) const {
  if (position.line >= line_starts_.size()) return static_cast<std::uint32_t>(text_.size());
  std::uint32_t offset = line_starts_[position.line];
  std::uint32_t units = 0;
  while (offset < text_.size() && text_[offset] != '\n' && text_[offset] != '\r' && units < position.character) {
    const std::uint32_t length = sequence_length(static_cast<unsigned char>(text_[offset]));
    units += length == 4 ? 2 : 1;
    offset = std::min<std::uint32_t>(offset + length, static_cast<std::uint32_t>(text_.size()));
  }
  return offset;
}

Position TextLines::position_of(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(after - line_starts_.begin() - 1);
  std::uint32_t units = 0;
  for (std::uint32_t at = line_starts_[line]; at < offset;) {
    const std::uint32_t length = sequence_length(static_cast<unsigned char>(text_[at]));
    units += length == 4 ? 2 : 1;
    at += length;
  }
  return {line, units};
}

void apply_change(std::string& text, Position begin, Position end, std::string_view replacement) {
  const TextLines lines(text);
  std::uint32_t from = lines.offset_of(begin);
  std::uint32_t to = lines.offset_of(end);
  if (to < from) std::swap(from, to);
  text.replace(from, to - from, replacement);
}

}  // namespace riskoff::lsp
