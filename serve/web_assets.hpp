// The audit-review page's files (serve/web/), compiled into riskoff-serve so the page works
// offline and nothing is fetched from elsewhere. The bodies are generated at configure time from
// serve/web/ (serve/web_assets.cpp.in).
#pragma once

#include <optional>
#include <string_view>

namespace riskoff::serve {

struct WebAsset {
  std::string_view path;          // as requested: "/", "/assets/app.js"
  std::string_view content_type;  // with its charset
  std::string_view body;
};

// The asset served at `path`, or nullopt.
std::optional<WebAsset> find_web_asset(std::string_view path);

}  // namespace riskoff::serve
