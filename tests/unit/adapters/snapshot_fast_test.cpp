// The fast snapshot reader (simdjson) against the checked one (nlohmann and the schema): it
// reads what the checked reader accepts to the same snapshot, bit for bit, and gives up on
// everything else, so every message still comes from the checked reader. The fuzz target
// (tests/fuzz/snapshot_fuzz.cpp) checks the same on generated documents.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <sstream>

#include "adapters/snapshot_json.hpp"

using namespace riskoff::adapters;

namespace {

std::optional<riskoff::engine::Snapshot> fast(const std::string& text) {
  std::string padded;
  padded.reserve(text.size() + 64);
  padded.assign(text);
  return read_snapshot_fast(padded, padded.capacity());
}

// Every field the two readers fill, values compared by their bits (-0 is not 0 here).
std::string differences(const riskoff::engine::Snapshot& a, const riskoff::engine::Snapshot& b) {
  if (a.as_of != b.as_of) return "as_of differs";
  if (a.inputs.size() != b.inputs.size()) return "input counts differ";
  for (std::size_t k = 0; k < a.inputs.size(); ++k) {
    const auto& x = a.inputs[k];
    const auto& y = b.inputs[k];
    if (x.name != y.name) return "input " + std::to_string(k) + " is `" + x.name + "` against `" + y.name + "`";
    if (x.unit != y.unit || x.source != y.source || x.is_series != y.is_series) return "input `" + x.name + "` differs";
    if (x.times != y.times || x.known_at != y.known_at) return "times of `" + x.name + "` differ";
    if (x.values.size() != y.values.size() ||
        (!x.values.empty() && std::memcmp(x.values.data(), y.values.data(), x.values.size() * sizeof(double)) != 0)) {
      return "values of `" + x.name + "` differ";
    }
  }
  return "";
}

const std::string kHead = R"({"format": "riskoff.snapshot/1", "as_of": "2026-02-04T21:00:00Z", "inputs": )";
std::string doc(const std::string& inputs) { return kHead + inputs + "}"; }

}  // namespace

TEST_CASE("the fast reader reads the example snapshots as the checked reader does", "[adapters][snapshot]") {
  for (const char* name : {"2019-11-15", "2020-03-16", "2026-02-04"}) {
    std::ifstream file(std::string(RISKOFF_SOURCE_DIR) + "/examples/snapshots/" + name + ".json");
    std::stringstream bytes;
    bytes << file.rdbuf();
    const auto checked = read_snapshot_checked(bytes.str(), name);
    REQUIRE(checked.ok());
    const auto read = fast(bytes.str());
    INFO(name);
    REQUIRE(read.has_value());
    CHECK(differences(*read, checked.snapshot) == "");
  }
}

TEST_CASE("the fast reader agrees on valid documents it could get wrong", "[adapters][snapshot]") {
  const std::string cases[] = {
      // inputs before as_of and format; names sorted as the checked reader's object sorts them
      R"({"inputs": {"b": {"unit": "bp", "time": "2026-02-04", "value": 1}, "a": {"unit": "usd", "times": [], "values": []}},
          "as_of": "2026-02-04", "format": "riskoff.snapshot/1"})",
      // integers past 2^53, 2^63 and 2^64, exponents, the smallest subnormal, zero (every number is
      // read as the nearest double, integers too)
      doc(R"({"x": {"unit": "number", "times": ["2026-01-29", "2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02",
                "2026-02-03", "2026-02-04"], "values": [9007199254740993, 18446744073709551615, 1.5e300, 5e-324,
                -9223372036854775808, 123456789012345678901234567890, 0]}})"),
      // times at the calendar's edges, in both spellings (read at fixed positions)
      doc(R"({"x": {"unit": "index", "times": ["0000-01-01", "1900-02-28T23:59:59Z", "2000-02-29", "2024-12-31T23:59:59Z"],
                "values": [1, 2, 3, 4]}})"),
      // escapes in names and sources, known_at for a series and for a scalar
      doc(R"({"caf\u00e9": {"unit": "index", "source": "a \"quoted\" source", "times": ["2026-02-03T10:00:00Z"],
                "values": [1.25], "known_at": ["2026-02-03T12:00:00Z"]},
              "s": {"unit": "percent", "time": "2026-02-04", "value": 2, "known_at": "2026-02-04T20:00:00Z"}})"),
  };
  for (const auto& text : cases) {
    INFO(text);
    const auto checked = read_snapshot_checked(text, "s.json");
    REQUIRE(checked.ok());
    const auto read = fast(text);
    REQUIRE(read.has_value());
    CHECK(differences(*read, checked.snapshot) == "");
    // And read_snapshot_json, which tries the fast reader first, gives the same.
    CHECK(differences(read_snapshot_json(text, "s.json").snapshot, checked.snapshot) == "");
  }
}

