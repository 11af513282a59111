// `riskoff replay`: a ruleset at every step of a past period, from a sources manifest or the
// history store, with the overlay, episodes, data gaps, a chart and the diff against another
// ruleset. This file parses the options and prints; the backtest is riskoff::Backtest::run()
// (riskoff/backtest.hpp).
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <iostream>
#include <limits>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "cli/sources.hpp"
#include "riskoff/backtest.hpp"
#include "riskoff/evidence.hpp"

namespace riskoff::cli {
namespace {

struct ReplayCliOptions {
  std::string ruleset;
  std::string against;
  std::string sources;
  std::string sources_root;
  std::string db;
  std::string from;
  std::string to;
  std::string profile;
  std::string every;
  std::string format = "text";
  std::string output;
  std::string chart;
  std::string reference = "spx";
  std::string reduce_to = "50%";
  double hedge_ratio = 1;
  double cost_bp = 0;
  std::string episode_dd = "10%";
  std::vector<std::string> sets;
  std::vector<std::string> figures;
  bool quiet = false;
  std::size_t lookahead_steps = 0;  // --lookahead-check N; 0: a replay
  std::uint64_t lookahead_seed = 1;
  bool steps = false;
  std::vector<std::string> sweeps;  // --sweep NAME=FROM..TO/STEP or NAME=A,B,C: a sweep instead of one replay
  double plateau_pp = 1;            // --plateau-pp: the neighbours' tolerance, in percentage points
  std::size_t shuffles = 0;         // --shuffle N: the significance test instead of the report; 0: none
  std::uint64_t seed = 1;           // --seed: its draws
  std::string walk_forward;         // --walk-forward TRAIN/TEST: choose on each train window, run on its test window
  std::string objective = "sharpe"; // --objective: how a train window chooses
  std::vector<std::string> baselines;  // --baseline FILE: replayed beside, in one table
  std::string execution = "next-close";  // --execution: when a decision is traded
};

constexpr const char* kName = "riskoff replay: ";

// "50%" or "0.5" -> 0.5; NaN when neither (Backtest::run() refuses it with the ranges it takes).
double parse_fraction(std::string text) {
  const bool percent = !text.empty() && text.back() == '%';
  if (percent) text.pop_back();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return percent ? value / 100 : value;
}

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void operator()(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    const auto percent = done * 100 / total;
    if (percent == shown_ && done != total) return;
    shown_ = percent;
    const std::size_t width = 30, filled = done * width / total;
    std::cerr << "\rreplay [" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << percent << "% "
              << done << "/" << total << (done == total ? "\n" : "") << std::flush;
  }

