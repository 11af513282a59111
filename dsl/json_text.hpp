// The UTF-8 check that rule files and names given to the embedding API must pass.
#pragma once

#include <string>
#include <string_view>

namespace riskoff::dsl {

// The offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and values
// past U+10FFFF included), or npos.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace riskoff::dsl
