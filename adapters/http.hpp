// HTTP(S) GET for sources with a URL (libcurl): timeouts, retries with exponential backoff on
// 429, 5xx and transport errors, a User-Agent (Yahoo answers 429 without one), and a local
// cache with a freshness limit so repeated builds do not hammer providers. Host failures are
// values: the caller turns them into source problems.
#pragma once

#include <string>

namespace riskoff::adapters {

struct HttpOptions {
  long timeout_seconds = 20;
  int attempts = 3;                 // 1 + retries
  double backoff_seconds = 1.0;     // doubled after each failed attempt
  std::string user_agent = "Mozilla/5.0 (compatible; riskoff/0.1; +https://example.invalid/riskoff)";
  std::string cache_dir;            // empty: no cache
  double cache_max_age_seconds = 6 * 3600;
};

struct HttpResult {
  bool ok = false;
  long status = 0;          // last HTTP status (0: no response)
  std::string body;
  std::string error;        // why it failed, for the user
  bool from_cache = false;
  int attempts = 0;
};

HttpResult http_get(const std::string& url, const HttpOptions& options);

}  // namespace riskoff::adapters
