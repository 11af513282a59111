// "sources": decide builds the snapshot from a manifest the server was started with, named by
// the request (never a path), as `riskoff eval --sources` does.
#include <catch2/catch.hpp>

#include <cctype>

#include "tests/serve/error_reply.hpp"
#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

using riskoff::test::post_json;
using riskoff::test::Reply;

using riskoff::test::kToken;

using riskoff::test::check_error;

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

TEST_CASE("serve: decide with sources=NAME builds the snapshot from the server's manifest, as eval --sources", "[serve][sources]") {
  riskoff::testing::ScratchFolder scratch("serve-sources");
  riskoff::test::ServerProcess server({"--ruleset", "rulesets/riskoff.rules", "--sources", "local=examples/sources-local.json",
                                       "--db", (scratch.root / "audit.sqlite").string(), "--token-file",
                                       scratch.write("token", kToken)},
                                      (scratch.root / "log").string());
  auto client = server.client();
  const Reply reply = post_json(client, "/v1/decide",
                                R"({"sources": "local", "as_of": "2026-02-04T21:00:00Z", "profile": "swing", "record": true})", kToken);
  INFO(reply.text.substr(0, 2000));
  REQUIRE(reply.status == 200);
  const auto eval = riskoff::test::run_process(RISKOFF_BINARY, {"eval", "--ruleset", "rulesets/riskoff.rules", "--sources",
                                                               "examples/sources-local.json", "--as-of", "2026-02-04T21:00:00Z",
                                                               "--profile", "swing", "--format", "json"});
  REQUIRE(eval.exit_code == 0);
  CHECK(reply.body.at("decision") == nlohmann::json::parse(eval.stdout_text));
  CHECK(reply.body.at("recorded_id") == 1);

  check_error(post_json(client, "/v1/decide", R"({"sources": "examples/sources-local.json"})"), 400, "usage",
              "no sources manifest `examples/sources-local.json`; this server has `local`");
  check_error(post_json(client, "/v1/decide", R"({"sources": "local", "snapshot": {}})"), 400, "request",
              "give one of `snapshot` and `sources`, not both");
  check_error(post_json(client, "/v1/decide", R"({"sources": "local", "as_of": "soon"})"), 400, "request", "field `as_of`");
  check_error(post_json(client, "/v1/decide", R"({"sources": "local", "as_of": "1999-01-01"})"), 422, "data", "");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: GET /v1/replay replays a period from the server's manifest, as riskoff replay does, and is bounded",
          "[serve][sources][replay]") {
  riskoff::testing::ScratchFolder scratch("serve-replay");
  riskoff::test::ServerProcess server({"--ruleset", "rulesets/riskoff.rules", "--sources", "local=examples/sources-local.json",
                                       "--replay-max-steps", "120"},
                                      (scratch.root / "log").string());
  auto client = server.client();
  const Reply reply = riskoff::test::get(client, "/v1/replay?from=2020-02-01&to=2020-04-30&profile=swing");
  INFO(reply.text.substr(0, 2000));
  REQUIRE(reply.status == 200);
  const auto& replay = reply.body.at("replay");
  CHECK(replay.at("sources") == "local");
  CHECK(replay.at("max_steps") == 120);
  // The same report, text and chart as the command line: one implementation, reached through the library.
  const std::string json_file = (scratch.root / "replay.json").string();
  const std::string chart_file = (scratch.root / "replay.svg").string();
  const std::vector<std::string> command = {"replay", "--ruleset", "rulesets/riskoff.rules", "--sources", "examples/sources-local.json",
                                            "--from", "2020-02-01", "--to", "2020-04-30", "--profile", "swing", "--quiet"};
  auto with_json = command;
  with_json.insert(with_json.end(), {"--format", "json", "-o", json_file, "--chart", chart_file});
  REQUIRE(riskoff::test::run_process(RISKOFF_BINARY, with_json).exit_code == 0);
  CHECK(replay.at("report") == nlohmann::json::parse(riskoff::testing::read_file(json_file)));
  CHECK(replay.at("svg") == riskoff::testing::read_file(chart_file));
  const auto text = riskoff::test::run_process(RISKOFF_BINARY, command);
  REQUIRE(text.exit_code == 0);
  CHECK(replay.at("text").get<std::string>() == text.stdout_text);
  CHECK(replay.at("report").at("episodes").size() == 1);  // the crash of March 2020

  check_error(riskoff::test::get(client, "/v1/replay?from=2020-02-01"), 400, "usage", "parameter `to`: missing");
  check_error(riskoff::test::get(client, "/v1/replay?from=2020-02-01&to=2020-06-30"), 400, "usage",
              "the period has 151 days; this server replays at most 120 (--replay-max-steps)");
  check_error(riskoff::test::get(client, "/v1/replay?from=2020-02-01&to=2020-01-01"), 400, "usage", "`to` is before `from`");
  check_error(riskoff::test::get(client, "/v1/replay?from=2020-02-01&to=2020-03-01&sources=examples/sources-local.json"), 400,
              "usage", "no sources manifest `examples/sources-local.json`; this server has `local`");
  check_error(riskoff::test::get(client, "/v1/replay?from=2020-02-01&to=2020-03-01&profile=nobody"), 400, "usage", "nobody");
  check_error(riskoff::test::get(client, "/v1/replay?from=1990-02-01&to=1990-03-01"), 422, "data", "");
  CHECK(server.stop(SIGTERM) == 0);

  riskoff::test::ServerProcess bare({"--ruleset", "rulesets/riskoff.rules"}, (scratch.root / "bare.log").string());
  auto bare_client = bare.client();
  check_error(riskoff::test::get(bare_client, "/v1/replay?from=2020-02-01&to=2020-03-01"), 404, "not_found",
              "this server has none (start it with --sources NAME=FILE)");
  check_error(riskoff::test::get(bare_client, "/v1/replay/2020-03-16"), 404, "not_found",
              "this server has none (start it with --sources NAME=FILE)");
  CHECK(bare.stop(SIGTERM) == 0);
}

