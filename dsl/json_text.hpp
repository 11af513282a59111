// A JSON string literal (quotes and escapes), shared by every hand-written JSON renderer:
// diagnostics here, explanations in explain/. Hand-written because both outputs must be
// byte-identical across runs and keep their fields in a fixed, documented order.
#pragma once

#include <string>
#include <string_view>

namespace riskoff::dsl {

std::string json_quote(std::string_view text);

}  // namespace riskoff::dsl
