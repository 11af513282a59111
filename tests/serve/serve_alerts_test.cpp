// --alert-webhook: one POST per change of a profile's recorded action, retried when the receiver
// fails, none when the action stays; plain http only to loopback.
#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <thread>

#include "tests/serve/server_process.hpp"
#include "tests/serve/webhook_receiver.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

using riskoff::test::decide_body;
using riskoff::test::post_json;

using riskoff::test::kToken;

using Receiver = riskoff::test::WebhookReceiver;

}  // namespace

TEST_CASE("serve: --alert-webhook is POSTed once per change of a profile's action, retried on failure", "[serve][alerts]") {
  riskoff::testing::ScratchFolder scratch("serve-alerts");
  Receiver receiver(1);
  riskoff::test::ServerProcess server(
      {"--ruleset", "rulesets/riskoff.rules", "--db", (scratch.root / "audit.sqlite").string(), "--token-file",
       scratch.write("token", kToken), "--alert-webhook", "http://127.0.0.1:" + std::to_string(receiver.port) + "/hook"},
      (scratch.root / "log").string());
  auto client = server.client();
  // swing: wait (first: nothing to compare), hedge (a change), hedge (none), reduce (a change);
  // long_term's first decision is no change either.
  for (const auto& [date, profile] : {std::pair{"2019-11-15", "swing"}, {"2020-03-16", "swing"}, {"2020-03-16", "swing"},
                                      {"2026-02-04", "long_term"}, {"2026-02-04", "swing"}}) {
    REQUIRE(post_json(client, "/v1/decide", decide_body(std::string("examples/snapshots/") + date + ".json", profile, true), kToken)
                .status == 200);
  }
  // The drain delivers what is queued before the server exits.
  CHECK(server.stop(SIGTERM) == 0);
  INFO(server.log());
  REQUIRE(receiver.count() == 2);
  CHECK(receiver.requests == 3);  // the first was refused and retried
  const auto& [first_key, first] = receiver.accepted.at(0);
  CHECK(first_key == "riskoff-decision-2");
  CHECK(first.at("event") == "action_changed");
  CHECK(first.at("profile") == "swing");
  CHECK(first.at("from") == "wait");
  CHECK(first.at("to") == "hedge");
  CHECK(first.at("previous_id") == 1);
  CHECK(first.at("link") == "/?diff=1&with=2");
  CHECK(first.at("headline").get<std::string>().rfind("HEDGE  ·  profile swing", 0) == 0);
  CHECK(first.at("because").get<std::string>().rfind("hedge when ", 0) == 0);
  const auto& [second_key, second] = receiver.accepted.at(1);
  CHECK(second_key == "riskoff-decision-5");
  CHECK(second.at("from") == "hedge");
  CHECK(second.at("to") == "reduce");
  CHECK(second.at("previous_id") == 3);
  CHECK(server.log().find("\"event\":\"alert_sent\",\"profile\":\"swing\",\"from\":\"wait\",\"to\":\"hedge\",\"decision_id\":2,\"attempts\":2") !=
        std::string::npos);
}

TEST_CASE("serve: --alert-command gets each change's alert JSON on its stdin, and a failing command is retried", "[serve][alerts]") {
  riskoff::testing::ScratchFolder scratch("serve-alert-command");
  const std::string alerts = (scratch.root / "alert.json").string();
  const std::string tries = (scratch.root / "tries").string();
  // Fails its first try (exit 1), then keeps the alert: the command is the user's own shell line.
  const std::string command = "echo try >> '" + tries + "'; [ $(wc -l < '" + tries + "') -gt 1 ] && cat > '" + alerts + "'";
  riskoff::test::ServerProcess server({"--ruleset", "rulesets/riskoff.rules", "--db", (scratch.root / "audit.sqlite").string(),
                                       "--token-file", scratch.write("token", kToken), "--alert-command", command},
                                      (scratch.root / "log").string());
  auto client = server.client();
  for (const char* date : {"2019-11-15", "2020-03-16"}) {
    REQUIRE(post_json(client, "/v1/decide", decide_body(std::string("examples/snapshots/") + date + ".json", "swing", true), kToken)
                .status == 200);
  }
  CHECK(server.stop(SIGTERM) == 0);
  INFO(server.log());
  CHECK(riskoff::testing::read_file(tries) == "try\ntry\n");  // one change, tried twice
  const auto alert = nlohmann::json::parse(riskoff::testing::read_file(alerts));
  CHECK(alert.at("from") == "wait");
  CHECK(alert.at("to") == "hedge");
  CHECK(alert.at("decision_id") == 2);
  CHECK(alert.at("decision").at("action") == "hedge");  // the decision's explanation JSON
  CHECK(server.log().find("\"decision_id\":2,\"attempts\":2,\"target\":\"command\"") != std::string::npos);
}

TEST_CASE("serve: --alert-webhook takes https, or plain http to loopback only", "[serve][alerts]") {
  const auto refused = riskoff::test::run_process(
      RISKOFF_BINARY, {"serve", "--ruleset", "rulesets/riskoff.rules", "--alert-webhook", "http://example.com/hook"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.stderr_text.find("plain http only to a loopback address; use https://") != std::string::npos);
  const auto garbled =
      riskoff::test::run_process(RISKOFF_BINARY, {"serve", "--ruleset", "rulesets/riskoff.rules", "--alert-webhook", "hook"});
  CHECK(garbled.exit_code == 2);
  CHECK(garbled.stderr_text.find("is not an http(s)://HOST[:PORT]/PATH URL") != std::string::npos);
}
