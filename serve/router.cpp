#include "serve/router.hpp"

namespace riskoff::serve {

void Router::add(std::string method, const std::string& pattern, Endpoint endpoint) {
  Route route{std::move(method), {}, std::nullopt, std::move(endpoint)};
  // Most paths are literal: compared as strings, with no regex run on the hot path.
  if (pattern.find_first_of("()[]\\|*+?.^$") == std::string::npos) route.literal = pattern;
  else route.pattern.emplace(pattern);
  routes_.push_back(std::move(route));
}

bool Router::matches(const Route& route, const std::string& path, std::vector<std::string>* captures) {
  if (!route.pattern) {
    if (path != route.literal) return false;
    if (captures != nullptr) *captures = {path};
    return true;
  }
  std::smatch match;
  if (!std::regex_match(path, match, *route.pattern)) return false;
  if (captures != nullptr) {
    captures->clear();
    for (const auto& group : match) captures->push_back(group.str());
  }
  return true;
}

Router::Outcome Router::route(Request& request, Response& response) const {
  for (const auto& route : routes_) {
    if (route.method != request.method || !matches(route, request.path, &request.matches)) continue;
    route.endpoint(request, response);
    return Outcome::kAnswered;
  }
  // Only a request no route answers looks at the other methods' patterns.
  return allowed_methods(request.path).empty() ? Outcome::kNoPath : Outcome::kWrongMethod;
}

std::string Router::allowed_methods(const std::string& path) const {
  std::string methods;
  for (const auto& route : routes_) {
    if (!matches(route, path, nullptr) || methods.find(route.method) != std::string::npos) continue;
    methods += (methods.empty() ? "" : ", ") + route.method;
  }
  return methods;
}

}  // namespace riskoff::serve
