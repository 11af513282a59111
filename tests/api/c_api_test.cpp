// The C API (include/riskoff/riskoff.h): status codes, messages, handles, values. The same
// checks from a program compiled as C are in c_errors.c.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "riskoff/riskoff.h"

namespace {

const std::string kRoot = RISKOFF_SOURCE_DIR;

constexpr char kSmall[] = R"(ruleset small version "1.2.3"

input vix: series 1d index

param calm = 20

signal stressed "Volatility is high" = vix > calm

profile desk "Desk" {
  decide
    reduce when stressed
    wait otherwise
}
)";

}  // namespace

TEST_CASE("C: compile, fill a snapshot value by value, evaluate, read values and renderings", "[api][c]") {
  riskoff_ruleset* ruleset = nullptr;
  REQUIRE(riskoff_ruleset_compile(kSmall, std::strlen(kSmall), "small.rules", nullptr, &ruleset) == RISKOFF_OK);
  CHECK(std::string(riskoff_ruleset_name(ruleset)) == "small");
  CHECK(std::string(riskoff_ruleset_version(ruleset)) == "1.2.3");
  CHECK(riskoff_ruleset_profile_count(ruleset) == 1);
  CHECK(std::string(riskoff_ruleset_profile(ruleset, 0)) == "desk");
  CHECK(riskoff_ruleset_profile(ruleset, 1) == nullptr);
  riskoff_unit unit = RISKOFF_UNIT_NUMBER;
  CHECK(std::string(riskoff_ruleset_input(ruleset, 0, &unit)) == "vix");
  CHECK(unit == RISKOFF_UNIT_INDEX);

  int64_t day = 0;
  REQUIRE(riskoff_parse_time("2026-02-04", &day) == RISKOFF_OK);
  riskoff_snapshot* snapshot = nullptr;
  REQUIRE(riskoff_snapshot_create(day, &snapshot) == RISKOFF_OK);
  const int64_t times[] = {day - 86400, day};
  const double values[] = {19, 23};
  REQUIRE(riskoff_snapshot_add_series(snapshot, "vix", RISKOFF_UNIT_INDEX, times, values, 2) == RISKOFF_OK);

  riskoff_decision* decision = nullptr;
  REQUIRE(riskoff_evaluate(ruleset, snapshot, nullptr, nullptr, 0, 1, &decision) == RISKOFF_OK);
  CHECK(std::string(riskoff_decision_action(decision)) == "reduce");
  CHECK(std::string(riskoff_decision_profile(decision)) == "desk");
  CHECK(riskoff_decision_depends_on_unknown(decision) == 0);
  riskoff_value value{};
  REQUIRE(riskoff_decision_value(decision, "stressed", &value) == RISKOFF_OK);
  CHECK(std::string(value.kind) == "signal");
  CHECK(value.is_condition == 1);
  CHECK(value.truth == RISKOFF_TRUE);
  REQUIRE(riskoff_decision_value_count(decision) == 2);
  REQUIRE(riskoff_decision_value_at(decision, 0, &value) == RISKOFF_OK);
  CHECK(std::string(value.name) == "vix");
  CHECK(value.number == 23);
  CHECK(riskoff_decision_value_at(decision, 2, &value) == RISKOFF_ERROR_ARGUMENT);
  CHECK(std::string(riskoff_last_error()).find("out of range") != std::string::npos);
  CHECK(riskoff_decision_value(decision, "nothing", &value) == RISKOFF_ERROR_NOT_FOUND);
  const char* json = nullptr;
  REQUIRE(riskoff_decision_render(decision, RISKOFF_FORMAT_JSON, &json) == RISKOFF_OK);
  CHECK(std::string(json).find("\"action\": \"reduce\"") != std::string::npos);
  const char* text = nullptr;
  REQUIRE(riskoff_decision_render(decision, RISKOFF_FORMAT_TEXT, &text) == RISKOFF_OK);
  CHECK(std::string(text).find("reduce") != std::string::npos);
  CHECK(riskoff_decision_render(decision, static_cast<riskoff_format>(7), &text) == RISKOFF_ERROR_ARGUMENT);

  const char* overrides[] = {"calm=30"};
  riskoff_decision* relaxed = nullptr;
  REQUIRE(riskoff_evaluate(ruleset, snapshot, "desk", overrides, 1, 0, &relaxed) == RISKOFF_OK);
  CHECK(std::string(riskoff_decision_action(relaxed)) == "wait");
  CHECK(riskoff_decision_render(relaxed, RISKOFF_FORMAT_TEXT, &text) == RISKOFF_ERROR_NO_TRACE);
  CHECK(riskoff_decision_value_count(relaxed) == 0);
  CHECK(riskoff_last_status() == RISKOFF_ERROR_NO_TRACE);

  riskoff_decision_free(relaxed);
  riskoff_decision_free(decision);
  riskoff_snapshot_free(snapshot);
  riskoff_ruleset_free(ruleset);
}

