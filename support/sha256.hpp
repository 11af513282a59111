// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: names a ruleset's content
// (the hash of its canonical text) in explanations, and every record of the audit chain.
// Computed by nettle, a maintained library that picks the CPU's SHA instructions at run time;
// crypto under an audit chain is not written by hand.
#pragma once

#include <string>
#include <string_view>

namespace riskoff::support {

std::string sha256_hex(std::string_view data);

}  // namespace riskoff::support
