// The canonical form of a rule file (`riskoff fmt`). Formatting a module that parsed without
// errors is idempotent, keeps every comment, and parses back to the same AST
// (dump(parse(format(m))) == dump(m)); tests/unit/dsl/format_test.cpp holds it to that.
#pragma once

#include <string>

#include "dsl/ast.hpp"

namespace riskoff::dsl {

// Lines longer than this are broken at top-level `and`/`or` when possible.
inline constexpr std::size_t kFormatWidth = 100;

std::string format(const Module& module, const SourceFile& file);

}  // namespace riskoff::dsl