 private:
  bool enabled_;
  std::size_t shown_ = 101;
};

// The backtest's options from the command line's; the period is checked here, the rest by Backtest::run().
std::optional<BacktestOptions> backtest_options(const ReplayCliOptions& options) {
  BacktestOptions out;
  const auto from = parse_time(options.from);
  if (!from) {
    std::cerr << kName << "--from `" << options.from << "` is not a UTC date such as 2017-01-01\n";
    return std::nullopt;
  }
  out.from = *from;
  if (!options.to.empty()) {
    // A date alone means the whole day (parse_as_of: its last second).
    const auto parsed = parse_as_of(options.to);
    if (!parsed) {
      std::cerr << kName << "--to `" << options.to << "` is not a UTC date such as 2026-02-06\n";
      return std::nullopt;
    }
    out.to = *parsed;
    if (*out.to < *from) {
      std::cerr << kName << "--to " << options.to << " is before --from " << options.from << '\n';
      return std::nullopt;
    }
  }
  out.every = options.every;
  out.profile = options.profile;
  out.overrides = options.sets;
  out.reference = options.reference;
  out.overlay = {parse_fraction(options.reduce_to), options.hedge_ratio, options.cost_bp};
  out.episode_threshold = parse_fraction(options.episode_dd);
  out.execution = options.execution == "next-open" ? Execution::kNextOpen : Execution::kNextClose;
  out.figures = options.figures;
  return out;
}

// `--lookahead-check N`: the differences on standard output, one per line; exit 1 on any.
int run_lookahead_check(const ReplayCliOptions& options, const Ruleset& ruleset, const BacktestOptions& run) {
  if (options.sources.empty() || run.against) {
    std::cerr << kName << "--lookahead-check re-decides from the files of --sources, for --ruleset alone (no --db, no --against)\n";
    return kExitUsage;
  }
  const auto sources = Sources::load(options.sources, {.root = options.sources_root});
  if (!sources) return report_error("riskoff replay", sources.error());
  const auto checked = check_lookahead(ruleset, *sources, run, {.steps = options.lookahead_steps, .seed = options.lookahead_seed});
  if (!checked) return report_error("riskoff replay", checked.error());
  for (const auto& whole : checked->read_whole) std::cerr << kName << "note: read whole, not cut: " << whole << '\n';
  const std::string count = std::to_string(checked->steps.size()) + (checked->steps.size() == 1 ? " step" : " steps");
  if (checked->ok()) {
    std::cout << count << " re-decided from cut files: no look-ahead\n";
    return kExitOk;
  }
  for (const auto& difference : checked->differences) {
    std::cout << format_time(difference.step) << " " << difference.what << ": replay " << difference.replay << ", cut files "
              << difference.cut << '\n';
  }
  for (const auto& input : checked->inputs) std::cout << input << '\n';
  std::cerr << kName << count << " re-decided from cut files: " << checked->differences.size()
            << (checked->differences.size() == 1 ? " difference" : " differences") << " from the replay"
            << (checked->lookahead ? ": it saw data the files did not hold yet (look-ahead)\n" : "\n");
  return kExitProblems;
}

ReportFormat report_format(const ReplayCliOptions& options) {
  return options.format == "json"  ? ReportFormat::kJson
         : options.format == "csv" ? ReportFormat::kCsv
         : options.steps           ? ReportFormat::kTextWithSteps
                                   : ReportFormat::kText;
}

// The report to standard output or --output, the chart (when asked) to --chart.
int write_outputs(const ReplayCliOptions& options, const std::string& text, const std::string& chart) {
  if (!options.chart.empty()) {
    if (const auto error = write_file_atomically(options.chart, chart); !error.empty()) {
      std::cerr << kName << error << '\n';
      return kExitUsage;
    }
  }
  if (options.output.empty()) {
    std::cout << text;
  } else if (const auto error = write_file_atomically(options.output, text); !error.empty()) {
    std::cerr << kName << error << '\n';
    return kExitUsage;
  }
  return kExitOk;
}

// `--sweep`: every grid point replayed by riskoff::sweep(), one row each (docs/replay.md "Sweeps").
int run_sweep(const ReplayCliOptions& options, const Ruleset& ruleset, const BacktestOptions& run) {
  if (run.against || options.lookahead_steps > 0 || options.shuffles > 0) {
    std::cerr << kName << "--sweep replays --ruleset alone: no --against, --lookahead-check or --shuffle\n";
    return kExitUsage;
  }
  if (!options.chart.empty() && options.sweeps.size() != 2) {
    std::cerr << kName << "--chart with --sweep draws a heatmap of two parameters: give exactly two --sweep\n";
    return kExitUsage;
  }
  const SweepOptions grid{.axes = options.sweeps, .plateau_tolerance = options.plateau_pp / 100};
  std::optional<Result<SweepReport>> result;
  if (!options.db.empty()) {
    const auto store = HistoryStore::open(options.db, OpenMode::kReadOnly);
    if (!store) return report_error("riskoff replay", store.error());
    result = sweep(ruleset, *store, run, grid);
  } else {
    const auto sources = Sources::load(options.sources, {.root = options.sources_root});
    if (!sources) return report_error("riskoff replay", sources.error());
    result = sweep(ruleset, *sources, run, grid);
  }
  if (!*result) return report_error("riskoff replay", result->error());
  const std::string chart = options.chart.empty() ? "" : render_sweep(**result, ReportFormat::kSvg);
  return write_outputs(options, render_sweep(**result, report_format(options)), chart);
}

// `--walk-forward` with the grid of `--sweep`: riskoff::walk_forward() (docs/replay.md "Walk-forward").
int run_walk_forward(const ReplayCliOptions& options, const Ruleset& ruleset, const BacktestOptions& run) {
  if (run.against || options.lookahead_steps > 0 || options.shuffles > 0 || !options.chart.empty()) {
    std::cerr << kName << "--walk-forward replays --ruleset alone: no --against, --lookahead-check, --shuffle or --chart\n";
    return kExitUsage;
  }
  const WalkForwardOptions walk{.windows = options.walk_forward, .objective = options.objective, .axes = options.sweeps};
  std::optional<Result<WalkForwardReport>> result;
  if (!options.db.empty()) {
    const auto store = HistoryStore::open(options.db, OpenMode::kReadOnly);
    if (!store) return report_error("riskoff replay", store.error());
    result = walk_forward(ruleset, *store, run, walk);
  } else {
    const auto sources = Sources::load(options.sources, {.root = options.sources_root});
    if (!sources) return report_error("riskoff replay", sources.error());
    result = walk_forward(ruleset, *sources, run, walk);
  }
  if (!*result) return report_error("riskoff replay", result->error());
  return write_outputs(options, render_walk_forward(**result, report_format(options)), "");
}

int run_replay_command(const ReplayCliOptions& options) {
  if (options.sources.empty() == options.db.empty()) {
    std::cerr << kName << "give --sources FILE or --db FILE\n";
    return kExitUsage;
  }
  auto parsed = backtest_options(options);
  if (!parsed) return kExitUsage;
  BacktestOptions& run = *parsed;
  const LoadedRuleset loaded = load_ruleset(options.ruleset);
  if (loaded.exit_code != 0) return loaded.exit_code;
  if (!options.against.empty()) {
    LoadedRuleset older = load_ruleset(options.against);
    if (older.exit_code != 0) return older.exit_code;
    run.against = std::move(older.ruleset);
  }
  for (const auto& file : options.baselines) {
    LoadedRuleset baseline = load_ruleset(file);
    if (baseline.exit_code != 0) return baseline.exit_code;
    run.baselines.push_back(std::move(*baseline.ruleset));
  }
  if (!run.baselines.empty() && (options.lookahead_steps > 0 || options.shuffles > 0)) {
    std::cerr << kName
              << "--baseline goes with the replay, --sweep or --walk-forward report: not with --lookahead-check or "
                 "--shuffle\n";
    return kExitUsage;
  }
  ProgressBar bar(!options.quiet && isatty(STDERR_FILENO) != 0);
  run.progress = [&bar](std::size_t done, std::size_t total) { bar(done, total); };

  if (!options.walk_forward.empty()) return run_walk_forward(options, *loaded.ruleset, run);
  if (!options.sweeps.empty()) return run_sweep(options, *loaded.ruleset, run);
  if (options.lookahead_steps > 0) return run_lookahead_check(options, *loaded.ruleset, run);

  std::optional<Result<Backtest>> result;
  if (!options.db.empty()) {
    const auto store = HistoryStore::open(options.db, OpenMode::kReadOnly);
    if (!store) return report_error("riskoff replay", store.error());
    result = Backtest::run(*loaded.ruleset, *store, run);
  } else {
    const auto sources = Sources::load(options.sources, {.root = options.sources_root});
    if (!sources) return report_error("riskoff replay", sources.error());
    result = Backtest::run(*loaded.ruleset, *sources, run);
  }
  if (!*result) return report_error("riskoff replay", result->error());
  const Backtest& replay = **result;
  // Listed once, as `eval --sources` and `snapshot build` do: a manifest feeds several rulesets.
  if (!replay.unused_inputs().empty()) {
    std::cerr << kName << "note: not used (the ruleset does not read them, so they were not read): ";
    for (std::size_t k = 0; k < replay.unused_inputs().size(); ++k) std::cerr << (k ? ", " : "") << replay.unused_inputs()[k];
    std::cerr << '\n';
  }

  const std::string chart = options.chart.empty() ? "" : replay.render(ReportFormat::kSvg);
  if (options.shuffles > 0) {
    const auto test = shuffle_test(replay, {.shuffles = options.shuffles, .seed = options.seed});
    if (!test) return report_error("riskoff replay", test.error());
    return write_outputs(options, render_shuffle(*test, report_format(options)), chart);
  }
  return write_outputs(options, replay.render(report_format(options)), chart);
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReplayCliOptions>();
  auto* command = app.add_subcommand("replay", "Replay a ruleset over history: every step's decision, the overlay, episodes");
  command->footer(
      "Examples:\n"
      "  riskoff replay --ruleset rulesets/riskoff.rules --sources examples/sources-local.json --from 2017-01-01\n"
      "  riskoff replay -r new.rules --against old.rules --db history.sqlite --from 2022-01-01 --to 2022-12-31\n"
      "  riskoff replay -r my.rules --sources s.json --from 2020-01-01 --every 4h --reference btc --format csv -o steps.csv\n"
      "  riskoff replay -r my.rules --sources s.json --from 2017-01-01 --reference spx=60,cash=40 --chart replay.svg\n"
      "  riskoff replay -r my.rules --sources s.json --from 2020-01-01 --to 2020-06-30 --lookahead-check 20\n"
      "  riskoff replay -r my.rules --sources s.json --from 2017-01-01 --sweep yield_jump=10bp..20bp/5bp --sweep vix_stress=20,25,30\n"
      "  riskoff replay -r my.rules --sources s.json --from 2017-01-01 --profile swing --shuffle 1000 --seed 7\n"
      "  riskoff replay -r my.rules --sources s.json --from 2017-01-01 --baseline rulesets/baselines/vix_above_25.rules\n"
      "  riskoff replay -r my.rules --sources s.json --from 2017-01-01 --walk-forward 3y/1y --sweep vix_stress=20..30/5 --objective sharpe\n"
      "Exit codes: 0 replayed (no look-ahead found), 1 ruleset or data problem (or look-ahead found), 2 usage or I/O error.");
  command->add_option("--ruleset,-r", options->ruleset, "Rule file")->required();
  command->add_option("--against", options->against, "An older rule file: list every step decided differently, and why");
  auto* sources = command->add_option("--sources", options->sources, "Sources manifest (docs/sources.md)");
  auto* db = command->add_option("--db", options->db, "History store (riskoff data import)");
  sources->excludes(db);
  command->add_option("--sources-root", options->sources_root, kSourcesRootHelp)->check(CLI::ExistingDirectory)->needs(sources);
  command->add_option("--from", options->from, "First day, UTC (2017-01-01)")->required();
  command->add_option("--to", options->to, "Last day, UTC, inclusive (default: the end of the data)");
  command->add_option("--profile,-p", options->profile, "Profile to decide for (default: the first)");
  command->add_option("--every", options->every,
                      "Step: 1d, 4h, 1h (a UTC grid from --from); default: each close of the reference");
  command->add_option("--set", options->sets, "Override a parameter of --ruleset: NAME=VALUE, e.g. yield_jump=20bp");
  command->add_option("--reference", options->reference,
                      "What the overlay holds: an input, or a mix rebalanced every step such as spx=60,cash=40")
      ->capture_default_str();
  command->add_option("--reduce-to", options->reduce_to, "Exposure kept on REDUCE")->capture_default_str();
  command->add_option("--hedge-ratio", options->hedge_ratio, "Share hedged on HEDGE: exposure 1 - ratio")->capture_default_str();
  command->add_option("--cost-bp", options->cost_bp, "Cost per unit of exposure traded, in bp")->capture_default_str();
  command->add_option("--execution", options->execution,
                      "When a decision is traded: next-close (the next step's close) or next-open (needs a reference "
                      "with opens)")
      ->check(CLI::IsMember({"next-close", "next-open"}))
      ->capture_default_str();
  command->add_option("--episode-dd", options->episode_dd, "Drawdowns of the reference deeper than this are episodes")
      ->capture_default_str();
  command->add_option("--format,-f", options->format, "Output format")->check(CLI::IsMember({"text", "csv", "json"}))
      ->capture_default_str();
  command->add_option("-o,--output", options->output, "Write the report to FILE instead of standard output");
  command->add_option("--chart", options->chart, "Also draw the replay as an SVG file");
  command->add_option("--figures", options->figures,
                      "Key figures per step: lets or inputs, comma-separated (default: every numeric let, in csv and json; "
                      "text shows them with --steps)")
      ->delimiter(',');
  command->add_option("--lookahead-check", options->lookahead_steps,
                      "Instead of the report: re-decide N sampled steps from the files cut at each step; exit 1 on any difference")
      ->check(CLI::PositiveNumber)
      ->type_name("N");
  command->add_option("--lookahead-seed", options->lookahead_seed, "Which steps --lookahead-check samples")
      ->type_name("SEED")
      ->capture_default_str();
  command->add_option("--sweep", options->sweeps,
                      "Instead of one replay, replay every value of a parameter as --set would: NAME=FROM..TO/STEP or "
                      "NAME=A,B,C; repeat for a grid (at most 10000 points)")
      ->type_name("NAME=RANGE");
  command->add_option("--plateau-pp", options->plateau_pp,
                      "--sweep: the own values sit on a plateau when every neighbour's annual return is within this many "
                      "percentage points")
      ->capture_default_str();
  command->add_option("--shuffle", options->shuffles,
                      "Instead of the report: rank the overlay among N draws of its own spells shuffled and N of its "
                      "entries at random dates (same durations, same share off WAIT)")
      ->check(CLI::Range(std::size_t{1}, kMaxShuffles))
      ->type_name("N");
  command->add_option("--seed", options->seed, "The draws of --shuffle: the same seed gives the same draws")
      ->type_name("SEED")
      ->capture_default_str();
  command
      ->add_option("--baseline", options->baselines,
                   "Also replay this rule file (such as rulesets/baselines/vix_above_25.rules) over the same steps, "
                   "reference and execution, in one table (with --walk-forward: over the tested span); repeatable")
      ->type_name("FILE");
  command->add_option("--walk-forward", options->walk_forward,
                      "Instead of the report: on each train window choose the --sweep point by --objective, run it on the "
                      "following test window, and stitch the test windows: TRAIN/TEST such as 3y/1y (y, m or d)")
      ->type_name("TRAIN/TEST");
  command->add_option("--objective", options->objective,
                      "--walk-forward: how a train window chooses: sharpe, return, or return-dd<=X% (the highest annual "
                      "return with a max drawdown no deeper than X%)")
      ->capture_default_str();
  command->add_flag("--steps", options->steps, "Text: also every change with its figures and one row per step");
  command->add_flag("--quiet,-q", options->quiet, "No progress bar (it only shows when standard error is a terminal)");
  command->callback([options, &exit_code] { exit_code = run_replay_command(*options); });
}

}  // namespace riskoff::cli
