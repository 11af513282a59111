// Hostile input through the checker (reading the file, resolving, typing): every case ends in
// diagnostics, never a crash or a hang. The parser's own cases are in tests/unit/dsl/hostile_test.cpp.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/support/check.hpp"
#include "tests/support/files.hpp"

using namespace riskoff;

TEST_CASE("a 50 MB file is refused with a diagnostic", "[engine][hostile]") {
  const auto path = std::filesystem::temp_directory_path() / "riskoff-hostile-50mb.rules";
  {
    std::ofstream out(path, std::ios::binary);
    out << "ruleset t version \"0.1.0\"\n";
    const std::string line = "let x = 1 # padding padding padding padding padding padding padding padding\n";
    for (std::size_t written = 0; written < 50u * 1024 * 1024; written += line.size()) out << line;
  }
  const auto result = engine::check_file(path);
  std::filesystem::remove(path);
  REQUIRE(result.io_error.empty());
  REQUIRE_FALSE(result.diagnostics.all().empty());
  CHECK(code_string(result.diagnostics.all().front().code) == "E0001");
}

TEST_CASE("checking any truncation of the default ruleset gives a ruleset exactly when it has no errors", "[engine][hostile]") {
  const std::string text = testing::read_file(std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules");
  REQUIRE_FALSE(text.empty());
  // Cut at ~300 points, including mid-token and mid-string (an odd stride): the checker runs on
  // whatever the parser recovered and must always finish with an answer. Some cuts are valid
  // rulesets (between declarations), so this does not assert a diagnosis for each; the parser's
  // test asserts one where a cut is certainly wrong. The number of cuts is fixed.
  const std::size_t stride = std::max<std::size_t>(1, text.size() / 300) | 1;
  std::size_t diagnosed = 0;
  for (std::size_t cut = 0; cut < text.size(); cut += stride) {
    const auto result = testing::check(text.substr(0, cut));
    INFO("cut at byte " << cut);
    // A check result holds a ruleset only when it is valid, and always when it is.
    CHECK((result.ruleset != nullptr) == !result.diagnostics.has_errors());
    if (result.diagnostics.has_errors()) ++diagnosed;
  }
  CHECK(diagnosed > 150);  // most cuts land inside a declaration
}

TEST_CASE("a one-letter typo of a 100,000-character name is reported without a suggestion", "[engine][hostile]") {
  // The suggestion search used a full (n+1) x (m+1) table per candidate: ~80 GB here, and abort.
  std::string name(100000, 'a');
  std::string typo = name;
  typo[50000] = 'b';
  const auto result = testing::check("ruleset t version \"0.1.0\"\nlet " + name + " = 1\nsignal s \"S\" = " + typo + " > 0\n");
  const auto& all = result.diagnostics.all();
  const auto unknown = std::find_if(all.begin(), all.end(), [](const Diagnostic& d) { return d.code == DiagCode::kUnknownName; });
  REQUIRE(unknown != all.end());
  CHECK(unknown->help.empty());
}

TEST_CASE("4,999 unknown names in one file are all counted; the shown ones get their suggestion", "[engine][hostile]") {
  // Every unknown name built and sorted the candidate list and searched it: quadratic, 11.5 s.
  std::string text = "ruleset t version \"0.1.0\"\n";
  for (int index = 0; index < 4999; ++index) {
    text += "let name" + std::to_string(index) + " = nmae" + std::to_string(index) + "\n";
  }
  const auto result = testing::check(text);
  const auto& sink = result.diagnostics;
  CHECK(sink.error_count() == 4999);
  REQUIRE(sink.all().size() == 50);
  CHECK(sink.dropped() == sink.error_count() + sink.warning_count() - 50);  // and 4,999 unused lets
  for (const auto& diagnostic : sink.all()) {
    REQUIRE(diagnostic.code == DiagCode::kUnknownName);
    // `nmae12` is one swap from `name12`, and from no other name.
    const std::string number = diagnostic.message.substr(std::string("unknown name `nmae").size());
    CHECK(diagnostic.help == "did you mean `name" + number.substr(0, number.size() - 1) + "`?");
  }
}

TEST_CASE("did you mean: the first closest name within a quarter of the length, none for long words", "[engine][check]") {
  const std::vector<std::string> names{"dollar_up", "dollar_upp", "rates_up", "chnage", "change"};
  CHECK(engine::closest_match("dolar_up", names) == "dollar_up");
  CHECK(engine::closest_match("chnage", names) == "chnage");
  CHECK(engine::closest_match("chnaeg", names) == "chnage");  // one swap, first of equals
  CHECK(engine::closest_match("cahnge", names) == "change");
  CHECK(engine::closest_match("xyz", names).empty());
  CHECK(engine::closest_match("rates_upxxx", names).empty());  // 3 edits > 11 / 4
  CHECK(engine::closest_match("rates_upxx", names) == "rates_up");  // 2 edits <= 10 / 4
  // A word of 64 characters still gets one; of 65 none, however close.
  const std::string word64(64, 'w');
  CHECK(engine::closest_match(word64, {word64 + "x"}) == word64 + "x");
  const std::string word65(65, 'w');
  CHECK(engine::closest_match(word65, {word65 + "x"}).empty());
  // Candidates far longer than the word are skipped by length alone.
  CHECK(engine::closest_match("abc", {std::string(1000000, 'a'), "abd"}) == "abd");
}
