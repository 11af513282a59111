#include "serve/routes.hpp"

#include <cctype>
#include <chrono>

#include "serve/decide_request.hpp"
#include "serve/reply.hpp"

namespace riskoff::serve {

// 401 without a bearer token, 403 with a wrong one or when the server has no token (writes
// disabled). Returns true when the request may go on.
bool authorised(const Request& request, Response& response, Service& service, const ServedRuleset& served,
                const char* what, Access access) {
  const std::string header = request.get_header_value("Authorization");
  const char* flag = access == Access::kWrite ? "--token-file" : "--read-token-file";
  switch (access == Access::kWrite ? service.authorise(header) : service.authorise_read(header)) {
    case Authorisation::kGranted: return true;
    case Authorisation::kMissing:
      response.set_header("WWW-Authenticate", "Bearer");
      reply_error(response, service, served, 401, "unauthorized",
                  {std::string(what) + " needs `Authorization: Bearer TOKEN` (the token of " + flag + ")"});
      return false;
    case Authorisation::kWrong:
      reply_error(response, service, served, 403, "forbidden", {std::string(what) + ": the bearer token is not this server's"});
      return false;
    case Authorisation::kWritesDisabled:
      reply_error(response, service, served, 403, "forbidden",
                  {std::string(what) + " is disabled: the server was started without --token-file"});
      return false;
  }
  return false;
}

bool needs_store(Response& response, Service& service, const ServedRuleset& served) {
  if (service.has_store()) return true;
  reply_error(response, service, served, 404, "not_found", {"this server has no audit store (start it with --db FILE)"});
  return false;
}

void write_entry(support::JsonWriter& writer, const DecisionEntry& entry) {
  writer.field_integer("id", entry.id)
      .field("recorded_at", entry.recorded_at)
      .field("as_of", entry.as_of)
      .field("profile", entry.profile)
      .field("action", entry.action)
      .key("decided_under")
      .begin_object()
      .field("name", entry.ruleset_name)
      .field("version", entry.ruleset_version)
      .field("sha256", entry.ruleset_hash)
      .end_object()
      .field("snapshot_sha256", entry.snapshot_hash)
      .key("overrides")
      .begin_array();
  for (const auto& assignment : entry.overrides) writer.string(assignment);
  writer.end_array().field("engine_version", entry.engine_version).field("record_hash", entry.record_hash);
  writer.field_bool("tampered", entry.tampered);
  if (entry.tampered) writer.field("problem", entry.problem);
}

namespace {

void decide_endpoint(const Request& request, Response& response, Service& service) {
  // The version this request decides on, whatever reloads happen meanwhile.
  const auto served = service.current();
  auto parsed = parse_decide_request(request.body);
  if (!parsed) return reply_error(response, service, *served, 400, "request", parsed.error().messages);
  if (parsed->record) {
    if (!authorised(request, response, service, *served, "record", Access::kWrite)) return;
    if (!needs_store(response, service, *served)) return;
  }
  std::optional<Snapshot> snapshot;
  if (!parsed->sources.empty()) {
    // A manifest the server was started with, by name: a request never names a file.
    const Sources* manifest = service.sources(parsed->sources);
    if (manifest == nullptr) {
      return reply_error(response, service, *served, 400, "usage",
                         {"no sources manifest `" + parsed->sources + "`; this server has " + service.source_names()});
    }
    auto built = build_snapshot(*manifest, {.as_of = parsed->as_of, .ruleset = served->ruleset});
    if (!built) return reply_error(response, service, *served, built.error());
    snapshot.emplace(std::move(built->snapshot));
  } else {
    auto read = Snapshot::from_json(parsed->snapshot_json, "snapshot");
    if (!read.ok()) {
      // Malformed JSON inside the snapshot is the body's fault (400), named as the checked reader names it.
      if (auto checked = check_decide_request(request.body); !checked) {
        return reply_error(response, service, *served, 400, "request", checked.error().messages);
      }
      return reply_error(response, service, *served, Error(ErrorKind::kSnapshot, read.errors));
    }
    snapshot.emplace(std::move(*read.snapshot));
  }

  DecideOptions options{.profile = parsed->profile, .overrides = parsed->overrides, .renderings = parsed->formats};
  if (parsed->explanation) options.renderings.push_back(Format::kJson);
  // What AuditLog::record keeps, rendered once while deciding.
  if (parsed->record) options.renderings.insert(options.renderings.end(), {Format::kJson, Format::kMarkdown, Format::kText});
  const auto started = std::chrono::steady_clock::now();
  const auto decision = decide(served->ruleset, *snapshot, options);
  if (!decision) return reply_error(response, service, *served, decision.error());
  // NOTE(serve): formats ["summary"] builds no explanation at all: the summary is read off the
  // evaluation, and nothing below renders unless it was asked for.
  std::optional<DecisionSummary> summary;
  if (parsed->summary) summary = decision->summary();
  const std::string explanation = parsed->explanation ? decision->render(Format::kJson) : std::string();
  std::vector<std::string> renderings;
  for (const Format format : parsed->formats) renderings.push_back(decision->render(format));
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  service.metrics().count_decision(decision->profile(), decision->action(), elapsed.count());

  std::int64_t recorded_id = 0;
  if (parsed->record) {
    // The snapshot as it came in the body (AuditLog::record keeps the bytes a snapshot was read
    // from, as `riskoff eval --record` keeps the file's); printed canonically only when built
    // from a manifest. Printing it again was a sixth of a recorded request's CPU.
    const auto recorded = parsed->sources.empty() ? service.record(*decision, parsed->snapshot_json)
                                                  : service.record(*decision, snapshot->to_json(JsonLayout::kCompact));
    if (!recorded) return reply_error(response, service, *served, recorded.error());
    recorded_id = recorded->id;
  }
  auto writer = begin_reply(*served);
  if (parsed->explanation) writer.key("decision").raw(explanation);
  if (summary) {
    writer.key("summary").begin_object().field("action", summary->action).field("profile", summary->profile);
    writer.field("as_of", summary->as_of).field("regime", summary->regime).field("advice", summary->advice);
    writer.field_bool("depends_on_unknown", summary->depends_on_unknown).field("headline", summary->headline);
    writer.field("because", summary->because).end_object();
  }
  if (!renderings.empty()) {
    writer.key("renderings").begin_object();
    for (std::size_t idx = 0; idx < renderings.size(); ++idx) writer.field(parsed->format_names[idx], renderings[idx]);
    writer.end_object();
  }
  if (parsed->record) writer.field_integer("recorded_id", recorded_id);
  finish(response, *served, writer);
}

void reload_endpoint(const Request& request, Response& response, Service& service) {
  const auto previous = service.current();
  if (!authorised(request, response, service, *previous, "reload", Access::kWrite)) return;
  const auto reloaded = service.reload();
  if (!reloaded) return reply_error(response, service, *previous, reloaded.error());
  auto writer = begin_reply(**reloaded);
  writer.key("previous");
  write_ruleset(writer, *previous);
  finish(response, **reloaded, writer);
}

void decisions_endpoint(const Request& request, Response& response, Service& service) {
  const auto served = service.current();
  if (!needs_store(response, service, *served)) return;
  DecisionFilter filter;
  std::vector<std::string> errors;
  for (const char* bound : {"from", "to"}) {
    if (!request.has_param(bound)) continue;
    const std::string text = request.get_param_value(bound);
    // `to` as a date means the end of that day, as `audit list --to` and `eval --as-of` read it.
    const auto parsed = std::string_view(bound) == "from" ? parse_time(text) : parse_as_of(text);
    if (!parsed) errors.push_back("parameter `" + std::string(bound) + "`: `" + text +
                                  "` is not a UTC date or time such as 2026-02-04 or 2026-02-04T21:00:00Z");
    (std::string_view(bound) == "from" ? filter.from : filter.to) = parsed;
  }
  if (!errors.empty()) return reply_error(response, service, *served, Error(ErrorKind::kUsage, errors));
  filter.action = request.get_param_value("action");
  for (char& c : filter.action) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  filter.ruleset = request.get_param_value("ruleset");
  const std::string profile = request.get_param_value("profile");
  const auto entries = service.list(filter);
  if (!entries) return reply_error(response, service, *served, entries.error());
  auto writer = begin_reply(*served);
  writer.key("decisions").begin_array();
  for (const auto& entry : *entries) {
    if (!profile.empty() && entry.profile != profile) continue;
    writer.begin_object();
    write_entry(writer, entry);
    writer.end_object();
  }
  writer.end_array();
  finish(response, *served, writer);
}

void decision_endpoint(const Request& request, Response& response, Service& service) {
  const auto served = service.current();
  if (!needs_store(response, service, *served)) return;
  std::int64_t id = 0;
  try {
    id = std::stoll(request.matches[1]);
  } catch (const std::exception&) {
    return reply_error(response, service, *served, 404, "not_found", {"no decision " + request.matches[1]});
  }
  const auto record = service.get(id);
  if (!record) {
    // The store names a missing id "no decision N in FILE (ids 1..M)": that is a 404, not a conflict.
    const auto& first = record.error().messages.front();
    if (record.error().kind == ErrorKind::kStore && first.rfind("no decision", 0) == 0) {
      return reply_error(response, service, *served, 404, "not_found", record.error().messages);
    }
    return reply_error(response, service, *served, record.error());
  }
  auto writer = begin_reply(*served);
  writer.key("decision").begin_object();
  write_entry(writer, *record);
  writer.key("explanation").raw(record->explanation_json);
  writer.field("text", record->explanation_text).field("markdown", record->explanation_markdown);
  writer.key("trace").raw(record->trace);
  writer.end_object();
  finish(response, *served, writer);
}

void verify_endpoint(Response& response, Service& service) {
  const auto served = service.current();
  if (!needs_store(response, service, *served)) return;
  const auto report = service.verify();
  if (!report) return reply_error(response, service, *served, report.error());
  auto writer = begin_reply(*served);
  writer.key("verify").begin_object().field_bool("ok", report->ok()).field_integer("records", report->records);
  writer.field_integer("head_id", report->head_id).field("head_hash", report->head_hash);
  writer.field_integer("first_bad", report->first_bad).key("problems").begin_array();
  for (const auto& problem : report->problems) writer.string(problem);
  writer.end_array().end_object();
  // A chain that does not verify is a finding about the store, reported as data: 200.
  finish(response, *served, writer);
}

void rulesets_endpoint(const Request& request, Response& response, Service& service) {
  const auto served = service.current();
  if (service.options().registry.empty()) {
    return reply_error(response, service, *served, 404, "not_found",
                       {"this server serves a rule file, not a registry (start it with --registry DB)"});
  }
  if (request.matches.size() < 3) {
    const auto all = service.published();
    if (!all) return reply_error(response, service, *served, all.error());
    auto writer = begin_reply(*served);
    writer.key("rulesets").begin_array();
    for (const auto& entry : *all) {
      writer.begin_object().field("name", entry.name).field("version", entry.version).field("sha256", entry.hash);
      writer.field("published_at", entry.published_at).end_object();
    }
    writer.end_array();
    return finish(response, *served, writer);
  }
  const std::string reference = request.matches[1] + "@" + request.matches[2];
  const auto found = service.find(reference);
  if (!found) return reply_error(response, service, *served, found.error());
  if (!*found) return reply_error(response, service, *served, 404, "not_found", {"`" + reference + "` is not published"});
  const auto files = service.files(**found);
  if (!files) return reply_error(response, service, *served, files.error());
  auto writer = begin_reply(*served);
  writer.key("published").begin_object().field("name", (*found)->name).field("version", (*found)->version);
  writer.field("sha256", (*found)->hash).field("published_at", (*found)->published_at).key("files").begin_array();
  for (const auto& file : *files) writer.begin_object().field("path", file.path).field("text", file.text).end_object();
  writer.end_array().end_object();
  finish(response, *served, writer);
}

void status_endpoint(Response& response, Service& service, bool readiness) {
  const auto served = service.current();
  const bool ready = !readiness || !service.draining();
  auto writer = begin_reply(*served);
  writer.field("status", ready ? "ok" : "draining");
  // A reload that failed leaves the old version answering (still ready), and says why here.
  if (const auto problems = service.reload_problems(); !problems.empty()) {
    writer.key("reload").begin_object().field_bool("ok", false).key("messages").begin_array();
    for (const auto& message : problems) writer.string(message);
    writer.end_array().end_object();
  }
  finish(response, *served, writer, ready ? 200 : 503);
}

void metrics_endpoint(Response& response, Service& service) {
  const auto served = service.current();
  auto quote = [](const std::string& text) { return "\"" + text + "\""; };
  const std::string labels = "name=" + quote(served->ruleset.name()) + ",version=" + quote(served->ruleset.version()) +
                             ",sha256=" + quote(served->ruleset.content_hash()) +
                             ",generation=" + quote(std::to_string(served->generation));
  name_ruleset(response, *served);
  response.set_content(service.metrics().render(labels), "text/plain; version=0.0.4");
}

}  // namespace

Endpoint guarded(Service& service, Access access, Endpoint endpoint) {
  return [&service, access, endpoint = std::move(endpoint)](const Request& request, Response& response) {
    try {
      if (access == Access::kRead && !authorised(request, response, service, *service.current(), "reading", access)) return;
      endpoint(request, response);
    } catch (const std::exception& e) {
      // An exception (std::bad_alloc, a bug) becomes a JSON 500, not a dropped connection.
      reply_error(response, service, *service.current(), 500, "internal", {std::string("internal error: ") + e.what()});
    }
  };
}

void add_routes(Router& router, Service& service) {
  Service* s = &service;
  router.add("POST", "/v1/decide", guarded(service, Access::kRead, [s](const Request& q, Response& r) { decide_endpoint(q, r, *s); }));
  router.add("POST", "/v1/reload", guarded(service, Access::kWrite, [s](const Request& q, Response& r) { reload_endpoint(q, r, *s); }));
  router.add("GET", "/v1/rulesets", guarded(service, Access::kRead, [s](const Request& q, Response& r) { rulesets_endpoint(q, r, *s); }));
  router.add("GET", R"(/v1/rulesets/([^/]+)/([^/]+))",
             guarded(service, Access::kRead, [s](const Request& q, Response& r) { rulesets_endpoint(q, r, *s); }));
  router.add("GET", "/v1/decisions", guarded(service, Access::kRead, [s](const Request& q, Response& r) { decisions_endpoint(q, r, *s); }));
  router.add("GET", R"(/v1/decisions/(\d+))",
             guarded(service, Access::kRead, [s](const Request& q, Response& r) { decision_endpoint(q, r, *s); }));
  router.add("POST", "/v1/audit/verify", guarded(service, Access::kRead, [s](const Request&, Response& r) { verify_endpoint(r, *s); }));
  router.add("GET", "/healthz", guarded(service, Access::kOpen, [s](const Request&, Response& r) { status_endpoint(r, *s, false); }));
  router.add("GET", "/readyz", guarded(service, Access::kOpen, [s](const Request&, Response& r) { status_endpoint(r, *s, true); }));
  router.add("GET", "/metrics", guarded(service, Access::kRead, [s](const Request&, Response& r) { metrics_endpoint(r, *s); }));
  add_review_routes(router, service);
  add_replay_routes(router, service);
}

void answer(const Router& router, Service& service, Request& request, Response& response) {
  switch (router.route(request, response)) {
    case Router::Outcome::kAnswered: return;
    case Router::Outcome::kNoPath:
      return reply_error(response, service, *service.current(), 404, "not_found",
                         {"no endpoint `" + request.path + "` (see docs/serve.md)"});
    case Router::Outcome::kWrongMethod: {
      const std::string allowed = router.allowed_methods(request.path);
      response.set_header("Allow", allowed);
      return reply_error(response, service, *service.current(), 405, "method_not_allowed",
                         {"`" + request.method + " " + request.path + "` is not allowed; use " + allowed});
    }
  }
}

void answer_refused(Service& service, int status, const Request& request, Response& response) {
  const auto served = service.current();
  switch (status) {
    case 413:
      return reply_error(response, service, *served, 413, "too_large",
                         {"the request body is larger than " + std::to_string(service.options().max_body_bytes) + " bytes"});
    case 431:
      return reply_error(response, service, *served, 431, "too_large",
                         {"the request line and headers are larger than " + std::to_string(service.options().max_header_bytes) + " bytes"});
    case 500:
      return reply_error(response, service, *served, 500, "internal",
                         {"internal error answering `" + request.method + " " + request.path + "`"});
    default: return reply_error(response, service, *served, status, "request", {"the request could not be read"});
  }
}

}  // namespace riskoff::serve
