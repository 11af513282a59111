// `riskoff test`: the tests inside rule files, run by the library (riskoff/authoring.hpp).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff::cli {
namespace {

struct TestOptions {
  std::vector<std::string> paths;
  bool verbose = false;
};

// What the engine saw when an expectation failed, indented under the failure.
void print_failed_decision(const Decision& decision) {
  const std::string text = decision.render(Format::kText);
  std::string indented = "    ";
  for (const char ch : text) {
    indented += ch;
    if (ch == '\n') indented += "    ";
  }
  std::cout << indented.substr(0, indented.size() - 4);
}

int run_tests(const TestOptions& options) {
  std::vector<std::string> files;
  if (!collect_rule_files(options.paths, files, TestFiles::kAsTheirRuleset)) return kExitUsage;
  std::size_t passed = 0;
  std::size_t failed = 0;
  bool usage_error = false;
  for (const auto& file : files) {
    const LoadedRuleset loaded = load_ruleset(file, SiblingTests::kLoad);
    if (!loaded.ruleset) {
      usage_error = usage_error || loaded.exit_code == kExitUsage;
      failed += loaded.exit_code == kExitUsage ? 0 : 1;  // a rule file that does not check is a failed test run
      continue;
    }
    for (const auto& outcome : run_rule_tests(*loaded.ruleset)) {
      const std::string where = outcome.file + ":" + std::to_string(outcome.line) + ": test \"" + outcome.name + "\"";
      if (outcome.passed()) {
        ++passed;
        if (options.verbose) std::cout << "PASS " << where << '\n';
        continue;
      }
      ++failed;
      std::cout << "FAIL " << where << '\n';
      for (const auto& error : outcome.errors) std::cout << "  cannot run: " << error << '\n';
      for (const auto& expectation : outcome.expectations) {
        if (expectation.passed) continue;
        std::cout << "  line " << expectation.line << ": expected " << expectation.expected << ", got "
                  << expectation.actual << '\n';
      }
      if (outcome.errors.empty() && outcome.failed_decision) print_failed_decision(*outcome.failed_decision);
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  if (usage_error) return kExitUsage;
  return failed > 0 ? kExitProblems : kExitOk;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TestOptions>();
  auto* command = app.add_subcommand("test", "Run the tests inside rule files");
  command->footer(
      "Examples:\n"
      "  riskoff test rulesets/            every test in every .rules file below rulesets/\n"
      "                                    (NAME_test.rules beside NAME.rules runs against it)\n"
      "  riskoff test my.rules --verbose   list passing tests too\n"
      "Exit codes: 0 all passed, 1 a test failed or a file has errors, 2 usage or I/O error.");
  command->add_option("paths", options->paths, "Rule files or directories")->required();
  command->add_flag("--verbose,-v", options->verbose, "Also list the tests that pass");
  command->callback([options, &exit_code] { exit_code = run_tests(*options); });
}

}  // namespace riskoff::cli
