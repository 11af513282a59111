// The endpoints of `riskoff serve` (docs/serve.md, docs/openapi.yaml), each a function of the
// request and the shared Service.
#pragma once

#include <cstdint>
#include <string>

#include "serve/http.hpp"
#include "serve/router.hpp"
#include "serve/service.hpp"
#include "support/json_writer.hpp"

namespace riskoff::serve {

// Who may call an endpoint: anyone (health probes, the page's static files), a reader (every
// other endpoint: the read token when --read-token-file is given, else anyone), or a writer
// (the write token; decide checks it itself, only when it records).
enum class Access : std::uint8_t { kOpen, kRead, kWrite };

// Checks the access, then runs the endpoint; an exception becomes a JSON 500.
Endpoint guarded(Service& service, Access access, Endpoint endpoint);
// Answers 401/403 and returns false unless the request carries the token `access` needs.
// `what` names the operation in the message ("record", "reload", "reading").
bool authorised(const Request& request, Response& response, Service& service,
                const ServedRuleset& served, const char* what, Access access);
// Answers 404 and returns false when the server has no audit store.
bool needs_store(Response& response, Service& service, const ServedRuleset& served);
// The fields of a decision's list entry (an object's members).
void write_entry(support::JsonWriter& writer, const DecisionEntry& entry);

// review_routes.cpp: the diffs (decisions, rulesets) and the audit-review page's files.
void add_review_routes(Router& router, Service& service);

// replay_routes.cpp: GET /v1/replay, the page's replay view.
void add_replay_routes(Router& router, Service& service);

// Registers every endpoint.
void add_routes(Router& router, Service& service);

// Answers a request through its endpoint, or with the JSON envelope of a 404, or of a 405 with
// `Allow` naming the methods the path has.
void answer(const Router& router, Service& service, Request& request, Response& response);
// The JSON envelope for a request the HTTP server would not read: 400 (malformed), 413 (body
// over --max-body), 431 (headers over their limit), 500.
void answer_refused(Service& service, int status, const Request& request, Response& response);

}  // namespace riskoff::serve
