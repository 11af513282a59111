// Building a snapshot from examples/sources-local.json (the real files in ../shared/data): the
// figures must be the raw files' own, nothing after as_of may appear, and the snapshot must
// evaluate with the default ruleset.
#include <catch2/catch.hpp>

#include "../dsl/test_support.hpp"
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
  const auto manifest = adapters::read_manifest(std::string(RISKOFF_SOURCE_DIR) + "/examples/sources-local.json");
  INFO((manifest.problems.empty() ? std::string() : manifest.problems.front()));
  REQUIRE(manifest.ok());
  auto checked = testing::check(testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules"));
  REQUIRE_FALSE(checked.diagnostics.has_errors());
  const auto plan = engine::Plan::compile(std::shared_ptr<const engine::CheckedRuleset>(std::move(checked.ruleset)));

  adapters::BuildOptions options;
  options.as_of = *engine::parse_timestamp("2026-02-04T21:00:00Z");
  options.lookback = adapters::lookback_of(*plan);
  for (const auto& input : plan->inputs()) {
    if (input.optional) options.optional_inputs.push_back(input.name);
  }
  const auto built = adapters::build_snapshot(manifest, options);
  INFO((built.problems.empty() ? std::string() : built.problems.front()));
  REQUIRE(built.ok());

  // Spot checks against the raw rows (grep the files to see them):
  //   fred/DGS10__huhng24.csv             2026-02-04,4.29
  //   cboe/VIX_History...csv              2026-02-04,...,18.640000 (close)
  //   yfinance/GSPC__BrunoPPivetti.csv    2026-02-04,6882.72021484375
  //   klines-4h/BTCUSDT_4h...csv          2026-02-04 16:00:00 bar, close 73923.29 (stamped at its 20:00 end)
  //   investing/SOXX...csv                "02/04/2026","330.38"
  //   BTCUSDT-fundingRate-2026-02.csv     1770220800000 (2026-02-04 16:00), 0.00004618 -> 0.004618 %
  const struct {
    const char* input;
    const char* time;
    double value;
  } expected[] = {{"us10y", "2026-02-04T00:00:00Z", 4.29},     {"vix", "2026-02-04T00:00:00Z", 18.64},
                  {"spx", "2026-02-04T00:00:00Z", 6882.72021484375}, {"btc", "2026-02-04T00:00:00Z", 73923.29},
                  {"soxx", "2026-02-04T00:00:00Z", 330.38},    {"btc_funding", "2026-02-04T16:00:00Z", 0.004618}};
  for (const auto& row : expected) {
    INFO("input " << row.input);
    const auto* data = find(built.snapshot, row.input);
    REQUIRE(data != nullptr);
    CHECK(engine::format_timestamp(data->times.back()) == row.time);
    CHECK(data->values.back() == Approx(row.value).epsilon(1e-12));
    CHECK(data->times.back() <= options.as_of);  // no look-ahead
  }
  // Open interest and liquidations do not reach 2026 in ../shared/data: optional, so left out.
  CHECK(find(built.snapshot, "btc_oi") == nullptr);
  CHECK(built.skipped.size() == 2);

  const auto bound = engine::bind(*plan, built.snapshot);
  REQUIRE(bound.ok());
  engine::Evaluation evaluation;
  engine::evaluate(*plan, bound.bound, static_cast<std::uint32_t>(plan->find_profile("swing")), {}, evaluation);
  CHECK(plan->profiles()[1].clauses[static_cast<std::size_t>(evaluation.chosen)].clause->action == "reduce");
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
