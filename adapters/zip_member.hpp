// Reading the data inside a `.zip` (data.binance.vision ships every dump as one CSV in a zip)
// through libzip, from the bytes already read within the data-file limit: the archive is never
// reopened by name. Internal to adapters/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "riskoff/result.hpp"

namespace riskoff::adapters {

// Whether the bytes are a zip archive (a local file header, or the end record of an empty one).
bool looks_like_zip(std::string_view bytes);

// The archive's one file, decompressed. The decompressed size is bounded by `max_bytes` while
// reading, whatever the archive declares (a zip bomb stops at the limit). Errors (kData) say
// what is wrong without the path, which the caller adds: "the zip holds 2 files (`a.csv`,
// `b.csv`); expected one", "the zip member `a.csv` is larger than the limit ...".
Result<std::string> read_zip_member(std::string_view archive, std::uint64_t max_bytes);

}  // namespace riskoff::adapters
