// `riskoff serve` over time: a reload while requests run (each answer names one consistent
// version, none fails) and SIGTERM while decisions are being recorded (every acknowledged record
// is in the store afterwards, and the chain verifies), and the request lines of the log: written
// while serving, and none lost on the drain.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

using riskoff::test::decide_body;
using riskoff::test::post_json;
using riskoff::test::Reply;
using riskoff::test::ServerProcess;

using riskoff::test::kRuleset;
using riskoff::test::kToken;

std::string with_version(std::string text, const std::string& version) {
  const std::string header = "ruleset riskoff version \"0.2.0\"";
  text.replace(text.find(header), header.size(), "ruleset riskoff version \"" + version + "\"");
  return text;
}

}  // namespace

TEST_CASE("serve: a reload while decisions run: every answer names one version and none fails", "[serve]") {
  riskoff::testing::ScratchFolder scratch("serve-reload");
  const std::string original = riskoff::testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules");
  const std::string rules = scratch.write("riskoff.rules", original);
  ServerProcess server({"--ruleset", rules, "--token-file", scratch.write("token", kToken), "--threads", "4"},
                       (scratch.root / "log").string());
  const std::string body = decide_body("examples/snapshots/2026-02-04.json", "swing");

  std::atomic<bool> reloaded{false};
  std::atomic<int> failures{0}, inconsistent{0}, after_reload_on_new{0}, after_reload{0};
  std::vector<std::thread> clients;
  for (int idx = 0; idx < 3; ++idx) {
    clients.emplace_back([&] {
      auto client = server.client();
      for (int request = 0; request < 12; ++request) {
        const bool reload_done = reloaded.load();
        const Reply reply = post_json(client, "/v1/decide", body);
        if (reply.status != 200) {
          ++failures;
          continue;
        }
        // The envelope and the explanation inside it were made from the same ruleset.
        if (reply.body.at("ruleset").at("sha256") != reply.body.at("decision").at("ruleset").at("sha256") ||
            reply.body.at("ruleset").at("version") != reply.body.at("decision").at("ruleset").at("version")) {
          ++inconsistent;
        }
        if (reload_done) {
          ++after_reload;
          after_reload_on_new += reply.body.at("ruleset").at("version") == "0.3.0" ? 1 : 0;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  scratch.write("riskoff.rules", with_version(original, "0.3.0"));
  auto client = server.client();
  const Reply reply = post_json(client, "/v1/reload", "", kToken);
  reloaded = true;
  for (auto& thread : clients) thread.join();
  INFO(reply.text);
  REQUIRE(reply.status == 200);
  CHECK(reply.body.at("ruleset").at("version") == "0.3.0");
  CHECK(reply.body.at("ruleset").at("generation") == 2);
  CHECK(reply.body.at("previous").at("version") == "0.2.0");
  CHECK(failures == 0);
  CHECK(inconsistent == 0);
  CHECK(after_reload_on_new == after_reload);  // nothing started after the swap ran on the old version

  // A reload of a file that no longer checks keeps the version being served.
  scratch.write("riskoff.rules", "ruleset riskoff version \"0.4.0\"\nsignal broken = nope >\n");
  const Reply refused = post_json(client, "/v1/reload", "", kToken);
  CHECK(refused.status == 422);
  CHECK(refused.body.at("error").at("code") == "ruleset");
  CHECK(refused.body.at("ruleset").at("version") == "0.3.0");
  CHECK(post_json(client, "/v1/decide", body).body.at("ruleset").at("version") == "0.3.0");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: SIGTERM while recording: every acknowledged record is in the store and it verifies", "[serve]") {
  riskoff::testing::ScratchFolder scratch("serve-drain");
  const std::string db = (scratch.root / "audit.sqlite").string();
  ServerProcess server({"--ruleset", std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules", "--db", db,
                        "--token-file", scratch.write("token", kToken), "--threads", "4"},
                       (scratch.root / "log").string());
  const std::string body = decide_body("examples/snapshots/2026-02-04.json", "swing", true);
  std::mutex acknowledged_mutex;
  std::set<std::int64_t> acknowledged;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int idx = 0; idx < 4; ++idx) {
    clients.emplace_back([&] {
      auto client = server.client();
      // Until the server goes away: a refused connection (status 0) ends this client.
      for (int request = 0; request < 200; ++request) {
        const Reply reply = post_json(client, "/v1/decide", body, kToken);
        if (reply.status == 0) return;
        if (reply.status == 200) {
          const std::lock_guard lock(acknowledged_mutex);
          acknowledged.insert(reply.body.at("recorded_id").get<std::int64_t>());
        }
        ++answered;
      }
    });
  }
  while (answered < 8) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(server.stop(SIGTERM) == 0);
  for (auto& thread : clients) thread.join();
  REQUIRE(acknowledged.size() >= 8);
  INFO(server.log());
  CHECK(server.log().find("\"event\":\"draining\",\"signal\":\"SIGTERM\"") != std::string::npos);
  // Request lines are written in batches: none is lost on the drain, and the last line is `stopped`.
  std::istringstream log_lines(server.log());
  int request_lines = 0;
  std::string last_event;
  for (std::string line; std::getline(log_lines, line);) {
    const auto event = nlohmann::json::parse(line, nullptr, false);
    INFO(line);
    REQUIRE(event.is_object());
    last_event = event.at("event").get<std::string>();
    request_lines += last_event == "request" ? 1 : 0;
  }
  CHECK(request_lines >= answered);
  CHECK(last_event == "stopped");

  const auto verify = riskoff::test::run_process(RISKOFF_BINARY, {"audit", "verify", "--db", db});
  INFO(verify.stdout_text << verify.stderr_text);
  CHECK(verify.exit_code == 0);
  const auto list = riskoff::test::run_process(RISKOFF_BINARY, {"audit", "list", "--db", db});
  REQUIRE(list.exit_code == 0);
  std::set<std::int64_t> stored;
  std::istringstream lines(list.stdout_text);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])) != 0) stored.insert(std::stoll(line));
  }
  for (const auto id : acknowledged) {
    INFO("acknowledged record " << id);
    CHECK(stored.count(id) == 1);
  }
}

TEST_CASE("serve: a request's log line is written while the server runs, not only when it stops", "[serve]") {
  riskoff::testing::ScratchFolder scratch("serve-log-lines");
  ServerProcess server({"--ruleset", kRuleset}, (scratch.root / "log").string());
  auto client = server.client();
  REQUIRE(riskoff::test::get(client, "/healthz").status == 200);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (server.log().find("\"event\":\"request\",\"method\":\"GET\",\"path\":\"/healthz\"") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  INFO(server.log());
  CHECK(server.log().find("\"event\":\"request\",\"method\":\"GET\",\"path\":\"/healthz\"") != std::string::npos);
  CHECK(server.stop(SIGTERM) == 0);
}
