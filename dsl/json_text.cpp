#include "dsl/json_text.hpp"

#include <cstdint>
#include <cstring>

namespace riskoff::dsl {

std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    // Eight ASCII bytes at a time: rule files are mostly ASCII.
    if (at + sizeof(std::uint64_t) <= text.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + at, sizeof word);
      if ((word & 0x8080808080808080U) == 0) {
        at += sizeof word;
        continue;
      }
    }
    const auto byte = static_cast<unsigned char>(text[at]);
    std::size_t length = 0;
    std::uint32_t min = 0;
    std::uint32_t code = 0;
    if (byte < 0x80) {
      ++at;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2, min = 0x80, code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3, min = 0x800, code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, code = byte & 0x07;
    } else {
      return at;
    }
    if (at + length > text.size()) return at;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[at + k]);
      if ((next & 0xC0) != 0x80) return at;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return at;
    at += length;
  }
  return std::string_view::npos;
}

BidiControl bidi_control_at(std::string_view text, std::size_t at) {
  struct Known {
    char32_t code_point;
    std::string_view utf8;
    std::string_view name;
  };
  static constexpr Known kKnown[] = {
      {0x061C, "\xD8\x9C", "ARABIC LETTER MARK"},
      {0x200E, "\xE2\x80\x8E", "LEFT-TO-RIGHT MARK"},
      {0x200F, "\xE2\x80\x8F", "RIGHT-TO-LEFT MARK"},
      {0x202A, "\xE2\x80\xAA", "LEFT-TO-RIGHT EMBEDDING"},
      {0x202B, "\xE2\x80\xAB", "RIGHT-TO-LEFT EMBEDDING"},
      {0x202C, "\xE2\x80\xAC", "POP DIRECTIONAL FORMATTING"},
      {0x202D, "\xE2\x80\xAD", "LEFT-TO-RIGHT OVERRIDE"},
      {0x202E, "\xE2\x80\xAE", "RIGHT-TO-LEFT OVERRIDE"},
      {0x2066, "\xE2\x81\xA6", "LEFT-TO-RIGHT ISOLATE"},
      {0x2067, "\xE2\x81\xA7", "RIGHT-TO-LEFT ISOLATE"},
      {0x2068, "\xE2\x81\xA8", "FIRST STRONG ISOLATE"},
      {0x2069, "\xE2\x81\xA9", "POP DIRECTIONAL ISOLATE"},
  };
  // Lead bytes 0xD8 and 0xE2 only start a character, so a match is never inside another one.
  const auto lead = at < text.size() ? static_cast<unsigned char>(text[at]) : 0;
  if (lead != 0xD8 && lead != 0xE2) return {};
  for (const auto& known : kKnown) {
    if (text.substr(at, known.utf8.size()) == known.utf8) return {known.code_point, known.utf8.size(), known.name};
  }
  return {};
}

}  // namespace riskoff::dsl
