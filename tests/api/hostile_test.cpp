// Hostile but legal rulesets through the public API: what the documented limits allow must check,
// compile, decide and explain without exhausting the native stack (docs/security.md, "Rule files").
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "riskoff/riskoff.hpp"

namespace {

// File `index` of a chain of `files`: its own `lets` lets, each the previous plus one, the first
// reading the last let of the file it imports. The root also has a signal and a profile.
std::string chained_lets(std::size_t index, std::size_t files, std::size_t lets) {
  std::string text = "ruleset f" + std::to_string(index) + " version \"0.1.0\"\n";
  if (index + 1 < files) {
    text += "import \"f" + std::to_string(index + 1) + ".rules\" as n\n";
    text += "let a0 = n.a" + std::to_string(lets - 1) + " + 1\n";
  } else {
    text += "let a0 = 1\n";
  }
  for (std::size_t let = 1; let < lets; ++let) {
    text += "let a" + std::to_string(let) + " = a" + std::to_string(let - 1) + " + 1\n";
  }
  if (index == 0) {
    text += "signal long_chain \"The chain adds up\" = a" + std::to_string(lets - 1) + " > 0\n";
    text += "profile p { decide hedge when long_chain wait otherwise }\n";
  }
  return text;
}

}  // namespace

TEST_CASE("7 files of 4,997 chained lets check, compile, decide and explain without a stack overflow", "[api][hostile]") {
  // Within the limits (5,000 declarations per file, 64 files): one chain of 34,979 lets across
  // imports. The checker typed it recursively, one native frame group per link, and overflowed
  // the stack (release build: 7 files, this build with its bigger frames: 2).
  constexpr std::size_t kFiles = 7;
  constexpr std::size_t kLets = 4997;
  std::vector<riskoff::RuleSource> imports;
  for (std::size_t index = 1; index < kFiles; ++index) {
    imports.push_back({"f" + std::to_string(index) + ".rules", chained_lets(index, kFiles, kLets)});
  }
  const auto compiled = riskoff::Ruleset::compile(chained_lets(0, kFiles, kLets), "f0.rules", imports);
  INFO((compiled.problems.empty() ? std::string() : compiled.problems.front().text));
  REQUIRE(compiled.ok());
  const auto decision = riskoff::decide(*compiled.ruleset, riskoff::Snapshot(1770076800));
  REQUIRE(decision);
  CHECK(decision->action() == "hedge");
  const std::string text = riskoff::render(decision->explanation(), riskoff::Format::kText);
  CHECK(text.find("long_chain") != std::string::npos);
}
