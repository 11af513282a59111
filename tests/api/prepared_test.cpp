// The prepared-input path (include/riskoff/prepared.hpp, the C API's riskoff_prepared_*): the
// same decisions and the same JSON as the snapshot path on the example snapshots, and every
// error of the snapshot path with its twin here (unknown name or slot, NaN, time order,
// look-ahead, a required input missing).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "riskoff/prepared.hpp"
#include "riskoff/riskoff.h"
#include "riskoff/riskoff.hpp"

namespace {

const std::string kRoot = RISKOFF_SOURCE_DIR;

riskoff::Ruleset shipped() {
  auto compiled = riskoff::Ruleset::load(kRoot + "/rulesets/riskoff.rules");
  REQUIRE(compiled.ok());
  return *compiled.ruleset;
}

struct Observations {
  std::vector<std::int64_t> times;
  std::vector<double> values;
};

// An example snapshot's inputs as plain observations (read with the JSON library, not riskoff).
std::map<std::string, Observations> observations(const std::string& day, std::int64_t& as_of) {
  std::ifstream in(kRoot + "/examples/snapshots/" + day + ".json");
  const auto json = nlohmann::json::parse(in);
  as_of = *riskoff::parse_time(json.at("as_of").get<std::string>());
  std::map<std::string, Observations> out;
  for (const auto& [name, input] : json.at("inputs").items()) {
    REQUIRE_FALSE(input.contains("known_at"));  // the prepared path keeps no known-at times
    Observations& o = out[name];
    if (input.contains("times")) {
      for (const auto& time : input.at("times")) o.times.push_back(*riskoff::parse_time(time.get<std::string>()));
      for (const auto& value : input.at("values")) o.values.push_back(value.get<double>());
    } else {
      o.times.push_back(*riskoff::parse_time(input.at("time").get<std::string>()));
      o.values.push_back(input.at("value").get<double>());
    }
  }
  return out;
}

riskoff::Error error_of(const riskoff::Status& status) {
  REQUIRE_FALSE(status.ok());
  return status.error();
}

}  // namespace

TEST_CASE("the prepared path decides as the snapshot path on every example and profile", "[api][prepared]") {
  const riskoff::Ruleset ruleset = shipped();
  for (const std::string day : {"2019-11-15", "2020-03-16", "2026-02-04"}) {
    std::int64_t as_of = 0;
    const auto data = observations(day, as_of);
    const auto file = riskoff::Snapshot::load(kRoot + "/examples/snapshots/" + day + ".json");
    REQUIRE(file.ok());
    for (const auto& profile : ruleset.profiles()) {
      INFO(day << ", profile " << profile);
      const riskoff::DecideOptions options{.profile = profile};
      auto prepared = riskoff::PreparedInputs::prepare(ruleset, as_of, options);
      REQUIRE(prepared.ok());
      // The snapshot path's twin: only the declared inputs (no sources, nothing unused).
      riskoff::Snapshot declared(as_of);
      for (const auto& input : ruleset.inputs()) {
        const auto found = data.find(input.name);
        if (found == data.end()) continue;
        const auto slot = prepared->slot(input.name);
        REQUIRE(slot.ok());
        for (std::size_t k = 0; k < found->second.times.size(); ++k) {
          REQUIRE(prepared->append(*slot, found->second.times[k], found->second.values[k]).ok());
        }
        REQUIRE(declared.add_series(input.name, input.unit, found->second.times, found->second.values).empty());
      }
      const auto by_name = riskoff::decide(ruleset, *file.snapshot, options);
      REQUIRE(by_name.ok());
      const auto row = prepared->evaluate();
      REQUIRE(row.ok());
      CHECK(row->action == by_name->action());
      CHECK(row->depends_on_unknown == by_name->depends_on_unknown());
      const auto row_again = prepared->evaluate();  // the reused state gives the same answer
      CHECK(row_again->action == row->action);

      const auto full = prepared->decide();
      REQUIRE(full.ok());
      const auto twin = riskoff::decide(ruleset, declared, options);
      REQUIRE(twin.ok());
      CHECK(full->render(riskoff::Format::kJson) == twin->render(riskoff::Format::kJson));
      CHECK(full->render(riskoff::Format::kText) == twin->render(riskoff::Format::kText));
      CHECK(prepared->snapshot().input_count() == declared.input_count());
      const auto values = full->values();
      const auto file_values = by_name->values();
      REQUIRE(values.size() == file_values.size());
      for (std::size_t k = 0; k < values.size(); ++k) {
        INFO(values[k].name);
        CHECK(values[k].truth == file_values[k].truth);
        CHECK((values[k].number == file_values[k].number || (std::isnan(values[k].number) && std::isnan(file_values[k].number))));
      }
    }
  }
}

