// --schedule: at each aligned instant the server builds the snapshot from its manifest, decides
// every profile and records each, without a request.
#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <sstream>
#include <thread>

#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

// A ruleset of one daily input and two profiles, and its manifest over a CSV whose last row is
// today (UTC): a scheduled run decides as of now, so the data must be fresh.
void write_fresh_fixture(const riskoff::testing::ScratchFolder& scratch) {
  scratch.write("tick.rules", R"(ruleset tick version "0.1.0" "A scheduled decision on fresh data"
input vix : series 1d index max_age 4d "CBOE VIX close"
param vix_high = 25 "volatility targeting sells above 25"
signal vol_high "Volatility high" = vix > vix_high
profile swing "Swing trader" {
  decide
    reduce when vol_high
    wait otherwise
}
profile long_term "Long-term investor" {
  decide
    wait otherwise
}
)");
  scratch.write("sources.json", R"({"format": "riskoff.sources/1", "inputs": {"vix": {"reader": "csv", "unit": "index",)"
                                R"( "source": "test", "path": "vix.csv", "mapping": {"date_column": "date", "value_column": "close"}}}})");
  std::string csv = "date,close\n";
  const std::time_t now = std::time(nullptr);
  for (int days_ago = 9; days_ago >= 0; --days_ago) {
    const std::time_t day = now - static_cast<std::time_t>(days_ago) * 86400;
    std::tm parts{};
    gmtime_r(&day, &parts);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", &parts);
    csv += std::string(date) + "," + std::to_string(20 + days_ago) + "\n";
  }
  scratch.write("vix.csv", csv);
}

}  // namespace

TEST_CASE("serve: --schedule 'every 2s' decides every profile at aligned instants and records them", "[serve][schedule]") {
  riskoff::testing::ScratchFolder scratch("serve-schedule");
  write_fresh_fixture(scratch);
  riskoff::test::ServerProcess server({"--ruleset", (scratch.root / "tick.rules").string(), "--sources",
                                       "fresh=" + (scratch.root / "sources.json").string(), "--schedule", "every 2s", "--db",
                                       (scratch.root / "audit.sqlite").string()},
                                      (scratch.root / "log").string());
  // The first run's log line (a sanitizer build on a busy machine builds the snapshot slowly).
  nlohmann::json run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(45);
  while (run.is_null() && std::chrono::steady_clock::now() < deadline) {
    std::istringstream lines(server.log());
    for (std::string line; std::getline(lines, line);) {
      const auto event = nlohmann::json::parse(line, nullptr, false);
      if (event.is_object() && (event.value("event", "") == "scheduled" || event.value("event", "") == "schedule_failed")) {
        run = event;
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO(server.log());
  REQUIRE(run.is_object());
  REQUIRE(run.at("event") == "scheduled");
  REQUIRE(run.at("recorded").size() == 2);  // every profile, in order
  CHECK(run.at("recorded").at(0).get<std::string>().rfind("swing wait #", 0) == 0);
  CHECK(run.at("recorded").at(1).get<std::string>().rfind("long_term wait #", 0) == 0);
  CHECK(run.at("skipped").empty());
  const std::string as_of = run.at("as_of");
  CHECK((as_of.at(18) - '0') % 2 == 0);  // an even second: aligned to the period

  auto client = server.client();
  const auto listed = riskoff::test::get(client, "/v1/decisions");
  REQUIRE(listed.body.at("decisions").size() >= 2);
  for (std::size_t idx = 0; idx < 2; ++idx) CHECK(listed.body.at("decisions").at(idx).at("as_of") == as_of);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve: --schedule needs an every-N period, --db and a --sources manifest", "[serve][schedule]") {
  const auto bad = riskoff::test::run_process(RISKOFF_BINARY, {"serve", "--ruleset", "rulesets/riskoff.rules", "--schedule",
                                                              "daily", "--db", "/nonexistent/x.sqlite"});
  CHECK(bad.exit_code == 2);
  riskoff::testing::ScratchFolder scratch("serve-schedule-usage");
  const auto no_sources = riskoff::test::run_process(
      RISKOFF_BINARY, {"serve", "--ruleset", "rulesets/riskoff.rules", "--schedule", "every 4h", "--db",
                       (scratch.root / "audit.sqlite").string(), "--listen", "127.0.0.1:0"});
  CHECK(no_sources.exit_code == 2);
  CHECK(no_sources.stderr_text.find("give --sources NAME=FILE") != std::string::npos);
  const auto no_db = riskoff::test::run_process(
      RISKOFF_BINARY, {"serve", "--ruleset", "rulesets/riskoff.rules", "--schedule", "every 4h", "--sources",
                       "local=examples/sources-local.json", "--listen", "127.0.0.1:0"});
  CHECK(no_db.exit_code == 2);
  CHECK(no_db.stderr_text.find("give --db FILE") != std::string::npos);
}
