// --watch-rules: an edit of the served rule file is picked up without a request; a bad edit keeps
// the served version and says why in /readyz and the log; the next good edit is served.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <regex>
#include <thread>

#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

using riskoff::test::get;
using riskoff::test::Reply;

std::string with_version(const std::string& version) {
  const std::string text = riskoff::testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules");
  return std::regex_replace(text, std::regex(R"(ruleset riskoff version "[^"]*")"), "ruleset riskoff version \"" + version + "\"");
}

// As editors save: the whole new text in a temporary file, renamed over the old one.
void save(const riskoff::testing::ScratchFolder& scratch, const std::string& text) {
  std::filesystem::rename(scratch.write("riskoff.rules.tmp", text), scratch.root / "riskoff.rules");
}

// Polls /readyz until `done` holds (or 30 s pass: a sanitizer build on a busy machine).
Reply ready_when(httplib::Client& client, const std::function<bool(const Reply&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Reply reply;
  while (std::chrono::steady_clock::now() < deadline) {
    reply = get(client, "/readyz");
    if (done(reply)) return reply;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("the condition never held; last /readyz: " << reply.text);
  return reply;
}

}  // namespace

TEST_CASE("serve: --watch-rules reloads an edited rule file and keeps the old version on a bad edit", "[serve][watch]") {
  riskoff::testing::ScratchFolder scratch("serve-watch");
  const auto rules = scratch.root / "riskoff.rules";
  scratch.write("riskoff.rules", with_version("0.1.0"));
  riskoff::test::ServerProcess server({"--ruleset", rules.string(), "--watch-rules", "--watch-interval", "50"},
                                      (scratch.root / "log").string());
  auto client = server.client();
  CHECK(get(client, "/readyz").body.at("ruleset").at("generation") == 1);

  save(scratch, with_version("0.1.1"));
  Reply reply = ready_when(client, [](const Reply& r) { return r.body.at("ruleset").at("version") == "0.1.1"; });
  CHECK(reply.body.at("ruleset").at("generation") == 2);
  CHECK_FALSE(reply.body.contains("reload"));

  // A bad edit: the served version stays, /readyz says why (still ready: it answers).
  save(scratch, with_version("0.1.2") + "\nsignal broken \"Broken\" = no_such_input > 1\n");
  reply = ready_when(client, [](const Reply& r) { return r.body.contains("reload"); });
  CHECK(reply.status == 200);
  CHECK(reply.body.at("ruleset").at("version") == "0.1.1");
  CHECK(reply.body.at("reload").at("ok") == false);
  CHECK(reply.body.at("reload").at("messages").dump().find("no_such_input") != std::string::npos);
  CHECK(riskoff::test::post_json(client, "/v1/decide", riskoff::test::decide_body("examples/snapshots/2026-02-04.json", "swing"))
            .body.at("decision").at("ruleset").at("version") == "0.1.1");

  // Touching the file without changing it is no change; the next good edit is served.
  std::filesystem::last_write_time(rules, std::filesystem::file_time_type::clock::now());
  save(scratch, with_version("0.1.3"));
  reply = ready_when(client, [](const Reply& r) { return r.body.at("ruleset").at("version") == "0.1.3"; });
  CHECK(reply.body.at("ruleset").at("generation") == 3);  // the bad edit made no generation
  CHECK_FALSE(reply.body.contains("reload"));

  CHECK(server.stop(SIGTERM) == 0);
  const std::string log = server.log();
  CHECK(log.find("\"event\":\"reloaded\",\"trigger\":\"watch\"") != std::string::npos);
  CHECK(log.find("\"event\":\"reload_failed\",\"trigger\":\"watch\",\"code\":\"ruleset\"") != std::string::npos);
}

TEST_CASE("serve: --watch-rules watches every file the ruleset loaded, an import above the rule file's folder too",
          "[serve][watch]") {
  riskoff::testing::ScratchFolder scratch("serve-watch-imports");
  const std::string golden = std::string(RISKOFF_SOURCE_DIR) + "/tests/golden/check_passes/";
  // rules/main.rules imports ../shared/macro.rules: the closure's common folder is above the rule file's.
  std::string main_text = riskoff::testing::read_file(golden + "passes.rules");
  main_text = std::regex_replace(main_text, std::regex(R"(import "macro\.rules")"), R"(import "../shared/macro.rules")");
  const std::string macro_text = riskoff::testing::read_file(golden + "macro.rules");
  std::filesystem::create_directories(scratch.root / "rules");
  std::filesystem::create_directories(scratch.root / "shared");
  const std::string rules = scratch.write("rules/main.rules", main_text);
  scratch.write("shared/macro.rules", macro_text);
  riskoff::test::ServerProcess server({"--ruleset", rules, "--watch-rules", "--watch-interval", "50"}, (scratch.root / "log").string());
  auto client = server.client();
  const Reply first = get(client, "/readyz");
  REQUIRE(first.status == 200);
  CHECK(first.body.at("ruleset").at("generation") == 1);

  // An edit of the import alone (a new threshold) changes the served closure: reloaded.
  std::filesystem::rename(scratch.write("shared/macro.rules.tmp", std::regex_replace(macro_text, std::regex("15bp"), "20bp")),
                          scratch.root / "shared" / "macro.rules");
  const Reply reply = ready_when(client, [](const Reply& r) { return r.body.at("ruleset").at("generation") == 2; });
  CHECK(reply.body.at("ruleset").at("sha256") != first.body.at("ruleset").at("sha256"));
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: --watch-rules needs --ruleset", "[serve][watch]") {
  riskoff::testing::ScratchFolder scratch("serve-watch-registry");
  const auto started = riskoff::test::run_process(RISKOFF_BINARY, {"serve", "--registry", (scratch.root / "r.sqlite").string(),
                                                                   "--watch-rules"});
  CHECK(started.exit_code == 2);
  CHECK(started.stderr_text.find("--watch-rules requires --ruleset") != std::string::npos);
}
