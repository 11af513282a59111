// Golden tests of rule files: every file under tests/golden/<stage>/ with a .rules extension is
// one ctest. Produced through the public API only (libriskoff, as an embedder links it).
//   check/   the problems the public API reports (Ruleset::load), rendered exactly as users see
//            them (<case>.expected); a file whose first line announces a code (`# E0300: ...`)
//            must produce that code
//   format/  `riskoff fmt` output (format_rules(), <case>.expected), which must also be a fixed point
//   ruleset_diff/ `riskoff ruleset diff rulesets/riskoff.rules <case>.rules` (<case>.expected):
//            the semantic diff against modified versions of the default ruleset
// Everything the binary prints (explanations, replays, ...) is pinned by cli_golden_test.cpp,
// which runs `riskoff` itself.
// RISKOFF_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing: review the diff.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "riskoff/authoring.hpp"
#include "riskoff/registry.hpp"
#include "riskoff/riskoff.hpp"
#include "tests/support/catch_session.hpp"
#include "tests/support/files.hpp"

namespace fs = std::filesystem;

namespace {

// The problems of one rule file as the public API reports them, and the counts.
std::string render_check(const std::string& relative, std::vector<std::string>& codes) {
  riskoff::CompileResult compiled;
  try {
    compiled = riskoff::Ruleset::load(relative);
  } catch (const riskoff::IoError& e) {
    return std::string("io error: ") + e.what() + "\n";
  }
  std::string out;
  std::size_t errors = 0;
  for (const auto& problem : compiled.problems) {
    out += problem.text + "\n";
    errors += problem.is_error ? 1 : 0;
    codes.push_back(problem.code);
  }
  out += std::to_string(errors) + " errors, " + std::to_string(compiled.problems.size() - errors) + " warnings\n";
  return out;
}

// The codes a case's first line announces (`# E0300: ...`, or several in its prose): each must
// be among the problems reported.
std::vector<std::string> announced_codes(const std::string& relative) {
  std::ifstream in(relative, std::ios::binary);
  std::string first;
  std::getline(in, first);
  std::vector<std::string> codes;
  if (first.rfind("#", 0) != 0) return codes;
  for (std::size_t at = 0; at + 5 <= first.size(); ++at) {
    const bool starts_word = at == 0 || !std::isalnum(static_cast<unsigned char>(first[at - 1]));
    const bool ends_word = at + 5 == first.size() || !std::isalnum(static_cast<unsigned char>(first[at + 5]));
    const std::string candidate = first.substr(at, 5);
    if (starts_word && ends_word && (candidate[0] == 'E' || candidate[0] == 'W') &&
        candidate.find_first_not_of("0123456789", 1) == std::string::npos) {
      codes.push_back(candidate);
    }
  }
  return codes;
}

std::string render_format(const std::string& relative) {
  const auto formatted = riskoff::format_rules(riskoff::testing::read_file(relative), relative);
  if (formatted.ok()) return *formatted.text;
  std::string out;
  for (const auto& problem : formatted.problems) out += problem.text + "\n";
  return out;
}

// The semantic diff from the default ruleset to a modified version, labelled as the CLI does.
std::string render_ruleset_diff(const std::string& relative) {
  const auto before = riskoff::Ruleset::load("rulesets/riskoff.rules");
  const auto after = riskoff::Ruleset::load(relative);
  if (!before.ok() || !after.ok()) return "a side has errors\n";
  const auto diff = riskoff::diff_rulesets(*before.ruleset, *after.ruleset);
  return riskoff::render(diff, riskoff::ruleset_label("rulesets/riskoff.rules", *before.ruleset),
                         riskoff::ruleset_label(relative, *after.ruleset));
}

void compare_with_golden(const std::string& actual, const fs::path& expected_path) {
  if (std::getenv("RISKOFF_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    WARN("updated " << expected_path.string());
    return;
  }
  INFO("golden file: " << expected_path.string() << " (RISKOFF_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(expected_path));
  CHECK(actual == riskoff::testing::read_file(expected_path));
}

class GoldenCase : public Catch::ITestInvoker {
 public:
  GoldenCase(std::string stage, std::string relative) : stage_(std::move(stage)), relative_(std::move(relative)) {}

  void invoke() const override {
    std::vector<std::string> codes;
    const std::string actual = stage_ == "check"          ? render_check(relative_, codes)
                               : stage_ == "ruleset_diff" ? render_ruleset_diff(relative_)
                                                          : render_format(relative_);
    for (const std::string& announced : announced_codes(relative_)) {
      // The header states what the case pins; a golden that pins another code is a wrong golden.
      INFO(relative_ << " announces " << announced << " in its first line; the codes reported were: "
                     << Catch::Detail::stringify(codes));
      CHECK(std::find(codes.begin(), codes.end(), announced) != codes.end());
    }
    const fs::path expected_path = fs::path(relative_).replace_extension(".expected");
    compare_with_golden(actual, expected_path);
    if (std::getenv("RISKOFF_UPDATE_GOLDEN") != nullptr) return;
    if (stage_ == "format") {
      // The canonical form is a fixed point of the formatter.
      const fs::path temp = fs::temp_directory_path() / ("riskoff-golden-" + expected_path.filename().string() + ".rules");
      std::ofstream(temp, std::ios::binary) << actual;
      const auto again = riskoff::format_rules(riskoff::testing::read_file(temp), temp.string());
      REQUIRE(again.ok());
      CHECK(*again.text == actual);
      fs::remove(temp);
    }
  }

 private:
  std::string stage_;
  std::string relative_;
};

}  // namespace

void riskoff::test::register_cases() {
  // Paths in golden output are relative to the source tree, so they match on every machine.
  fs::current_path(RISKOFF_SOURCE_DIR);
  static std::deque<std::string> names;  // Catch keeps StringRefs to these
  for (const std::string stage : {"check", "format", "ruleset_diff"}) {
    std::vector<std::string> cases;
    for (const auto& entry : fs::directory_iterator(fs::path("tests/golden") / stage)) {
      if (entry.path().extension() == ".rules") cases.push_back(entry.path().generic_string());
    }
    std::sort(cases.begin(), cases.end());
    for (const auto& relative : cases) {
      names.push_back("golden " + stage + ": " + fs::path(relative).stem().string());
      const std::string& name = names.back();
      names.push_back("[golden][" + stage + "]");
      const std::string& tags = names.back();
      static std::deque<Catch::AutoReg> registrations;
      registrations.emplace_back(new GoldenCase(stage, relative), Catch::SourceLineInfo(__FILE__, __LINE__),
                                 Catch::StringRef(), Catch::NameAndTags{name, tags});
    }
  }
}
