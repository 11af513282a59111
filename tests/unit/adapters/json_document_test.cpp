// The JSON reader under schema::read_document (adapters/json_document.cpp) reads most text with
// simdjson and hands the rest to a careful nlohmann reader. Whichever ran, the document must be
// the one nlohmann::json::parse gives, value and number kind alike, and every repeated key must
// be noted with its path, in document order.
#include <catch2/catch.hpp>

#include "adapters/json_document.hpp"

namespace {

using riskoff::adapters::schema::Duplicate;
using riskoff::adapters::schema::parse_document;
using nlohmann::json;

// Every value with the type nlohmann gives it ("5" unsigned, "-5" signed, "5.0" float).
std::string typed(const json& value) {
  std::string out = std::to_string(static_cast<int>(value.type())) + ":";
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) out += key + "=" + typed(item) + ",";
  } else if (value.is_array()) {
    for (const auto& item : value) out += typed(item) + ",";
  } else {
    out += value.dump();
  }
  return out;
}

std::string path_of(const Duplicate& duplicate) {
  std::string out;
  for (const auto& step : duplicate.path) {
    if (const auto* key = std::get_if<std::string>(&step)) out += "." + *key;
    else out += "[" + std::to_string(std::get<std::size_t>(step)) + "]";
  }
  return out + " " + duplicate.key;
}

std::vector<std::string> duplicates_in(const std::string& text) {
  std::vector<Duplicate> duplicates;
  std::vector<std::string> problems;
  const auto document = parse_document(text, duplicates, problems);
  REQUIRE(document.has_value());
  std::vector<std::string> paths;
  for (const auto& duplicate : duplicates) paths.push_back(path_of(duplicate));
  return paths;
}

std::string nested(int depth, const std::string& inner) {
  std::string text;
  for (int k = 0; k < depth; ++k) text += "{\"a\": [";
  text += inner;
  for (int k = 0; k < depth; ++k) text += "]}";
  return text;
}

}  // namespace

TEST_CASE("the document is nlohmann's, value and number kind alike", "[adapters][json]") {
  const std::vector<std::string> texts = {
      R"({"b": [1, -1, 0, 1.0, -0.0, 1e2, 1E-400, 18446744073709551615, 9223372036854775808]})",
      R"({"big": -9223372036854775809, "unicode": "\u00e9\ud83d\ude00", "nul": "a\u0000b", "t": true, "n": null})",
      "\xef\xbb\xbf{\"bom\": [1, 2]}",  // simdjson refuses a byte-order mark; nlohmann reads past it
      R"({"a": 1, "a": 2, "z": {"k": [1], "k": [2, 3]}})",
      nested(300, "1.5"),  // deeper than the fast reader goes
      "  [ ]  ", "\"text\"", "-0", "12",
  };
  for (const auto& text : texts) {
    std::vector<Duplicate> duplicates;
    std::vector<std::string> problems;
    const auto document = parse_document(text, duplicates, problems);
    INFO(text.substr(0, 80));
    REQUIRE(document.has_value());
    CHECK(problems.empty());
    // `-0` alone is the one number read as unsigned rather than signed: same value, same text.
    if (text == "-0") CHECK(document->dump() == json::parse(text).dump());
    else CHECK(typed(*document) == typed(json::parse(text)));
  }
}

TEST_CASE("every repeated key is noted with the path to its object", "[adapters][json]") {
  CHECK(duplicates_in(R"({"a": 1, "a": 2})") == std::vector<std::string>{" a"});
  CHECK(duplicates_in(R"({"x": [{"k": 1}, {"k": 1, "k": 2, "j": 0, "j": 1}], "y": {"z": {"q": 0, "q": 1}}})") ==
        std::vector<std::string>{".x[1] k", ".x[1] j", ".y.z q"});
  // The same through the careful reader: a byte-order mark, and nesting deeper than the fast one's.
  CHECK(duplicates_in("\xef\xbb\xbf{\"x\": [0, {\"k\": 1, \"k\": 2}]}") == std::vector<std::string>{".x[1] k"});
  std::string deep_path;
  for (int k = 0; k < 300; ++k) deep_path += ".a[0]";
  CHECK(duplicates_in(nested(300, R"({"k": 1, "k": 2})")) == std::vector<std::string>{deep_path + " k"});
  // The last value is kept, as nlohmann keeps it.
  std::vector<Duplicate> duplicates;
  std::vector<std::string> problems;
  CHECK(parse_document(R"({"a": 1, "a": [2]})", duplicates, problems)->at("a") == json::array({2}));
}

TEST_CASE("text neither reader takes gets nlohmann's message with its line and column", "[adapters][json]") {
  const auto problem = [](const std::string& text) {
    std::vector<Duplicate> duplicates;
    std::vector<std::string> problems;
    CHECK_FALSE(parse_document(text, duplicates, problems).has_value());
    return problems.empty() ? std::string("no problem") : problems.front();
  };
  CHECK(problem("{\"a\": 1, \"a\": 2,\n \"b\": }") ==
        "2:7: not valid JSON: syntax error while parsing value - unexpected '}'; expected '[', '{', or a literal");
  // Whitespace alone (read without the parser's byte-by-byte token buffer): its message at the end.
  const std::string no_value = ": not valid JSON: syntax error while parsing value - unexpected end of input; "
                               "expected '[', '{', or a literal";
  CHECK(problem(" \n\t\r\n  ") == "3:3" + no_value);
  CHECK(problem("") == "1:1" + no_value);
  CHECK(problem("\n\n{") == "3:2: not valid JSON: syntax error while parsing object key - unexpected end of input; "
                            "expected string literal");
  CHECK(problem("[1e999]") == "1:2: not valid JSON: number overflow parsing '1e999' (not a finite number)");
  CHECK(problem(std::string("[1]\0junk", 8)) == "byte 3 is NUL: JSON text has none");
}
