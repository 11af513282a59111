// What the audit-review page reads beyond the list and the records (the two diffs), the page's
// own files and their headers, and --read-token-file: the real binary on 127.0.0.1.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <regex>
#include <thread>

#include "tests/serve/error_reply.hpp"
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
const std::string kReadToken = "read-token-0123456789abcdef";

using riskoff::test::check_error;

Reply get_with(httplib::Client& client, const std::string& path, const std::string& token) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  const auto result = client.Get(path, headers);
  REQUIRE(result);
  return Reply{result->status, nlohmann::json::parse(result->body, nullptr, false), result->body, result->headers};
}

// rulesets/riskoff.rules as version 0.3.0 with one threshold moved: a minor change.
std::string next_version(const riskoff::testing::ScratchFolder& scratch) {
  std::string text = riskoff::testing::read_file(kRuleset);
  text = std::regex_replace(text, std::regex(R"(version "0\.2\.0")"), R"(version "0.3.0")");
  text = std::regex_replace(text, std::regex(R"(param semis_gap = -3%)"), "param semis_gap = -2%");
  return scratch.write("riskoff.rules", text);
}

}  // namespace

TEST_CASE("serve: the diff of two recorded decisions names what changed, as riskoff audit diff", "[serve][review]") {
  riskoff::testing::ScratchFolder scratch("serve-decision-diff");
  const std::string db = (scratch.root / "audit.sqlite").string();
  ServerProcess server({"--ruleset", kRuleset, "--db", db, "--token-file", scratch.write("token", kToken)},
                       (scratch.root / "log").string());
  auto client = server.client();
  for (const char* date : {"2019-11-15", "2020-03-16"}) {
    REQUIRE(post_json(client, "/v1/decide", decide_body(std::string("examples/snapshots/") + date + ".json", "swing", true), kToken)
                .status == 200);
  }
  const Reply diff = get(client, "/v1/decisions/1/diff/2");
  REQUIRE(diff.status == 200);
  CHECK(diff.body.at("diff").at("first").at("action") == "wait");
  CHECK(diff.body.at("diff").at("second").at("action") == "hedge");
  const auto audit = riskoff::test::run_process(RISKOFF_BINARY, {"audit", "diff", "1", "2", "--db", db});
  REQUIRE(audit.exit_code == 0);
  CHECK(diff.body.at("diff").at("text").get<std::string>() == audit.stdout_text);
  CHECK(diff.body.at("diff").at("text").get<std::string>().find("~ signal vix_spike: false -> true") != std::string::npos);
  // The same difference as data: what the page's tables are built from.
  const auto& data = diff.body.at("diff");
  CHECK(data.at("action") == nlohmann::json({{"before", "wait"}, {"after", "hedge"}, {"changed", true}}));
  CHECK(data.at("profile").at("changed") == false);
  const auto& conditions = data.at("conditions");
  const auto vix = std::find_if(conditions.begin(), conditions.end(), [](const auto& c) { return c.at("name") == "vix_spike"; });
  REQUIRE(vix != conditions.end());
  CHECK(*vix == nlohmann::json({{"sign", "~"}, {"kind", "signal"}, {"name", "vix_spike"}, {"before", "false"}, {"after", "true"}}));
  CHECK(data.at("conditions_unchanged").get<int>() > 0);
  CHECK_FALSE(data.at("inputs").empty());
  check_error(get(client, "/v1/decisions/1/diff/7"), 404, "not_found", "no decision 7");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: reads reuse one audit store connection per worker thread, and see every new record", "[serve][review]") {
  riskoff::testing::ScratchFolder scratch("serve-read-connections");
  const std::string db = (scratch.root / "audit.sqlite").string();
  ServerProcess server({"--ruleset", kRuleset, "--db", db, "--token-file", scratch.write("token", kToken), "--threads", "3"},
                       (scratch.root / "log").string());
  auto client = server.client();
  REQUIRE(post_json(client, "/v1/decide", decide_body("examples/snapshots/2019-11-15.json", "swing", true), kToken).status == 200);
  // 4 clients x 20 reads of every kind: 80 read requests on 3 workers.
  std::vector<std::thread> readers;
  std::atomic<int> failed{0};
  for (int reader = 0; reader < 4; ++reader) {
    readers.emplace_back([&] {
      auto own = server.client();
      for (int round = 0; round < 20; ++round) {
        for (const char* path : {"/v1/decisions", "/v1/decisions/1", "/v1/decisions/1/diff/1"}) {
          const auto result = own.Get(path);
          if (!result || result->status != 200) ++failed;
        }
      }
    });
  }
  for (auto& thread : readers) thread.join();
  CHECK(failed == 0);
  const std::string metrics = get(client, "/metrics").text;
  INFO(metrics);
  const std::smatch opened = [&] {
    std::smatch match;
    std::regex_search(metrics, match, std::regex(R"(\nriskoff_audit_read_connections_total (\d+)\n)"));
    return match;
  }();
  REQUIRE(opened.size() == 2);
  CHECK(std::stoi(opened[1].str()) >= 1);
  CHECK(std::stoi(opened[1].str()) <= 3);  // at most one per worker, not one per request
  // A connection kept open sees what the writer appended after it was opened.
  REQUIRE(post_json(client, "/v1/decide", decide_body("examples/snapshots/2020-03-16.json", "swing", true), kToken).status == 200);
  CHECK(get(client, "/v1/decisions").body.at("decisions").size() == 2);
  CHECK(get(client, "/v1/decisions/2").body.at("decision").at("action") == "hedge");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: the semantic diff of two published rulesets over HTTP, as riskoff ruleset diff", "[serve][review]") {
  riskoff::testing::ScratchFolder scratch("serve-ruleset-diff");
  const std::string db = (scratch.root / "registry.sqlite").string();
  REQUIRE(riskoff::test::run_process(RISKOFF_BINARY, {"ruleset", "publish", kRuleset, "--db", db}).exit_code == 0);
  REQUIRE(riskoff::test::run_process(RISKOFF_BINARY, {"ruleset", "publish", next_version(scratch), "--db", db}).exit_code == 0);
  ServerProcess server({"--registry", db, "--use", "riskoff@0.3.0"}, (scratch.root / "log").string());
  auto client = server.client();
  const Reply diff = get(client, "/v1/rulesets/riskoff/0.2.0/diff/0.3.0");
  INFO(diff.text);
  REQUIRE(diff.status == 200);
  const auto& body = diff.body.at("ruleset_diff");
  CHECK(body.at("old").at("version") == "0.2.0");
  CHECK(body.at("new").at("version") == "0.3.0");
  CHECK(body.at("implied") == "minor");
  CHECK(body.at("declared") == "major");  // 0.2.0 -> 0.3.0: before 1.0.0 the minor number breaks
  CHECK_FALSE(body.at("declared_too_small").get<bool>());
  REQUIRE(body.at("changes").size() == 1);
  CHECK(body.at("changes").at(0).at("section") == "parameters");
  CHECK(body.at("changes").at(0).at("text").get<std::string>().find("semis_gap") != std::string::npos);
  CHECK(get(client, "/v1/rulesets/riskoff/0.3.0/diff/riskoff@0.2.0").body.at("ruleset_diff").at("new").at("version") == "0.2.0");
  check_error(get(client, "/v1/rulesets/riskoff/0.2.0/diff/3.0.0"), 404, "not_found", "`riskoff@3.0.0` is not published");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: the page's files are served from the binary with a strict Content-Security-Policy", "[serve][review]") {
  riskoff::testing::ScratchFolder scratch("serve-page-files");
  ServerProcess server({"--ruleset", kRuleset}, (scratch.root / "log").string());
  auto client = server.client();
  for (const auto& [path, type] : {std::pair{"/", "text/html"}, {"/assets/app.js", "text/javascript"}, {"/assets/app.css", "text/css"}}) {
    const Reply reply = get(client, path);
    INFO(path);
    REQUIRE(reply.status == 200);
    CHECK(reply.headers.find("Content-Type")->second.rfind(type, 0) == 0);
    const std::string policy = reply.headers.find("Content-Security-Policy")->second;
    CHECK(policy.find("default-src 'none'") != std::string::npos);
    CHECK(policy.find("script-src 'self'") != std::string::npos);
    CHECK(reply.headers.find("X-Content-Type-Options")->second == "nosniff");
    // Nothing from another origin: the page works offline.
    CHECK(reply.text.find("http://") == std::string::npos);
    CHECK(reply.text.find("https://") == std::string::npos);
  }
  CHECK(get(client, "/").text.find("<script src=\"/assets/app.js\"") != std::string::npos);
  check_error(get(client, "/assets/nothing.js"), 404, "not_found", "no page file `/assets/nothing.js`");
  check_error(post_json(client, "/", "{}"), 405, "method_not_allowed", "use GET");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: with --read-token-file every read needs a token; probes and the page's files do not", "[serve][review]") {
  riskoff::testing::ScratchFolder scratch("serve-read-token");
  ServerProcess server({"--ruleset", kRuleset, "--db", (scratch.root / "audit.sqlite").string(), "--token-file",
                        scratch.write("token", kToken), "--read-token-file", scratch.write("read-token", kReadToken + "\n")},
                       (scratch.root / "log").string());
  auto client = server.client();
  for (const char* path : {"/v1/decisions", "/v1/decisions/1", "/metrics"}) {
    INFO(path);
    check_error(get(client, path), 401, "unauthorized", "reading needs `Authorization: Bearer TOKEN` (the token of --read-token-file)");
    check_error(get_with(client, path, "wrong-token-0123456789"), 403, "forbidden", "not this server's");
  }
  check_error(post_json(client, "/v1/audit/verify", ""), 401, "unauthorized", "--read-token-file");
  check_error(post_json(client, "/v1/decide", decide_body("examples/snapshots/2026-02-04.json", "swing")), 401, "unauthorized",
              "--read-token-file");
  CHECK(post_json(client, "/v1/decide", decide_body("examples/snapshots/2026-02-04.json", "swing"), kReadToken).status == 200);
  // The read token does not write; the write token also reads.
  check_error(post_json(client, "/v1/decide", decide_body("examples/snapshots/2026-02-04.json", "swing", true), kReadToken), 403,
              "forbidden", "record: the bearer token is not this server's");
  CHECK(post_json(client, "/v1/decide", decide_body("examples/snapshots/2026-02-04.json", "swing", true), kToken).status == 200);
  CHECK(get_with(client, "/v1/decisions", kReadToken).body.at("decisions").size() == 1);
  CHECK(get_with(client, "/v1/decisions/1", kToken).status == 200);
  for (const char* path : {"/healthz", "/readyz", "/", "/assets/app.js"}) {
    INFO(path);
    CHECK(get(client, path).status == 200);
  }
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: a read token file that does not hold a usable token stops the start", "[serve][review]") {
  riskoff::testing::ScratchFolder scratch("serve-read-token-short");
  const auto started = riskoff::test::run_process(
      RISKOFF_BINARY, {"serve", "--ruleset", kRuleset, "--read-token-file", scratch.write("read-token", "short\n")});
  CHECK(started.exit_code == 2);
  CHECK(started.stderr_text.find("shorter than 16 characters") != std::string::npos);
}
