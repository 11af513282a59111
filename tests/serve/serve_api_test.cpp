// `riskoff serve` as a client sees it: the real binary on 127.0.0.1, every endpoint, every error
// status, and decisions equal to what `riskoff eval --format json` prints for the same input.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

using riskoff::test::decide_body;
using riskoff::test::get;
using riskoff::test::post_json;
using riskoff::test::Reply;
using riskoff::test::ServerProcess;

using riskoff::test::kRuleset;
using riskoff::test::kToken;

// The envelope every response has: the API version and the ruleset that answered.
void check_envelope(const Reply& reply) {
  INFO(reply.text);
  REQUIRE(reply.body.is_object());
  CHECK(reply.body.at("api") == "riskoff.serve/1");
  CHECK(reply.body.at("ruleset").at("name") == "riskoff");
  CHECK(reply.body.at("ruleset").at("version") == "0.2.0");
  CHECK(reply.body.at("ruleset").at("sha256").get<std::string>().size() == 64);
}

void check_enveloped_error(const Reply& reply, int status, const std::string& code, const std::string& message_part) {
  INFO(reply.text);
  CHECK(reply.status == status);
  check_envelope(reply);
  CHECK(reply.body.at("error").at("status") == status);
  CHECK(reply.body.at("error").at("code") == code);
  bool named = false;  // some message says what is wrong
  for (const auto& message : reply.body.at("error").at("messages")) {
    named = named || message.get<std::string>().find(message_part) != std::string::npos;
  }
  CHECK(named);
}

struct Fixture {
  riskoff::testing::ScratchFolder scratch;
  explicit Fixture(const std::string& name) : scratch("serve-" + name) {}
  std::string token_file() const { return scratch.write("token", kToken + "\n"); }
  std::string path(const std::string& name) const { return (scratch.root / name).string(); }
};

}  // namespace

namespace {

// formats ["summary"]: the compact answer says what the explanation says (its action, regime,
// advice, the headline as `riskoff eval` prints it, the clause that decided), and no explanation.
void check_summary(httplib::Client& client, const std::string& snapshot, const std::string& profile,
                   const nlohmann::json& explanation) {
  const Reply reply = post_json(client, "/v1/decide", decide_body(snapshot, profile, false, {"summary"}));
  REQUIRE(reply.status == 200);
  check_envelope(reply);
  CHECK_FALSE(reply.body.contains("decision"));
  const auto& summary = reply.body.at("summary");
  for (const char* field : {"action", "profile", "as_of", "depends_on_unknown"}) CHECK(summary.at(field) == explanation.at(field));
  // The explanation writes none as null, the summary as "".
  for (const char* field : {"regime", "advice"}) {
    CHECK(summary.at(field) == (explanation.at(field).is_null() ? nlohmann::json("") : explanation.at(field)));
  }
  const auto& clause = explanation.at("because");
  const std::string condition = clause.at("condition");
  CHECK(summary.at("because") == clause.at("action").get<std::string>() +
                                     (condition == "otherwise" ? " otherwise (no decision above it holds)" : " when " + condition));
  const auto text = riskoff::test::run_process(RISKOFF_BINARY, {"eval", "--ruleset", "rulesets/riskoff.rules", "--snapshot",
                                                               snapshot, "--profile", profile, "--format", "text"});
  CHECK(summary.at("headline") == text.stdout_text.substr(0, text.stdout_text.find('\n')));
  // Asked beside json and a rendering: all three.
  const Reply both = post_json(client, "/v1/decide", decide_body(snapshot, profile, false, {"summary", "json", "text"}));
  REQUIRE(both.status == 200);
  CHECK(both.body.at("decision") == explanation);
  CHECK(both.body.at("summary") == summary);
  CHECK(both.body.at("renderings").at("text").get<std::string>().rfind(summary.at("headline").get<std::string>() + "\n", 0) == 0);
}

// One server per snapshot, every profile on it (one ctest each keeps each under the time limit).
void check_against_eval(const std::string& date) {
  Fixture fixture("eval-" + date);
  ServerProcess server({"--ruleset", kRuleset}, fixture.path("log"));
  auto client = server.client();
  const std::string snapshot = "examples/snapshots/" + date + ".json";
  for (const char* profile : {"short_term", "swing", "long_term"}) {
    INFO(snapshot << " " << profile);
    const auto eval = riskoff::test::run_process(RISKOFF_BINARY, {"eval", "--ruleset", "rulesets/riskoff.rules", "--snapshot",
                                                                 snapshot, "--profile", profile, "--format", "json"});
    REQUIRE(eval.exit_code == 0);
    const Reply reply = post_json(client, "/v1/decide", decide_body(snapshot, profile));
    REQUIRE(reply.status == 200);
    check_envelope(reply);
    CHECK(reply.body.at("decision") == nlohmann::json::parse(eval.stdout_text));
    CHECK(reply.body.at("decision").at("ruleset").at("sha256") == reply.body.at("ruleset").at("sha256"));
    check_summary(client, snapshot, profile, nlohmann::json::parse(eval.stdout_text));
  }
  CHECK(server.stop(SIGTERM) == 0);
}

}  // namespace