TEST_CASE("a decision keeps what it read while the prepared slots change", "[api][prepared]") {
  const riskoff::Ruleset ruleset = shipped();
  std::int64_t as_of = 0;
  const auto data = observations("2026-02-04", as_of);
  auto prepared = riskoff::PreparedInputs::prepare(ruleset, as_of, {.profile = "swing"});
  REQUIRE(prepared.ok());
  for (const auto& [name, o] : data) {
    const auto slot = prepared->slot(name);
    if (!slot) continue;
    for (std::size_t k = 0; k < o.times.size(); ++k) REQUIRE(prepared->append(*slot, o.times[k], o.values[k]).ok());
  }
  const auto before = prepared->decide();
  REQUIRE(before.ok());
  const std::string json = before->render(riskoff::Format::kJson);
  const auto vix = prepared->slot("vix");
  REQUIRE(vix.ok());
  REQUIRE(prepared->set(*vix, as_of, 80).ok());  // a panic: the decision made before must not see it
  REQUIRE(prepared->evaluate().ok());
  CHECK(before->render(riskoff::Format::kJson) == json);
  const auto after = prepared->decide();
  REQUIRE(after.ok());
  CHECK(after->render(riskoff::Format::kJson) != json);
}

// The prepared path keeps its bound views slot by slot (set, append and clear re-bind the slot
// they change; a copy-on-write or a new as_of re-binds all): on a random sequence of those
// operations, each evaluate() decides as decide() on what the slots hold.
TEST_CASE("the prepared path decides as the snapshot path after random slot changes", "[api][prepared][row]") {
  const riskoff::Ruleset ruleset = shipped();
  std::int64_t as_of = 0;
  const auto data = observations("2026-02-04", as_of);
  const riskoff::DecideOptions options{.profile = "swing"};
  auto prepared = riskoff::PreparedInputs::prepare(ruleset, as_of, options);
  REQUIRE(prepared.ok());
  std::vector<std::pair<riskoff::InputSlot, const Observations*>> slots;
  for (const auto& [name, o] : data) {
    const auto slot = prepared->slot(name);
    if (!slot) continue;
    slots.emplace_back(*slot, &o);
    for (std::size_t k = 0; k < o.times.size(); ++k) REQUIRE(prepared->append(*slot, o.times[k], o.values[k]).ok());
  }
  std::mt19937_64 random(19);
  std::uniform_int_distribution<int> operation(0, 5);
  std::uniform_int_distribution<std::size_t> which(0, slots.size() - 1);
  std::uniform_real_distribution<double> factor(0.5, 1.5);
  std::map<std::string, int> outcomes;
  for (int step = 0; step < 300; ++step) {
    const auto& [slot, o] = slots[which(random)];
    switch (operation(random)) {
      case 0: REQUIRE(prepared->clear(slot).ok()); break;
      case 1:
        REQUIRE(prepared->clear(slot).ok());
        for (std::size_t k = 0; k < o->times.size(); ++k) REQUIRE(prepared->append(slot, o->times[k], o->values[k]).ok());
        break;
      case 2: REQUIRE(prepared->set(slot, o->times.back(), o->values.back() * factor(random)).ok()); break;
      case 3: {
        // Twice: the second set() overwrites the one observation in place (set_in_place), here
        // up to 6 days old, so past the inputs' max age of 4 days as often as not.
        for (int again = 0; again < 2; ++again) {
          const std::int64_t days_old = std::uniform_int_distribution<std::int64_t>(0, 6)(random);
          REQUIRE(prepared->set(slot, o->times.back() - 86400 * days_old, o->values.back() * factor(random)).ok());
        }
        break;
      }
      case 4: REQUIRE(prepared->set_as_of(as_of + 3600 * std::uniform_int_distribution<std::int64_t>(0, 120)(random)).ok()); break;
      default: (void)prepared->decide(); break;  // the next change copies the slots
    }
    INFO("step " << step);
    const auto row = prepared->evaluate();
    const auto by_name = riskoff::decide(ruleset, prepared->snapshot(), options);
    REQUIRE(row.ok() == by_name.ok());
    if (!row.ok()) {
      CHECK(row.error().messages == by_name.error().messages);
      ++outcomes["error"];
      continue;
    }
    CHECK(row->action == by_name->action());
    CHECK(row->depends_on_unknown == by_name->depends_on_unknown());
    ++outcomes[std::string(row->action) + (row->depends_on_unknown ? " (unknown)" : "")];
  }
  INFO("outcomes: " << outcomes.size());
  CHECK(outcomes.size() >= 3);  // the sequence reached errors and more than one decision
}

