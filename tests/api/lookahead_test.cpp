// The look-ahead check (riskoff::check_lookahead, `riskoff replay --lookahead-check`): sampled
// steps of a replay decided again from the files cut at each step. An honest manifest passes; a
// manifest that brings data forward (`shift_hours: -24` on daily closes: each close is seen a
// day before its file has it) is caught, naming the input and the observation.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "riskoff/backtest.hpp"
#include "riskoff/sources.hpp"

namespace {

const std::string kData = std::string(RISKOFF_SOURCE_DIR) + "/tests/golden/replay/data";

riskoff::Ruleset small_ruleset() {
  auto compiled = riskoff::Ruleset::load(std::string(RISKOFF_SOURCE_DIR) + "/tests/golden/replay/new.rules");
  REQUIRE(compiled.ok());
  return *compiled.ruleset;
}

// The replay fixture's manifest, with `extra` added to the `spx` entry, written in a scratch folder.
struct Manifest {
  std::filesystem::path folder = std::filesystem::temp_directory_path() / ("riskoff-lookahead-test-" + std::to_string(::getpid()));
  explicit Manifest(const std::string& extra) {
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "sources.json")
        << R"({"format": "riskoff.sources/1", "inputs": {
  "spx": {"reader": "csv", "unit": "index", "path": ")" << kData << R"(/spx.csv",
          "mapping": {"date_column": "date", "value_column": "close"})" << extra << R"(},
  "dxy": {"reader": "csv", "unit": "index", "path": ")" << kData << R"(/dxy.csv",
          "mapping": {"date_column": "date", "value_column": "close"}}}})";
  }
  ~Manifest() { std::filesystem::remove_all(folder); }
  riskoff::Sources load() const {
    auto sources = riskoff::Sources::load((folder / "sources.json").string());
    REQUIRE(sources.ok());
    return *sources;
  }
};

riskoff::BacktestOptions april() {
  riskoff::BacktestOptions options;
  options.from = *riskoff::parse_time("2022-04-01");
  options.to = *riskoff::parse_time("2022-04-22T23:59:59Z");  // before dxy's hole of 25-29 April
  return options;
}

}  // namespace

TEST_CASE("the look-ahead check passes on honest files and names the steps it re-decided", "[api][lookahead]") {
  const Manifest manifest("");
  const auto checked = riskoff::check_lookahead(small_ruleset(), manifest.load(), april(), {.steps = 100});
  REQUIRE(checked.ok());
  INFO((checked->differences.empty() ? std::string() : checked->differences.front().what));
  CHECK(checked->ok());
  CHECK_FALSE(checked->lookahead);
  CHECK(checked->steps.size() == 13);  // every close of the period (1 to 22 April 2022): fewer than asked
  CHECK(checked->read_whole.empty());  // CSV files: every input cut
  CHECK(std::is_sorted(checked->steps.begin(), checked->steps.end()));
}

TEST_CASE("the look-ahead check catches closes brought a day forward, naming the input", "[api][lookahead]") {
  const Manifest manifest(R"(, "shift_hours": -24)");
  const auto checked = riskoff::check_lookahead(small_ruleset(), manifest.load(), april(), {.steps = 100});
  REQUIRE(checked.ok());
  REQUIRE_FALSE(checked->ok());
  CHECK(checked->lookahead);
  // The replay's `spx` is the next day's close; the cut files do not have it yet.
  const auto spx = std::find_if(checked->differences.begin(), checked->differences.end(),
                                [](const auto& difference) { return difference.what == "spx"; });
  REQUIRE(spx != checked->differences.end());
  CHECK(spx->replay != spx->cut);
  REQUIRE_FALSE(checked->inputs.empty());
  INFO(checked->inputs.front());
  CHECK(checked->inputs.front().find("input `spx`: the whole files give ") != std::string::npos);
  CHECK(checked->inputs.front().find("the files cut at the step nothing more") != std::string::npos);
}

TEST_CASE("the look-ahead check samples the same steps for the same seed", "[api][lookahead]") {
  const Manifest manifest("");
  const auto ruleset = small_ruleset();
  const auto sources = manifest.load();
  const auto first = riskoff::check_lookahead(ruleset, sources, april(), {.steps = 4, .seed = 7});
  const auto again = riskoff::check_lookahead(ruleset, sources, april(), {.steps = 4, .seed = 7});
  const auto other = riskoff::check_lookahead(ruleset, sources, april(), {.steps = 4, .seed = 8});
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  REQUIRE(other.ok());
  CHECK(first->steps.size() == 4);
  CHECK(first->steps == again->steps);
  CHECK(first->steps != other->steps);
  const auto none = riskoff::check_lookahead(ruleset, sources, april(), {.steps = 0});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().kind == riskoff::ErrorKind::kUsage);
}

// After dxy's hole (25-29 April missing), `pct_change(dxy, 5d)` at 6 May reads the close of 22 April
// (the last at or before t_last - 5d, docs/language.md). The replay's whole history has it; the
// snapshot `eval --sources --as-of` builds used to drop it (its lookback counted 5d + 7d back from
// as_of), so eval said the move was unknown where the replay gave 0.70%.
TEST_CASE("after a hole in the data, eval and the replay read the same windowed move", "[api][lookahead]") {
  const Manifest manifest("");
  riskoff::BacktestOptions may;
  may.from = *riskoff::parse_time("2022-05-02");
  may.to = *riskoff::parse_time("2022-05-13T23:59:59Z");
  may.figures = {"dxy_move"};
  const auto ruleset = small_ruleset();
  const auto sources = manifest.load();
  const auto run = riskoff::Backtest::run(ruleset, sources, may);
  REQUIRE(run.ok());
  const auto& steps = run->report().steps;
  const auto sixth = std::find_if(steps.begin(), steps.end(),
                                  [](const auto& step) { return step.time == *riskoff::parse_time("2022-05-06"); });
  REQUIRE(sixth != steps.end());
  REQUIRE(sixth->figures.size() == 1);
  CHECK(sixth->figures[0] == Approx(100.8 / 100.1 * 100 - 100).epsilon(1e-9));  // 6 May's close over 22 April's

  const auto checked = riskoff::check_lookahead(ruleset, sources, may, {.steps = 100});
  REQUIRE(checked.ok());
  INFO((checked->differences.empty() ? std::string() : checked->differences.front().what + ": replay " +
                                                           checked->differences.front().replay + ", eval " +
                                                           checked->differences.front().cut));
  CHECK(checked->ok());
  CHECK(checked->steps.size() == steps.size());  // every step re-decided, 6 May among them
  CHECK(std::find(checked->steps.begin(), checked->steps.end(), sixth->decided_at) != checked->steps.end());
}
