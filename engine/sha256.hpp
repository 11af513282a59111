// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Names a ruleset's content
// (the hash of its canonical text) in explanations and, later, in the audit log.
#pragma once

#include <string>
#include <string_view>

namespace riskoff::engine {

std::string sha256_hex(std::string_view data);

}  // namespace riskoff::engine
