// The HTTP request and response the endpoints see: plain data, no HTTP library type, so only
// http_server.cpp knows Boost.Beast (and its compile time stays in one file).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace riskoff::serve {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded, without the query
  std::string body;
  HeaderList headers;  // as received; names compare case-insensitively
  HeaderList params;   // the query string's NAME=VALUE pairs, decoded ('+' is a space)
  std::vector<std::string> matches;  // the route pattern's match: [0] the path, then each capture

  // The first header of that name, or "" (the value of a header not sent).
  std::string get_header_value(std::string_view name) const;
  bool has_param(std::string_view name) const;
  // The first value of that query parameter, or "".
  std::string get_param_value(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type;
  HeaderList headers;  // besides Content-Type, Content-Length and Connection, which the server writes

  void set_header(std::string name, std::string value);
  std::string get_header_value(std::string_view name) const;
  void set_content(std::string content, std::string type);
};

// Splits a request target ("/v1/decisions?from=2026-01-01&profile=swing") into `path` and
// `params`, percent-decoding both. Returns false when an escape is malformed (a 400).
bool parse_target(std::string_view target, Request& request);

}  // namespace riskoff::serve
