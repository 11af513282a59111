#include "adapters/http.hpp"

#include <curl/curl.h>
#include <dlfcn.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <type_traits>
#include <sstream>
#include <thread>

#include "engine/sha256.hpp"

namespace riskoff::adapters {
namespace {

namespace fs = std::filesystem;

std::size_t append(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

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
    void* handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      c.error = "libcurl is not available (install the libcurl4 package): " + std::string(dlerror());
      return c;
    }
    auto bind = [&](auto& target, const char* name) {
      target = reinterpret_cast<std::remove_reference_t<decltype(target)>>(dlsym(handle, name));
      if (target == nullptr && c.error.empty()) c.error = std::string("libcurl lacks ") + name;
    };
    bind(c.global_init, "curl_global_init");
    bind(c.easy_init, "curl_easy_init");
    bind(c.easy_setopt, "curl_easy_setopt");
    bind(c.easy_perform, "curl_easy_perform");
    bind(c.easy_getinfo, "curl_easy_getinfo");
    bind(c.easy_cleanup, "curl_easy_cleanup");
    bind(c.easy_strerror, "curl_easy_strerror");
    if (c.error.empty()) c.global_init(CURL_GLOBAL_DEFAULT);
    return c;
  }();
  return library;
}

fs::path cache_file(const HttpOptions& options, const std::string& url) {
  return fs::path(options.cache_dir) / (engine::sha256_hex(url) + ".body");
}

}  // namespace

HttpResult http_get(const std::string& url, const HttpOptions& options) {
  HttpResult result;
  if (!options.cache_dir.empty()) {
    std::error_code ec;
    const auto path = cache_file(options, url);
    const auto written = fs::last_write_time(path, ec);
    if (!ec) {
      const auto age = std::chrono::duration<double>(fs::file_time_type::clock::now() - written).count();
      if (age <= options.cache_max_age_seconds) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream buffer;
        buffer << in.rdbuf();
        result.ok = true;
        result.status = 200;
        result.body = buffer.str();
        result.from_cache = true;
        return result;
      }
    }
  }
  const Curl& curl_api = curl_library();
  if (!curl_api.error.empty()) {
    result.error = curl_api.error;
    return result;
  }
  double backoff = options.backoff_seconds;
  for (int attempt = 1; attempt <= options.attempts; ++attempt) {
    result.attempts = attempt;
    result.body.clear();
    CURL* curl = curl_api.easy_init();
    if (curl == nullptr) {
      result.error = "cannot initialise libcurl";
      return result;
    }
    char message[CURL_ERROR_SIZE] = {0};
    curl_api.easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_api.easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_api.easy_setopt(curl, CURLOPT_TIMEOUT, options.timeout_seconds);
    curl_api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, std::min(10L, options.timeout_seconds));
    curl_api.easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
    curl_api.easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
    curl_api.easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
    curl_api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode code = curl_api.easy_perform(curl);
    long status = 0;
    curl_api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_api.easy_cleanup(curl);
    result.status = status;
    const bool retryable = code != CURLE_OK || status == 429 || status >= 500;
    if (code == CURLE_OK && status >= 200 && status < 300) {
      result.ok = true;
      result.error.clear();
      break;
    }
    if (code != CURLE_OK) {
      result.error = std::string("request failed: ") + (message[0] != '\0' ? message : curl_api.easy_strerror(code));
    } else if (status == 429) {
      result.error = "HTTP 429 Too Many Requests: the provider is rate-limiting (Yahoo also answers 429 without a browser-like User-Agent)";
    } else if (status == 418) {
      result.error = "HTTP 418: the provider banned this address for a while (Binance does this after repeated 429s)";
    } else {
      result.error = "HTTP " + std::to_string(status);
    }
    if (!retryable || attempt == options.attempts) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(backoff));
    backoff *= 2;
  }
  if (result.ok && !options.cache_dir.empty()) {
    // Write beside, then rename: a reader never sees half a cached body.
    std::error_code ec;
    fs::create_directories(options.cache_dir, ec);
    const auto path = cache_file(options, url);
    const auto temp = path.string() + ".tmp";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << result.body;
    }
    fs::rename(temp, path, ec);
  }
  if (!result.ok && result.attempts > 1) result.error += " (after " + std::to_string(result.attempts) + " attempts)";
  return result;
}

}  // namespace riskoff::adapters
