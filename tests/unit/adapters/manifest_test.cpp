// The sources manifest under hostile edits (issue "Hardening", items 6, 8, 9): a field of the
// wrong type, a misspelt key or value, an input given twice or a scale that overflows is
// refused with the manifest file, the input, the field, what was expected and what was found.
// And the shipped JSON Schema files agree with the validator's tables.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "adapters/json_schema.hpp"
#include "adapters/snapshot_json.hpp"
#include "adapters/sources.hpp"
#include "tests/support/files.hpp"

using namespace riskoff;
using adapters::schema::Node;
using nlohmann::json;

namespace {

// The problems of a manifest with one input whose fields are `fields` (JSON members text).
std::vector<std::string> problems_of(const std::string& fields, const std::string& around = "") {
  testing::ScratchFolder scratch("manifest-test");
  scratch.write("f.csv", "DATE,X\n2026-02-03,4.1\n");
  const std::string text = R"({"format": "riskoff.sources/1", )" + around + R"("inputs": {"x": {)" + fields + "}}}";
  return adapters::read_manifest(scratch.write("m.json", text)).problems;
}
std::string first_problem(const std::string& fields, const std::string& around = "") {
  const auto problems = problems_of(fields, around);
  return problems.empty() ? "" : problems.front().substr(problems.front().find("m.json: ") + 8);
}
const std::string kGood = R"("reader": "fred_csv", "unit": "percent", "path": "f.csv")";

}  // namespace

TEST_CASE("a manifest field of the wrong JSON type names the input, the field and what was found",
          "[adapters][manifest][hostile]") {
  CHECK(first_problem(kGood + R"(, "scale": "100")") == "input `x`, `scale`: expected a number from -1e+12 to 1e+12, found a string `\"100\"`");
  CHECK(first_problem(kGood + R"(, "scale": null)") == "input `x`, `scale`: expected a number from -1e+12 to 1e+12, found null");
  CHECK(first_problem(R"("reader": "fred_csv", "unit": "percent", "path": 5)") == "input `x`, `path`: expected a string, found the number 5");
  CHECK(first_problem(R"("reader": 3, "unit": "percent", "path": "f.csv")").starts_with(
      "input `x`, `reader`: expected one of `fred_csv`, `fred_json`"));
  CHECK(first_problem(R"("reader": "csv", "unit": "percent", "path": "f.csv", "mapping": [])") ==
        "input `x`, `mapping`: expected an object, found an array");
  CHECK(first_problem(R"("reader": "fred_csv", "unit": "percent", "url": [])") == "input `x`, `url`: expected a string, found an array");
  CHECK(first_problem(kGood + R"(, "shift_hours": "4")") == "input `x`, `shift_hours`: expected a number from -8784 to 8784, found a string `\"4\"`");
  CHECK(first_problem(kGood + R"(, "daily_at_hour": "20")") == "input `x`, `daily_at_hour`: expected a whole number from 0 to 23, found a string `\"20\"`");
  CHECK(first_problem(kGood + R"(, "daily_at_hour": 20.5)") == "input `x`, `daily_at_hour`: expected a whole number from 0 to 23, found the number 20.5");
  CHECK(first_problem(kGood + R"(, "daily_at_hour": 24)") == "input `x`, `daily_at_hour`: expected a whole number from 0 to 23, found the number 24");
  CHECK(first_problem(kGood + R"(, "source": false)") == "input `x`, `source`: expected a string, found `false`");
  CHECK(first_problem(kGood, R"("http": {"max_age_hours": "6"}, )") == "`http.max_age_hours`: expected a number from 0 to 8784, found a string `\"6\"`");
  CHECK(first_problem(kGood, R"("http": {"cache_dir": 1}, )") == "`http.cache_dir`: expected a string, found the number 1");
  CHECK(first_problem(R"("reader": "csv", "unit": "percent", "path": "f.csv", "mapping": {"skip_lines": "1"})") ==
        "input `x`, `mapping.skip_lines`: expected a whole number from 0 to 10000, found a string `\"1\"`");
  CHECK(first_problem(R"("reader": "csv", "unit": "percent", "path": "f.csv", "mapping": {"decimal_comma": "yes"})") ==
        "input `x`, `mapping.decimal_comma`: expected true or false, found a string `\"yes\"`");
  CHECK(first_problem(R"("reader": "csv", "unit": "percent", "path": "f.csv", "mapping": {"delimiter": ";;"})") ==
        "input `x`: `mapping.delimiter`: expected one character (`,`, `;`, a tab...), found `;;`");
  CHECK(first_problem(R"("unit": "percent", "path": "f.csv")") == "input `x`: missing `reader` (expected one of `fred_csv`, "
                                                                   "`fred_json`, `yahoo_csv`, `yahoo_chart_json`, `stooq_csv`, "
                                                                   "`cboe_csv`, `binance_klines_json`, `binance_funding_json`, "
                                                                   "`binance_funding_csv`, `binance_open_interest_json`, `binance_klines_csv`, "
        "`binance_metrics_csv`, `coingecko_market_chart_json`, `alphavantage_json`, `tiingo_json`, "
        "`polygon_aggs_json`, `deribit_dvol_json`, `csv`, `store`)");
  CHECK(first_problem(kGood + R"(, "scale": 1e308)") == "input `x`, `scale`: expected a number from -1e+12 to 1e+12, found the number 1e+308");
  CHECK(first_problem(kGood + R"(, "scale": 0)") == "input `x`: `scale`: expected a number other than 0 (it would make every value 0)");
  CHECK(first_problem(kGood + R"(, "scale": 1e999)").ends_with(": not valid JSON: number overflow parsing '1e999' (not a finite number)"));
}

