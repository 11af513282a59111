// The `riskoff` executable: CLI11 wiring only; each subcommand lives in its own file.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
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
  riskoff::cli::add_check_command(app, exit_code);
  riskoff::cli::add_fmt_command(app, exit_code);
  riskoff::cli::add_eval_command(app, exit_code);
  riskoff::cli::add_test_command(app, exit_code);
  riskoff::cli::add_snapshot_command(app, exit_code);
  riskoff::cli::add_data_command(app, exit_code);
  riskoff::cli::add_replay_command(app, exit_code);
  riskoff::cli::add_audit_command(app, exit_code);
  riskoff::cli::add_ruleset_command(app, exit_code);
  riskoff::cli::add_serve_command(app, exit_code);
  riskoff::cli::add_watch_command(app, exit_code);
  riskoff::cli::add_lsp_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    // CLI11 returns 0 for --help/--version; every real usage error is exit code 2.
    return code == 0 ? riskoff::cli::kExitOk : riskoff::cli::kExitUsage;
  }
  return exit_code;
}