TEST_CASE("C: every user error is a status and a message, never an abort", "[api][c]") {
  riskoff_ruleset* ruleset = nullptr;
  const char bad[] = "ruleset bad version \"1\"\n";
  CHECK(riskoff_ruleset_compile(bad, std::strlen(bad), "bad.rules", nullptr, &ruleset) == RISKOFF_ERROR_RULESET);
  CHECK(ruleset == nullptr);
  CHECK(riskoff_last_status() == RISKOFF_ERROR_RULESET);
  const std::string message = riskoff_last_error();
  CHECK(message.find("bad.rules:1:21: error[E0110]") == 0);
  CHECK(message.find('^') != std::string::npos);

  CHECK(riskoff_ruleset_load((kRoot + "/no/such.rules").c_str(), &ruleset) == RISKOFF_ERROR_IO);
  CHECK(riskoff_ruleset_compile(nullptr, 3, nullptr, nullptr, &ruleset) == RISKOFF_ERROR_ARGUMENT);
  CHECK(riskoff_ruleset_compile(bad, 3, nullptr, nullptr, nullptr) == RISKOFF_ERROR_ARGUMENT);

  riskoff_snapshot* snapshot = nullptr;
  const char broken[] = "{\"format\": \"riskoff.snapshot/1\", \"as_of\": 12}";
  CHECK(riskoff_snapshot_from_json(broken, std::strlen(broken), "today.json", &snapshot) == RISKOFF_ERROR_SNAPSHOT);
  CHECK(snapshot == nullptr);
  CHECK(std::string(riskoff_last_error()).find("today.json") == 0);

  REQUIRE(riskoff_ruleset_compile(kSmall, std::strlen(kSmall), "small.rules", nullptr, &ruleset) == RISKOFF_OK);
  REQUIRE(riskoff_snapshot_create(1000, &snapshot) == RISKOFF_OK);
  riskoff_decision* decision = nullptr;
  CHECK(riskoff_evaluate(ruleset, snapshot, nullptr, nullptr, 0, 1, &decision) == RISKOFF_ERROR_SNAPSHOT);
  CHECK(std::string(riskoff_last_error()) == "required input `vix` is missing from the snapshot");
  CHECK(riskoff_evaluate(ruleset, snapshot, "nobody", nullptr, 0, 1, &decision) == RISKOFF_ERROR_OPTIONS);
  const double nan = std::nan("");
  const int64_t time = 1000;
  CHECK(riskoff_snapshot_add_series(snapshot, "vix", RISKOFF_UNIT_INDEX, &time, &nan, 1) == RISKOFF_ERROR_SNAPSHOT);
  CHECK(riskoff_snapshot_add_scalar(snapshot, "vix", static_cast<riskoff_unit>(9), 1000, 1) == RISKOFF_ERROR_ARGUMENT);
  CHECK(riskoff_evaluate(nullptr, snapshot, nullptr, nullptr, 0, 1, &decision) == RISKOFF_ERROR_ARGUMENT);
  CHECK(decision == nullptr);
  CHECK(std::string(riskoff_status_name(RISKOFF_ERROR_IO)) == "RISKOFF_ERROR_IO");
  riskoff_snapshot_free(snapshot);
  riskoff_ruleset_free(ruleset);
  riskoff_ruleset_free(nullptr);  // accepted and ignored
}

TEST_CASE("C: version macros and the run-time version agree", "[api][c]") {
  CHECK(std::string(riskoff_version()) == RISKOFF_VERSION_STRING);
  CHECK(riskoff_version_number() == RISKOFF_VERSION_NUMBER);
}