TEST_CASE("a misspelt key or value in a manifest is refused, with the spelling it was meant to be",
          "[adapters][manifest][hostile]") {
  CHECK(first_problem(kGood + R"(, "scal": 100)") == "input `x`: unknown key `scal`; did you mean `scale`?");
  CHECK(first_problem(kGood + R"(, "kind": "Scalar")") ==
        "input `x`, `kind`: expected one of `series`, `scalar`, found `Scalar`; did you mean `scalar`? (spellings are case-sensitive)");
  CHECK(first_problem(R"("reader": "fred_csv", "unit": "Percent", "path": "f.csv")") ==
        "input `x`, `unit`: expected one of `percent`, `bp`, `usd`, `index`, `number`, found `Percent`; did you mean "
        "`percent`? (spellings are case-sensitive)");
  CHECK(first_problem(R"("reader": "csv", "unit": "percent", "path": "f.csv", "mapping": {"date_colum": "d"})") ==
        "input `x`, `mapping`: unknown key `date_colum`; did you mean `date_column`?");
  CHECK(first_problem(kGood + R"(, "zzz": 1)").starts_with("input `x`: unknown key `zzz`; expected one of `reader`, `unit`"));
  CHECK(first_problem(kGood, R"("inptus": {}, )") == "unknown key `inptus`; did you mean `inputs`?");
  CHECK(first_problem(kGood + R"(, "mapping": {})") == "input `x`: `mapping` is read only by the `csv` reader");
  CHECK(first_problem(kGood + R"(, "column": "Close")").starts_with("input `x`: the `fred_csv` reader has no column to choose"));
}

TEST_CASE("a manifest key or input given twice is refused, not silently the last", "[adapters][manifest][hostile]") {
  testing::ScratchFolder scratch("manifest-duplicates");
  scratch.write("f.csv", "DATE,X\n2026-02-03,4.1\n");
  const auto twice = adapters::read_manifest(scratch.write(
      "m.json", R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "fred_csv", "unit": "percent", "path": "f.csv"},
                    "x": {"reader": "fred_csv", "unit": "percent", "path": "f.csv", "scale": 100}}})"));
  REQUIRE(twice.problems.size() == 1);
  CHECK(twice.problems[0] == scratch.root.string() + "/m.json: `inputs`: duplicate key `x` (only one may be given; a JSON reader "
                                                     "would silently keep the last)");
  CHECK(first_problem(kGood + R"(, "scale": 1, "scale": 100)") ==
        "input `x`: duplicate key `scale` (only one may be given; a JSON reader would silently keep the last)");
}

