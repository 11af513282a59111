#include "adapters/http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <thread>

#include "adapters/http_cache.hpp"
#include "adapters/lazy_library.hpp"
#include "support/bounded_read.hpp"

namespace riskoff::adapters {
namespace {

using SteadyClock = std::chrono::steady_clock;

// NOTE(startup): libcurl and its TLS, Kerberos and LDAP dependencies cost ~4 ms of library
// constructors at process start, which every `riskoff` command would pay although few fetch
// anything. So libcurl is loaded on first use, and only its C entry points are resolved.
struct Curl {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  std::string error;
};

const Curl& curl_library() {
  static const Curl library = [] {
    Curl c;
    LazyLibrary curl("libcurl.so.4", "libcurl4");
    curl.bind(c.global_init, "curl_global_init");
    curl.bind(c.easy_init, "curl_easy_init");
    curl.bind(c.easy_setopt, "curl_easy_setopt");
    curl.bind(c.easy_perform, "curl_easy_perform");
    curl.bind(c.easy_getinfo, "curl_easy_getinfo");
    curl.bind(c.easy_cleanup, "curl_easy_cleanup");
    curl.bind(c.easy_strerror, "curl_easy_strerror");
    c.error = curl.error;
    if (c.error.empty()) c.global_init(CURL_GLOBAL_DEFAULT);
    return c;
  }();
  return library;
}

// The body as libcurl hands it over, after decompression: counting here is what bounds a gzip bomb.
struct BodySink {
  std::string* body = nullptr;
  std::uint64_t max_bytes = 0;
  bool overflowed = false;
};

std::size_t append(char* data, std::size_t size, std::size_t count, void* target) {
  auto* sink = static_cast<BodySink*>(target);
  const std::size_t bytes = size * count;
  if (sink->body->size() + bytes > sink->max_bytes) {
    sink->overflowed = true;
    return 0;  // libcurl stops the transfer with CURLE_WRITE_ERROR
  }
  sink->body->append(data, bytes);
  return bytes;
}

// An HTTP error answer's reason, as a short line of printable ASCII: control characters and
// anything binary never reach the terminal.
std::string printable_excerpt(const std::string& body) {
  std::string out;
  for (const char c : body) {
    if (out.size() >= 160) break;
    out += c >= 0x20 && c < 0x7f ? c : ' ';
  }
  const auto last = out.find_last_not_of(' ');
  out.erase(last == std::string::npos ? 0 : last + 1);
  return out;
}

std::string lower_prefix(const std::string& url, std::size_t n) {
  std::string out = url.substr(0, n);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string seconds_text(double seconds) {
  return std::to_string(static_cast<long long>(std::ceil(seconds))) + " s";
}

// What happened to one attempt, and whether another may help.
struct Outcome {
  std::string error;
  bool retry = false;
  double wait_seconds = 0;  // before the next attempt (Retry-After, or the backoff)
  bool unresolved = false;  // the name did not resolve
};

Outcome classify(CURLcode code, long status, const BodySink& sink, double retry_after, bool deadline_cut,
                 const HttpOptions& options, const Curl& curl_api, const char* message) {
  const std::string limit = "the limit of " + support::describe_bytes(options.max_body_bytes);
  switch (code) {
    case CURLE_OK: break;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      if (sink.overflowed || code == CURLE_FILESIZE_EXCEEDED) return {"the answer is larger than " + limit + " for HTTP bodies (counted after decompression)"};
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {"a redirect led to a URL scheme riskoff does not fetch (only https, and http where the manifest allows it)"};
    case CURLE_TOO_MANY_REDIRECTS:
      return {"more than " + std::to_string(options.max_redirects) + " redirects (a redirect loop?)"};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      // A name that does not resolve now will not a second later: fail fast.
      return {std::string("request failed: ") + (message[0] != '\0' ? message : curl_api.easy_strerror(code)), false, 0,
              true};
    case CURLE_OPERATION_TIMEDOUT:
      if (deadline_cut) return {"stopped at the overall deadline for fetching (" + seconds_text(options.deadline_seconds) + " for all sources)"};
      // A server that stays silent for the whole timeout is not retried: it costs the deadline.
      return {std::string("request failed: ") + (message[0] != '\0' ? message : curl_api.easy_strerror(code))};
    default: break;
  }
  if (code != CURLE_OK) {
    return {std::string("request failed: ") + (message[0] != '\0' ? message : curl_api.easy_strerror(code)), true};
  }
  Outcome outcome;
  if (status == 429) {
    outcome.error = "HTTP 429 Too Many Requests: the provider is rate-limiting (Yahoo also answers 429 without a browser-like User-Agent)";
  } else if (status == 418) {
    outcome.error = "HTTP 418: the provider banned this address for a while (Binance does this after repeated 429s)";
  } else {
    outcome.error = "HTTP " + std::to_string(status);
  }
  outcome.retry = status == 429 || status >= 500;
  if (outcome.retry && retry_after > 0) {
    if (retry_after > options.max_retry_after_seconds) {
      outcome.error += "; the provider asks to retry after " + seconds_text(retry_after) + " (Retry-After), longer than the " +
                       seconds_text(options.max_retry_after_seconds) + " riskoff waits";
      outcome.retry = false;
    } else {
      outcome.wait_seconds = retry_after;
    }
  }
  return outcome;
}

}  // namespace

std::optional<std::string> refused_scheme(const std::string& url, PlainHttp plain_http) {
  if (lower_prefix(url, 8) == "https://") return std::nullopt;
  if (lower_prefix(url, 7) == "http://") {
    if (plain_http == PlainHttp::kAllow) return std::nullopt;
    return "plain http is refused; use https, or allow http with \"http\": {\"allow_http\": true} in the manifest";
  }
  return "only https:// URLs are fetched (http:// where the manifest allows it)";
}

HttpResult http_get(const std::string& url, const HttpOptions& options) {
  HttpResult result;
  if (const auto refused = refused_scheme(url, options.plain_http)) {
    result.error = *refused;
    return result;
  }
  if (!options.cache_dir.empty()) {
    const auto folder = open_private_cache(options.cache_dir);
    if (!folder) {
      result.error = folder.error().messages.front();
      return result;
    }
    if (auto body = cached_body(*folder, url, options.cache_max_age_seconds, options.max_body_bytes)) {
      result.ok = true;
      result.status = 200;
      result.body = std::move(*body);
      result.from_cache = true;
      return result;
    }
  }
  const Curl& curl_api = curl_library();
  if (!curl_api.error.empty()) {
    result.error = curl_api.error;
    return result;
  }
  const char* protocols = options.plain_http == PlainHttp::kAllow ? "http,https" : "https";
  double backoff = options.backoff_seconds;
  for (int attempt = 1; attempt <= options.attempts; ++attempt) {
    long timeout_ms = options.timeout_seconds * 1000;
    bool deadline_cut = false;
    if (options.deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*options.deadline - SteadyClock::now()).count();
      if (left <= 0) {
        result.error = (attempt == 1 ? "not fetched: " : result.error + "; then ") +
                       std::string("the overall deadline for fetching (") + seconds_text(options.deadline_seconds) +
                       " for all sources) has passed";
        break;
      }
      if (left < timeout_ms) {
        timeout_ms = static_cast<long>(left);
        deadline_cut = true;
      }
    }
    result.attempts = attempt;
    result.body.clear();
    CURL* curl = curl_api.easy_init();
    if (curl == nullptr) {
      result.error = "cannot initialise libcurl";
      return result;
    }
    char message[CURL_ERROR_SIZE] = {0};
    BodySink sink{&result.body, options.max_body_bytes};
    // The allow-list holds for every redirect too: a server cannot send riskoff to file:// or
    // gopher://. A libcurl too old to take it (before 7.85) is not used at all.
    if (curl_api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, protocols) != CURLE_OK ||
        curl_api.easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, protocols) != CURLE_OK) {
      curl_api.easy_cleanup(curl);
      result.error = "this libcurl cannot restrict URL schemes (7.85 or later is needed); nothing is fetched";
      return result;
    }
    curl_api.easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_api.easy_setopt(curl, CURLOPT_MAXREDIRS, options.max_redirects);
    curl_api.easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min(options.connect_timeout_seconds * 1000, timeout_ms));
    curl_api.easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_api.easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options.low_speed_seconds);
    curl_api.easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl inflates
    curl_api.easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes));
    curl_api.easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
    curl_api.easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_api.easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
    curl_api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode code = curl_api.easy_perform(curl);
    long status = 0;
    curl_off_t retry_after = 0;
    curl_api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_api.easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after);
    curl_api.easy_cleanup(curl);
    result.status = status;
    if (code == CURLE_OK && status >= 200 && status < 300) {
      result.ok = true;
      result.error.clear();
      result.provider_message.clear();
      break;
    }
    const Outcome outcome =
        classify(code, status, sink, static_cast<double>(retry_after), deadline_cut, options, curl_api, message);
    result.error = outcome.error;
    result.unresolved = outcome.unresolved;
    result.provider_message = code == CURLE_OK && status >= 400 ? printable_excerpt(result.body) : "";
    result.body.clear();
    if (!outcome.retry || attempt == options.attempts) break;
    const double wait = outcome.wait_seconds > 0 ? outcome.wait_seconds : backoff;
    if (options.deadline && SteadyClock::now() + std::chrono::duration<double>(wait) >= *options.deadline) {
      result.error += "; no retry: the overall deadline for fetching (" + seconds_text(options.deadline_seconds) +
                      " for all sources) would pass first";
      break;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    backoff *= 2;
  }
  if (result.ok && !options.cache_dir.empty()) store_body(options.cache_dir, url, result.body);
  if (!result.ok && result.attempts > 1) result.error += " (after " + std::to_string(result.attempts) + " attempts)";
  return result;
}

}  // namespace riskoff::adapters
