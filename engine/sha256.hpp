// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Names a ruleset's content
// (the hash of its canonical text) in explanations, and every record in the audit store.
#pragma once

#include <string>
#include <string_view>

namespace riskoff::engine {

// Uses the CPU's SHA extensions when it has them (x86-64), the portable code otherwise; both
// give the same digest (tested).
std::string sha256_hex(std::string_view data);
std::string sha256_hex_portable(std::string_view data);
bool sha256_uses_cpu_extensions();

}  // namespace riskoff::engine
