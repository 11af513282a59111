// Backtest::run(): a ruleset over history, in named steps: check the options against the rulesets,
// load every series they and the reference read, choose the step instants, replay the ruleset
// (and the older one), compare. The stepping itself is the backtest stage's (backtest/replay.hpp):
// it drives the engine directly, not decide(), for speed. Messages are the ones `riskoff replay`
// has always printed, without its "riskoff replay: " prefix.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "adapters/history.hpp"
#include "api/data_impl.hpp"
#include "api/impl.hpp"
#include "backtest/reference.hpp"
#include "backtest/sweep.hpp"

namespace riskoff {
namespace {

// The options, checked and resolved against the ruleset (and the older one).
struct RulesetRun {
  const Ruleset::Impl* rules = nullptr;
  std::uint32_t profile = 0;
  std::vector<engine::ParamOverride> overrides;
};

struct Prepared {
  RulesetRun newer;
  std::optional<RulesetRun> older;
  std::vector<RulesetRun> baselines;  // each with its first profile, no overrides
  std::vector<backtest::ReferenceLeg> legs;
  double every_seconds = 0;
  engine::Timestamp to = std::numeric_limits<engine::Timestamp>::max() / 2;  // the data's end
};

// The rule file a ruleset was loaded from (or its name when compiled from text): what messages name.
std::string file_of(const Ruleset::Impl& rules) {
  const auto& checked = rules.plan->ruleset();
  return std::string(checked.sources.file(checked.root().source).name());
}

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

// The profile is found by name in both rulesets, as decide() finds it: the newer ruleset's first
// one by default, and the same name in the older (a reordered or renamed profile must not compare
// unrelated ones). Messages name the file, since two rulesets may be in play.
Result<std::uint32_t> find_profile(const Ruleset::Impl& rules, const std::string& name, bool named) {
  auto index = resolve_profile(rules, name);
  if (index) return index;
  Error error = index.error();
  for (auto& message : error.messages) {
    message = file_of(rules) + ": " + message + (named ? "" : " (the first of --ruleset; give --profile)");
  }
  return error;
}

Result<Prepared> prepare(const Ruleset& ruleset, const BacktestOptions& options) {
  Prepared out;
  const auto every = parse_every(options.every);
  if (!every) return Error(ErrorKind::kUsage, "--every `" + options.every + "` is not a step such as 1d, 4h or 1h");
  out.every_seconds = *every;
  auto legs = parse_reference(options.reference);
  if (!legs) {
    return Error(ErrorKind::kUsage, "--reference `" + options.reference +
                                        "` is not INPUT or INPUT=WEIGHT,... such as spx=60,cash=40");
  }
  out.legs = std::move(*legs);
  if (options.execution == Execution::kNextOpen && out.every_seconds > 0) {
    return Error(ErrorKind::kUsage, "--execution next-open trades at the next session's open: give no --every");
  }
  // Exposures stay between net short 100% and fully invested: beyond, the overlay's value can
  // go negative and its figures mean nothing.
  const auto& overlay = options.overlay;
  const double episode = options.episode_threshold;
  if (!(overlay.reduce_to >= 0 && overlay.reduce_to <= 1) || !(episode > 0 && episode < 1) ||
      !(overlay.hedge_ratio >= 0 && overlay.hedge_ratio <= 2) || !(overlay.cost_bp >= 0 && overlay.cost_bp <= 10000)) {
    return Error(ErrorKind::kUsage,
                 "--reduce-to takes 0% to 100%, --episode-dd a depth between 0% and 100% such as 10%, "
                 "--hedge-ratio 0 to 2 (2: net short 100%), --cost-bp 0 to 10000");
  }
  if (options.to) {
    if (*options.to < options.from) {
      return Error(ErrorKind::kUsage, "--to " + backtest::short_time(*options.to) + " is before --from " +
                                          backtest::short_time(options.from));
    }
    out.to = *options.to;
  }
  out.newer.rules = &ApiAccess::of(ruleset);
  const auto& plan = *out.newer.rules->plan;
  std::string name = options.profile;
  if (name.empty() && !plan.profiles().empty()) name = plan.profiles().front().name;
  auto profile = find_profile(*out.newer.rules, name, !options.profile.empty());
  if (!profile) return profile.error();
  out.newer.profile = *profile;
  if (options.against) {
    RulesetRun older;
    older.rules = &ApiAccess::of(*options.against);
    auto old_profile = find_profile(*older.rules, name, !options.profile.empty());
    if (!old_profile) return old_profile.error();
    older.profile = *old_profile;
    out.older = std::move(older);
  }
  for (const auto& baseline : options.baselines) {
    RulesetRun run;
    run.rules = &ApiAccess::of(baseline);
    const auto& profiles = run.rules->plan->profiles();
    if (profiles.empty()) return Error(ErrorKind::kUsage, "--baseline " + file_of(*run.rules) + " has no profile to decide with");
    out.baselines.push_back(run);
  }
  auto overrides = resolve_overrides(plan, options.overrides);
  if (!overrides) return overrides.error();
  out.newer.overrides = std::move(*overrides);
  return out;
}

// Every series either ruleset reads, and the reference's; `optional` those that may be absent.
void series_read(const Prepared& prepared, std::set<std::string>& names, std::set<std::string>& optional) {
  std::vector<const RulesetRun*> runs = {&prepared.newer};
  if (prepared.older) runs.push_back(&*prepared.older);
  for (const auto& baseline : prepared.baselines) runs.push_back(&baseline);
  for (const auto* plan : runs) {
    for (const auto& input : plan->rules->plan->inputs()) {
      names.insert(input.name);
      if (input.optional) optional.insert(input.name);
    }
  }
  for (const auto& leg : prepared.legs) {
    if (leg.input == "cash") continue;
    names.insert(leg.input);
    optional.erase(leg.input);
  }
}

// Key figures are names the user may have mistyped: each must be a number the ruleset computes.
std::optional<Error> check_figures(const Ruleset::Impl& rules, const std::vector<std::string>& figures) {
  const engine::Plan& plan = *rules.plan;
  const auto& checked = plan.ruleset();
  for (const auto& name : figures) {
    const auto it = checked.by_name.find(name);
    const bool number = plan.find_input(name) >= 0 ||
                        (it != checked.by_name.end() && checked.symbols[it->second].kind == engine::SymbolKind::kLet &&
                         checked.symbols[it->second].type.kind != engine::TypeKind::kBool);
    if (!number) return Error(ErrorKind::kUsage, "--figures: `" + name + "` is not a `let` or an input of " + file_of(rules));
  }
  return std::nullopt;
}

// The period as the user wrote it, for messages: a date, or a date and time.
std::string period_end_text(engine::Timestamp to) {
  return to % 86400 == 86399 ? backtest::short_time(to - 86399) : backtest::short_time(to);
}

Result<backtest::Replay> replay_one(const RulesetRun& plan, const engine::Snapshot& history,
                                    const std::vector<engine::Timestamp>& steps, backtest::ReplayOptions& options,
                                    const std::string& every) {
  options.profile = plan.profile;
  options.overrides = plan.overrides;
  options.content_hash = plan.rules->content_hash;
  std::vector<std::string> errors;
  auto replay = backtest::run_replay(*plan.rules->plan, history, steps, options, errors);
  if (!replay) {
    for (auto& error : errors) error = file_of(*plan.rules) + ": " + error;
    return Error(ErrorKind::kData, std::move(errors));
  }
  replay->every = every;
  return std::move(*replay);
}

// What every replay of the newer ruleset over the period shares: the reference bound, the steps
// chosen, the figures checked, the ruleset's own series. The legs point into `history`.
Result<ReplaySetup> setup_replays(const Prepared& prepared, const engine::Snapshot& history, const BacktestOptions& options) {
  auto legs = prepared.legs;
  if (auto problem = backtest::bind_reference(legs, history, options.execution == Execution::kNextOpen)) return *problem;
  adapters::StepRequest request;
  request.from = options.from;
  request.to = options.to;
  request.every_seconds = prepared.every_seconds;
  for (const auto& leg : legs) {
    if (leg.series != nullptr && request.clock == nullptr) request.clock = leg.series;
  }
  request.from_text = backtest::short_time(options.from);
  request.to_text = options.to ? period_end_text(*options.to) : "";
  request.every_text = options.every;
  auto grid = adapters::choose_steps(history, request);
  if (!grid) return grid.error();
  if (auto problem = check_figures(*prepared.newer.rules, options.figures)) return *problem;

  ReplaySetup setup;
  setup.rules = prepared.newer.rules;
  setup.profile = prepared.newer.profile;
  setup.overrides = prepared.newer.overrides;
  setup.history = adapters::history_for(*prepared.newer.rules->plan, history);
  setup.steps = std::move(grid->steps);
  setup.every = std::move(grid->every);
  auto& replay_options = setup.options;
  replay_options.reference = std::move(legs);
  replay_options.overlay = {options.overlay.reduce_to, options.overlay.hedge_ratio, options.overlay.cost_bp,
                            options.execution == Execution::kNextOpen};
  replay_options.episode_threshold = options.episode_threshold;
  replay_options.figures = options.figures;
  replay_options.progress = options.progress;
  replay_options.step_dates = std::move(grid->dates);
  replay_options.profile = setup.profile;
  replay_options.overrides = setup.overrides;
  replay_options.content_hash = setup.rules->content_hash;
  return setup;
}

// The baselines over the steps of `setup`, with its reference, overlay and execution; each reads
// its own series from `history`.
Result<std::vector<BaselineResult>> baseline_results(const Prepared& prepared, const engine::Snapshot& history,
                                                     const ReplaySetup& setup) {
  std::vector<BaselineResult> out;
  for (const auto& baseline : prepared.baselines) {
    backtest::ReplayOptions options_for = setup.options;
    options_for.reasons = backtest::ChangeReasons::kOmit;  // a baseline reports figures only
    options_for.figures.clear();
    options_for.progress = nullptr;
    const auto own_history = adapters::history_for(*baseline.rules->plan, history);
    auto replayed = replay_one(baseline, own_history, setup.steps, options_for, setup.every);
    if (!replayed) return replayed.error();
    out.push_back(
        {replayed->ruleset, replayed->version, file_of(*baseline.rules), backtest::replay_figures(*replayed)});
  }
  return out;
}

// Everything after the history is loaded: the replays and the comparison.
Result<Backtest> run(const Prepared& prepared, const engine::Snapshot& history, const BacktestOptions& options,
                     std::vector<std::string> unused_inputs) {
  auto setup = setup_replays(prepared, history, options);
  if (!setup) return setup.error();
  auto impl = std::make_shared<Backtest::Impl>();
  impl->unused_inputs = std::move(unused_inputs);
  auto replay = replay_with(*setup, setup->overrides);
  if (!replay) return replay.error();
  impl->replay = std::move(*replay);
  auto baselines = baseline_results(prepared, history, *setup);
  if (!baselines) return baselines.error();
  impl->replay.baselines = std::move(*baselines);
  if (prepared.older) {
    backtest::ReplayOptions old_options = setup->options;
    const auto old_history = adapters::history_for(*prepared.older->rules->plan, history);
    auto older = replay_one(*prepared.older, old_history, setup->steps, old_options, setup->every);
    if (!older) return older.error();
    impl->older = std::move(*older);
    impl->against = backtest::compare_replays(*prepared.newer.rules->plan, setup->history, impl->replay,
                                              *prepared.older->rules->plan, old_history, *impl->older, setup->options,
                                              old_options);
  }
  return ApiAccess::make_backtest(std::move(impl));
}

// A snapshot of whole series as a history: the series asked for, up to the period's end.
Result<engine::Snapshot> history_of(const Snapshot& series, const std::set<std::string>& names,
                                    const std::set<std::string>& optional, engine::Timestamp to) {
  const engine::Snapshot& all = ApiAccess::of(series)->snapshot;
  engine::Snapshot history;
  history.as_of = std::min(to, all.as_of);
  std::vector<std::string> absent;
  for (const auto& name : names) {
    const auto it = std::find_if(all.inputs.begin(), all.inputs.end(), [&](const auto& input) { return input.name == name; });
    if (it == all.inputs.end()) {
      if (optional.count(name) == 0) absent.push_back("the history has no series `" + name + "`");
      continue;
    }
    engine::InputData data = *it;
    const auto& known = data.known_at.empty() ? data.times : data.known_at;
    const auto end = std::upper_bound(known.begin(), known.end(), history.as_of) - known.begin();
    data.times.resize(static_cast<std::size_t>(end));
    data.values.resize(static_cast<std::size_t>(end));
    if (!data.known_at.empty()) data.known_at.resize(static_cast<std::size_t>(end));
    history.inputs.push_back(std::move(data));
  }
  if (!absent.empty()) return Error(ErrorKind::kData, std::move(absent));
  return history;
}

// Every series as it stood at `at`: the observations known by then.
engine::Snapshot cut_history(const engine::Snapshot& history, engine::Timestamp at) {
  engine::Snapshot out;
  out.as_of = std::min(history.as_of, at);
  for (const auto& input : history.inputs) {
    engine::InputData data = input;
    data.times.clear();
    data.values.clear();
    data.known_at.clear();
    data.opens.clear();
    for (std::size_t k = 0; k < input.times.size(); ++k) {
      if (input.known(k) > at) continue;
      data.times.push_back(input.times[k]);
      data.values.push_back(input.values[k]);
      if (!input.known_at.empty()) data.known_at.push_back(input.known_at[k]);
      if (!input.opens.empty()) data.opens.push_back(input.opens[k]);
    }
    out.inputs.push_back(std::move(data));
  }
  return out;
}

// Checks the options, loads every series the rulesets and the reference read, and hands them to
// `finish` with the names loaded.
template <typename Load, typename Finish>
auto with_history(const Ruleset& ruleset, const BacktestOptions& options, Load&& load, Finish&& finish)
    -> decltype(finish(std::declval<const Prepared&>(), std::declval<const engine::Snapshot&>(),
                       std::declval<const std::set<std::string>&>())) {
  auto prepared = prepare(ruleset, options);
  if (!prepared) return prepared.error();
  std::set<std::string> names, optional;
  series_read(*prepared, names, optional);
  auto history = load(names, optional, prepared->to);
  if (!history) return history.error();
  return finish(*prepared, *history, names);
}

// The three sources of history share everything but the loading. `offered`: the inputs a
// manifest offers; those no ruleset (nor the reference) reads are not loaded, only listed.
template <typename Load>
Result<Backtest> backtest_with(const Ruleset& ruleset, const BacktestOptions& options, Load&& load,
                               const std::vector<std::string>& offered = {}) {
  return with_history(ruleset, options, load, [&](const Prepared& prepared, const engine::Snapshot& history,
                                                  const std::set<std::string>& names) {
    std::vector<std::string> unused;
    for (const auto& input : offered) {
      if (names.count(input) == 0) unused.push_back(input);
    }
    return run(prepared, history, options, std::move(unused));
  });
}

// A sweep loads the history as a backtest does, then replays every grid point from one setup.
template <typename Load>
Result<SweepReport> sweep_with(const Ruleset& ruleset, const BacktestOptions& options, const SweepOptions& grid, Load&& load) {
  if (options.against) return Error(ErrorKind::kUsage, "--sweep replays --ruleset alone: give no --against");
  // A malformed grid (or one over kMaxSweepPoints) is told before the history is read, which is
  // most of a small sweep's time; sweep_points() parses it again beside the plan.
  std::vector<SweepAxis> axes;
  std::vector<std::string> errors;
  if (!backtest::parse_sweep_axes(grid.axes, axes, errors)) return Error(ErrorKind::kUsage, std::move(errors));
  return with_history(ruleset, options, load, [&](const Prepared& prepared, const engine::Snapshot& history,
                                                  const std::set<std::string>&) -> Result<SweepReport> {
    auto setup = setup_replays(prepared, history, options);
    if (!setup) return setup.error();
    auto report = sweep_points(*setup, options, grid);
    // The baselines go with the grid: a whole sweep, or the grid alone (`only` empty) that shares
    // are put back onto (judge_sweep), so a sweep spread over processes carries the same table
    // over the same steps. A share of points replays its points only.
    if (!report || (grid.only && !grid.only->empty())) return report;
    auto baselines = baseline_results(prepared, history, *setup);
    if (!baselines) return baselines.error();
    report->baselines = std::move(*baselines);
    return report;
  });
}

// Walk-forward loads the history as a backtest does, then sets up one replay per window.
template <typename Load>
Result<WalkForwardReport> walk_forward_with(const Ruleset& ruleset, const BacktestOptions& options,
                                            const WalkForwardOptions& walk, Load&& load) {
  if (options.against) return Error(ErrorKind::kUsage, "--walk-forward replays --ruleset alone: give no --against");
  return with_history(ruleset, options, load, [&](const Prepared& prepared, const engine::Snapshot& history,
                                                  const std::set<std::string>&) -> Result<WalkForwardReport> {
    const WindowSetupFn window = [&](engine::Timestamp from, std::optional<engine::Timestamp> to,
                                     WindowData data) -> Result<WindowSetup> {
      BacktestOptions windowed = options;
      windowed.from = from;
      windowed.to = to;
      auto whole = setup_replays(prepared, history, windowed);
      if (!whole || data == WindowData::kWhole) return whole ? Result<WindowSetup>(WindowSetup{nullptr, std::move(*whole)}) : whole.error();
      // Cut at the last step's instant: its decision reads nothing later, so the cut replays the
      // same steps, and no observation known after the window is even loaded.
      auto cut = std::make_unique<engine::Snapshot>(cut_history(history, whole->steps.back()));
      auto setup = setup_replays(prepared, *cut, windowed);
      if (!setup) return setup.error();
      return WindowSetup{std::move(cut), std::move(*setup)};
    };
    const BaselinesFn baselines = [&](const ReplaySetup& span) { return baseline_results(prepared, history, span); };
    return walk_forward_folds(window, baselines, options, walk);
  });
}

// Where the series come from: the three loaders Backtest::run() and sweep() share.
auto loader_of(const Sources& history) {
  return [&manifest = ApiAccess::of(history).manifest](const auto& names, const auto& optional, engine::Timestamp to) {
    return adapters::load_history(manifest, names, optional, to);
  };
}
auto loader_of(const HistoryStore& history) {
  return [&history](const auto& names, const auto& optional, engine::Timestamp to) {
    return adapters::load_history(*ApiAccess::of(history).store, history.path(), names, optional, to);
  };
}
auto loader_of(const Snapshot& history) {
  return [&history](const auto& names, const auto& optional, engine::Timestamp to) {
    return history_of(history, names, optional, to);
  };
}

}  // namespace

Result<backtest::Replay> replay_with(const ReplaySetup& setup, const std::vector<engine::ParamOverride>& overrides) {
  backtest::ReplayOptions options = setup.options;
  const RulesetRun plan{setup.rules, setup.profile, overrides};
  return replay_one(plan, setup.history, setup.steps, options, setup.every);
}

Result<Backtest> Backtest::run(const Ruleset& ruleset, const Sources& history, const BacktestOptions& options) {
  std::vector<std::string> offered;
  for (const auto& spec : ApiAccess::of(history).manifest.sources) offered.push_back(spec.input);
  return backtest_with(ruleset, options, loader_of(history), offered);
}

const std::vector<std::string>& Backtest::unused_inputs() const { return impl_->unused_inputs; }

Result<Backtest> Backtest::run(const Ruleset& ruleset, const HistoryStore& history, const BacktestOptions& options) {
  return backtest_with(ruleset, options, loader_of(history));
}

Result<Backtest> Backtest::run(const Ruleset& ruleset, const Snapshot& history, const BacktestOptions& options) {
  return backtest_with(ruleset, options, loader_of(history));
}

Result<SweepReport> sweep(const Ruleset& ruleset, const Sources& history, const BacktestOptions& options,
                          const SweepOptions& grid) {
  return sweep_with(ruleset, options, grid, loader_of(history));
}

Result<SweepReport> sweep(const Ruleset& ruleset, const HistoryStore& history, const BacktestOptions& options,
                          const SweepOptions& grid) {
  return sweep_with(ruleset, options, grid, loader_of(history));
}

Result<SweepReport> sweep(const Ruleset& ruleset, const Snapshot& history, const BacktestOptions& options,
                          const SweepOptions& grid) {
  return sweep_with(ruleset, options, grid, loader_of(history));
}

Result<WalkForwardReport> walk_forward(const Ruleset& ruleset, const Sources& history, const BacktestOptions& options,
                                       const WalkForwardOptions& walk) {
  return walk_forward_with(ruleset, options, walk, loader_of(history));
}

Result<WalkForwardReport> walk_forward(const Ruleset& ruleset, const HistoryStore& history,
                                       const BacktestOptions& options, const WalkForwardOptions& walk) {
  return walk_forward_with(ruleset, options, walk, loader_of(history));
}

Result<WalkForwardReport> walk_forward(const Ruleset& ruleset, const Snapshot& history, const BacktestOptions& options,
                                       const WalkForwardOptions& walk) {
  return walk_forward_with(ruleset, options, walk, loader_of(history));
}

}  // namespace riskoff
