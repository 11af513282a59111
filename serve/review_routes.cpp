// What the audit-review page needs beyond the list and the records: the diff of two recorded
// decisions, the semantic diff of two published rulesets, and the page's own files.

#include "serve/reply.hpp"
#include "serve/routes.hpp"
#include "serve/web_assets.hpp"

namespace riskoff::serve {
namespace {

// What a browser may do with the page: run its own script and style, fetch from this server,
// nothing else (no inline script, no other origin, no framing, no plugins). Stored records are
// not trusted: the page writes them with textContent, and this policy is the second wall. Images
// may also be blob: URLs the page made itself: the replay chart, an SVG fetched with the read
// token and shown through <img>, where nothing in it runs.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// A recorded decision asked for by id: 404 when it is not in the store, 409 when tampered.
bool reply_record_error(Response& response, Service& service, const ServedRuleset& served, const Error& error) {
  const auto& first = error.messages.front();
  if (error.kind == ErrorKind::kStore && first.rfind("no decision", 0) == 0) {
    reply_error(response, service, served, 404, "not_found", error.messages);
  } else {
    reply_error(response, service, served, error);
  }
  return false;
}

// The difference as data (the page builds its tables from it): each field before and after,
// then the inputs and conditions that differ; a side an input or condition is missing from is
// null.
void write_changes(support::JsonWriter& writer, const RecordDiff& diff) {
  const std::pair<const char*, const FieldChange*> fields[] = {
      {"action", &diff.action}, {"as_of", &diff.as_of}, {"profile", &diff.profile}, {"ruleset", &diff.ruleset},
      {"overrides", &diff.overrides}};
  auto side = [&writer](const char* name, const std::string& value, bool present) {
    if (present) writer.field(name, value);
    else writer.key(name).null();
  };
  for (const auto& [name, field] : fields) {
    writer.key(name).begin_object().field("before", field->before).field("after", field->after);
    writer.field_bool("changed", field->changed()).end_object();
  }
  writer.field_integer("inputs_unchanged", static_cast<std::int64_t>(diff.inputs_unchanged)).key("inputs").begin_array();
  for (const auto& input : diff.inputs) {
    writer.begin_object().field("sign", change_mark(input.sign)).field("input", input.input);
    side("before", input.before, input.sign != ChangeSign::kAdded);
    side("after", input.after, input.sign != ChangeSign::kRemoved);
    writer.end_object();
  }
  writer.end_array().field_integer("conditions_unchanged", static_cast<std::int64_t>(diff.conditions_unchanged));
  writer.key("conditions").begin_array();
  for (const auto& condition : diff.conditions) {
    writer.begin_object().field("sign", change_mark(condition.sign)).field("kind", condition.kind).field("name", condition.name);
    side("before", condition.before, condition.sign != ChangeSign::kAdded);
    side("after", condition.after, condition.sign != ChangeSign::kRemoved);
    writer.end_object();
  }
  writer.end_array();
}

void decision_diff_endpoint(const Request& request, Response& response, Service& service) {
  const auto served = service.current();
  if (!needs_store(response, service, *served)) return;
  std::int64_t ids[2] = {0, 0};
  for (int side = 0; side < 2; ++side) {
    try {
      ids[side] = std::stoll(request.matches[side + 1]);
    } catch (const std::exception&) {
      return reply_error(response, service, *served, 404, "not_found", {"no decision " + request.matches[side + 1]});
    }
  }
  const auto first = service.get(ids[0]);
  if (!first) return (void)reply_record_error(response, service, *served, first.error());
  const auto second = service.get(ids[1]);
  if (!second) return (void)reply_record_error(response, service, *served, second.error());
  const auto diff = service.diff(ids[0], ids[1]);
  if (!diff) return (void)reply_record_error(response, service, *served, diff.error());
  auto writer = begin_reply(*served);
  writer.key("diff").begin_object().key("first").begin_object();
  write_entry(writer, *first);
  writer.end_object().key("second").begin_object();
  write_entry(writer, *second);
  writer.end_object();
  write_changes(writer, *diff);
  writer.field("text", render(*diff)).end_object();
  finish(response, *served, writer);
}

void write_published(support::JsonWriter& writer, const PublishedRuleset& published) {
  writer.begin_object().field("name", published.name).field("version", published.version);
  writer.field("sha256", published.hash).field("published_at", published.published_at).end_object();
}

// GET /v1/rulesets/{name}/{version}/diff/{other}: from NAME@VERSION to OTHER, which is a
// version of the same name or NAME@VERSION.
void ruleset_diff_endpoint(const Request& request, Response& response, Service& service) {
  const auto served = service.current();
  if (service.options().registry.empty()) {
    return reply_error(response, service, *served, 404, "not_found",
                       {"this server serves a rule file, not a registry (start it with --registry DB)"});
  }
  const std::string name = request.matches[1];
  const std::string other = request.matches[3];
  const std::string references[2] = {name + "@" + request.matches[2],
                                     other.find('@') == std::string::npos ? name + "@" + other : other};
  PublishedRuleset published[2];
  std::optional<Ruleset> rulesets[2];
  for (int side = 0; side < 2; ++side) {
    const auto found = service.find(references[side]);
    if (!found) return reply_error(response, service, *served, found.error());
    if (!*found) {
      return reply_error(response, service, *served, 404, "not_found", {"`" + references[side] + "` is not published"});
    }
    published[side] = **found;
    auto loaded = service.load_published(published[side]);
    if (!loaded) return reply_error(response, service, *served, loaded.error());
    rulesets[side].emplace(std::move(*loaded));
  }
  const RulesetDiff diff = diff_rulesets(*rulesets[0], *rulesets[1]);
  auto writer = begin_reply(*served);
  writer.key("ruleset_diff").begin_object().key("old");
  write_published(writer, published[0]);
  writer.key("new");
  write_published(writer, published[1]);
  writer.key("changes").begin_array();
  for (const auto& change : diff.changes) {
    writer.begin_object().field("section", change.section).field("sign", std::string(1, change.sign));
    writer.field("text", change.text).field("bump", version_bump_name(change.bump)).end_object();
  }
  writer.end_array().field("implied", version_bump_name(diff.implied)).field("declared", version_bump_name(diff.declared));
  writer.field_bool("declared_too_small", diff.declared_too_small());
  writer.field("text", render(diff, ruleset_label("registry", published[0]), ruleset_label("registry", published[1])));
  writer.end_object();
  finish(response, *served, writer);
}

void asset_endpoint(const Request& request, Response& response, Service& service) {
  const auto asset = find_web_asset(request.path);
  if (!asset) {
    return reply_error(response, service, *service.current(), 404, "not_found", {"no page file `" + request.path + "`"});
  }
  response.set_header("Content-Security-Policy", kContentSecurityPolicy);
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("Cache-Control", "no-cache");
  response.set_content(std::string(asset->body), std::string(asset->content_type));
}

}  // namespace

void add_review_routes(Router& router, Service& service) {
  Service* s = &service;
  router.add("GET", R"(/v1/decisions/(\d+)/diff/(\d+))",
             guarded(service, Access::kRead, [s](const Request& q, Response& r) { decision_diff_endpoint(q, r, *s); }));
  router.add("GET", R"(/v1/rulesets/([^/]+)/([^/]+)/diff/([^/]+))",
             guarded(service, Access::kRead, [s](const Request& q, Response& r) { ruleset_diff_endpoint(q, r, *s); }));
  // The page's files hold no data: open even when reads need a token (the page asks for it).
  router.add("GET", R"(/|/assets/[^/]+)", guarded(service, Access::kOpen, [s](const Request& q, Response& r) { asset_endpoint(q, r, *s); }));
}

}  // namespace riskoff::serve
