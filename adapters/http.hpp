// HTTP(S) GET for sources with a URL (libcurl), under a policy a hostile server cannot bend:
// only https (http when the manifest allows it), for the request and every redirect; at most 5
// redirects; a body limit counted after decompression, so a gzip bomb stops at the limit;
// connect, low-speed and per-request timeouts inside one deadline shared by every source of a
// command; retries with exponential backoff on 429, 5xx and dropped connections, honouring
// Retry-After up to a bound; no retry of a name that does not resolve. A User-Agent is sent
// (Yahoo answers 429 without one) and answers are kept in a private cache with a freshness
// limit (adapters/http_cache). Host failures are values: the caller turns them into source
// problems. The limits and their defaults are listed in docs/security.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace riskoff::adapters {

// Plain http is refused unless the manifest says `"http": {"allow_http": true}`.
enum class PlainHttp : std::uint8_t { kRefuse, kAllow };

struct HttpOptions {
  long timeout_seconds = 20;          // one request, start to end
  long connect_timeout_seconds = 10;
  long low_speed_seconds = 10;        // a request under 1 byte/s for this long is abandoned
  int attempts = 3;                   // 1 + retries
  double backoff_seconds = 1.0;       // doubled after each failed attempt
  double max_retry_after_seconds = 60;  // a longer Retry-After fails the source instead of waiting
  long max_redirects = 5;
  std::uint64_t max_body_bytes = 64u << 20;  // after decompression; also the cache's limit
  PlainHttp plain_http = PlainHttp::kRefuse;
  std::string user_agent = "Mozilla/5.0 (compatible; riskoff/0.1; +https://example.invalid/riskoff)";
  std::string cache_dir;              // empty: no cache
  double cache_max_age_seconds = 6 * 3600;
  // Every source of one command shares it: no request starts, and none runs, past it.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  double deadline_seconds = 0;        // how long it was, for the message
};

struct HttpResult {
  bool ok = false;
  long status = 0;               // last HTTP status (0: no response)
  std::string body;              // only when ok: a refused answer's bytes are never shown whole
  std::string error;             // why it failed, for the user
  std::string provider_message;  // an HTTP error answer's first printable characters (FRED, Binance put their reason there)
  bool from_cache = false;
  int attempts = 0;
  bool unresolved = false;       // the host name did not resolve (offline, or a typo in the URL)
};

// Whether `url`'s scheme is one riskoff fetches under `plain_http`; the message says why not.
std::optional<std::string> refused_scheme(const std::string& url, PlainHttp plain_http);

HttpResult http_get(const std::string& url, const HttpOptions& options);

}  // namespace riskoff::adapters
