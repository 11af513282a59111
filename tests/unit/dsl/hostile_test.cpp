// Malformed or hostile input: every case must end in diagnostics, never a crash, a hang or a
// stack overflow. Run under the sanitizer build by `make test`.
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/files.hpp"
#include "tests/support/parse.hpp"

using namespace riskoff;
using riskoff::testing::codes;
using riskoff::testing::parse_text;

namespace {
std::string first_code(const DiagnosticSink& sink) {
  return sink.all().empty() ? std::string("none") : code_string(sink.all().front().code);
}
}  // namespace

TEST_CASE("100k nested parentheses are reported, not recursed into", "[dsl][hostile]") {
  const std::string text = "ruleset t version \"0.1.0\"\nlet x = " + std::string(100000, '(') + "1" + std::string(100000, ')') + "\n";
  const auto parsed = parse_text(text);
  CHECK(first_code(parsed->sink) == "E0004");
}

TEST_CASE("100k prefix operators are reported", "[dsl][hostile]") {
  std::string text = "ruleset t version \"0.1.0\"\nlet x = ";
  for (int k = 0; k < 100000; ++k) text += "not ";
  text += "true\nlet y = ";
  text += std::string(100000, '-') + "1\n";
  const auto parsed = parse_text(text);
  CHECK(codes(parsed->sink) == "E0004 E0004");
}

TEST_CASE("a very long operator chain is reported, not built", "[dsl][hostile]") {
  std::string text = "ruleset t version \"0.1.0\"\nlet x = 1";
  for (int k = 0; k < 200000; ++k) text += "+1";
  text += "\n";
  const auto parsed = parse_text(text);
  CHECK(first_code(parsed->sink) == "E0006");
}

TEST_CASE("binary garbage and invalid UTF-8 are refused", "[dsl][hostile]") {
  std::string garbage;
  std::uint32_t state = 12345;
  for (int k = 0; k < 4096; ++k) {
    state = state * 1103515245u + 12345u;
    garbage += static_cast<char>(state >> 24);
  }
  const auto binary = parse_text(garbage);
  CHECK((first_code(binary->sink) == "E0002" || first_code(binary->sink) == "E0003"));
  const auto latin1 = parse_text("ruleset t version \"0.1.0\" \"caf\xE9\"\n");
  CHECK(first_code(latin1->sink) == "E0002");
  const auto overlong = parse_text("ruleset t version \"0.1.0\" \"\xC0\xAF\"\n");
  CHECK(first_code(overlong->sink) == "E0002");
  const auto nul = parse_text(std::string("ruleset t version \"0.1.0\"\n\0let", 30));
  CHECK(first_code(nul->sink) == "E0003");
}

TEST_CASE("unterminated strings and escapes point at the string", "[dsl][hostile]") {
  const auto unterminated = parse_text("ruleset t version \"0.1.0\n");
  CHECK(first_code(unterminated->sink) == "E0007");
  const auto at_eof = parse_text("ruleset t version \"0.1.0\"\nsignal s \"never closed");
  CHECK(first_code(at_eof->sink) == "E0007");
  const auto escape = parse_text("ruleset t version \"0.1.0\"\nsignal s \"a \\q b\" = true\n");
  CHECK(first_code(escape->sink) == "E0008");
}

namespace {
// Whether `prefix` ends inside a string literal (outside comments; `\"` escapes a quote).
bool ends_inside_string(const std::string& prefix) {
  bool in_string = false, in_comment = false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    const char c = prefix[k];
    if (in_comment) {
      in_comment = c != '\n';
    } else if (in_string) {
      if (c == '\\') ++k;
      else if (c == '"' || c == '\n') in_string = false;
    } else if (c == '#') {
      in_comment = true;
    } else if (c == '"') {
      in_string = true;
    }
  }
  return in_string;
}
}  // namespace

TEST_CASE("truncations of the default ruleset parse to an end; a cut inside a string is diagnosed", "[dsl][hostile]") {
  const std::string text = riskoff::testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules");
  REQUIRE_FALSE(text.empty());
  // Cut at ~300 points, including mid-token and mid-string (an odd stride); parsing must always
  // finish. A cut between declarations, or inside a number or an expression, can be a valid
  // prefix, so only cuts inside a string literal are certain to be errors (E0007, unterminated).
  // The number of cuts is fixed so the test does not grow with the ruleset.
  const std::size_t stride = std::max<std::size_t>(1, text.size() / 300) | 1;
  std::size_t inside_strings = 0;
  for (std::size_t cut = 0; cut < text.size(); cut += stride) {
    const std::string prefix = text.substr(0, cut);
    const auto parsed = parse_text(prefix);
    if (!ends_inside_string(prefix)) continue;
    ++inside_strings;
    INFO("cut at byte " << cut << ": ..." << prefix.substr(prefix.size() - std::min<std::size_t>(prefix.size(), 40)));
    CHECK(first_code(parsed->sink) == "E0007");
  }
  CHECK(inside_strings > 30);  // the default ruleset is mostly descriptions: many cuts land in one
}

TEST_CASE("empty and whitespace-only files ask for the header", "[dsl][hostile]") {
  CHECK(first_code(parse_text("")->sink) == "E0101");
  CHECK(first_code(parse_text("\n\n   # only a comment\n")->sink) == "E0101");
}

TEST_CASE("every bidirectional control character is refused where it is, in comments, strings and code", "[dsl][hostile]") {
  // U+061C (2 bytes), U+200E/200F, U+202A..202E, U+2066..2069 (3 bytes): Trojan Source.
  for (const std::string bidi : {"\xD8\x9C", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC",
                                 "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9"}) {
    const std::string text = "ruleset t version \"0.1.0\"\n# c" + bidi + "\nsignal s \"t" + bidi + "\" = true\nlet x = 1" + bidi + "\n";
    const auto parsed = parse_text(text);
    const auto& all = parsed->sink.all();
    REQUIRE(all.size() == 3);
    for (const auto& diagnostic : all) CHECK(code_string(diagnostic.code) == "E0009");
    CHECK(all[0].span.begin == text.find(bidi));
    CHECK(all[0].span.end == text.find(bidi) + bidi.size());
  }
  // Other right-to-left text is fine: Hebrew and Arabic letters in a string are not controls.
  const auto letters = parse_text("ruleset t version \"0.1.0\"\nsignal s \"\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85\" = true\n");
  CHECK(letters->sink.all().empty());
}
