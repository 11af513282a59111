#include "serve/reply.hpp"

namespace riskoff::serve {

void write_ruleset(support::JsonWriter& writer, const ServedRuleset& served) {
  writer.begin_object()
      .field("name", served.ruleset.name())
      .field("version", served.ruleset.version())
      .field("sha256", served.ruleset.content_hash())
      .field_integer("generation", static_cast<std::int64_t>(served.generation))
      .field("source", served.source)
      .end_object();
}

support::JsonWriter begin_reply(const ServedRuleset& served) {
  support::JsonWriter writer(support::JsonLayout::kPretty);
  writer.begin_object().field("api", kApiVersion).key("ruleset");
  write_ruleset(writer, served);
  return writer;
}

void name_ruleset(Response& response, const ServedRuleset& served) {
  response.set_header("X-Riskoff-Ruleset", served.ruleset.name() + "@" + served.ruleset.version() + " sha256:" +
                                               served.ruleset.content_hash() +
                                               " generation:" + std::to_string(served.generation));
}

void finish(Response& response, const ServedRuleset& served, support::JsonWriter& writer, int status) {
  writer.end_object();
  response.status = status;
  name_ruleset(response, served);
  response.set_content(writer.take() + "\n", "application/json");
}

void reply_error(Response& response, Service& service, const ServedRuleset& served, int status,
                 const std::string& code, const std::vector<std::string>& messages) {
  service.metrics().count_error(code);
  auto writer = begin_reply(served);
  writer.key("error").begin_object().field_integer("status", status).field("code", code).key("messages").begin_array();
  for (const auto& message : messages) writer.string(message);
  writer.end_array().end_object();
  finish(response, served, writer, status);
}

void reply_error(Response& response, Service& service, const ServedRuleset& served, const Error& error) {
  int status = 400;
  switch (error.kind) {
    case ErrorKind::kUsage: status = 400; break;
    case ErrorKind::kSnapshot:
    case ErrorKind::kRuleset:
    case ErrorKind::kData: status = 422; break;
    case ErrorKind::kStore: status = 409; break;
    case ErrorKind::kIo: status = 503; break;
  }
  reply_error(response, service, served, status, error_kind_name(error.kind), error.messages);
}

}  // namespace riskoff::serve
