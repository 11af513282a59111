// Checking and compiling rulesets in memory, for tests of engine/ and the stages above it
// (needs riskoff::engine).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "engine/check.hpp"
#include "tests/support/parse.hpp"

namespace riskoff::testing {

inline engine::CheckResult check(const std::string& text) {
  return engine::check_text("test.rules", text, std::filesystem::temp_directory_path());
}

// A minimal valid ruleset to which a test appends declarations.
inline constexpr const char* kPrelude =
    "ruleset t version \"0.1.0\"\n"
    "input us10y : series 1d percent \"yield\"\n"
    "input dxy : series 1d index \"dollar\"\n"
    "input btc : series 1h usd calendar crypto \"bitcoin\"\n"
    "param jump = 15bp \"rates shock\"\n";

}  // namespace riskoff::testing
