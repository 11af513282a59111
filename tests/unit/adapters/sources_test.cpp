// Building a snapshot from tests/data/sources.json (the vendored slice of real files, laid out as
// the manifest in examples/ that reads the full files): the figures must be the raw files' own,
// nothing after as_of may appear, and the snapshot must evaluate with the default ruleset.
#include <catch2/catch.hpp>

#include "tests/support/files.hpp"
#include "tests/support/check.hpp"
#include "adapters/sources.hpp"
#include "engine/evaluate.hpp"

using namespace riskoff;

namespace {
const engine::InputData* find(const engine::Snapshot& snapshot, const std::string& name) {
  for (const auto& input : snapshot.inputs) {
    if (input.name == name) return &input;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("a snapshot built from local sources carries the raw files' figures", "[adapters][sources]") {
  const auto manifest = adapters::read_manifest(testing::test_data("sources.json").string());
  INFO((manifest.problems.empty() ? std::string() : manifest.problems.front()));
  REQUIRE(manifest.ok());
  auto checked = testing::check(testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules"));
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  const auto plan = engine::Plan::compile(std::shared_ptr<const engine::CheckedRuleset>(std::move(checked.ruleset)));

  adapters::BuildOptions options;
  options.as_of = *engine::parse_timestamp("2020-03-16T21:00:00Z");
  options.lookback = adapters::lookback_of(*plan);
  for (const auto& input : plan->inputs()) {
    if (input.optional) options.optional_inputs.push_back(input.name);
  }
  const auto built = adapters::build_snapshot(manifest, options);
  INFO((built.problems.empty() ? std::string() : built.problems.front()));
  REQUIRE(built.ok());

  // Spot checks against the raw rows (grep the files in tests/data/ to see them):
  //   fred/DGS10__huhng24.csv             2020-03-13,0.94 (16 March's 0.73 is posted on the 17th)
  //   cboe/VIX_History...csv              2020-03-16,...,82.690000 (close)
  //   yfinance/GSPC__BrunoPPivetti.csv    2020-03-16,2386.1298828125 (Date,Close,High,Low,Open)
  //   klines-4h/BTCUSDT_4h...csv          2020-03-16 16:00:00 bar, close 4939.25 (stamped at its 20:00 end)
  //   investing/SOXX...csv                "03/16/2020","59.18"
  //   BTCUSDT-fundingRate-2020-03.csv     1584374400001 (2020-03-16 16:00), -0.00090358 -> -0.090358 %
  //   unattributed/open_interest...csv    2020.3.15,694297072.8 (a UTC day is known when it ends)
  const struct {
    const char* input;
    const char* time;
    double value;
    const char* known;  // when it became known: New York closes in EDT (DST began 8 March 2020)
  } expected[] = {{"us10y", "2020-03-13T00:00:00Z", 0.94, "2020-03-16T20:15:00Z"},
                  {"vix", "2020-03-16T00:00:00Z", 82.69, "2020-03-16T20:15:00Z"},
                  {"spx", "2020-03-16T00:00:00Z", 2386.1298828125, "2020-03-16T20:00:00Z"},
                  {"btc", "2020-03-16T00:00:00Z", 4939.25, "2020-03-16T20:00:00Z"},
                  {"soxx", "2020-03-16T00:00:00Z", 59.18, "2020-03-16T20:00:00Z"},
                  {"btc_funding", "2020-03-16T16:00:00Z", -0.090358, "2020-03-16T16:00:00Z"},
                  {"btc_oi", "2020-03-15T00:00:00Z", 694297072.8, "2020-03-16T00:00:00Z"}};
  for (const auto& row : expected) {
    INFO("input " << row.input);
    const auto* data = find(built.snapshot, row.input);
    REQUIRE(data != nullptr);
    CHECK(engine::format_timestamp(data->times.back()) == row.time);
    CHECK(data->values.back() == Approx(row.value).epsilon(1e-12));
    CHECK(engine::format_timestamp(data->known(data->times.size() - 1)) == row.known);
    CHECK(data->known(data->times.size() - 1) <= options.as_of);  // no look-ahead
  }
  // Liquidations start in 2022 (the slice keeps a few of those rows): optional, so left out.
  CHECK(find(built.snapshot, "btc_long_liqs") == nullptr);
  REQUIRE(built.skipped.size() == 1);
  CHECK_THAT(built.skipped.front(), Catch::StartsWith("input `btc_long_liqs` (optional)"));

  const auto bound = engine::bind(*plan, built.snapshot);
  REQUIRE(bound.ok());
  engine::Evaluation evaluation;
  engine::evaluate(*plan, bound.bound, static_cast<std::uint32_t>(plan->find_profile("swing")), {}, evaluation);
  CHECK(plan->profiles()[1].clauses[static_cast<std::size_t>(evaluation.chosen)].clause->action == "hedge");
}

TEST_CASE("the provider-URL manifest is well-formed and covers every required input", "[adapters][sources]") {
  const auto manifest = adapters::read_manifest(std::string(RISKOFF_SOURCE_DIR) + "/examples/sources.json");
  INFO((manifest.problems.empty() ? std::string() : manifest.problems.front()));
  REQUIRE(manifest.ok());
  auto checked = testing::check(testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules"));
  const auto plan = engine::Plan::compile(std::shared_ptr<const engine::CheckedRuleset>(std::move(checked.ruleset)));
  for (const auto& input : plan->inputs()) {
    if (input.optional) continue;
    INFO("required input " << input.name);
    CHECK(std::any_of(manifest.sources.begin(), manifest.sources.end(),
                      [&](const adapters::SourceSpec& spec) { return spec.input == input.name && !spec.url.empty(); }));
  }
}

TEST_CASE("a manifest names what is wrong with each source", "[adapters][sources]") {
  const auto missing = adapters::read_manifest("/nonexistent/sources.json");
  REQUIRE(missing.problems.size() == 1);
  CHECK(missing.problems[0] == "/nonexistent/sources.json: cannot open file");
}
