// Moved to support/sha256.hpp. This forward stays only for tests/golden/golden_test.cpp, which
// issue 11 rewrites to hash through the public API; delete it with that change.
#pragma once

#include "support/sha256.hpp"

namespace riskoff::engine {
using support::sha256_hex;
}  // namespace riskoff::engine
