// The one JSON writer: escaping, the number policy (shortest round trip, %g layout), nesting and
// the three layouts the outputs use.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

#include "support/json_writer.hpp"

using riskoff::support::json_number;
using riskoff::support::json_quote;
using riskoff::support::JsonFloats;
using riskoff::support::JsonLayout;
using riskoff::support::JsonWriter;

namespace {

// What the trace writer did before the one writer: the shortest of %.15g..%.17g that reads back.
std::string shortest_printf(double value) {
  char buffer[32];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

}  // namespace

TEST_CASE("json strings escape quotes, backslashes and control characters and pass UTF-8 through", "[support][json]") {
  CHECK(json_quote("") == "\"\"");
  CHECK(json_quote("say \"hi\"\\") == R"("say \"hi\"\\")");
  CHECK(json_quote("a\nb\rc\td") == R"("a\nb\rc\td")");
  CHECK(json_quote(std::string("\x01\x1f\x7f", 3)) == "\"\\u0001\\u001f\x7f\"");
  CHECK(json_quote(std::string("nul\0!", 5)) == R"("nul\u0000!")");
  CHECK(json_quote("Zürich · 東京 😀") == "\"Zürich · 東京 😀\"");
  CHECK(json_quote("/") == "\"/\"");
}

TEST_CASE("json numbers are the shortest text that reads back as the same double", "[support][json]") {
  CHECK(json_number(0.1) == "0.1");
  CHECK(json_number(1.0 / 3) == "0.3333333333333333");
  CHECK(std::strtod(json_number(1.0 / 3).c_str(), nullptr) == 1.0 / 3);
  CHECK(json_number(1e21) == "1e+21");
  CHECK(json_number(1e15) == "1e+15");
  CHECK(json_number(123456789012345.0) == "123456789012345");
  CHECK(json_number(5e-324) == "5e-324");
  CHECK(json_number(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
  CHECK(json_number(0.0001) == "0.0001");
  CHECK(json_number(0.00001) == "1e-05");
  CHECK(json_number(0.0002475642743239) == "0.0002475642743239");
  CHECK(json_number(100000) == "100000");
  CHECK(json_number(-2.5) == "-2.5");
  CHECK(json_number(0.0) == "0");
  CHECK(json_number(-0.0) == "-0");
  CHECK(json_number(std::nan("")) == "null");
  CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
  CHECK(json_number(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("marked floats keep .0 on integral values in plain form only", "[support][json]") {
  CHECK(json_number(30, JsonFloats::kMarked) == "30.0");
  CHECK(json_number(-0.0, JsonFloats::kMarked) == "-0.0");
  CHECK(json_number(0.5, JsonFloats::kMarked) == "0.5");
  CHECK(json_number(1e15, JsonFloats::kMarked) == "1e+15");
  CHECK(json_number(1e-7, JsonFloats::kMarked) == "1e-07");
}

TEST_CASE("json numbers equal the old %.15g..%.17g trace numbers except near 1e15 and subnormals", "[support][json]") {
  std::mt19937_64 random(20261125);
  std::size_t compared = 0;
  for (int k = 0; k < 200000; ++k) {
    std::uint64_t bits = random();
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    if (k % 2 == 0) value = std::ldexp(static_cast<double>(bits >> 11), -53) * std::pow(10.0, k % 40 - 20);
    if (!std::isfinite(value)) continue;
    const std::string text = json_number(value);
    INFO(shortest_printf(value));
    REQUIRE(std::strtod(text.c_str(), nullptr) == value);
    const double magnitude = std::fabs(value);
    if (magnitude >= 1e15 && magnitude < 1e17) continue;  // %.16g/%.17g wrote these plainly
    // Subnormals carry fewer digits than 15: %.15g padded them, the shortest text does not.
    if (magnitude < std::numeric_limits<double>::min()) continue;
    REQUIRE(text == shortest_printf(value));
    ++compared;
  }
  CHECK(compared > 150000);
}

TEST_CASE("the pretty layout puts each member on its own line and inner containers may be spaced", "[support][json]") {
  JsonWriter json;
  json.begin_object();
  json.field("name", "swing").field_number("value", 0.5).field_bool("on", true);
  json.key("empty").begin_array().end_array();
  json.key("none").begin_object().end_object();
  json.key("list").begin_array();
  json.begin_object(JsonLayout::kSpaced).field_integer("step", 3).key("tags").begin_array().string("a").string("b").end_array();
  json.end_object();
  json.null();
  json.end_array();
  json.end_object();
  CHECK(json.take() ==
        "{\n"
        "  \"name\": \"swing\",\n"
        "  \"value\": 0.5,\n"
        "  \"on\": true,\n"
        "  \"empty\": [],\n"
        "  \"none\": {},\n"
        "  \"list\": [\n"
        "    {\"step\": 3, \"tags\": [\"a\", \"b\"]},\n"
        "    null\n"
        "  ]\n"
        "}");
}

TEST_CASE("a one-line record may hold a list laid out one element per line, indented from the record's line",
          "[support][json]") {
  // What the replay report's `against` member does: indentation counts pretty levels only.
  JsonWriter json;
  json.begin_object();
  json.key("against").begin_object(JsonLayout::kSpaced).field("old", "a.rules").key("diffs").begin_array(JsonLayout::kPretty);
  json.begin_object(JsonLayout::kSpaced).field_integer("step", 1).end_object();
  json.begin_object(JsonLayout::kSpaced).field_integer("step", 2).end_object();
  json.end_array().end_object();
  json.end_object();
  CHECK(json.take() ==
        "{\n"
        "  \"against\": {\"old\": \"a.rules\", \"diffs\": [\n"
        "    {\"step\": 1},\n"
        "    {\"step\": 2}\n"
        "  ]}\n"
        "}");
}

TEST_CASE("the compact layout has no spaces and raw values pass through", "[support][json]") {
  JsonWriter json(JsonLayout::kCompact);
  json.begin_object().field_integer("id", -7).key("nodes").begin_array().number(1.5).boolean(false).null();
  json.begin_array().number(1).number(2).end_array().end_array();
  json.key("trace").raw(R"({"a": 1})").end_object();
  CHECK(json.text() == R"({"id":-7,"nodes":[1.5,false,null,[1,2]],"trace":{"a": 1}})");
}

TEST_CASE("a pretty raw document inside a pretty one is indented to where it stands", "[support][json]") {
  JsonWriter json;
  json.begin_object().key("decision").raw("{\n  \"action\": \"hedge\",\n  \"list\": [\n    1\n  ]\n}");
  json.key("raw_line").raw(R"({"a": 1})").end_object();
  CHECK(json.take() ==
        "{\n"
        "  \"decision\": {\n"
        "    \"action\": \"hedge\",\n"
        "    \"list\": [\n"
        "      1\n"
        "    ]\n"
        "  },\n"
        "  \"raw_line\": {\"a\": 1}\n"
        "}");
}

TEST_CASE("a top-level scalar is written alone", "[support][json]") {
  JsonWriter json;
  json.number(2);
  CHECK(json.text() == "2");
}
