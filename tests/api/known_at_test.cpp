// No observation is in a snapshot before the moment it became known: for every input of the
// shipped manifest that reads local files (examples/sources-local.json; examples/sources.json
// reads URLs), at 20 random times of day (seeded), the snapshot built by the public API holds
// only observations whose known-at, computed here independently from the documented clock rules
// (docs/sources.md "Clocks": session date + close in its zone + lag; bars at their close), is at
// or before the as-of, and the first one it leaves out is known after it. The zone arithmetic
// here is the C library's (TZ + mktime), not the tz library the adapters use.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "riskoff/sources.hpp"

namespace {

constexpr std::int64_t kDay = 86400;

// The UTC instant of a wall time in an IANA zone, through the C library.
std::int64_t utc_of(const char* zone, std::int64_t local) {
  ::setenv("TZ", zone, 1);
  ::tzset();
  const std::time_t as_utc = static_cast<std::time_t>(local);
  std::tm fields{};
  ::gmtime_r(&as_utc, &fields);
  fields.tm_isdst = -1;
  const std::int64_t out = ::mktime(&fields);
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  return out;
}
std::int64_t local_of(const char* zone, std::int64_t utc) {
  ::setenv("TZ", zone, 1);
  ::tzset();
  const std::time_t at = static_cast<std::time_t>(utc);
  std::tm fields{};
  ::localtime_r(&at, &fields);
  const std::int64_t offset = fields.tm_gmtoff;
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  return utc + offset;
}

// The documented rules, one per input of examples/sources-local.json.
enum class Rule { kSession, kEndOfUtcDay, kAtTwentyUtc, kBarClose, kBarCloseCappedAtNyClose, kInstant };
struct InputRule {
  Rule rule;
  int close_minute = 0;      // local, America/New_York
  int lag_business_days = 0;
  int lag_minutes = 0;
};
const std::map<std::string, InputRule> kRules = {
    {"us10y", {Rule::kSession, 16 * 60 + 15, 1}},         // fred_csv default: H.15, 16:15 NY next business day
    {"us2y", {Rule::kSession, 16 * 60 + 15, 1}},          // manifest: known_at 16:15, tz NY, lag 1bd
    {"real10y", {Rule::kSession, 16 * 60 + 15, 1}},
    {"dxy", {Rule::kSession, 17 * 60}},                   // manifest: known_at 17:00 (ICE)
    {"vix", {Rule::kSession, 16 * 60 + 15}},              // cboe_csv default
    {"spx", {Rule::kSession, 16 * 60}},                   // yahoo_csv default: NYSE close
    {"soxx", {Rule::kSession, 16 * 60}},
    {"breadth50", {Rule::kSession, 16 * 60, 0, 60}},      // manifest: 16:00 NY, lag 1h
    {"spx_4h", {Rule::kBarCloseCappedAtNyClose, 16 * 60}},  // 4h bars by open, capped at 16:00 NY
    {"btc", {Rule::kAtTwentyUtc}},                        // daily_at_hour 20: the 4h bar closing 20:00Z
    {"btc_4h", {Rule::kBarClose}},
    {"btc_funding", {Rule::kInstant}},
    {"btc_oi", {Rule::kEndOfUtcDay}},                     // csv default for a daily file
    {"btc_long_liqs", {Rule::kEndOfUtcDay}},
};

std::int64_t add_business_days(std::int64_t day, int count) {
  while (count > 0) {
    ++day;
    const auto weekday = ((day % 7) + 10) % 7;  // 1970-01-01 (day 0) was a Thursday: 0 = Monday
    if (weekday < 5) --count;
  }
  return day;
}

std::int64_t known(const InputRule& rule, std::int64_t time) {
  switch (rule.rule) {
    case Rule::kSession: {
      const std::int64_t day = add_business_days(time / kDay, rule.lag_business_days);
      return utc_of("America/New_York", day * kDay + rule.close_minute * 60) + rule.lag_minutes * 60;
    }
    case Rule::kEndOfUtcDay: return time + kDay;
    case Rule::kAtTwentyUtc: return time + 20 * 3600;
    case Rule::kBarClose: return time + 4 * 3600;
    case Rule::kBarCloseCappedAtNyClose: {
      const std::int64_t local_open = local_of("America/New_York", time);
      const std::int64_t close = (local_open / kDay) * kDay + rule.close_minute * 60;
      return local_open < close ? std::min(time + 4 * 3600, utc_of("America/New_York", close)) : time + 4 * 3600;
    }
    case Rule::kInstant: return time;
  }
  return time;
}

std::string shown(std::int64_t time) { return riskoff::format_time(time); }

// `count` as-ofs from the seeded stream, skipping the first `skip`: a day from mid-2020 to the
// end of 2025 and a second of that day (raw mt19937_64 output: the same on every platform).
std::vector<std::int64_t> random_times(std::size_t skip, std::size_t count) {
  std::mt19937_64 stream(20260204);
  const std::int64_t first = *riskoff::parse_time("2020-06-01"), days = 2000;
  std::vector<std::int64_t> out;
  for (std::size_t k = 0; k < skip + count; ++k) {
    const auto day = static_cast<std::int64_t>(stream() % days);
    const auto second = static_cast<std::int64_t>(stream() % kDay);
    if (k >= skip) out.push_back(first + day * kDay + second);
  }
  return out;
}

void check_at(const riskoff::Sources& sources, std::int64_t as_of) {
  INFO("as of " << shown(as_of));
  const auto built = riskoff::build_snapshot(sources, {.as_of = as_of, .missing = riskoff::MissingInputs::kLeaveOut});
  REQUIRE(built.ok());
  const auto json = nlohmann::json::parse(built->snapshot.to_json());
  for (const auto& clock : built->clocks) {
    INFO("input `" << clock.input << "`");
    const auto rule = kRules.find(clock.input);
    REQUIRE(rule != kRules.end());  // a new input of the manifest needs its documented rule here
    if (json["inputs"].contains(clock.input)) {
      for (const auto& time : json["inputs"][clock.input]["times"]) {
        const auto at = *riskoff::parse_time(time.get<std::string>());
        INFO("observation " << shown(at) << " known at " << shown(known(rule->second, at)));
        CHECK(known(rule->second, at) <= as_of);
      }
    }
    if (clock.last_time) CHECK(shown(*clock.last_known) == shown(known(rule->second, *clock.last_time)));
    if (clock.next_time) {
      INFO("the first observation left out, " << shown(*clock.next_time));
      CHECK(shown(*clock.next_known) == shown(known(rule->second, *clock.next_time)));
      CHECK(known(rule->second, *clock.next_time) > as_of);
    }
  }
}

riskoff::Sources shipped() {
  auto sources = riskoff::Sources::load(std::string(RISKOFF_SOURCE_DIR) + "/examples/sources-local.json");
  REQUIRE(sources.ok());
  REQUIRE(sources->inputs().size() == kRules.size());
  return *sources;
}

}  // namespace

