// `riskoff replay`: a ruleset at every step of a past period, from a sources manifest or the
// history store, with the overlay, episodes, data gaps, a chart and the diff against another
// ruleset. This file parses the options and prints; the history and the step instants come
// from adapters/history.hpp, the replay and its report from backtest/.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <iostream>
#include <limits>
#include <set>
#include <unistd.h>

#include "adapters/history.hpp"
#include "backtest/reference.hpp"
#include "backtest/report.hpp"
#include "cli/commands.hpp"
#include "cli/load.hpp"

namespace riskoff::cli {
namespace {

struct ReplayCliOptions {
  std::string ruleset;
  std::string against;
  std::string sources;
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
};

constexpr const char* kName = "riskoff replay: ";

// "50%" or "0.5" -> 0.5; nullopt when neither.
std::optional<double> parse_fraction(std::string text) {
  const bool percent = !text.empty() && text.back() == '%';
  if (percent) text.pop_back();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return percent ? value / 100 : value;
}

// "1d", "4h", "1h" -> seconds; 0 for none given.
std::optional<double> parse_every(const std::string& text) {
  if (text.empty()) return 0.0;
  if (text.size() < 2) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, value);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || !(value > 0)) return std::nullopt;
  if (text.back() == 'd') return value * 86400;
  if (text.back() == 'h') return value * 3600;
  return std::nullopt;
}

// "spx", "spx=60,cash=40".
std::optional<std::vector<backtest::ReferenceLeg>> parse_reference(const std::string& text) {
  std::vector<backtest::ReferenceLeg> legs;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    backtest::ReferenceLeg leg;
    const auto equals = part.find('=');
    leg.input = part.substr(0, equals);
    if (leg.input.empty()) return std::nullopt;
    if (equals != std::string::npos) {
      const auto weight = parse_fraction(part.substr(equals + 1));
      if (!weight || !(*weight > 0)) return std::nullopt;
      leg.weight = *weight;
    }
    legs.push_back(leg);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return legs;
}