TEST_CASE("a scale that makes a value infinite is refused with the file, the row and the field",
          "[adapters][manifest][hostile]") {
  testing::ScratchFolder scratch("manifest-infinite");
  scratch.write("f.csv", "DATE,X\n2026-02-02,1\n2026-02-03,4.1e300\n");
  const auto manifest = adapters::read_manifest(scratch.write(
      "m.json", R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "fred_csv", "unit": "percent", "path": "f.csv",
                    "scale": 1e12}}})"));
  REQUIRE(manifest.ok());
  adapters::BuildOptions options;
  options.as_of = *engine::parse_timestamp("2026-02-05T21:00:00Z");
  const auto built = adapters::build_snapshot(manifest, options);
  REQUIRE(built.problems.size() == 1);
  CHECK(built.problems[0] == "input `x` (fred_csv): " + scratch.root.string() +
                                 "/f.csv:3: the value 4.1e+300 times `scale` 1e+12 is not a finite number");
}

TEST_CASE("the shipped manifests validate", "[adapters][manifest]") {
  std::vector<std::filesystem::path> manifests{testing::test_data("sources.json"),
                                               std::filesystem::path(RISKOFF_SOURCE_DIR) / "tests/golden/replay/data/sources.json"};
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(RISKOFF_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() == ".json") manifests.push_back(entry.path());
  }
  REQUIRE(manifests.size() >= 4);
  for (const auto& path : manifests) {
    INFO(path.string());
    const auto problems = adapters::check_manifest_text(testing::read_file(path), path.string());
    CHECK(problems.empty());
    if (!problems.empty()) CHECK(problems.front() == "");
  }
}

namespace {

// docs/*.schema.json against a validator table: the same keys at every level, the same
// required keys; with `exact`, the same allowed spellings, types and ranges too.
void compare(const json& root, const json& schema_node, const Node& node, const std::string& where, bool exact) {
  INFO("at " << where);
  json resolved = schema_node;
  if (resolved.contains("$ref")) {
    const std::string ref = resolved["$ref"];
    resolved = root["$defs"][ref.substr(ref.rfind('/') + 1)];
  }
  if (exact && resolved.contains("enum")) {
    CHECK(std::vector<std::string>(resolved["enum"].begin(), resolved["enum"].end()) ==
          std::vector<std::string>(node.one_of.begin(), node.one_of.end()));
  }
  if (exact && resolved.contains("const")) {
    REQUIRE(node.one_of.size() == 1);
    CHECK(resolved["const"].get<std::string>() == node.one_of[0]);
  }
  if (exact && resolved.contains("type")) {
    const std::string type = resolved["type"];
    const auto bits = node.types.bits;
    CHECK(bits == (type == "string"    ? adapters::schema::kString.bits
                   : type == "number"  ? adapters::schema::kNumber.bits
                   : type == "integer" ? adapters::schema::kInteger.bits
                   : type == "boolean" ? adapters::schema::kBoolean.bits
                   : type == "object"  ? adapters::schema::kObject.bits
                   : type == "array"   ? adapters::schema::kArray.bits
                                       : 0));
  }
  if (exact) {
    CHECK(resolved.value("minimum", adapters::schema::kNoMinimum) == node.minimum);
    CHECK(resolved.value("maximum", adapters::schema::kNoMaximum) == node.maximum);
  }
  // A oneOf of objects (a snapshot input: series or scalar) lists the union of their keys.
  std::vector<json> alternatives;
  if (resolved.contains("oneOf")) alternatives.assign(resolved["oneOf"].begin(), resolved["oneOf"].end());
  else alternatives.push_back(resolved);
  std::set<std::string> keys;
  std::set<std::string> required;
  bool first = true;
  for (const auto& alternative : alternatives) {
    std::set<std::string> these;
    for (const auto& key : alternative.value("required", json::array())) these.insert(key.get<std::string>());
    if (first) required = these;
    else std::erase_if(required, [&](const std::string& key) { return !these.contains(key); });
    first = false;
    const json properties = alternative.value("properties", json::object());
    for (const auto& [key, value] : properties.items()) keys.insert(key);
  }
  const auto members = adapters::schema::member_keys(node);
  CHECK(keys == std::set<std::string>(members.begin(), members.end()));
  std::set<std::string> node_required;
  for (const auto& member : node.members) {
    if (member.presence == adapters::schema::Presence::kRequired) node_required.insert(std::string(member.key));
  }
  CHECK(required == node_required);
  const bool entries = resolved.contains("additionalProperties") && resolved["additionalProperties"].is_object();
  CHECK(entries == (node.other_keys == adapters::schema::OtherKeys::kEntries));
  if (entries) {
    REQUIRE(node.items != nullptr);
    compare(root, resolved["additionalProperties"], *node.items, where + ".*", exact);
  }
  for (const auto& member : node.members) {
    for (const auto& alternative : alternatives) {
      const auto properties = alternative.value("properties", json::object());
      if (properties.contains(member.key)) compare(root, properties[std::string(member.key)], *member.node, where + "." + std::string(member.key), exact);
    }
  }
}

}  // namespace

