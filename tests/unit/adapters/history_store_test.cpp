// The history store: import is all or nothing and idempotent, a store-backed manifest gives the
// same snapshot as the files, and a file that is not a store is refused clearly.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/files.hpp"
#include "adapters/history_store.hpp"

using namespace riskoff;
namespace fs = std::filesystem;

using Scratch = riskoff::testing::ScratchFolder;

TEST_CASE("import is transactional and idempotent; a store manifest reproduces the files", "[adapters][store]") {
  Scratch scratch("store-import");
  const std::string good = scratch.write("a.csv", "DATE,DGS10\n2026-02-02,4.29\n2026-02-03,4.28\n2026-02-04,4.29\n");
  const std::string manifest_text = R"({"format": "riskoff.sources/1", "inputs": {
      "us10y": {"reader": "fred_csv", "unit": "percent", "path": "a.csv", "source": "FRED:DGS10"}}})";
  const auto manifest = adapters::read_manifest(scratch.write("sources.json", manifest_text));
  REQUIRE(manifest.ok());
  const std::string db = (scratch.root / "history.sqlite").string();
  {
    const auto store = adapters::HistoryStore::open(db, OpenMode::kCreate);
    REQUIRE(store->import(manifest).ok());
    REQUIRE(store->import(manifest).ok());  // twice: same content, no duplicates
    const auto series = store->list();
    REQUIRE(series.size() == 1);
    CHECK(series[0].count == 3);
  }
  // A broken source fails the whole import and leaves the previous data as it was.
  scratch.write("a.csv", "DATE,DGS10\n2026-02-02,4.29\n2026-02-03,oops\n");
  {
    const auto store = adapters::HistoryStore::open(db, OpenMode::kExisting);
    const auto report = store->import(manifest);
    REQUIRE_FALSE(report.ok());
    CHECK(report.problems[0].find("a.csv:3:12: expected a number in column `DGS10`, found `oops`") != std::string::npos);
    CHECK(store->list()[0].count == 3);
  }
  // Built from the store, as of 2026-02-05 00:00Z: no look-ahead (the 4 Feb yield is posted on
  // the 5th at 16:15 New York, 21:15Z), same figures, and the known-at times kept at import.
  const auto from_store = adapters::read_manifest(scratch.write(
      "store.json", R"({"format": "riskoff.sources/1", "inputs": {
      "us10y": {"reader": "store", "unit": "percent", "path": "history.sqlite"}}})"));
  REQUIRE(from_store.ok());
  adapters::BuildOptions options;
  options.as_of = *engine::parse_timestamp("2026-02-05T00:00:00Z");
  const auto built = adapters::build_snapshot(from_store, options);
  INFO((built.problems.empty() ? std::string() : built.problems[0]));
  REQUIRE(built.ok());
  REQUIRE(built.snapshot.inputs.size() == 1);
  CHECK(built.snapshot.inputs[0].values == std::vector<double>{4.29, 4.28});
  CHECK(engine::format_timestamp(built.snapshot.inputs[0].known_at.back()) == "2026-02-04T21:15:00Z");
  options.as_of = *engine::parse_timestamp("2026-02-05T21:15:00Z");
  CHECK(adapters::build_snapshot(from_store, options).snapshot.inputs[0].values.size() == 3);
}

TEST_CASE("a file that is not a riskoff store is refused with its name", "[adapters][store]") {
  Scratch scratch("store-foreign");
  const std::string text_file = scratch.write("notes.sqlite", "this is not a database, just text\n");
  CHECK_THROWS_WITH(adapters::HistoryStore::open(text_file, OpenMode::kExisting), Catch::Contains("notes.sqlite"));
  CHECK_THROWS_AS(adapters::HistoryStore::open((scratch.root / "absent.sqlite").string(), OpenMode::kExisting), adapters::StoreError);
}