TEST_CASE("the fast reader gives up on every document the checked reader refuses", "[adapters][snapshot]") {
  const std::string cases[] = {
      kHead.substr(0, 40),
      doc("{}") + " junk",
      doc(R"({"x": {"unit": "index", "time": "2026-02-04", "value": 1}, "x": {"unit": "index", "time": "2026-02-04", "value": 2}})"),
      doc(R"({"x": {"unit": "index", "unit": "bp", "time": "2026-02-04", "value": 1}})"),
      doc(R"({"x": {"unit": "index", "tme": "2026-02-04", "value": 1}})"),
      doc(R"({"x": {"unit": "Index", "time": "2026-02-04", "value": 1}})"),
      doc(R"({"x": {"unit": "index", "time": "2026-02-05", "value": 1}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03", "2026-02-03"], "values": [1, 2]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [1, 2]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [null]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [1e999]}})"),
      // times the fixed positions must not take: days that do not exist, other spellings
      doc(R"({"x": {"unit": "index", "times": ["2026-02-29"], "values": [1]}})"),
      doc(R"({"x": {"unit": "index", "times": ["1900-02-29T00:00:00Z"], "values": [1]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03T24:00:00Z"], "values": [1]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-2-03"], "values": [1]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03T21:00:00"], "values": [1]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03 21:00:00Z"], "values": [1]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03T21:00:00Z "], "values": [1]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [1], "time": "2026-02-03", "value": 1}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03", "2026-02-04"], "values": [1, 2],
                "known_at": ["2026-02-04T00:00:00Z", "2026-02-03T00:00:00Z"]}})"),
      doc(R"({"x": {"unit": "index", "times": ["2026-02-03"], "values": [1], "known_at": ["2026-02-05"]}})"),
      doc(R"({"x\ud800": {"unit": "index", "time": "2026-02-04", "value": 1}})"),
      doc(R"({"x": {"unit": "index", "source": "tab	inside", "time": "2026-02-04", "value": 1}})"),
      std::string(R"({"format": "riskoff.snapshot/1", "as_of": "2026-02-04", "inputs": {}})") + '\0',
      R"({"format": "riskoff.snapshot/2", "as_of": "2026-02-04", "inputs": {}})",
      R"({"format": "riskoff.snapshot/1", "as_of": "2026-02-04", "inputs": {}, "as_of": "2026-02-04"})",
      R"({"format": "riskoff.snapshot/1", "inputs": {}})",
      R"([1, 2])",
  };
  for (const auto& text : cases) {
    INFO(text);
    CHECK_FALSE(read_snapshot_checked(text, "s.json").ok());
    CHECK_FALSE(fast(text).has_value());
    // The messages are the checked reader's, word for word.
    CHECK(read_snapshot_json(text, "s.json").errors == read_snapshot_checked(text, "s.json").errors);
  }
}

TEST_CASE("valid documents the fast reader leaves to the checked one read the same", "[adapters][snapshot]") {
  // Control characters written as escapes are legal JSON but in no snapshot a program writes.
  const std::string cases[] = {
      doc(R"({"x\u0000": {"unit": "index", "time": "2026-02-04", "value": 1}})"),
      doc(R"({"x": {"unit": "index", "source": "a\tb", "time": "2026-02-04", "value": 1}})"),
      // -0 written as an integer is 0 to the checked reader; -0.0 stays negative: a negative zero
      // is the one number the fast reader does not read as its nearest double
      doc(R"({"x": {"unit": "number", "times": ["2026-02-01", "2026-02-02"], "values": [-0, -0.0]}})"),
  };
  for (const auto& text : cases) {
    INFO(text);
    const auto checked = read_snapshot_checked(text, "s.json");
    REQUIRE(checked.ok());
    CHECK_FALSE(fast(text).has_value());
    const auto read = read_snapshot_json(text, "s.json");
    REQUIRE(read.ok());
    CHECK(differences(read.snapshot, checked.snapshot) == "");
  }
}

TEST_CASE("the fast reader needs its padding", "[adapters][snapshot]") {
  const std::string text = doc("{}");
  CHECK_FALSE(read_snapshot_fast(text, text.size()).has_value());
}