TEST_CASE("docs/sources.schema.json and docs/snapshot.schema.json agree with the validator's tables", "[adapters][manifest]") {
  const auto sources = json::parse(testing::read_file(std::filesystem::path(RISKOFF_SOURCE_DIR) / "docs/sources.schema.json"));
  compare(sources, sources, adapters::manifest_schema(), "sources", true);
  const auto snapshot = json::parse(testing::read_file(std::filesystem::path(RISKOFF_SOURCE_DIR) / "docs/snapshot.schema.json"));
  compare(snapshot, snapshot, adapters::snapshot_schema(), "snapshot", false);
}

TEST_CASE("every reader of the registry has a fuzz target", "[adapters][manifest][fuzz]") {
  // The manifest's reader enum (tested above to be the validator's registry) against the list
  // `make fuzz` builds and runs: a new reader without a target fails here, not in a review.
  const auto sources = json::parse(testing::read_file(std::filesystem::path(RISKOFF_SOURCE_DIR) / "docs/sources.schema.json"));
  const auto readers = sources["$defs"]["input"]["properties"]["reader"]["enum"].get<std::vector<std::string>>();
  REQUIRE(readers.size() >= 19);
  std::set<std::string> targets;
  std::istringstream lines(testing::read_file(std::filesystem::path(RISKOFF_SOURCE_DIR) / "tests/fuzz/targets.txt"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() != '#') targets.insert(line);
  }
  for (const auto& reader : readers) {
    INFO("reader `" << reader << "` has no line in tests/fuzz/targets.txt");
    CHECK(targets.count(reader) == 1);
  }
}

TEST_CASE("an explicit source label is redacted like the label taken from a URL", "[adapters][manifest][hostile]") {
  // The label is kept in every snapshot and from there in the hash-chained audit store, where it
  // cannot be scrubbed: an author pasting the URL, or its key, into the label must not leak it.
  testing::ScratchFolder scratch("manifest-label");
  const auto manifest = adapters::read_manifest(scratch.write("m.json", R"json({"format": "riskoff.sources/1", "inputs": {
    "x": {"reader": "fred_json", "unit": "percent", "source": "FRED https://u:hunter22@api.stlouisfed.org/fred?api_key=abcd1234",
          "url": "https://api.stlouisfed.org/fred/series/observations?series_id=DGS10&api_key=abcd1234"},
    "y": {"reader": "fred_json", "unit": "percent", "source": "FRED DGS10 (key abcd1234)",
          "url": "https://api.stlouisfed.org/fred/series/observations?series_id=DGS10&api_key=abcd1234"},
    "z": {"reader": "fred_json", "unit": "percent", "source": "FRED:DGS10",
          "url": "https://api.stlouisfed.org/fred/series/observations?series_id=DGS10&api_key=abcd1234"}}})json"));
  REQUIRE(manifest.problems.empty());
  REQUIRE(manifest.sources.size() == 3);
  CHECK(manifest.sources[0].source == "FRED https://REDACTED@api.stlouisfed.org/fred?api_key=REDACTED");
  CHECK(manifest.sources[1].source == "FRED DGS10 (key REDACTED)");
  CHECK(manifest.sources[2].source == "FRED:DGS10");
}

