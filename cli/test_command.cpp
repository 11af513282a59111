// `riskoff test`: the tests inside rule files, run by the library (riskoff/authoring.hpp); with
// --coverage or --mutate, how well they pin the rules (riskoff/coverage.hpp).
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "riskoff/authoring.hpp"
#include "riskoff/coverage.hpp"

namespace riskoff::cli {
namespace {

struct TestOptions {
  std::vector<std::string> paths;
  bool verbose = false;
  bool coverage = false;
  bool mutate = false;
  std::string format = "text";
  std::string output;
  unsigned jobs = 0;
  double min_score = -1;  // below 0: not asked
};

// What the engine saw when an expectation failed, indented under the failure.
void print_failed_decision(const Decision& decision, std::ostream& out) {
  const std::string text = decision.render(Format::kText);
  std::string indented = "    ";
  for (const char ch : text) {
    indented += ch;
    if (ch == '\n') indented += "    ";
  }
  out << indented.substr(0, indented.size() - 4);
}

// Prints FAIL (and with --verbose PASS) lines; counts into passed and failed.
void print_outcomes(const std::vector<RuleTestOutcome>& outcomes, bool verbose, std::size_t& passed,
                    std::size_t& failed, std::ostream& out) {
  for (const auto& outcome : outcomes) {
    const std::string where = outcome.file + ":" + std::to_string(outcome.line) + ": test \"" + outcome.name + "\"";
    if (outcome.passed()) {
      ++passed;
      if (verbose) out << "PASS " << where << '\n';
      continue;
    }
    ++failed;
    out << "FAIL " << where << '\n';
    for (const auto& error : outcome.errors) out << "  cannot run: " << error << '\n';
    for (const auto& expectation : outcome.expectations) {
      if (expectation.passed) continue;
      out << "  line " << expectation.line << ": expected " << expectation.expected << ", got " << expectation.actual
          << '\n';
    }
    if (outcome.errors.empty() && outcome.failed_decision) print_failed_decision(*outcome.failed_decision, out);
  }
}

TestReportFormat report_format(const std::string& name) {
  return name == "json" ? TestReportFormat::kJson : name == "lcov" ? TestReportFormat::kLcov : TestReportFormat::kText;
}

int run_tests(const TestOptions& options) {
  if (options.mutate && options.format == "lcov") {
    std::cerr << "riskoff test: --format lcov is for --coverage; --mutate writes text or json\n";
    return kExitUsage;
  }
  std::vector<std::string> files;
  if (!collect_rule_files(options.paths, files, TestFiles::kAsTheirRuleset)) return kExitUsage;
  // A report in JSON or lcov on standard output stays a document: the test lines go to stderr.
  const bool report = options.coverage || options.mutate;
  std::ostream& log = report && options.output.empty() && options.format != "text" ? std::cerr : std::cout;
  std::ostringstream reports;
  std::size_t passed = 0;
  std::size_t failed = 0;
  bool usage_error = false;
  bool below_score = false;
  for (const auto& file : files) {
    const LoadedRuleset loaded = load_ruleset(file, SiblingTests::kLoad);
    if (!loaded.ruleset) {
      usage_error = usage_error || loaded.exit_code == kExitUsage;
      failed += loaded.exit_code == kExitUsage ? 0 : 1;  // a rule file that does not check is a failed test run
      continue;
    }
    if (options.mutate) {
      auto mutation = mutate_rules(*loaded.ruleset, {.jobs = options.jobs});
      if (!mutation) {
        for (const auto& message : mutation.error().messages) std::cerr << "riskoff test: " << message << '\n';
        ++failed;
        continue;
      }
      passed += mutation->tests.size();
      below_score = below_score || (options.min_score >= 0 && mutation->score() < options.min_score);
      reports << mutation->render(report_format(options.format));
    } else if (options.coverage) {
      const RuleCoverage coverage = rule_coverage(*loaded.ruleset);
      print_outcomes(coverage.tests, options.verbose, passed, failed, log);
      reports << coverage.render(report_format(options.format));
    } else {
      print_outcomes(run_rule_tests(*loaded.ruleset), options.verbose, passed, failed, log);
    }
  }
  log << passed << " passed, " << failed << " failed\n";
  if (options.output.empty()) {
    std::cout << reports.str();
  } else if (const auto error = write_file_atomically(options.output, reports.str()); !error.empty()) {
    std::cerr << "riskoff test: " << error << '\n';
    return kExitUsage;
  }
  if (usage_error) return kExitUsage;
  if (below_score) std::cerr << "riskoff test: mutation score below --min-score " << options.min_score << "%\n";
  return failed > 0 || below_score ? kExitProblems : kExitOk;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TestOptions>();
  auto* command = app.add_subcommand("test", "Run the tests inside rule files");
  command->footer(
      "Examples:\n"
      "  riskoff test rulesets/            every test in every .rules file below rulesets/\n"
      "                                    (NAME_test*.rules beside NAME.rules run against it)\n"
      "  riskoff test my.rules --verbose   list passing tests too\n"
      "  riskoff test my.rules --coverage --format lcov -o rules.lcov\n"
      "                                    which outcomes the tests drove each condition to\n"
      "  riskoff test my.rules --mutate --min-score 90\n"
      "                                    mutants no test notices, each with a suggested test\n"
      "Exit codes: 0 all passed, 1 a test failed or a file has errors (or the mutation score is\n"
      "below --min-score), 2 usage or I/O error.");
  command->add_option("paths", options->paths, "Rule files or directories")->required();
  command->add_flag("--verbose,-v", options->verbose, "Also list the tests that pass");
  auto* coverage = command->add_flag("--coverage", options->coverage,
                                     "Report which outcomes (true, false, unknown) the tests drove each condition to");
  auto* mutate = command->add_flag("--mutate", options->mutate,
                                   "Run the tests against small changes to the rules; report those no test notices");
  coverage->excludes(mutate);
  command->add_option("--format,-f", options->format, "Report format: text, json, or lcov (--coverage only)")
      ->check(CLI::IsMember({"text", "json", "lcov"}));
  command->add_option("--output,-o", options->output, "Write the report to FILE instead of standard output");
  command->add_option("--jobs,-j", options->jobs, "--mutate: worker threads (default: every hardware thread)")
      ->check(CLI::Range(1U, 1024U));
  command->add_option("--min-score", options->min_score, "--mutate: exit 1 when the mutation score (%) is below this")
      ->check(CLI::Range(0.0, 100.0));
  command->callback([options, &exit_code] { exit_code = run_tests(*options); });
}

}  // namespace riskoff::cli
