// docs/openapi.json is a contract the real responses keep: each response of `riskoff serve` is
// checked against the schema the document gives for its path, method and status (required
// fields, types, enums, array items, $ref and allOf), and every documented path is visited.
#include <catch2/catch.hpp>

#include <set>

#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

using riskoff::test::Reply;
using nlohmann::json;

using riskoff::test::kToken;

const json& resolve(const json& schema, const json& document) {
  if (!schema.contains("$ref")) return schema;
  const std::string ref = schema.at("$ref");  // "#/components/schemas/NAME"
  return document.at(json::json_pointer(ref.substr(1)));
}

// Every way `value` breaks `schema`, as "where: what" lines.
void conform(const json& value, const json& schema_or_ref, const json& document, const std::string& where,
             std::vector<std::string>& problems) {
  const json& schema = resolve(schema_or_ref, document);
  for (const auto& part : schema.value("allOf", json::array())) conform(value, part, document, where, problems);
  if (value.is_null() && schema.value("nullable", false)) return;  // OpenAPI 3.0: null allowed besides the type
  const std::string type = schema.value("type", "");
  const bool type_ok = type.empty() || (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
                       (type == "string" && value.is_string()) || (type == "integer" && value.is_number_integer()) ||
                       (type == "boolean" && value.is_boolean());
  if (!type_ok) return problems.push_back(where + ": expected " + type + ", got " + value.dump().substr(0, 60));
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
    problems.push_back(where + ": " + value.dump() + " is not in the documented enum");
  }
  if (value.is_object()) {
    for (const auto& field : schema.value("required", json::array())) {
      if (!value.contains(field.get<std::string>())) problems.push_back(where + ": required field `" + field.get<std::string>() + "` missing");
    }
    const json properties = schema.value("properties", json::object());
    for (const auto& [key, member] : value.items()) {
      if (properties.contains(key)) conform(member, properties[key], document, where + "." + key, problems);
      else if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
        conform(member, schema["additionalProperties"], document, where + "." + key, problems);
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (std::size_t idx = 0; idx < value.size(); ++idx) {
      conform(value[idx], schema["items"], document, where + "[" + std::to_string(idx) + "]", problems);
    }
  }
}

struct Contract {
  json document = json::parse(riskoff::testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/docs/openapi.json"));
  std::set<std::string> visited;  // "METHOD PATH"

  void check(const std::string& method, const std::string& path_template, const Reply& reply) {
    INFO(method << " " << path_template << " -> " << reply.status << "\n" << reply.text.substr(0, 2000));
    const auto& operation = document.at("paths").at(path_template).at(method);
    const std::string status = std::to_string(reply.status);
    REQUIRE(operation.at("responses").contains(status));  // every status a client sees is documented
    visited.insert(method + " " + path_template);
    const auto& content = operation.at("responses").at(status).at("content");
    if (!content.contains("application/json")) return;
    std::vector<std::string> problems;
    conform(reply.body, content.at("application/json").at("schema"), document, "response", problems);
    for (const auto& problem : problems) FAIL_CHECK(problem);
  }
};

}  // namespace

TEST_CASE("serve: every response has the fields docs/openapi.json requires for its path and status", "[serve][openapi]") {
  riskoff::testing::ScratchFolder scratch("serve-openapi");
  // One store is both the registry and the audit store, so one server answers every path.
  const std::string db = (scratch.root / "audit.sqlite").string();
  REQUIRE(riskoff::test::run_process(RISKOFF_BINARY, {"ruleset", "publish", "rulesets/riskoff.rules", "--db", db}).exit_code == 0);
  riskoff::test::ServerProcess server({"--registry", db, "--db", db, "--token-file", scratch.write("token", kToken), "--sources",
                                       "local=examples/sources-local.json", "--replay-max-steps", "400"},
                                      (scratch.root / "log").string());
  auto client = server.client();
  Contract contract;
  using riskoff::test::get;
  using riskoff::test::post_json;
  const std::string snapshot = "examples/snapshots/2026-02-04.json";

  contract.check("post", "/v1/decide",
                 post_json(client, "/v1/decide", riskoff::test::decide_body(snapshot, "swing", true, {"text", "markdown"}), kToken));
  contract.check("post", "/v1/decide", post_json(client, "/v1/decide", riskoff::test::decide_body(snapshot, "swing")));
  contract.check("post", "/v1/decide", post_json(client, "/v1/decide", riskoff::test::decide_body(snapshot, "swing", false, {"summary"})));
  contract.check("post", "/v1/decide", post_json(client, "/v1/decide", "{\"snapshot\": 1"));
  contract.check("post", "/v1/decide", post_json(client, "/v1/decide", "{\"snapshot\": {}}"));
  contract.check("post", "/v1/decide", post_json(client, "/v1/decide", riskoff::test::decide_body(snapshot, "swing", true)));
  contract.check("post", "/v1/decide", post_json(client, "/v1/decide", riskoff::test::decide_body(snapshot, "swing", true), "wrong"));
  contract.check("post", "/v1/reload", post_json(client, "/v1/reload", "", kToken));
  contract.check("post", "/v1/reload", post_json(client, "/v1/reload", ""));
  contract.check("get", "/v1/rulesets", get(client, "/v1/rulesets"));
  contract.check("get", "/v1/rulesets/{name}/{version}", get(client, "/v1/rulesets/riskoff/0.2.0"));
  contract.check("get", "/v1/rulesets/{name}/{version}", get(client, "/v1/rulesets/riskoff/2.0.0"));
  contract.check("get", "/v1/decisions", get(client, "/v1/decisions?profile=swing"));
  contract.check("get", "/v1/decisions", get(client, "/v1/decisions?to=never"));
  contract.check("get", "/v1/decisions/{id}", get(client, "/v1/decisions/1"));
  contract.check("get", "/v1/decisions/{id}", get(client, "/v1/decisions/99"));
  contract.check("get", "/v1/decisions/{first}/diff/{second}", get(client, "/v1/decisions/1/diff/1"));
  contract.check("get", "/v1/decisions/{first}/diff/{second}", get(client, "/v1/decisions/1/diff/99"));
  contract.check("get", "/v1/rulesets/{name}/{version}/diff/{other}", get(client, "/v1/rulesets/riskoff/0.2.0/diff/0.2.0"));
  contract.check("get", "/v1/rulesets/{name}/{version}/diff/{other}", get(client, "/v1/rulesets/riskoff/0.2.0/diff/9.9.9"));
  contract.check("get", "/v1/rulesets/{name}/{version}/diff/{other}", get(client, "/v1/rulesets/riskoff/0.2.0/diff/x"));
  contract.check("get", "/v1/replay", get(client, "/v1/replay?from=2020-02-01&to=2020-04-30&profile=swing"));
  contract.check("get", "/v1/replay", get(client, "/v1/replay?from=2020-02-01&to=2026-04-30"));
  contract.check("get", "/v1/replay", get(client, "/v1/replay?from=2020-02-01&to=2020-04-30&ruleset=riskoff@9.9.9"));
  contract.check("get", "/v1/replay", get(client, "/v1/replay?from=1990-02-01&to=1990-04-30"));
  contract.check("get", "/v1/replay/{date}", get(client, "/v1/replay/2020-03-16?profile=swing"));
  contract.check("get", "/v1/replay/{date}", get(client, "/v1/replay/someday"));
  contract.check("get", "/v1/replay/{date}", get(client, "/v1/replay/2020-03-14"));
  contract.check("get", "/v1/replay/{date}", get(client, "/v1/replay/2020-03-16?ruleset=riskoff@9.9.9"));
  contract.check("get", "/", get(client, "/"));
  contract.check("get", "/assets/{file}", get(client, "/assets/app.js"));
  contract.check("get", "/assets/{file}", get(client, "/assets/nothing.js"));
  contract.check("post", "/v1/audit/verify", post_json(client, "/v1/audit/verify", ""));
  contract.check("get", "/healthz", get(client, "/healthz"));
  contract.check("get", "/readyz", get(client, "/readyz"));
  contract.check("get", "/metrics", get(client, "/metrics"));

  for (const auto& [path, methods] : contract.document.at("paths").items()) {
    for (const auto& [method, operation] : methods.items()) {
      INFO(method << " " << path << " is documented but not checked against a real response");
      CHECK(contract.visited.count(method + " " + path) == 1);
    }
  }
  CHECK(server.stop(SIGTERM) == 0);
}
