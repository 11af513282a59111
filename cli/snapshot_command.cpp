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
  bool explain_times = false;
  double fetch_deadline = 0;
  std::string sources_root;
};

// A session date as its date, an instant in full.
std::string own_time(std::int64_t time, bool session_dates) {
  const std::string text = format_time(time);
  return session_dates && time % 86400 == 0 ? text.substr(0, 10) : text;
}

// --explain-times: for each input, its last observation's own date, when it became known, and
// why; and the next one not yet known, so a user sees where the snapshot's edge is.
void print_clocks(const std::vector<InputClock>& clocks, std::int64_t as_of) {
  std::cerr << "known-at times as of " << format_time(as_of) << " (an observation is in once known):\n";
  for (const auto& clock : clocks) {
    std::cerr << "  " << clock.input << " (" << clock.reader << "): ";
    if (clock.last_time) {
      std::cerr << "last " << own_time(*clock.last_time, clock.session_dates) << ", known " << format_time(*clock.last_known);
    } else {
      std::cerr << "no observation known";
    }
    if (clock.next_time) {
      std::cerr << "; next " << own_time(*clock.next_time, clock.session_dates) << ", known "
                << format_time(*clock.next_known);
    }
    std::cerr << "\n      " << clock.why << '\n';
  }
}

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
  std::vector<InputClock> clocks;
  const auto snapshot = snapshot_from_sources(
      {.command = "riskoff snapshot build",
       .manifest = options.sources,
       .as_of = options.as_of,
       .missing = options.allow_missing ? MissingInputs::kLeaveOut : MissingInputs::kFail,
       .fetch_deadline_seconds = options.fetch_deadline,
       .allow_missing_hint = "--allow-missing writes the snapshot without them",
       .sources_root = options.sources_root},
      ruleset ? &*ruleset : nullptr, &clocks);
  if (!snapshot) return kExitProblems;
  if (options.explain_times) print_clocks(clocks, snapshot->as_of());
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
  build->add_flag("--explain-times", options->explain_times,
                  "Print to stderr, per input, the last observation's date, when it became known, and why");
  build->add_option("--fetch-deadline", options->fetch_deadline, kFetchDeadlineHelp)->check(CLI::Range(0.001, 86400.0));
  build->add_option("--sources-root", options->sources_root, kSourcesRootHelp)->check(CLI::ExistingDirectory);
  build->callback([options, &exit_code] { exit_code = run_build(*options); });
}

}  // namespace riskoff::cli
