#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "cli/sources.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::cli {
namespace {

struct BuildOptions {
  std::string sources;
  std::string as_of;
  std::string ruleset;
  std::string output = "-";
  bool allow_missing = false;
  double fetch_deadline = 0;
  std::string sources_root;
};

int run_build(const BuildOptions& options) {
  if (!options.as_of.empty() && !parse_as_of(options.as_of)) {
    std::cerr << "riskoff snapshot build: --as-of `" << options.as_of
              << "` is not a UTC date or time such as 2026-02-04 or 2026-02-04T21:00:00Z\n";
    return kExitUsage;
  }
  std::optional<Ruleset> ruleset;
  if (!options.ruleset.empty()) {
    auto loaded = load_ruleset(options.ruleset);
    if (loaded.exit_code != 0) return loaded.exit_code;
    ruleset = std::move(loaded.ruleset);
  }
  const auto snapshot = snapshot_from_sources(
      {.command = "riskoff snapshot build",
       .manifest = options.sources,
       .as_of = options.as_of,
       .missing = options.allow_missing ? MissingInputs::kLeaveOut : MissingInputs::kFail,
       .fetch_deadline_seconds = options.fetch_deadline,
       .allow_missing_hint = "--allow-missing writes the snapshot without them",
          .sources_root = options.sources_root},
      ruleset ? &*ruleset : nullptr);
  if (!snapshot) return kExitProblems;
  const std::string text = snapshot->to_json();
  if (options.output == "-") {
    std::cout << text;
    return kExitOk;
  }
  if (const auto error = write_file_atomically(options.output, text); !error.empty()) {
    std::cerr << "riskoff snapshot build: " << error << '\n';
    return kExitUsage;
  }
  std::cerr << options.output << ": " << snapshot->input_count() << " inputs as of " << format_time(snapshot->as_of())
            << '\n';
  return kExitOk;
}

}  // namespace

void add_snapshot_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<BuildOptions>();
  auto* snapshot = app.add_subcommand("snapshot", "Build market snapshots from data files");
  snapshot->require_subcommand(1);
  // Its own examples: a subcommand without a footer would print the top-level one.
  snapshot->footer(
      "Examples:\n"
      "  riskoff snapshot build --sources examples/sources-local.json --as-of 2026-02-04 -o today.json\n"
      "  riskoff snapshot build --sources examples/sources-local.json --as-of 2026-02-04T21:00:00Z \\\n"
      "      --ruleset rulesets/riskoff.rules -o today.json\n"
      "See `riskoff snapshot build --help` and docs/sources.md.");
  auto* build = snapshot->add_subcommand("build", "Read every source of a manifest and write a snapshot as of an instant");
  build->footer(
      "Examples:\n"
      "  riskoff snapshot build --sources examples/sources-local.json --as-of 2026-02-04T21:00:00Z \\\n"
      "      --ruleset rulesets/riskoff.rules -o today.json\n"
      "Exit codes: 0 written, 1 sources that cannot be read, 2 usage or I/O error.");
  build->add_option("--sources", options->sources, "Sources manifest (docs/sources.md)")->required();
  build->add_option("--as-of", options->as_of, "UTC time, e.g. 2026-02-04T21:00:00Z, or a date meaning the end of that UTC day (default: now)");
  build->add_option("--ruleset,-r", options->ruleset, "Keep only the inputs this ruleset reads and the lookback its windows need");
  build->add_option("--output,-o", options->output, "Output file, or - for standard output");
  build->add_flag("--allow-missing", options->allow_missing, "Write the snapshot without inputs that cannot be read");
  build->add_option("--fetch-deadline", options->fetch_deadline, kFetchDeadlineHelp)->check(CLI::Range(0.001, 86400.0));
  build->add_option("--sources-root", options->sources_root, kSourcesRootHelp)->check(CLI::ExistingDirectory);
  build->callback([options, &exit_code] { exit_code = run_build(*options); });
}

}  // namespace riskoff::cli
