// The `riskoff` executable: CLI11 wiring only; each subcommand lives in its own file.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <iterator>
#include <string_view>
#include <utility>

#include "cli/commands.hpp"
#include "cli/start_up.hpp"

int main(int argc, char** argv) {
  // Before anything allocates: fewer page faults for every command (cli/start_up.cpp).
  riskoff::cli::start_heap_on_a_huge_page();
  // Named, so that usage lines say `riskoff`, not the path it was started by (golden help files).
  CLI::App app{"riskoff: an explainable rule engine for cross-asset risk-off weeks", "riskoff"};
  app.footer(
      "Examples:\n"
      "  riskoff check rulesets/\n"
      "  riskoff fmt --check rulesets/\n"
      "  riskoff eval --ruleset rulesets/riskoff.rules --snapshot examples/snapshots/2026-02-04.json\n"
      "  riskoff test rulesets/\n"
      "  riskoff replay --ruleset rulesets/riskoff.rules --sources examples/sources-local.json --from 2017-01-01\n"
      "  riskoff audit verify\n"
      "See docs/cli.md for every command and its exit codes.");
  app.require_subcommand(1);
  app.set_version_flag("--version", "riskoff " RISKOFF_VERSION);
  int exit_code = riskoff::cli::kExitOk;
  // Every command's options cost a tenth of an `eval`'s instructions to declare (CLI11 builds
  // each option's strings and callbacks), so a run whose first word names a command declares
  // that command only; it parses and prints exactly as with all of them declared, since a
  // command's help, errors and options never mention another. Anything else (`--help`,
  // `--version`, a mistyped name, nothing) declares them all, for the full help and errors.
  using AddCommand = void (*)(CLI::App&, int&);
  static constexpr std::pair<std::string_view, AddCommand> kCommands[] = {
      {"check", riskoff::cli::add_check_command},     {"fmt", riskoff::cli::add_fmt_command},
      {"eval", riskoff::cli::add_eval_command},       {"test", riskoff::cli::add_test_command},
      {"snapshot", riskoff::cli::add_snapshot_command}, {"data", riskoff::cli::add_data_command},
      {"replay", riskoff::cli::add_replay_command},   {"audit", riskoff::cli::add_audit_command},
      {"ruleset", riskoff::cli::add_ruleset_command}, {"serve", riskoff::cli::add_serve_command},
      {"watch", riskoff::cli::add_watch_command},     {"lsp", riskoff::cli::add_lsp_command}};
  const std::string_view first = argc > 1 ? std::string_view(argv[1]) : std::string_view();
  const bool named = std::any_of(std::begin(kCommands), std::end(kCommands), [&](const auto& command) { return command.first == first; });
  for (const auto& [name, add] : kCommands) {
    if (!named || name == first) add(app, exit_code);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    // CLI11 returns 0 for --help/--version; every real usage error is exit code 2.
    return code == 0 ? riskoff::cli::kExitOk : riskoff::cli::kExitUsage;
  } catch (const std::exception& error) {
    // Errors about the user's input come back as data (riskoff::Result) and never reach here;
    // what does is the machine lacking something a command needs, e.g. a library opened on first
    // use that is missing (adapters/lazy_library.hpp, libabsl_time_zone for time zones): said, not
    // left to std::terminate's abort.
    std::cerr << "riskoff: " << error.what() << '\n';
    return riskoff::cli::kExitUsage;
  }
  return exit_code;
}