TEST_CASE("C: enum values that are not values, negative ones too, are rejected", "[api][c]") {
  riskoff_snapshot* snapshot = nullptr;
  REQUIRE(riskoff_snapshot_create(1000, &snapshot) == RISKOFF_OK);
  CHECK(riskoff_snapshot_add_scalar(snapshot, "vix", static_cast<riskoff_unit>(-1), 1000, 1) == RISKOFF_ERROR_ARGUMENT);
  CHECK(riskoff_snapshot_add_scalar(snapshot, "vix", static_cast<riskoff_unit>(5), 1000, 1) == RISKOFF_ERROR_ARGUMENT);
  riskoff_snapshot* far = nullptr;
  CHECK(riskoff_snapshot_create(INT64_MAX, &far) == RISKOFF_ERROR_ARGUMENT);
  CHECK(far == nullptr);
  CHECK(riskoff_snapshot_add_scalar(snapshot, "vix", RISKOFF_UNIT_INDEX, INT64_MIN, 1) == RISKOFF_ERROR_SNAPSHOT);
  CHECK(std::string(riskoff_status_name(static_cast<riskoff_status>(-7))) == "RISKOFF_ERROR_UNKNOWN");
  riskoff_snapshot_free(snapshot);
}

TEST_CASE("C: one decision handle read from 8 threads at once gives the same strings", "[api][c][threads]") {
  riskoff_ruleset* ruleset = nullptr;
  REQUIRE(riskoff_ruleset_load((kRoot + "/rulesets/riskoff.rules").c_str(), &ruleset) == RISKOFF_OK);
  const std::string path = kRoot + "/examples/snapshots/2026-02-04.json";
  FILE* file = std::fopen(path.c_str(), "rb");
  REQUIRE(file != nullptr);
  std::string json;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) json.append(buffer, n);
  std::fclose(file);
  riskoff_snapshot* snapshot = nullptr;
  REQUIRE(riskoff_snapshot_from_json(json.data(), json.size(), "2026-02-04.json", &snapshot) == RISKOFF_OK);
  riskoff_decision* decision = nullptr;
  REQUIRE(riskoff_evaluate(ruleset, snapshot, "swing", nullptr, 0, 1, &decision) == RISKOFF_OK);
  constexpr int kThreads = 8;
  std::vector<std::string> rendered(kThreads);
  std::vector<std::size_t> counts(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const char* text = nullptr;
      if (riskoff_decision_render(decision, static_cast<riskoff_format>(t % 3), &text) == RISKOFF_OK) {
        rendered[static_cast<std::size_t>(t)] = text;
      }
      counts[static_cast<std::size_t>(t)] = riskoff_decision_value_count(decision);
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(rendered[static_cast<std::size_t>(t)] == rendered[static_cast<std::size_t>(t % 3)]);
    CHECK_FALSE(rendered[static_cast<std::size_t>(t)].empty());
    CHECK(counts[static_cast<std::size_t>(t)] == counts[0]);
  }
  CHECK(counts[0] > 50);
  riskoff_decision_free(decision);
  riskoff_snapshot_free(snapshot);
  riskoff_ruleset_free(ruleset);
}

