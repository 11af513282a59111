// The endpoints of `riskoff serve` (docs/serve.md, docs/openapi.yaml), each a function of the
// request and the shared Service.
#pragma once

#include <httplib.h>

#include <string>

#include "serve/service.hpp"

namespace riskoff::serve {

// Registers every endpoint, and the error handler that gives 404, 405 and 413 the JSON shape.
void add_routes(httplib::Server& server, Service& service);

// The methods a path answers ("GET", "POST"), or empty when no endpoint has that path.
std::string allowed_methods(const std::string& path);

}  // namespace riskoff::serve