TEST_CASE("serve: GET /v1/replay/{date} opens a day of the replay: the step's decision, explained as eval --sources --as-of",
          "[serve][sources][replay]") {
  riskoff::testing::ScratchFolder scratch("serve-replay-day");
  riskoff::test::ServerProcess server({"--ruleset", "rulesets/riskoff.rules", "--sources", "local=examples/sources-local.json"},
                                      (scratch.root / "log").string());
  auto client = server.client();
  const Reply reply = riskoff::test::get(client, "/v1/replay?from=2020-02-24&to=2020-03-20&profile=swing");
  REQUIRE(reply.status == 200);
  // The days: the first change of action, and the last but one (each a replay
  // and a snapshot build on the server, so a few; the last step of a period decides when the
  // period ends, before its closes are all known, so it is not the day's decision).
  const auto& steps = reply.body.at("replay").at("report").at("steps");
  std::size_t change = 1;
  while (change < steps.size() && steps[change].at("action") == steps[change - 1].at("action")) ++change;
  REQUIRE(change < steps.size());
  for (const std::size_t idx : {change, steps.size() - 2}) {
    const std::string date = steps[idx].at("time").get<std::string>().substr(0, 10);
    const Reply day = riskoff::test::get(client, "/v1/replay/" + date + "?profile=swing");
    INFO(date << ": " << day.text.substr(0, 1000));
    REQUIRE(day.status == 200);
    const auto& opened = day.body.at("replay_day");
    CHECK(opened.at("date") == date);
    CHECK(opened.at("sources") == "local");
    CHECK(opened.at("decided_at") == steps[idx].at("decided_at"));
    CHECK(opened.at("step_action") == steps[idx].at("action"));
    CHECK(opened.at("decision").at("action") == steps[idx].at("action"));
    CHECK(opened.at("decision").at("as_of") == steps[idx].at("decided_at"));
    CHECK(opened.at("decided_under").at("version") == "0.2.0");
    const std::string action = steps[idx].at("action");
    CHECK(opened.at("text").get<std::string>().rfind(upper(action) + "  ·  profile swing", 0) == 0);
    if (idx != change) continue;
    // The day where the action changed, decided from scratch by the command line at that instant.
    const auto eval = riskoff::test::run_process(
        RISKOFF_BINARY, {"eval", "--ruleset", "rulesets/riskoff.rules", "--sources", "examples/sources-local.json", "--as-of",
                         steps[idx].at("decided_at").get<std::string>(), "--profile", "swing", "--format", "json"});
    CHECK(opened.at("decision") == nlohmann::json::parse(eval.stdout_text));
  }
  check_error(riskoff::test::get(client, "/v1/replay/yesterday"), 400, "usage", "parameter `date`: `yesterday`");
  check_error(riskoff::test::get(client, "/v1/replay/2020-03-14?profile=swing"), 422, "data",
              "no step of the replay on 2020-03-14 (not a trading day of the reference); the next is 2020-03-16");
  check_error(riskoff::test::get(client, "/v1/replay/2020-03-16?sources=elsewhere"), 400, "usage", "no sources manifest `elsewhere`");
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: a --sources that is not NAME=FILE, or a manifest that does not load, stops the start", "[serve][sources]") {
  const auto bad = riskoff::test::run_process(RISKOFF_BINARY, {"serve", "--ruleset", "rulesets/riskoff.rules", "--sources", "local"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.stderr_text.find("--sources `local` is not NAME=FILE") != std::string::npos);
  const auto missing =
      riskoff::test::run_process(RISKOFF_BINARY, {"serve", "--ruleset", "rulesets/riskoff.rules", "--sources", "x=no/such.json"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.stderr_text.find("no/such.json") != std::string::npos);
}
