// Text helpers shared across stages. A JSON string literal (quotes and escapes), for every
// hand-written JSON renderer: diagnostics here, explanations in explain/ (hand-written because
// both outputs must be byte-identical across runs and keep their fields in a fixed, documented
// order). And the UTF-8 check rule files and names given to the embedding API must pass.
#pragma once

#include <string>
#include <string_view>

namespace riskoff::dsl {

std::string json_quote(std::string_view text);

// The offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and values
// past U+10FFFF included), or npos.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace riskoff::dsl
