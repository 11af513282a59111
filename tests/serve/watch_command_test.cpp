// `riskoff watch`, the one-shot run for cron: records every profile asked for, compares each with
// the last recorded decision of its profile, and alerts a real webhook receiver on 127.0.0.1 and
// a real command on a change of action; its exit code says what happened.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "tests/serve/webhook_receiver.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

using riskoff::test::ProcessOutput;

ProcessOutput watch(const std::string& db, const std::string& date, std::vector<std::string> more = {}) {
  std::vector<std::string> arguments = {"watch", "--ruleset", "rulesets/riskoff.rules", "--snapshot",
                                        "examples/snapshots/" + date + ".json", "--db", db, "--profile", "swing"};
  arguments.insert(arguments.end(), more.begin(), more.end());
  return riskoff::test::run_process(RISKOFF_BINARY, arguments);
}

}  // namespace

TEST_CASE("watch: a change of action exits 3 and alerts the webhook and the command once, no change exits 0", "[serve][watch-once]") {
  riskoff::testing::ScratchFolder scratch("watch-once");
  const std::string db = (scratch.root / "audit.sqlite").string();
  const std::string alerts = (scratch.root / "alert.json").string();
  riskoff::test::WebhookReceiver receiver(1);  // refuses the first POST: retried
  const std::vector<std::string> targets = {"--alert-webhook", receiver.url(), "--alert-command", "cat > '" + alerts + "'"};

  // The first decision of a profile has nothing to be compared with.
  auto first = watch(db, "2019-11-15", targets);
  INFO(first.stderr_text);
  CHECK(first.exit_code == 0);
  CHECK(first.stdout_text == "swing wait #1\n");
  // wait -> hedge: one alert to each target.
  auto changed = watch(db, "2020-03-16", targets);
  INFO(changed.stderr_text);
  CHECK(changed.exit_code == 3);
  CHECK(changed.stdout_text == "swing hedge #2 (was wait #1)\n");
  CHECK(changed.stderr_text.find("alerted webhook of swing wait -> hedge (#2, 2 attempts)") != std::string::npos);
  CHECK(changed.stderr_text.find("alerted command of swing wait -> hedge (#2, 1 attempt)") != std::string::npos);
  REQUIRE(receiver.count() == 1);
  CHECK(receiver.accepted.at(0).first == "riskoff-decision-2");
  CHECK(receiver.accepted.at(0).second.at("to") == "hedge");
  const auto kept = nlohmann::json::parse(riskoff::testing::read_file(alerts));
  CHECK(kept.at("from") == "wait");
  CHECK(kept.at("previous_id") == 1);
  CHECK(kept.at("decision").at("profile") == "swing");
  // hedge again: recorded, nothing to tell.
  std::filesystem::remove(alerts);
  auto same = watch(db, "2020-03-16", targets);
  CHECK(same.exit_code == 0);
  CHECK(same.stdout_text == "swing hedge #3\n");
  CHECK(receiver.count() == 1);
  CHECK_FALSE(std::filesystem::exists(alerts));

  // Every profile when none is named; a change without alert targets is still exit 3.
  auto all = riskoff::test::run_process(RISKOFF_BINARY, {"watch", "--ruleset", "rulesets/riskoff.rules", "--sources",
                                                         "examples/sources-local.json", "--as-of", "2026-02-04T21:00:00Z", "--db", db});
  INFO(all.stderr_text);
  CHECK(all.exit_code == 3);
  CHECK(all.stdout_text.find("swing reduce #") != std::string::npos);
  CHECK(all.stdout_text.find("(was hedge #3)") != std::string::npos);
  CHECK(all.stdout_text.find("long_term ") != std::string::npos);
  CHECK(riskoff::test::run_process(RISKOFF_BINARY, {"audit", "verify", "--db", db}).exit_code == 0);
}

TEST_CASE("watch: an alert command that fails or hangs is retried, bounded in time, and exits 4", "[serve][watch-once]") {
  riskoff::testing::ScratchFolder scratch("watch-once-fail");
  const std::string db = (scratch.root / "audit.sqlite").string();
  REQUIRE(watch(db, "2019-11-15").exit_code == 0);
  auto failing = watch(db, "2020-03-16", {"--alert-command", "cat > /dev/null; exit 7", "--alert-retries", "1"});
  CHECK(failing.exit_code == 4);
  CHECK(failing.stderr_text.find("could not alert command of swing wait -> hedge (#2, 2 attempts): exit status 7") !=
        std::string::npos);
  // A command that never ends is killed at --alert-timeout, its process group with it.
  const auto started = std::chrono::steady_clock::now();
  auto hanging = watch(db, "2019-11-15", {"--alert-command", "sleep 50 & sleep 60", "--alert-timeout", "1", "--alert-retries", "0"});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK(hanging.exit_code == 4);
  CHECK(hanging.stderr_text.find("timed out after 1 s (killed)") != std::string::npos);
}

TEST_CASE("watch: usage errors exit 2, a snapshot that does not read exits 1", "[serve][watch-once]") {
  riskoff::testing::ScratchFolder scratch("watch-once-usage");
  const std::string db = (scratch.root / "audit.sqlite").string();
  auto no_input = riskoff::test::run_process(RISKOFF_BINARY, {"watch", "--ruleset", "rulesets/riskoff.rules", "--db", db});
  CHECK(no_input.exit_code == 2);
  CHECK(no_input.stderr_text.find("give --sources FILE or --snapshot FILE") != std::string::npos);
  CHECK(watch(db, "2019-11-15", {"--profile", "nobody"}).exit_code == 2);
  CHECK(watch(db, "2019-11-15", {"--alert-webhook", "http://example.com/hook"}).exit_code == 2);
  auto bad = riskoff::test::run_process(RISKOFF_BINARY, {"watch", "--ruleset", "rulesets/riskoff.rules", "--snapshot",
                                                         scratch.write("bad.json", "{}"), "--db", db});
  CHECK(bad.exit_code == 1);
}