// set() on a slot already holding one observation overwrites it in place (set_in_place) and
// judges only its age again: past max_age the input is unknown, fresh again it is known.
TEST_CASE("a value set in place is stale past its max age and fresh again after", "[api][prepared][row]") {
  const auto compiled = riskoff::Ruleset::compile(
      "ruleset ages version \"1.0.0\"\n"
      "input vix : scalar index max_age 2d \"VIX\"\n"
      "signal panic \"Panic\" = vix > 30\n"
      "profile p { decide hedge when panic wait otherwise }\n");
  REQUIRE(compiled.ok());
  const std::int64_t as_of = *riskoff::parse_time("2026-02-04T21:00:00Z");
  const std::int64_t day = 86400;
  auto prepared = riskoff::PreparedInputs::prepare(*compiled.ruleset, as_of);
  REQUIRE(prepared.ok());
  const auto vix = prepared->slot("vix");
  REQUIRE(vix.ok());
  const auto expect = [&](std::string_view action, bool depends_on_unknown) {
    const auto row = prepared->evaluate();
    REQUIRE(row.ok());
    CHECK(row->action == action);
    CHECK(row->depends_on_unknown == depends_on_unknown);
    const auto by_name = riskoff::decide(*compiled.ruleset, prepared->snapshot());
    REQUIRE(by_name.ok());
    CHECK(by_name->action() == action);
  };
  REQUIRE(prepared->set(*vix, as_of, 40).ok());  // the first value binds the slot
  expect("hedge", false);
  REQUIRE(prepared->set(*vix, as_of - 3 * day, 40).ok());  // in place, 3 days old: stale
  expect("wait", true);
  REQUIRE(prepared->set(*vix, as_of - day, 40).ok());  // in place, fresh again
  expect("hedge", false);
  REQUIRE(prepared->set(*vix, as_of - day, 20).ok());
  expect("wait", false);
}

