#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff::cli {
namespace {

struct CheckCommandOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool deny_warnings = false;
  std::string dump_after;  // a checker pass: print the checked form after it instead of a summary
};

std::string pass_names() {
  std::string names;
  for (const auto& pass : check_passes()) names += (names.empty() ? "" : ", ") + pass.name;
  return names;
}

// `--dump-after=PASS`: stdout is the checked form after that pass, stderr the diagnostics so far.
int run_dump(const CheckCommandOptions& options, const std::vector<std::string>& files) {
  std::size_t errors = 0;
  bool io_failed = false;
  for (const auto& file : files) {
    const auto report = check_rules(file, {.dump_after = options.dump_after, .sibling_tests = true});
    if (!report) {
      std::cerr << "riskoff check: " << report.error().messages.front() << '\n';
      if (report.error().kind == ErrorKind::kUsage) return kExitUsage;
      io_failed = true;
      continue;
    }
    for (const auto& problem : report->problems) std::cerr << problem.text << '\n';
    errors += report->error_count();
    std::cout << report->dump;
  }
  if (io_failed) return kExitUsage;
  return errors > 0 ? kExitProblems : kExitOk;
}

int run_check(const CheckCommandOptions& options) {
  std::vector<std::string> files;
  if (!collect_rule_files(options.paths, files, TestFiles::kAsTheirRuleset)) return kExitUsage;
  if (!options.dump_after.empty()) return run_dump(options, files);
  const bool json = options.format == "json";
  std::size_t errors = 0;
  std::size_t warnings = 0;
  bool io_failed = false;
  if (json) std::cout << "[";
  bool first_file = true;
  for (const auto& file : files) {
    const auto report = check_rules(file, {.dump_after = {}, .sibling_tests = true});
    if (!report) {
      std::cerr << "riskoff check: " << report.error().messages.front() << '\n';
      io_failed = true;
      continue;
    }
    const auto file_errors = report->error_count();
    const auto file_warnings = report->warning_count();
    errors += file_errors;
    warnings += file_warnings;
    if (json) {
      std::cout << (first_file ? "\n" : ",\n") << report->json;
      first_file = false;
      continue;
    }
    for (const auto& problem : report->problems) std::cerr << problem.text << '\n';
    if (report->dropped > 0) std::cerr << file << ": " << report->dropped << " more diagnostics not shown\n";
    if (file_errors == 0 && file_warnings == 0) std::cout << file << ": ok\n";
    else
      std::cout << file << ": " << file_errors << " error" << (file_errors == 1 ? "" : "s") << ", " << file_warnings
                << " warning" << (file_warnings == 1 ? "" : "s") << '\n';
  }
  if (json) std::cout << "\n]\n";
  if (io_failed) return kExitUsage;
  if (errors > 0 || (options.deny_warnings && warnings > 0)) return kExitProblems;
  return kExitOk;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CheckCommandOptions>();
  auto* command = app.add_subcommand("check", "Check rule files: syntax, names, types, units, decisions and tests");
  command->footer(
      "Examples:\n"
      "  riskoff check rulesets/                  check every .rules file below rulesets/\n"
      "  riskoff check my.rules --format json     diagnostics as JSON, for editors and CI\n"
      "  riskoff check --dump-after=types my.rules   what the checker knows after its types pass\n"
      "Exit codes: 0 no errors, 1 errors (or warnings with --deny-warnings), 2 usage or I/O error.");
  command->add_option("paths", options->paths, "Rule files or directories")->required();
  auto* format = command->add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  command->add_flag("--deny-warnings", options->deny_warnings, "Treat warnings as errors (exit 1)");
  command
      ->add_option("--dump-after", options->dump_after,
                   "Print the checked form after this checker pass (" + pass_names() + ") instead of a summary")
      ->excludes(format);
  command->callback([options, &exit_code] { exit_code = run_check(*options); });
}

}  // namespace riskoff::cli
