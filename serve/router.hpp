// Which endpoint answers a request: a method and a path pattern per route, the pattern either a
// literal path or a regular expression whose captures the endpoint reads (Request::matches).
#pragma once

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "serve/http.hpp"

namespace riskoff::serve {

using Endpoint = std::function<void(const Request&, Response&)>;

class Router {
 public:
  enum class Outcome : std::uint8_t { kAnswered, kNoPath, kWrongMethod };

  void add(std::string method, const std::string& pattern, Endpoint endpoint);
  // Runs the endpoint of the first route whose method and pattern match, after filling
  // request.matches. Without one: kNoPath, or kWrongMethod when another method has that path.
  Outcome route(Request& request, Response& response) const;
  // The methods that have a route for `path` ("GET", "GET, POST"), or "".
  std::string allowed_methods(const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::string literal;                // the path itself, when the pattern has no regex syntax
    std::optional<std::regex> pattern;  // else the pattern
    Endpoint endpoint;
  };
  static bool matches(const Route& route, const std::string& path, std::vector<std::string>* captures);
  std::vector<Route> routes_;
};

}  // namespace riskoff::serve
