#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff::cli {
namespace {

struct FmtOptions {
  std::vector<std::string> paths;
  bool write = false;
  bool check = false;
};

int run_fmt(const FmtOptions& options) {
  std::vector<std::string> files;
  if (!collect_rule_files(options.paths, files)) return kExitUsage;
  int status = kExitOk;
  for (const auto& file : files) {
    const auto read = read_rule_file(file);
    if (!read) {
      std::cerr << "riskoff fmt: " << read.error().messages.front() << '\n';
      return kExitUsage;
    }
    const std::string& text = *read;
    const FormatResult result = format_rules(text, file);
    if (!result.ok()) {
      // Never rewrite a file that does not parse: the canonical form would lose what failed.
      for (const auto& problem : result.problems) std::cerr << problem.text << '\n';
      status = kExitProblems;
      continue;
    }
    const std::string& formatted = *result.text;
    const bool canonical = formatted == text;
    if (options.check) {
      if (!canonical) {
        std::cout << file << ": not in canonical form (run `riskoff fmt --write " << file << "`)\n";
        status = kExitProblems;
      }
    } else if (options.write) {
      if (!canonical) {
        if (const auto error = write_file_atomically(file, formatted); !error.empty()) {
          std::cerr << "riskoff fmt: " << error << '\n';
          return kExitUsage;
        }
        std::cout << file << ": formatted\n";
      }
    } else {
      std::cout << formatted;
    }
  }
  return status;
}

}  // namespace

void add_fmt_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FmtOptions>();
  auto* command = app.add_subcommand("fmt", "Print rule files in canonical form (or rewrite / check them)");
  command->footer(
      "Examples:\n"
      "  riskoff fmt my.rules                 print the canonical form\n"
      "  riskoff fmt --write rulesets/        rewrite every file that is not canonical\n"
      "  riskoff fmt --check rulesets/        exit 1 if any file is not canonical (for CI)\n"
      "Exit codes: 0 ok, 1 syntax errors or (with --check) files not canonical, 2 usage or I/O error.");
  command->add_option("paths", options->paths, "Rule files or directories")->required();
  auto* write = command->add_flag("--write,-w", options->write, "Rewrite files in place");
  command->add_flag("--check", options->check, "Report files that are not canonical; change nothing")->excludes(write);
  command->callback([options, &exit_code] { exit_code = run_fmt(*options); });
}

}  // namespace riskoff::cli
