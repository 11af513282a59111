// Secrets out of everything riskoff prints or keeps: a URL's credentials (`user:password@`)
// and the values of secret-looking query parameters (api_key, apikey, key, token,
// access_token, secret, password, sig, signature; any case) become `REDACTED`. A URL ends up in
// error messages, in a snapshot's provenance (an input's `source`) and from there in the
// hash-chained audit store, where nothing can be scrubbed later: so it is redacted first.
#pragma once

#include <string>
#include <string_view>

namespace riskoff::support {

inline constexpr std::string_view kRedacted = "REDACTED";

// The URL with its userinfo and secret query values replaced; anything else unchanged.
std::string redact_url(std::string_view url);

// A message with every URL in it (`scheme://...` up to a space, quote or backtick) redacted, and
// every secret of `url` (its password and secret query values) replaced wherever it appears: a
// provider may echo the key it refused back in its answer.
std::string redact_message(std::string_view message, std::string_view url = {});

}  // namespace riskoff::support