TEST_CASE("the sources root (--sources-root) refuses a data file or cache folder that resolves outside it", "[adapters][manifest][hostile]") {
  testing::ScratchFolder scratch("manifest-root");
  scratch.write("root/in.csv", "DATE,X\n2026-02-03,4.1\n");
  scratch.write("out.csv", "DATE,X\n2026-02-03,4.1\n");
  std::filesystem::create_symlink("../out.csv", scratch.root / "root/link.csv");
  const std::string root = (scratch.root / "root").string();
  auto problems = [&](const std::string& path, const std::string& around = "") {
    const std::string text = R"({"format": "riskoff.sources/1", )" + around + R"("inputs": {"x": {"reader": "fred_csv", "unit": "percent", "path": ")" + path + R"("}}})";
    return adapters::read_manifest(scratch.write("root/m.json", text), {.root = root}).problems;
  };
  CHECK(problems("in.csv").empty());
  const auto dotdot = problems("../out.csv");
  REQUIRE(dotdot.size() == 1);
  CHECK(dotdot[0].find("input `x`: `path`: `") != std::string::npos);
  CHECK(dotdot[0].find("` resolves outside --sources-root `" + root + "`") != std::string::npos);
  const auto linked = problems("link.csv");
  REQUIRE(linked.size() == 1);
  CHECK(linked[0].find("(it is a symbolic link)") != std::string::npos);
  CHECK(problems("*.csv").size() == 1);  // the glob matches the link too
  const auto cache = problems("in.csv", R"("http": {"cache_dir": "../cache"}, )");
  REQUIRE(cache.size() == 1);
  CHECK(cache[0].find("`http`: `cache_dir`: ") != std::string::npos);
  // Without a root the same manifest is the author's to write.
  CHECK(adapters::read_manifest((scratch.root / "root/m.json").string()).problems.empty());
}

TEST_CASE("a manifest held in memory reads as the same file on disk would", "[adapters][manifest]") {
  testing::ScratchFolder scratch("manifest-in-memory");
  scratch.write("f.csv", "DATE,X\n2026-02-03,4.1\n");
  const std::string text = R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "fred_csv", "unit": "percent",
                              "path": "f.csv", "scale": 100}, "y": {"reader": "fred_csv", "unit": "bp", "path": "f.csv", "scal": 1}}})";
  const auto from_disk = adapters::read_manifest(scratch.write("m.json", text));
  const auto in_memory = adapters::read_manifest_text(text, (scratch.root / "m.json").string());
  CHECK(in_memory.problems == from_disk.problems);
  CHECK(in_memory.problems == std::vector<std::string>{(scratch.root / "m.json").string() +
                                                       ": input `y`: unknown key `scal`; did you mean `scale`?"});
  const auto good = adapters::read_manifest_text(
      R"({"format": "riskoff.sources/1", "inputs": {"x": {"reader": "fred_csv", "unit": "percent", "path": "f.csv", "scale": 100}}})",
      (scratch.root / "m.json").string());
  REQUIRE(good.ok());
  REQUIRE(good.sources.size() == 1);
  CHECK(good.sources[0].paths == std::vector<std::string>{(scratch.root / "f.csv").string()});
  CHECK(good.sources[0].scale == 100);
}
