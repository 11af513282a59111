// How every response of `riskoff serve` is shaped (docs/serve.md): a JSON object that starts
// with the API version and the ruleset it was answered under, then the endpoint's fields; an
// error is the same envelope with {"error": {"status", "code", "messages"}}. Codes are the
// library's ErrorKind names ("usage", "snapshot", "ruleset", "store", "io", "data") and the
// HTTP ones ("request", "unauthorized", "forbidden", "not_found", "method_not_allowed",
// "too_large", "internal").
#pragma once

#include <string>
#include <vector>

#include "riskoff/result.hpp"
#include "serve/http.hpp"
#include "serve/service.hpp"
#include "support/json_writer.hpp"

namespace riskoff::serve {

inline constexpr const char* kApiVersion = "riskoff.serve/1";

// {"api": ..., "ruleset": {...}, — left open for the endpoint's fields; close with finish().
support::JsonWriter begin_reply(const ServedRuleset& served);
// Closes the envelope and sends it with `status`, naming the ruleset in a header too
// (X-Riskoff-Ruleset: NAME@VERSION sha256:HASH generation:N), so a client reading only headers
// (a load balancer, wrk) sees which version answered.
void finish(Response& response, const ServedRuleset& served, support::JsonWriter& writer, int status = 200);

// The X-Riskoff-Ruleset header alone, for responses that are not JSON (/metrics).
void name_ruleset(Response& response, const ServedRuleset& served);

// An error response; counts it in the metrics by code.
void reply_error(Response& response, Service& service, const ServedRuleset& served, int status,
                 const std::string& code, const std::vector<std::string>& messages);
// A library error, with the HTTP status its kind maps to (usage 400; snapshot, ruleset and data
// 422; store 409; io 503).
void reply_error(Response& response, Service& service, const ServedRuleset& served, const Error& error);

// The ruleset's identity as an object: name, version, sha256, generation, source.
void write_ruleset(support::JsonWriter& writer, const ServedRuleset& served);

}  // namespace riskoff::serve
