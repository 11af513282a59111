// Text helpers shared across stages: the UTF-8 check rule files and names given to the
// embedding API must pass. JSON is written by support/json_writer.hpp; `json_quote` is kept
// here under its old name for the replay renderer until it moves to backtest/.
#pragma once

#include <string>
#include <string_view>

#include "support/json_writer.hpp"

namespace riskoff::dsl {

using support::json_quote;

// The offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and values
// past U+10FFFF included), or npos.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace riskoff::dsl
