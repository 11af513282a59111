// Malformed snapshots: each is refused with a message naming the input, the index or time,
// and what was expected; none crashes.
#include <catch2/catch.hpp>

#include "adapters/snapshot_json.hpp"

using riskoff::adapters::read_snapshot_json;

namespace {
std::string first_error(const std::string& text) {
  const auto result = read_snapshot_json(text, "s.json");
  return result.errors.empty() ? "" : result.errors.front();
}
const std::string kHead = R"({"format": "riskoff.snapshot/1", "as_of": "2026-02-04T21:00:00Z", "inputs": )";
// A whole document around an `inputs` object.
std::string doc(const std::string& inputs) { return kHead + inputs + "}"; }
}  // namespace

TEST_CASE("a valid snapshot reads series and scalars", "[adapters][snapshot]") {
  const auto result = read_snapshot_json(
      doc(R"({"us10y": {"unit": "percent", "source": "FRED:DGS10", "times": ["2026-02-03", "2026-02-04"],
                  "values": [4.28, 4.29]}, "cuts": {"unit": "bp", "time": "2026-02-04T20:00:00Z", "value": 48}})"),
      "s.json");
  REQUIRE(result.ok());
  REQUIRE(result.snapshot.inputs.size() == 2);
  CHECK(result.snapshot.inputs[0].name == "cuts");
  CHECK_FALSE(result.snapshot.inputs[0].is_series);
  CHECK(result.snapshot.inputs[1].values.back() == 4.29);
  // Writing is canonical: reading it back and writing again gives the same bytes.
  const auto text = riskoff::adapters::write_snapshot_json(result.snapshot);
  const auto again = read_snapshot_json(text, "again.json");
  REQUIRE(again.ok());
  CHECK(riskoff::adapters::write_snapshot_json(again.snapshot) == text);
}

TEST_CASE("malformed snapshots name the input, the place and what was expected", "[adapters][snapshot]") {
  CHECK(first_error(kHead.substr(0, 40)).starts_with("s.json: 1:"));
  CHECK(first_error(kHead.substr(0, 40)).find("not valid JSON") != std::string::npos);
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [NaN]}})")).find("not valid JSON") !=
        std::string::npos);
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03", "2026-02-02"], "values": [1, 2]}})")) ==
        "s.json: input `x`, index 1 (2026-02-02): times must be strictly increasing (oldest first); previous is "
        "2026-02-03T00:00:00Z");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03", "2026-02-03"], "values": [1, 2]}})"))
            .ends_with("(duplicate)"));
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-05"], "values": [1]}})")) ==
        "s.json: input `x`, index 0 (2026-02-05): observation is after as_of 2026-02-04T21:00:00Z (look-ahead)");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": ["1.5"]}})")) ==
        "s.json: input `x`, index 0 (2026-02-03): expected a number, found a string `\"1.5\"`");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [null]}})")) ==
        "s.json: input `x`, index 0 (2026-02-03): expected a number, found null (leave missing observations out instead)");
  CHECK(first_error(doc(R"({"x": {"unit": "furlongs", "times": [], "values": []}})")) ==
        "s.json: input `x`, `unit`: expected one of `percent`, `bp`, `usd`, `index`, `number`, found `furlongs`");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["yesterday"], "values": [1]}})"))
            .find("expected a UTC time string") != std::string::npos);
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [1, 2]}})")) ==
        "s.json: input `x`: `times` has 1 entries but `values` has 2");
  CHECK(first_error(R"([1, 2, 3])") == "s.json: expected a JSON object with `format`, `as_of` and `inputs`, found an array");
  CHECK(first_error(R"({"format": "riskoff.snapshot/1", "as_of": "2026-13-01", "inputs": {}})")
            .find("expected `as_of`") != std::string::npos);
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [1e999]}})")).find("not valid JSON") !=
        std::string::npos);
}

TEST_CASE("100 MB of whitespace is an error, not a hang or a crash", "[adapters][snapshot]") {
  const std::string text(100u << 20, ' ');
  const auto error = first_error(text);
  CHECK(error.find("not valid JSON") != std::string::npos);
}

TEST_CASE("deeply nested JSON is an error, not a stack overflow", "[adapters][snapshot]") {
  const std::string text = std::string(100000, '[') + std::string(100000, ']');
  CHECK(first_error(text).find("expected a JSON object") != std::string::npos);
}

// Issue "Hardening", item 9: a snapshot whose keys repeat or do not exist would decide on what
// the reader happened to keep. Each is refused, naming the input and the key.
TEST_CASE("a snapshot key given twice is refused, not silently the last", "[adapters][snapshot][hostile]") {
  CHECK(first_error(R"({"format": "riskoff.snapshot/1", "as_of": "2026-02-04T21:00:00Z", "as_of": "2026-02-05T21:00:00Z",
                        "inputs": {}})") ==
        "s.json: duplicate key `as_of` (only one may be given; a JSON reader would silently keep the last)");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [1], "values": [2]}})")) ==
        "s.json: input `x`: duplicate key `values` (only one may be given; a JSON reader would silently keep the last)");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "time": "2026-02-03", "value": 1},
                            "x": {"unit": "index", "time": "2026-02-03", "value": 2}})")) ==
        "s.json: `inputs`: duplicate key `x` (only one may be given; a JSON reader would silently keep the last)");
}

TEST_CASE("a snapshot input is a series or a scalar, never both", "[adapters][snapshot][hostile]") {
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [1], "time": "2026-02-03", "value": 9}})")) ==
        "s.json: input `x`: has both series fields (`times`, `values`) and scalar fields (`time`, `value`); an input is one or "
        "the other");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "time": "2026-02-03"}})")) == "s.json: input `x`: a scalar needs `value`");
}

TEST_CASE("unknown snapshot keys are refused with the spelling meant", "[adapters][snapshot][hostile]") {
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "value": [1]}})")) ==
        "s.json: input `x`: has both series fields (`times`, `values`) and scalar fields (`time`, `value`); an input is one or "
        "the other");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "vals": [1]}})")) ==
        "s.json: input `x`: unknown key `vals`; expected one of `unit`, `source`, `times`, `values`, `time`, `value`, `known_at`");
  CHECK(first_error(doc(R"({"x": {"unit": "index", "time": "2026-02-03", "valeu": 1}})")) ==
        "s.json: input `x`: unknown key `valeu`; did you mean `value`?");
  CHECK(first_error(R"({"format": "riskoff.snapshot/1", "asof": "2026-02-04T21:00:00Z", "inputs": {}})") ==
        "s.json: missing `as_of` (expected a string)");
  CHECK(first_error(R"({"format": "riskoff.snapshot/2", "as_of": "2026-02-04T21:00:00Z", "inputs": {}})") ==
        "s.json: `format`: expected one of `riskoff.snapshot/1`, found `riskoff.snapshot/2`");
}

TEST_CASE("a hostile key or value is quoted in a message cut short", "[adapters][snapshot][hostile]") {
  const std::string long_text(1 << 20, 'u');
  const auto unit = first_error(doc(R"({"x": {"unit": ")" + long_text + R"(", "times": [], "values": []}})"));
  CHECK(unit.size() < 200);
  CHECK(unit.ends_with("...`"));
  const auto key = first_error(doc(R"({"x": {"unit": "index", ")" + long_text + R"(": 1, "times": [], "values": []}})"));
  CHECK(key.size() < 200);
  CHECK(key.starts_with("s.json: input `x`: unknown key `uuuu"));
}