// Four cases of five times each: every ctest stays well under the time limit in the ASan build.
TEST_CASE("no observation of the shipped manifest is in a snapshot before it became known (times 1-5)", "[api][clock]") {
  const auto sources = shipped();
  for (const auto as_of : random_times(0, 5)) check_at(sources, as_of);
}
TEST_CASE("no observation of the shipped manifest is in a snapshot before it became known (times 6-10)", "[api][clock]") {
  const auto sources = shipped();
  for (const auto as_of : random_times(5, 5)) check_at(sources, as_of);
}
TEST_CASE("no observation of the shipped manifest is in a snapshot before it became known (times 11-15)", "[api][clock]") {
  const auto sources = shipped();
  for (const auto as_of : random_times(10, 5)) check_at(sources, as_of);
}
TEST_CASE("no observation of the shipped manifest is in a snapshot before it became known (times 16-20)", "[api][clock]") {
  const auto sources = shipped();
  for (const auto as_of : random_times(15, 5)) check_at(sources, as_of);
}

// Issue 12, finding 1, as it was reported: before the US open on 4 Feb 2026 the snapshot held the
// 4 Feb closes of the S&P 500, VIX, the dollar index and the 10-year yield, because a daily close
// counted from 00:00Z of its own date. Each input's last observation is pinned by its date, at
// 14:00Z (before the open) and at 21:30Z (after the NYSE and CBOE closes, before ICE's 17:00 New
// York close of the dollar index and before FRED posts 4 Feb's yield the next business day).
TEST_CASE("as of 14:00Z on a trading day the snapshot holds yesterday's closes; after 21:00Z today's", "[api][clock]") {
  const auto sources = shipped();
  auto last_dates = [&](const char* as_of) {
    const auto built = riskoff::build_snapshot(sources, {.as_of = *riskoff::parse_time(as_of), .missing = riskoff::MissingInputs::kLeaveOut});
    REQUIRE(built.ok());
    std::map<std::string, std::string> out;
    for (const auto& clock : built->clocks) {
      if (clock.last_time) out[clock.input] = shown(*clock.last_time).substr(0, 10);
    }
    return out;
  };
  const auto before_open = last_dates("2026-02-04T14:00:00Z");
  CHECK(before_open.at("spx") == "2026-02-03");
  CHECK(before_open.at("vix") == "2026-02-03");
  CHECK(before_open.at("dxy") == "2026-02-03");
  CHECK(before_open.at("us10y") == "2026-02-02");  // 3 Feb's rate is posted 4 Feb at 16:15 New York
  const auto after_close = last_dates("2026-02-04T21:30:00Z");
  CHECK(after_close.at("spx") == "2026-02-04");    // 16:00 New York = 21:00Z in February
  CHECK(after_close.at("vix") == "2026-02-04");    // 16:15 = 21:15Z
  CHECK(after_close.at("dxy") == "2026-02-03");    // ICE closes at 17:00 New York = 22:00Z
  CHECK(after_close.at("us10y") == "2026-02-03");  // posted 21:15Z on 4 Feb
}
