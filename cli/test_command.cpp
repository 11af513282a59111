#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "adapters/snapshot_json.hpp"
#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "engine/rule_tests.hpp"
#include "explain/explanation.hpp"

namespace riskoff::cli {
namespace {

struct TestOptions {
  std::vector<std::string> paths;
  bool verbose = false;
};

engine::LoadedSnapshot load_snapshot(const std::string& path) {
  auto read = adapters::read_snapshot_file(path);
  return {std::move(read.snapshot), std::move(read.errors)};
}

int run_tests(const TestOptions& options) {
  std::vector<std::string> files;
  if (!collect_rule_files(options.paths, files)) return kExitUsage;
  std::size_t passed = 0;
  std::size_t failed = 0;
  bool usage_error = false;
  for (const auto& file : files) {
    const LoadedRuleset loaded = load_ruleset(file);
    if (loaded.exit_code == kExitUsage) {
      usage_error = true;
      continue;
    }
    if (loaded.exit_code != 0) {
      ++failed;  // a rule file that does not check is a failed test run
      continue;
    }
    const engine::Plan& plan = *loaded.plan;
    const auto& sources = plan.ruleset().sources;
    const auto& source = sources.file(plan.ruleset().root().source);
    const auto results =
        engine::run_rule_tests(plan, std::filesystem::path(file).parent_path().string(), load_snapshot);
    for (const auto& result : results) {
      const auto at = source.line_col(result.test->name.span.begin);
      const std::string where = file + ":" + std::to_string(at.line) + ": test \"" + result.test->name.value + "\"";
      if (result.passed()) {
        ++passed;
        if (options.verbose) std::cout << "PASS " << where << '\n';
        continue;
      }
      ++failed;
      std::cout << "FAIL " << where << '\n';
      for (const auto& error : result.errors) std::cout << "  cannot run: " << error << '\n';
      for (const auto& outcome : result.expectations) {
        if (outcome.passed) continue;
        const auto line = source.line_col(outcome.expectation->span.begin).line;
        std::cout << "  line " << line << ": expected " << outcome.expected << ", got " << outcome.actual << '\n';
      }
      if (result.errors.empty() && result.profile >= 0) {
        // The explanation of what the engine saw, so the failure can be understood in place.
        const auto bound = engine::bind(plan, result.snapshot);
        engine::Evaluation evaluation;
        engine::evaluate(plan, bound.bound, static_cast<std::uint32_t>(result.profile), result.overrides, evaluation);
        const auto explanation = explain::explain(plan, bound.bound, evaluation, loaded.content_hash);
        std::string text = explain::render_text(explanation, explain::Colour::kNever);
        std::string indented = "    ";
        for (const char ch : text) {
          indented += ch;
          if (ch == '\n') indented += "    ";
        }
        std::cout << indented.substr(0, indented.size() - 4);
      }
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
      "  riskoff test my.rules --verbose   list passing tests too\n"
      "Exit codes: 0 all passed, 1 a test failed or a file has errors, 2 usage or I/O error.");
  command->add_option("paths", options->paths, "Rule files or directories")->required();
  command->add_flag("--verbose,-v", options->verbose, "Also list the tests that pass");
  command->callback([options, &exit_code] { exit_code = run_tests(*options); });
}

}  // namespace riskoff::cli
