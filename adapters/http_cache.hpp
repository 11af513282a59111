// The HTTP cache: one file per URL (named by the URL's SHA-256) in a folder only its owner can
// write. Others could otherwise plant a file or a symbolic link that is read as a provider's
// answer, so the folder must be owned by the user and not writable by group or others (it is
// created 0700), entries are opened with O_NOFOLLOW, and written atomically (a temporary file,
// fsync, rename; the temporary file is removed on any failure).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "riskoff/result.hpp"

namespace riskoff::adapters {

// Creates the folder (0700) when missing; an existing one must be private: a directory, not a
// symbolic link, owned by this user, not writable by group or others. The value is the folder.
Result<std::string> open_private_cache(const std::string& folder);

// The cached body of `url` when fresh (not older than max_age_seconds) and a regular file
// within max_bytes; nothing otherwise (a symbolic link or anything odd counts as a miss).
std::optional<std::string> cached_body(const std::string& folder, const std::string& url, double max_age_seconds,
                                       std::uint64_t max_bytes);

// Stores `body` for `url`; an empty string on success, or why not (the cache is best effort).
std::string store_body(const std::string& folder, const std::string& url, const std::string& body);

}  // namespace riskoff::adapters
