#include <catch2/catch.hpp>
#include <filesystem>

#include "dsl/format.hpp"
#include "tests/support/files.hpp"
#include "tests/support/parse.hpp"

using namespace riskoff;
using riskoff::testing::parse_text;

namespace {

// The formatter's three promises on one text: canonical form parses to the same AST, is a
// fixed point, and keeps every comment.
void check_format_promises(const std::string& text, const std::string& name) {
  INFO("file: " << name);
  const auto original = parse_text(text, name);
  REQUIRE_FALSE(original->sink.has_errors());
  const std::string formatted = dsl::format(*original->module, original->sources.file(original->id));
  const auto reparsed = parse_text(formatted, name);
  REQUIRE_FALSE(reparsed->sink.has_errors());
  CHECK(dsl::dump(*reparsed->module) == dsl::dump(*original->module));
  CHECK(dsl::format(*reparsed->module, reparsed->sources.file(reparsed->id)) == formatted);
  REQUIRE(reparsed->module->comments.size() == original->module->comments.size());
  for (std::size_t index = 0; index < original->module->comments.size(); ++index) {
    const auto& before = original->module->comments[index].span;
    const auto& after = reparsed->module->comments[index].span;
    CHECK(text.substr(before.begin, before.end - before.begin) == formatted.substr(after.begin, after.end - after.begin));
  }
}

}  // namespace

TEST_CASE("formatting every shipped and golden rule file keeps AST, comments and is idempotent", "[dsl][format]") {
  std::vector<std::filesystem::path> files;
  for (const char* folder : {"rulesets", "tests/golden/format", "tests/golden/check", "examples"}) {
    const auto root = std::filesystem::path(RISKOFF_SOURCE_DIR) / folder;
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.path().extension() == ".rules") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  std::size_t formatted = 0;
  for (const auto& file : files) {
    const std::string text = riskoff::testing::read_file(file);
    const auto parsed = parse_text(text, file.string());
    if (parsed->sink.has_errors()) {
      // Only the check goldens are broken on purpose; a shipped or example file must parse.
      INFO(file.string() << " does not parse");
      CHECK(file.string().find("tests/golden/check/") != std::string::npos);
      continue;
    }
    check_format_promises(text, file.string());
    ++formatted;
  }
  CHECK(formatted > 0);
}

TEST_CASE("comments stay next to what they describe", "[dsl][format]") {
  const std::string text =
      "# file comment\n"
      "ruleset t version \"0.1.0\"\n"
      "\n\n\n"
      "# about the input\n"
      "input us10y : series 1d percent \"y\"   # trailing\n"
      "profile p {\n"
      "  # before the override\n"
      "  param jump = 20bp\n"
      "  decide\n"
      "    # first clause\n"
      "    hedge when true  # why\n"
      "    wait otherwise\n"
      "  # closing\n"
      "}\n"
      "# the end\n";
  const auto parsed = parse_text(text);
  REQUIRE_FALSE(parsed->sink.has_errors());
  CHECK(dsl::format(*parsed->module, parsed->sources.file(parsed->id)) ==
        "# file comment\n"
        "ruleset t version \"0.1.0\"\n"
        "\n"
        "# about the input\n"
        "input us10y : series 1d percent \"y\"  # trailing\n"
        "profile p {\n"
        "  # before the override\n"
        "  param jump = 20bp\n"
        "  decide\n"
        "    # first clause\n"
        "    hedge when true  # why\n"
        "    wait otherwise\n"
        "  # closing\n"
        "}\n"
        "# the end\n");
  check_format_promises(text, "comments");
}

TEST_CASE("long conditions break at top-level and/or", "[dsl][format]") {
  const std::string text =
      "ruleset t version \"0.1.0\"\n"
      "signal s \"S\" = alpha_signal_one > 1 and beta_signal_two < 2 and (gamma_three or delta_four) and epsilon_five_x > 3\n";
  const auto parsed = parse_text(text);
  REQUIRE_FALSE(parsed->sink.has_errors());
  CHECK(dsl::format(*parsed->module, parsed->sources.file(parsed->id)) ==
        "ruleset t version \"0.1.0\"\n"
        "signal s \"S\" = alpha_signal_one > 1\n"
        "    and beta_signal_two < 2\n"
        "    and (gamma_three or delta_four)\n"
        "    and epsilon_five_x > 3\n");
  check_format_promises(text, "long");
}
