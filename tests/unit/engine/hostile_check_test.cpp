// Hostile input through the checker (reading the file, resolving, typing): every case ends in
// diagnostics, never a crash or a hang. The parser's own cases are in tests/unit/dsl/hostile_test.cpp.
#include <catch2/catch.hpp>
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