TEST_CASE("serve: decide answers what riskoff eval --format json prints for 2019-11-15", "[serve]") {
  check_against_eval("2019-11-15");
}
TEST_CASE("serve: decide answers what riskoff eval --format json prints for 2020-03-16", "[serve]") {
  check_against_eval("2020-03-16");
}
TEST_CASE("serve: decide answers what riskoff eval --format json prints for 2026-02-04", "[serve]") {
  check_against_eval("2026-02-04");
}

TEST_CASE("serve: every endpoint answers, names its ruleset and is logged as one JSON line", "[serve]") {
  Fixture fixture("endpoints");
  ServerProcess server({"--ruleset", kRuleset, "--db", fixture.path("audit.sqlite"), "--token-file", fixture.token_file()},
                       fixture.path("log"));
  auto client = server.client();
  for (const char* path : {"/healthz", "/readyz"}) {
    const Reply reply = get(client, path);
    CHECK(reply.status == 200);
    check_envelope(reply);
    CHECK(reply.body.at("status") == "ok");
    CHECK(reply.headers.find("X-Riskoff-Ruleset") != reply.headers.end());
  }

  const Reply decided = post_json(client, "/v1/decide",
                                  decide_body("examples/snapshots/2026-02-04.json", "swing", false, {"text", "markdown"}));
  REQUIRE(decided.status == 200);
  CHECK(decided.body.at("renderings").at("text").get<std::string>().rfind("REDUCE", 0) == 0);
  CHECK(decided.body.at("renderings").contains("markdown"));
  CHECK_FALSE(decided.body.contains("recorded_id"));

  const Reply recorded = post_json(client, "/v1/decide", decide_body("examples/snapshots/2020-03-16.json", "swing", true), kToken);
  REQUIRE(recorded.status == 200);
  CHECK(recorded.body.at("recorded_id") == 1);
  REQUIRE(post_json(client, "/v1/decide", decide_body("examples/snapshots/2019-11-15.json", "long_term", true), kToken)
              .status == 200);

  const Reply all = get(client, "/v1/decisions");
  REQUIRE(all.status == 200);
  check_envelope(all);
  REQUIRE(all.body.at("decisions").size() == 2);
  CHECK(all.body.at("decisions").at(0).at("action") == recorded.body.at("decision").at("action"));
  CHECK(get(client, "/v1/decisions?profile=long_term").body.at("decisions").size() == 1);
  CHECK(get(client, "/v1/decisions?from=2020-01-01&to=2020-12-31").body.at("decisions").size() == 1);
  const std::string action = recorded.body.at("decision").at("action");
  CHECK(get(client, "/v1/decisions?action=" + action).body.at("decisions").size() >= 1);
  check_enveloped_error(get(client, "/v1/decisions?from=yesterday"), 400, "usage", "parameter `from`");

  const Reply one = get(client, "/v1/decisions/1");
  REQUIRE(one.status == 200);
  CHECK(one.body.at("decision").at("explanation") == recorded.body.at("decision"));
  CHECK(one.body.at("decision").at("trace").is_object());
  CHECK_FALSE(one.body.at("decision").at("tampered").get<bool>());
  check_enveloped_error(get(client, "/v1/decisions/9"), 404, "not_found", "no decision 9");

  const Reply verified = post_json(client, "/v1/audit/verify", "");
  REQUIRE(verified.status == 200);
  CHECK(verified.body.at("verify").at("ok") == true);
  CHECK(verified.body.at("verify").at("records") == 2);

  const Reply metrics = get(client, "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.headers.find("X-Riskoff-Ruleset")->second.rfind("riskoff@0.2.0 sha256:", 0) == 0);
  for (const char* line : {"riskoff_decisions_total{profile=\"swing\",action=\"reduce\"} 1",
                           "riskoff_audit_writes_total{outcome=\"ok\"} 2", "riskoff_decide_seconds_count 3",
                           "riskoff_errors_total{code=\"not_found\"} 1", "riskoff_ruleset_info{name=\"riskoff\""}) {
    INFO(metrics.text);
    CHECK(metrics.text.find(line) != std::string::npos);
  }
  CHECK(server.stop(SIGINT) == 0);
  // One JSON object per line; one "request" line per request above.
  std::istringstream lines(server.log());
  int requests = 0;
  for (std::string line; std::getline(lines, line);) {
    const auto event = nlohmann::json::parse(line, nullptr, false);
    INFO(line);
    REQUIRE(event.is_object());
    requests += event.at("event") == "request" ? 1 : 0;
  }
  CHECK(requests == 14);
}

TEST_CASE("serve: errors are JSON with the CLI's codes and the right HTTP status", "[serve]") {
  Fixture fixture("errors");
  ServerProcess server({"--ruleset", kRuleset, "--db", fixture.path("audit.sqlite"), "--token-file", fixture.token_file(),
                        "--max-body", "65536"},
                       fixture.path("log"));
  auto client = server.client();
  const std::string body = decide_body("examples/snapshots/2026-02-04.json", "swing");
  const std::string record = decide_body("examples/snapshots/2026-02-04.json", "swing", true);

  check_enveloped_error(post_json(client, "/v1/decide", "{\"snapshot\": {\"as_of\": 1,}}"), 400, "request",
              "parse error at line 1, column 26");
  check_enveloped_error(post_json(client, "/v1/decide", "{\"snapshot\": [], \"profile\": 3, \"colour\": true}"), 400, "request",
              "field `snapshot` must be an object");
  check_enveloped_error(post_json(client, "/v1/decide", "{\"snapshot\": {\"schema\": \"riskoff.snapshot/1\"}}"), 422, "snapshot", "");
  check_enveloped_error(post_json(client, "/v1/decide", decide_body("examples/snapshots/2026-02-04.json", "swig")), 400, "usage",
              "unknown profile `swig`");
  auto overridden = nlohmann::json::parse(body);
  overridden["overrides"] = {{"yield_jump", "20 parsecs"}};
  check_enveloped_error(post_json(client, "/v1/decide", overridden.dump()), 400, "usage", "override `yield_jump=20 parsecs`");

  check_enveloped_error(post_json(client, "/v1/decide", record), 401, "unauthorized", "Authorization: Bearer");
  check_enveloped_error(post_json(client, "/v1/decide", record, "not-the-token"), 403, "forbidden", "not this server's");
  check_enveloped_error(post_json(client, "/v1/reload", ""), 401, "unauthorized", "reload needs");
  check_enveloped_error(get(client, "/v1/nothing"), 404, "not_found", "no endpoint `/v1/nothing`");
  check_enveloped_error(get(client, "/v1/rulesets"), 404, "not_found", "not a registry");
  const Reply wrong_method = get(client, "/v1/decide");
  check_enveloped_error(wrong_method, 405, "method_not_allowed", "use POST");
  CHECK(wrong_method.headers.find("Allow")->second == "POST");
  check_enveloped_error(post_json(client, "/healthz", "{}"), 405, "method_not_allowed", "use GET");
  check_enveloped_error(post_json(client, "/v1/decide", std::string(70000, ' ')), 413, "too_large", "larger than 65536 bytes");
  CHECK(get(client, "/v1/decisions").body.at("decisions").empty());  // nothing refused was recorded
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: without a token file every write is refused and reads still answer", "[serve]") {
  Fixture fixture("no-token");
  ServerProcess server({"--ruleset", kRuleset, "--db", fixture.path("audit.sqlite")}, fixture.path("log"));
  auto client = server.client();
  const std::string record = decide_body("examples/snapshots/2026-02-04.json", "swing", true);
  check_enveloped_error(post_json(client, "/v1/decide", record, kToken), 403, "forbidden", "without --token-file");
  check_enveloped_error(post_json(client, "/v1/reload", "", kToken), 403, "forbidden", "without --token-file");
  CHECK(post_json(client, "/v1/decide", decide_body("examples/snapshots/2026-02-04.json", "swing")).status == 200);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: a registry is served by name and its rulesets are listed and shown", "[serve]") {
  Fixture fixture("registry");
  const std::string db = fixture.path("registry.sqlite");
  REQUIRE(riskoff::test::run_process(RISKOFF_BINARY, {"ruleset", "publish", "rulesets/riskoff.rules", "--db", db}).exit_code == 0);
  ServerProcess server({"--registry", db, "--use", "riskoff@0.2.0"}, fixture.path("log"));
  auto client = server.client();
  const Reply list = get(client, "/v1/rulesets");
  REQUIRE(list.status == 200);
  check_envelope(list);
  CHECK(list.body.at("ruleset").at("source") == db + ":riskoff@0.2.0");
  REQUIRE(list.body.at("rulesets").size() == 1);
  CHECK(list.body.at("rulesets").at(0).at("sha256") == list.body.at("ruleset").at("sha256"));
  const Reply shown = get(client, "/v1/rulesets/riskoff/0.2.0");
  REQUIRE(shown.status == 200);
  CHECK(shown.body.at("published").at("files").at(0).at("text").get<std::string>().find("ruleset riskoff") !=
        std::string::npos);
  check_enveloped_error(get(client, "/v1/rulesets/riskoff/9.9.9"), 404, "not_found", "`riskoff@9.9.9` is not published");
  check_enveloped_error(get(client, "/v1/rulesets/riskoff/x"), 400, "usage", "");
  check_enveloped_error(get(client, "/v1/decisions"), 404, "not_found", "no audit store");
  CHECK(post_json(client, "/v1/decide", decide_body("examples/snapshots/2020-03-16.json", "swing")).status == 200);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: a decide body with its snapshot first, however spelt, answers as with its snapshot last", "[serve]") {
  Fixture fixture("spelling");
  ServerProcess server({"--ruleset", kRuleset}, fixture.path("log"));
  auto client = server.client();
  std::ifstream in(std::string(RISKOFF_SOURCE_DIR) + "/examples/snapshots/2026-02-04.json");
  const auto parsed = nlohmann::json::parse(in);
  const std::string snapshot = parsed.dump();
  const std::string pretty = parsed.dump(2);
  // The reference: nlohmann orders the fields by name, so the snapshot comes last.
  const auto answer = [&](const std::string& body) { return post_json(client, "/v1/decide", body).text; };
  const std::string overridden =
      answer(R"({"formats": ["summary", "json"], "overrides": {"yield_jump": "20bp"}, "profile": "swing", "snapshot": )" + snapshot + "}");
  REQUIRE(overridden.find("\"summary\"") != std::string::npos);
  CHECK(answer("{\"snapshot\":" + snapshot + R"(,"profile":"swing","overrides":{"yield_jump":"20bp"},"formats":["summary","json"]})") ==
        overridden);
  CHECK(answer("\n { \"snapshot\" :\n" + pretty + " ,\n \"overrides\": {\"yield_jump\": \"20bp\"}, \"profile\": \"swing\",\n"
               " \"formats\": [\"summary\", \"json\"], \"record\": false }\n") == overridden);
  // Without other fields, with the snapshot given twice (the checked reader keeps the last), and
  // with a field a snapshot-first body may not have: each as the body's other spelling answers.
  CHECK(answer("{\"snapshot\": " + snapshot + "}") == answer("{\"record\": false, \"snapshot\": " + snapshot + "}"));
  CHECK(answer("{\"snapshot\": {}, \"profile\": \"swing\", \"snapshot\": " + snapshot + "}") ==
        answer("{\"profile\": \"swing\", \"snapshot\": " + snapshot + "}"));
  const Reply both = post_json(client, "/v1/decide", "{\"snapshot\": " + snapshot + ", \"sources\": \"local\"}");
  CHECK(both.status == 400);
  CHECK(both.text.find("give one of `snapshot` and `sources`, not both") != std::string::npos);
  // Malformed after the snapshot: the checked reader's message, as before.
  const Reply trailing = post_json(client, "/v1/decide", "{\"snapshot\": " + snapshot + ", \"profile\": \"swing\"} x");
  CHECK(trailing.status == 400);
  CHECK(trailing.text.find("parse error at line 1") != std::string::npos);
  CHECK(server.stop(SIGTERM) == 0);
}