TEST_CASE("C: riskoff_decide renders what `riskoff eval` printed, and reports bad options by status", "[api][c]") {
  riskoff_ruleset* ruleset = nullptr;
  REQUIRE(riskoff_ruleset_load((kRoot + "/rulesets/riskoff.rules").c_str(), &ruleset) == RISKOFF_OK);
  const std::string path = kRoot + "/examples/snapshots/2026-02-04.json";
  std::string json;
  if (FILE* file = std::fopen(path.c_str(), "rb")) {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) json.append(buffer, n);
    std::fclose(file);
  }
  riskoff_snapshot* snapshot = nullptr;
  REQUIRE(riskoff_snapshot_from_json(json.data(), json.size(), path.c_str(), &snapshot) == RISKOFF_OK);

  riskoff_decide_options options{};
  options.profile = "swing";
  riskoff_decision* decision = nullptr;
  REQUIRE(riskoff_decide(ruleset, snapshot, &options, &decision) == RISKOFF_OK);
  CHECK(std::string(riskoff_decision_action(decision)) == "reduce");
  const char* rendered = nullptr;
  REQUIRE(riskoff_decision_render(decision, RISKOFF_FORMAT_JSON, &rendered) == RISKOFF_OK);
  std::string golden;
  if (FILE* file = std::fopen((kRoot + "/tests/golden/explain/2026-02-04.swing.json.stdout").c_str(), "rb")) {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) golden.append(buffer, n);
    std::fclose(file);
  }
  CHECK(std::string(rendered) == golden);
  riskoff_decision_free(decision);

  // NULL options are the defaults: the first profile, every value kept.
  REQUIRE(riskoff_decide(ruleset, snapshot, nullptr, &decision) == RISKOFF_OK);
  CHECK(std::string(riskoff_decision_profile(decision)) == "short_term");
  CHECK(riskoff_decision_value_count(decision) > 0);
  riskoff_decision_free(decision);

  options.profile = "nobody";
  CHECK(riskoff_decide(ruleset, snapshot, &options, &decision) == RISKOFF_ERROR_OPTIONS);
  CHECK(decision == nullptr);
  CHECK(std::string(riskoff_last_error()).find("unknown profile `nobody`") != std::string::npos);
  options.profile = nullptr;
  options.override_count = 1;  // and no array
  CHECK(riskoff_decide(ruleset, snapshot, &options, &decision) == RISKOFF_ERROR_ARGUMENT);
  riskoff_snapshot_free(snapshot);
  riskoff_ruleset_free(ruleset);
}

TEST_CASE("C: a FIFO or a device as a rule file is refused at once, never read", "[api][c][hostile]") {
  const std::string folder = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/riskoff-c-fifo";
  std::remove((folder + "/fifo").c_str());
  ::mkdir(folder.c_str(), 0700);
  REQUIRE(::mkfifo((folder + "/fifo").c_str(), 0600) == 0);
  riskoff_ruleset* ruleset = nullptr;
  // Without O_NONBLOCK and the check on the opened descriptor this would wait for a writer forever.
  auto loaded = std::async(std::launch::async, [&] { return riskoff_ruleset_load((folder + "/fifo").c_str(), &ruleset); });
  REQUIRE(loaded.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(loaded.get() == RISKOFF_ERROR_IO);
  CHECK(ruleset == nullptr);
  std::remove((folder + "/fifo").c_str());
  ::rmdir(folder.c_str());
  CHECK(riskoff_ruleset_load("/dev/zero", &ruleset) == RISKOFF_ERROR_IO);
  CHECK(std::string(riskoff_last_error()) ==
        "/dev/zero: is not a regular file (a character device); only regular files are read");
}

TEST_CASE("C: inputs the ruleset does not declare are ignored and can be listed", "[api][c]") {
  riskoff_ruleset* ruleset = nullptr;
  REQUIRE(riskoff_ruleset_compile(kSmall, std::strlen(kSmall), "small.rules", nullptr, &ruleset) == RISKOFF_OK);
  int64_t day = 0;
  REQUIRE(riskoff_parse_time("2026-02-04", &day) == RISKOFF_OK);
  riskoff_snapshot* snapshot = nullptr;
  REQUIRE(riskoff_snapshot_create(day, &snapshot) == RISKOFF_OK);
  const int64_t times[] = {day};
  const double values[] = {23};
  REQUIRE(riskoff_snapshot_add_series(snapshot, "vix", RISKOFF_UNIT_INDEX, times, values, 1) == RISKOFF_OK);
  REQUIRE(riskoff_snapshot_add_series(snapshot, "spx", RISKOFF_UNIT_INDEX, times, values, 1) == RISKOFF_OK);
  riskoff_decision* decision = nullptr;
  REQUIRE(riskoff_evaluate(ruleset, snapshot, nullptr, nullptr, 0, 1, &decision) == RISKOFF_OK);
  CHECK(std::string(riskoff_decision_action(decision)) == "reduce");
  REQUIRE(riskoff_decision_unused_input_count(decision) == 1);
  CHECK(std::string(riskoff_decision_unused_input(decision, 0)) == "spx");
  CHECK(riskoff_decision_unused_input(decision, 1) == nullptr);
  CHECK(riskoff_decision_unused_input_count(nullptr) == 0);
  riskoff_decision_free(decision);
  riskoff_snapshot_free(snapshot);
  riskoff_ruleset_free(ruleset);
}