TEST_CASE("every snapshot-path error has its prepared twin, with the same message", "[api][prepared][errors]") {
  const riskoff::Ruleset ruleset = shipped();
  const std::int64_t as_of = *riskoff::parse_time("2026-02-04T21:00:00Z");
  const std::int64_t day = 86400;
  auto prepared = riskoff::PreparedInputs::prepare(ruleset, as_of);
  REQUIRE(prepared.ok());
  const auto vix = prepared->slot("vix");
  REQUIRE(vix.ok());
  const riskoff::Unit unit = ruleset.inputs()[vix->index].unit;
  const double nan = std::numeric_limits<double>::quiet_NaN();

  SECTION("a value that is not finite") {
    riskoff::Snapshot snapshot(as_of);
    const std::string expected = snapshot.add_series("vix", unit, {as_of - day}, {nan});
    REQUIRE_FALSE(expected.empty());
    const auto error = error_of(prepared->append(*vix, as_of - day, nan));
    CHECK(error.kind == riskoff::ErrorKind::kSnapshot);
    CHECK(error.messages == std::vector<std::string>{expected});
    CHECK(error_of(prepared->set(*vix, as_of - day, std::numeric_limits<double>::infinity())).messages.front() ==
          riskoff::Snapshot(as_of).add_scalar("vix", unit, as_of - day, std::numeric_limits<double>::infinity()));
  }
  SECTION("times out of order") {
    riskoff::Snapshot snapshot(as_of);
    const std::string expected = snapshot.add_series("vix", unit, {as_of - day, as_of - 2 * day}, {20, 21});
    REQUIRE_FALSE(expected.empty());
    REQUIRE(prepared->append(*vix, as_of - day, 20).ok());
    CHECK(error_of(prepared->append(*vix, as_of - 2 * day, 21)).messages == std::vector<std::string>{expected});
    CHECK(error_of(prepared->append(*vix, as_of - day, 21)).messages.front().find("strictly increasing") != std::string::npos);
  }
  SECTION("an observation after as_of, and an as_of moved before one") {
    riskoff::Snapshot snapshot(as_of);
    const std::string expected = snapshot.add_scalar("vix", unit, as_of + 1, 20);
    CHECK(error_of(prepared->set(*vix, as_of + 1, 20)).messages == std::vector<std::string>{expected});
    REQUIRE(prepared->set(*vix, as_of, 20).ok());
    const auto moved = error_of(prepared->set_as_of(as_of - day));
    CHECK(moved.messages.front().find("after as_of") != std::string::npos);
    CHECK(prepared->as_of() == as_of);  // refused: nothing changed
  }
  SECTION("a time outside the years 0000 to 9999, an as_of too") {
    const std::int64_t far = std::numeric_limits<std::int64_t>::min();
    CHECK(error_of(prepared->set(*vix, far, 20)).messages.front() ==
          riskoff::Snapshot(as_of).add_scalar("vix", unit, far, 20));
    CHECK(riskoff::PreparedInputs::prepare(ruleset, far).error().kind == riskoff::ErrorKind::kSnapshot);
    CHECK(error_of(prepared->set_as_of(far)).kind == riskoff::ErrorKind::kSnapshot);
  }
  SECTION("an unknown input name, an unknown slot") {
    const auto unknown = prepared->slot("vixx");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().kind == riskoff::ErrorKind::kUsage);
    CHECK(unknown.error().messages.front() ==
          "input `vixx` is not declared by ruleset `riskoff`; did you mean `vix`?");
    const riskoff::InputSlot past{static_cast<std::uint32_t>(prepared->slot_count())};
    CHECK(error_of(prepared->set(past, as_of, 1)).kind == riskoff::ErrorKind::kUsage);
    CHECK(error_of(prepared->append(past, as_of, 1)).kind == riskoff::ErrorKind::kUsage);
    CHECK(error_of(prepared->clear(past)).kind == riskoff::ErrorKind::kUsage);
  }
  SECTION("required inputs missing, as decide() lists them") {
    const auto by_name = riskoff::decide(ruleset, riskoff::Snapshot(as_of));
    REQUIRE_FALSE(by_name.ok());
    const auto row = prepared->evaluate();
    REQUIRE_FALSE(row.ok());
    CHECK(row.error().kind == by_name.error().kind);
    CHECK(row.error().messages == by_name.error().messages);
    CHECK(prepared->decide().error().messages == by_name.error().messages);
  }
  SECTION("an unknown profile, a malformed override") {
    const auto profile = riskoff::PreparedInputs::prepare(ruleset, as_of, {.profile = "swingg"});
    CHECK(profile.error().messages == riskoff::decide(ruleset, riskoff::Snapshot(as_of), {.profile = "swingg"}).error().messages);
    const auto override = riskoff::PreparedInputs::prepare(ruleset, as_of, {.overrides = {"yield_jump=20"}});
    CHECK(override.error().kind == riskoff::ErrorKind::kUsage);
  }
}

