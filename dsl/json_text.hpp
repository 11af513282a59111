// The UTF-8 check that rule files and names given to the embedding API must pass.
#pragma once

#include <string>
#include <string_view>

namespace riskoff::dsl {

// The offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and values
// past U+10FFFF included), or npos.
std::size_t first_invalid_utf8(std::string_view text);

// A bidirectional control character at `at` in UTF-8 text: the embeddings and overrides
// U+202A–202E, the isolates U+2066–2069 and the marks U+200E, U+200F and U+061C. They make an
// editor show text in another order than the parser reads it ("Trojan Source", CVE-2021-42574).
struct BidiControl {
  char32_t code_point = 0;
  std::size_t length = 0;  // bytes; 0 when there is none at `at`
  std::string_view name;   // its Unicode name, for messages
};
BidiControl bidi_control_at(std::string_view text, std::size_t at);

}  // namespace riskoff::dsl
