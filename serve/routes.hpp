// The endpoints of `riskoff serve` (docs/serve.md, docs/openapi.yaml), each a function of the
// request and the shared Service.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <string>

#include "serve/service.hpp"
#include "support/json_writer.hpp"

namespace riskoff::serve {

// Who may call an endpoint: anyone (health probes, the page's static files), a reader (every
// other endpoint: the read token when --read-token-file is given, else anyone), or a writer
// (the write token; decide checks it itself, only when it records).
enum class Access : std::uint8_t { kOpen, kRead, kWrite };

using Endpoint = std::function<void(const httplib::Request&, httplib::Response&)>;
// Checks the access, then runs the endpoint; an exception becomes a JSON 500.
httplib::Server::Handler guarded(Service& service, Access access, Endpoint endpoint);
// Answers 401/403 and returns false unless the request carries the token `access` needs.
// `what` names the operation in the message ("record", "reload", "reading").
bool authorised(const httplib::Request& request, httplib::Response& response, Service& service,
                const ServedRuleset& served, const char* what, Access access);
// Answers 404 and returns false when the server has no audit store.
bool needs_store(httplib::Response& response, Service& service, const ServedRuleset& served);
// The fields of a decision's list entry (an object's members).
void write_entry(support::JsonWriter& writer, const DecisionEntry& entry);

// review_routes.cpp: the diffs (decisions, rulesets) and the audit-review page's files.
void add_review_routes(httplib::Server& server, Service& service);

// replay_routes.cpp: GET /v1/replay, the page's replay view.
void add_replay_routes(httplib::Server& server, Service& service);

// Registers every endpoint, and the error handler that gives 404, 405 and 413 the JSON shape.
void add_routes(httplib::Server& server, Service& service);

// The methods a path answers ("GET", "POST"), or empty when no endpoint has that path.
std::string allowed_methods(const std::string& path);

}  // namespace riskoff::serve