TEST_CASE("the C API's prepared inputs evaluate rows and report errors by status", "[api][prepared][c]") {
  riskoff_ruleset* ruleset = nullptr;
  REQUIRE(riskoff_ruleset_load((kRoot + "/bench/peer.rules").c_str(), &ruleset) == RISKOFF_OK);
  riskoff_prepared* rows = nullptr;
  REQUIRE(riskoff_prepared_create(ruleset, 1000, nullptr, &rows) == RISKOFF_OK);
  const size_t count = riskoff_ruleset_input_count(ruleset);
  for (size_t k = 0; k < count; ++k) {
    uint32_t slot = 0;
    REQUIRE(riskoff_prepared_slot(rows, riskoff_ruleset_input(ruleset, k, nullptr), &slot) == RISKOFF_OK);
    CHECK(slot == k);
    REQUIRE(riskoff_prepared_set(rows, slot, 1000, 0.0) == RISKOFF_OK);
  }
  const char* action = nullptr;
  int unknown = -1;
  REQUIRE(riskoff_prepared_evaluate(rows, &action, &unknown) == RISKOFF_OK);
  CHECK(std::string(action) == "wait");
  CHECK(unknown == 0);
  uint32_t vix = 0;
  REQUIRE(riskoff_prepared_slot(rows, "vix", &vix) == RISKOFF_OK);
  REQUIRE(riskoff_prepared_set(rows, vix, 1000, 30) == RISKOFF_OK);  // vix > 25: deleveraging, one driver
  uint32_t rates = 0;
  REQUIRE(riskoff_prepared_slot(rows, "us10y_chg_5d_bp", &rates) == RISKOFF_OK);
  REQUIRE(riskoff_prepared_set(rows, rates, 1000, 20) == RISKOFF_OK);  // a second driver
  REQUIRE(riskoff_prepared_evaluate(rows, &action, nullptr) == RISKOFF_OK);
  CHECK(std::string(action) == "reduce");
  riskoff_decision* decision = nullptr;
  REQUIRE(riskoff_prepared_decide(rows, &decision) == RISKOFF_OK);
  CHECK(std::string(riskoff_decision_action(decision)) == "reduce");
  riskoff_decision_free(decision);

  CHECK(riskoff_prepared_set(rows, vix, 1000, std::nan("")) == RISKOFF_ERROR_SNAPSHOT);
  CHECK(std::string(riskoff_last_error()).find("expected a finite number") != std::string::npos);
  CHECK(riskoff_prepared_set(rows, vix, 1001, 1) == RISKOFF_ERROR_SNAPSHOT);  // after as_of
  CHECK(riskoff_prepared_set(rows, 999, 1000, 1) == RISKOFF_ERROR_ARGUMENT);
  uint32_t none = 0;
  CHECK(riskoff_prepared_slot(rows, "vixx", &none) == RISKOFF_ERROR_OPTIONS);
  CHECK(std::string(riskoff_last_error()).find("did you mean `vix`") != std::string::npos);
  REQUIRE(riskoff_prepared_clear(rows, vix) == RISKOFF_OK);
  CHECK(riskoff_prepared_evaluate(rows, &action, nullptr) == RISKOFF_ERROR_SNAPSHOT);
  CHECK(std::string(riskoff_last_error()) == "required input `vix` is missing from the snapshot");
  CHECK(riskoff_prepared_set_as_of(rows, 999) == RISKOFF_ERROR_SNAPSHOT);  // other slots hold time 1000
  CHECK(riskoff_prepared_evaluate(nullptr, &action, nullptr) == RISKOFF_ERROR_ARGUMENT);

  riskoff_prepared_free(rows);
  riskoff_ruleset_free(ruleset);
}