// Prints an error's messages and gives its exit code (docs/cli.md): usage and I/O exit 2,
// everything else 1.
int report(const Error& error) {
  for (const auto& message : error.messages) std::cerr << kName << message << '\n';
  return error.kind == ErrorKind::kUsage || error.kind == ErrorKind::kIo ? kExitUsage : kExitProblems;
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

int run_replay_command(const ReplayCliOptions& options) {
  if (options.sources.empty() == options.db.empty()) {
    std::cerr << kName << "give --sources FILE or --db FILE\n";
    return kExitUsage;
  }
  const auto from = engine::parse_timestamp(options.from);
  if (!from) {
    std::cerr << kName << "--from `" << options.from << "` is not a UTC date such as 2017-01-01\n";
    return kExitUsage;
  }
  engine::Timestamp to = std::numeric_limits<engine::Timestamp>::max() / 2;
  if (!options.to.empty()) {
    const auto parsed = engine::parse_timestamp(options.to);
    if (!parsed) {
      std::cerr << kName << "--to `" << options.to << "` is not a UTC date such as 2026-02-06\n";
      return kExitUsage;
    }
    // A date alone means the whole day.
    to = options.to.find('T') == std::string::npos ? *parsed + 86399 : *parsed;
    if (to < *from) {
      std::cerr << kName << "--to " << options.to << " is before --from " << options.from << '\n';
      return kExitUsage;
    }
  }
  const auto every = parse_every(options.every);
  if (!every) {
    std::cerr << kName << "--every `" << options.every << "` is not a step such as 1d, 4h or 1h\n";
    return kExitUsage;
  }
  auto legs = parse_reference(options.reference);
  if (!legs) {
    std::cerr << kName << "--reference `" << options.reference << "` is not INPUT or INPUT=WEIGHT,... such as spx=60,cash=40\n";
    return kExitUsage;
  }
  backtest::OverlayOptions overlay;
  const auto reduce = parse_fraction(options.reduce_to);
  const auto episode = parse_fraction(options.episode_dd);
  // Exposures stay between net short 100% and fully invested: beyond, the overlay's value can
  // go negative and its figures mean nothing.
  if (!reduce || !(*reduce >= 0 && *reduce <= 1) || !episode || !(*episode > 0 && *episode < 1) ||
      !(options.hedge_ratio >= 0 && options.hedge_ratio <= 2) || !(options.cost_bp >= 0 && options.cost_bp <= 10000)) {
    std::cerr << kName << "--reduce-to takes 0% to 100%, --episode-dd a depth between 0% and 100% such as 10%, "
                 "--hedge-ratio 0 to 2 (2: net short 100%), --cost-bp 0 to 10000\n";
    return kExitUsage;
  }
  overlay.reduce_to = *reduce;
  overlay.hedge_ratio = options.hedge_ratio;
  overlay.cost_bp = options.cost_bp;

  const LoadedRuleset loaded = load_ruleset(options.ruleset);
  if (loaded.exit_code != 0) return loaded.exit_code;
  LoadedRuleset old_loaded;
  if (!options.against.empty()) {
    old_loaded = load_ruleset(options.against);
    if (old_loaded.exit_code != 0) return old_loaded.exit_code;
  }
  // The profile is found by name in both rulesets: the new ruleset's first one by default, and
  // the same name in the old (a reordered or renamed profile must not compare unrelated ones).
  std::string profile_name = options.profile;
  if (profile_name.empty() && !loaded.plan->profiles().empty()) profile_name = loaded.plan->profiles().front().name;
  auto profile_of = [&](const engine::Plan& plan, const std::string& file) -> std::optional<std::uint32_t> {
    if (plan.profiles().empty()) {
      std::cerr << kName << file << " has no profile, so nothing to decide\n";
      return std::nullopt;
    }
    const auto index = plan.find_profile(profile_name);
    if (index < 0) {
      std::cerr << kName << file << ": no profile `" << profile_name << "`"
                << (options.profile.empty() ? " (the first of --ruleset; give --profile)" : "") << "; profiles are:";
      for (const auto& p : plan.profiles()) std::cerr << ' ' << p.name;
      std::cerr << '\n';
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(index);
  };
  const auto profile = profile_of(*loaded.plan, options.ruleset);
  if (!profile) return kExitUsage;
  std::optional<std::uint32_t> old_profile;
  if (old_loaded.plan) {
    old_profile = profile_of(*old_loaded.plan, options.against);
    if (!old_profile) return kExitUsage;
  }
  std::vector<engine::ParamOverride> overrides;
  for (const auto& assignment : options.sets) {
    engine::ParamOverride override;
    if (const auto error = engine::parse_override(*loaded.plan, assignment, override); !error.empty()) {
      std::cerr << kName << "--set " << assignment << ": " << error << '\n';
      return kExitUsage;
    }
    overrides.push_back(override);
  }

  // Every series either ruleset reads, and the reference's.
  std::set<std::string> names, optional;
  for (const auto* plan : {loaded.plan.get(), old_loaded.plan.get()}) {
    if (plan == nullptr) continue;
    for (const auto& input : plan->inputs()) {
      names.insert(input.name);
      if (input.optional) optional.insert(input.name);
    }
  }
  for (const auto& leg : *legs) {
    if (leg.input == "cash") continue;
    names.insert(leg.input);
    optional.erase(leg.input);
  }
  const auto history = adapters::load_history({options.sources, options.db}, names, optional, to);
  if (!history) return report(history.error());
  if (const auto problem = backtest::bind_reference(*legs, *history)) return report(*problem);
  adapters::StepRequest request;
  request.from = *from;
  if (!options.to.empty()) request.to = to;
  request.every_seconds = *every;
  for (const auto& leg : *legs) {
    if (leg.series != nullptr && request.clock == nullptr) request.clock = leg.series;
  }
  request.from_text = options.from;
  request.to_text = options.to;
  request.every_text = options.every;
  const auto grid = adapters::choose_steps(*history, request);
  if (!grid) return report(grid.error());
  const auto& steps = grid->steps;

  const bool show_progress = !options.quiet && isatty(STDERR_FILENO) != 0;
  ProgressBar bar(show_progress);
  backtest::ReplayOptions replay_options;
  replay_options.profile = *profile;
  replay_options.overrides = overrides;
  replay_options.reference = *legs;
  replay_options.overlay = overlay;
  replay_options.episode_threshold = *episode;
  replay_options.content_hash = loaded.content_hash;
  replay_options.figures = options.figures;
  for (const auto& name : options.figures) {
    const auto& rs = loaded.plan->ruleset();
    const auto it = rs.by_name.find(name);
    const bool number = loaded.plan->find_input(name) >= 0 ||
                        (it != rs.by_name.end() && rs.symbols[it->second].kind == engine::SymbolKind::kLet &&
                         rs.symbols[it->second].type.kind != engine::TypeKind::kBool);
    if (!number) {
      std::cerr << kName << "--figures: `" << name << "` is not a `let` or an input of " << options.ruleset << '\n';
      return kExitUsage;
    }
  }
  replay_options.progress = [&bar](std::size_t done, std::size_t total) { bar(done, total); };
  const std::string& every_text = grid->every;

  const auto new_history = adapters::history_for(*loaded.plan, *history);
  std::vector<std::string> errors;
  auto replay = backtest::run_replay(*loaded.plan, new_history, steps, replay_options, errors);
  if (!replay) {
    for (const auto& error : errors) std::cerr << kName << options.ruleset << ": " << error << '\n';
    return kExitProblems;
  }
  replay->every = every_text;

  std::optional<backtest::Replay> old_replay;
  std::optional<backtest::AgainstReport> against;
  engine::Snapshot old_history;
  if (old_loaded.plan) {
    backtest::ReplayOptions old_options = replay_options;
    old_options.profile = *old_profile;
    old_options.overrides.clear();
    old_options.content_hash = old_loaded.content_hash;
    old_history = adapters::history_for(*old_loaded.plan, *history);
    old_replay = backtest::run_replay(*old_loaded.plan, old_history, steps, old_options, errors);
    if (!old_replay) {
      for (const auto& error : errors) std::cerr << kName << options.against << ": " << error << '\n';
      return kExitProblems;
    }
    old_replay->every = every_text;
    against = backtest::compare_replays(*loaded.plan, new_history, *replay, *old_loaded.plan, old_history, *old_replay,
                                       replay_options, old_options);
  }

  const backtest::AgainstReport* against_ptr = against ? &*against : nullptr;
  const backtest::Replay* old_ptr = old_replay ? &*old_replay : nullptr;
  std::string text = options.format == "json"  ? backtest::render_replay_json(*replay, against_ptr, old_ptr)
                     : options.format == "csv" ? backtest::render_replay_csv(*replay)
                                               : backtest::render_replay_text(*replay, against_ptr, old_ptr);
  if (!options.chart.empty()) {
    if (const auto error = write_file_atomically(options.chart, backtest::render_replay_svg(*replay)); !error.empty()) {
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
      "Exit codes: 0 replayed, 1 ruleset or data problem, 2 usage or I/O error.");
  command->add_option("--ruleset,-r", options->ruleset, "Rule file")->required();
  command->add_option("--against", options->against, "An older rule file: list every step decided differently, and why");
  auto* sources = command->add_option("--sources", options->sources, "Sources manifest (docs/sources.md)");
  auto* db = command->add_option("--db", options->db, "History store (riskoff data import)");
  sources->excludes(db);
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
  command->add_option("--episode-dd", options->episode_dd, "Drawdowns of the reference deeper than this are episodes")
      ->capture_default_str();
  command->add_option("--format,-f", options->format, "Output format")->check(CLI::IsMember({"text", "csv", "json"}))
      ->capture_default_str();
  command->add_option("-o,--output", options->output, "Write the report to FILE instead of standard output");
  command->add_option("--chart", options->chart, "Also draw the replay as an SVG file");
  command->add_option("--figures", options->figures,
                      "Key figures per step: lets or inputs, comma-separated (default: every numeric let, in csv and json)")
      ->delimiter(',');
  command->add_flag("--quiet,-q", options->quiet, "No progress bar (it only shows when standard error is a terminal)");
  command->callback([options, &exit_code] { exit_code = run_replay_command(*options); });
}

}  // namespace riskoff::cli
