// The registry's commands and `riskoff serve` on PostgreSQL, as users run them (the shipped
// binary; serve on 127.0.0.1): `ruleset publish/list/show/diff --db postgresql://` print what
// they print on SQLite, and two serve replicas on one database record into one chain, serve the
// registry's ruleset and read each other's decisions back.
#include <sstream>

#include "pg_support.hpp"
#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

using riskoff::test::decide_body;
using riskoff::test::get;
using riskoff::test::post_json;
using riskoff::test::run_process;
using riskoff::test::ServerProcess;

namespace {

const std::string kToken = "pg-test-token-0123456789abcdef";

struct Run {
  int exit_code;
  std::string out;
};

Run riskoff_cli(const std::vector<std::string>& arguments) {
  const auto done = run_process(RISKOFF_BINARY, arguments);
  INFO("riskoff " << arguments.front() << ' ' << arguments.at(1) << ": " << done.stderr_text);
  return {done.exit_code, done.stdout_text + done.stderr_text};
}

// `ruleset list` without its last column (the time of publication, which differs between runs).
std::string without_times(const std::string& listing) {
  std::istringstream in(listing);
  std::string out;
  for (std::string line; std::getline(in, line);) out += line.substr(0, line.find_last_of(' ')) + "\n";
  return out;
}

// What the registry's commands print for the same publications into `db`: `listing` the
// publications, a repeated one, list and show; else the diff and an unknown version (two test
// cases, each well inside the time limit on a loaded machine).
std::vector<Run> registry_session(const std::string& db, bool listing) {
  std::vector<Run> runs;
  runs.push_back(riskoff_cli({"ruleset", "publish", "rulesets/riskoff.rules", "--db", db}));
  runs.push_back(riskoff_cli({"ruleset", "publish", "tests/golden/ruleset_diff/riskoff-0.3.0.rules", "--db", db}));
  if (listing) {
    runs.push_back(riskoff_cli({"ruleset", "publish", "rulesets/riskoff.rules", "--db", db}));  // again: already there
    Run listed = riskoff_cli({"ruleset", "list", "--db", db});
    listed.out = without_times(listed.out);
    runs.push_back(listed);
    runs.push_back(riskoff_cli({"ruleset", "show", "riskoff", "--db", db}));  // the highest version
  } else {
    runs.push_back(riskoff_cli({"ruleset", "diff", "riskoff@0.2.0", "riskoff@0.3.0", "--db", db}));
    runs.push_back(riskoff_cli({"ruleset", "show", "riskoff@9.9.9", "--db", db}));  // unknown: exit 1
  }
  // The store is named in messages: the same words around it.
  for (auto& run : runs) {
    for (auto at = run.out.find(db); at != std::string::npos; at = run.out.find(db, at)) run.out.replace(at, db.size(), "DB");
  }
  return runs;
}

void same_output(const std::vector<Run>& on_pg, const std::vector<Run>& on_sqlite) {
  REQUIRE(on_pg.size() == on_sqlite.size());
  for (std::size_t k = 0; k < on_pg.size(); ++k) {
    INFO("command " << k);
    CHECK(on_pg[k].exit_code == on_sqlite[k].exit_code);
    CHECK(on_pg[k].out == on_sqlite[k].out);
  }
}

}  // namespace

TEST_CASE("ruleset publish, list and show on PostgreSQL print what they print on SQLite", "[pg][registry]") {
  RISKOFF_PG_SERVER(server);
  riskoff::testing::ScratchFolder scratch("pg-registry");
  const auto on_pg = registry_session(server->create_database(), true);
  same_output(on_pg, registry_session((scratch.root / "registry.sqlite").string(), true));
  CHECK(on_pg[0].exit_code == 0);
  CHECK(on_pg[2].out.find("already published") != std::string::npos);
  CHECK(on_pg[3].out.find("0.3.0") != std::string::npos);
  CHECK(on_pg[4].out.find("ruleset riskoff version \"0.3.0\"") != std::string::npos);
}

TEST_CASE("ruleset diff of published versions on PostgreSQL prints what it prints on SQLite", "[pg][registry]") {
  RISKOFF_PG_SERVER(server);
  riskoff::testing::ScratchFolder scratch("pg-registry-diff");
  const auto on_pg = registry_session(server->create_database(), false);
  same_output(on_pg, registry_session((scratch.root / "registry.sqlite").string(), false));
  CHECK(on_pg[2].out.rfind("ruleset diff: riskoff 0.2.0 -> riskoff 0.3.0", 0) == 0);
  CHECK(on_pg[3].exit_code == 1);
}

TEST_CASE("two riskoff serve replicas on one PostgreSQL database share the registry and the chain", "[pg][serve]") {
  RISKOFF_PG_SERVER(server);
  riskoff::testing::ScratchFolder scratch("pg-serve");
  const std::string db = server->create_database();
  REQUIRE(riskoff_cli({"ruleset", "publish", "rulesets/riskoff.rules", "--db", db}).exit_code == 0);
  const std::string token = scratch.write("token", kToken + "\n");
  const std::vector<std::string> arguments{"--registry", db, "--db", db, "--token-file", token};
  ServerProcess first(arguments, (scratch.root / "first.log").string());
  ServerProcess second(arguments, (scratch.root / "second.log").string());
  auto a = first.client();
  auto b = second.client();

  const auto rulesets = get(a, "/v1/rulesets");
  REQUIRE(rulesets.status == 200);
  REQUIRE(rulesets.body.at("rulesets").size() == 1);
  CHECK(rulesets.body.at("rulesets").at(0).at("version") == "0.2.0");

  const auto one = post_json(a, "/v1/decide", decide_body("examples/snapshots/2020-03-16.json", "swing", true), kToken);
  INFO(one.text);
  REQUIRE(one.status == 200);
  CHECK(one.body.at("recorded_id") == 1);
  const auto two = post_json(b, "/v1/decide", decide_body("examples/snapshots/2026-02-04.json", "long_term", true), kToken);
  REQUIRE(two.status == 200);
  CHECK(two.body.at("recorded_id") == 2);
  const auto three = post_json(a, "/v1/decide", decide_body("examples/snapshots/2019-11-15.json", "swing", true), kToken);
  REQUIRE(three.status == 200);
  CHECK(three.body.at("recorded_id") == 3);

  // Each replica reads what the other recorded.
  for (auto* client : {&a, &b}) {
    const auto all = get(*client, "/v1/decisions");
    REQUIRE(all.status == 200);
    REQUIRE(all.body.at("decisions").size() == 3);
    CHECK(get(*client, "/v1/decisions?profile=long_term").body.at("decisions").size() == 1);
    const auto second_record = get(*client, "/v1/decisions/2");
    REQUIRE(second_record.status == 200);
    CHECK(second_record.body.at("decision").at("explanation") == two.body.at("decision"));
  }
  const auto verified = post_json(b, "/v1/audit/verify", "", kToken);
  REQUIRE(verified.status == 200);
  CHECK(verified.body.at("verify").at("ok") == true);
  CHECK(verified.body.at("verify").at("records") == 3);
  CHECK(first.stop(SIGTERM) == 0);
  CHECK(second.stop(SIGTERM) == 0);
  // And the command line finds the same chain.
  const auto cli_verify = riskoff_cli({"audit", "verify", "--db", db});
  CHECK(cli_verify.exit_code == 0);
  CHECK(cli_verify.out.find("3 records") != std::string::npos);
}
