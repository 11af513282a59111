// check_lookahead() (riskoff/backtest.hpp): a replay over a manifest's files, then sampled steps
// decided again from the files cut at each step (adapters/cut_files.hpp), through the public
// path `eval --sources --as-of` takes: Sources::load, build_snapshot, decide. Never the
// replay's own machinery, so a look-ahead in it or in the manifest's transforms shows.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "adapters/cut_files.hpp"
#include "api/data_impl.hpp"
#include "api/impl.hpp"
#include "backtest/shuffle.hpp"

namespace riskoff {
namespace {

namespace fs = std::filesystem;

// SplitMix64 as a stream, the shuffles' generator (backtest/shuffle.hpp): documented and portable
// (std::uniform_int_distribution differs between standard libraries, and the same seed must pick
// the same steps everywhere).
std::uint64_t next(std::uint64_t& state) {
  const std::uint64_t out = backtest::splitmix64(state);
  state += backtest::kSplitMix64Increment;
  return out;
}

// `count` distinct indices below `total`, ascending: the first `count` of a Fisher-Yates shuffle.
std::vector<std::size_t> sample(std::size_t total, std::size_t count, std::uint64_t seed) {
  std::vector<std::size_t> order(total);
  for (std::size_t k = 0; k < total; ++k) order[k] = k;
  count = std::min(count, total);
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t pick = k + static_cast<std::size_t>(next(seed) % (total - k));
    std::swap(order[k], order[pick]);
  }
  order.resize(count);
  std::sort(order.begin(), order.end());
  return order;
}

std::string number_text(double value) {
  if (std::isnan(value)) return "unknown";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// The scratch folder, removed when the check ends whatever happens.
struct Scratch {
  fs::path root;
  explicit Scratch(const std::string& parent) {
    std::error_code ec;
    const fs::path base = parent.empty() ? fs::temp_directory_path(ec) : fs::path(parent);
    // The pid and a per-process count: two checks at once, in one process or two, never share it.
    static std::atomic<unsigned> count{0};
    root = base / ("riskoff-lookahead-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

// What the step would see from the whole files, beside what the cut files give: the inputs
// that differ, and the first observation where they do.
bool name_inputs(const engine::Snapshot& whole, const engine::Snapshot& cut, std::int64_t step,
                 std::vector<std::string>& out) {
  const std::size_t before = out.size();
  const std::string at = engine::format_timestamp(step) + " ";
  auto find = [](const engine::Snapshot& snapshot, const std::string& name) -> const engine::InputData* {
    for (const auto& input : snapshot.inputs) {
      if (input.name == name) return &input;
    }
    return nullptr;
  };
  auto observation = [](const engine::InputData& input, std::size_t k) {
    std::string text = engine::format_timestamp(input.times[k]) + " = " + number_text(input.values[k]);
    if (k < input.known_at.size()) text += " (known " + engine::format_timestamp(input.known_at[k]) + ")";
    return text;
  };
  for (const auto& input : whole.inputs) {
    const engine::InputData* other = find(cut, input.name);
    if (other == nullptr) {
      out.push_back(at + "input `" + input.name + "`: the whole files give it, the files cut at the step have no observation of it");
      continue;
    }
    std::size_t k = 0;
    while (k < input.times.size() && k < other->times.size() && input.times[k] == other->times[k] &&
           same(input.values[k], other->values[k])) {
      ++k;
    }
    if (k == input.times.size() && k == other->times.size()) continue;
    out.push_back(at + "input `" + input.name + "`: the whole files give " +
                  (k < input.times.size() ? observation(input, k) : "nothing more") + ", the files cut at the step " +
                  (k < other->times.size() ? observation(*other, k) : "nothing more"));
  }
  if (out.size() > before) return true;
  out.push_back(at + "the files cut at the step give the snapshot the whole files give: not look-ahead, but the replay "
                     "and `eval --sources --as-of` differ here (a window reaching further back than the snapshot keeps?)");
  return false;
}

}  // namespace

Result<LookaheadReport> check_lookahead(const Ruleset& ruleset, const Sources& sources, const BacktestOptions& options,
                                        const LookaheadOptions& check) {
  if (check.steps == 0) return Error(ErrorKind::kUsage, "--lookahead-check takes a number of steps, at least 1");
  const engine::Plan& plan = *ApiAccess::of(ruleset).plan;
  BacktestOptions replay_options = options;
  replay_options.against.reset();
  replay_options.figures = options.figures.empty() ? backtest::default_figures(plan) : options.figures;
  for (const auto& input : plan.inputs()) {
    if (std::find(replay_options.figures.begin(), replay_options.figures.end(), input.name) == replay_options.figures.end()) {
      replay_options.figures.push_back(input.name);
    }
  }
  auto replay = Backtest::run(ruleset, sources, replay_options);
  if (!replay) return replay.error();
  const BacktestReport& report = replay->report();

  std::vector<std::string> inputs;
  for (const auto& input : plan.inputs()) inputs.push_back(input.name);
  auto cutter = adapters::FileCutter::prepare(ApiAccess::of(sources).manifest, inputs);
  if (!cutter) return cutter.error();
  LookaheadReport out;
  out.read_whole = cutter->read_whole();
  const Scratch scratch(check.scratch);

  for (const std::size_t index : sample(report.steps.size(), check.steps, check.seed)) {
    const BacktestStep& step = report.steps[index];
    // The files as they stood when the step decided (its own date is only its label).
    const std::int64_t at = step.decided_at;
    out.steps.push_back(at);
    auto manifest = cutter->write(at, (scratch.root / "step").string());
    if (!manifest) return manifest.error();
    auto cut_sources = Sources::load(*manifest);
    if (!cut_sources) {
      Error error = cut_sources.error();
      for (auto& message : error.messages) message = "the files cut at " + engine::format_timestamp(at) + ": " + message;
      return error;
    }
    const BuildOptions build{.as_of = at, .ruleset = ruleset, .missing = MissingInputs::kLeaveOut};
    auto built = build_snapshot(*cut_sources, build);
    if (!built) return built.error();
    const auto decision = decide(ruleset, built->snapshot, {.profile = report.profile, .overrides = options.overrides});
    if (!decision && decision.error().kind != ErrorKind::kSnapshot) return decision.error();
    const std::size_t before = out.differences.size();
    // A required input with no observation yet: the replay leaves the step undecided, as eval refuses it.
    const std::string action = decision ? decision->action() : "";
    auto shown = [](const std::string& a) { return a.empty() ? std::string("undecided") : a; };
    if (action != step.action) out.differences.push_back({at, "action", shown(step.action), shown(action)});
    if (decision && !step.action.empty()) {
      if (decision->depends_on_unknown() != step.depends_on_unknown) {
        out.differences.push_back({at, "depends on unknown", step.depends_on_unknown ? "yes" : "no",
                                   decision->depends_on_unknown() ? "yes" : "no"});
      }
      for (std::size_t k = 0; k < report.figures.size() && k < step.figures.size(); ++k) {
        const auto value = decision->value(report.figures[k].first);
        const double cut = value && value->number == value->upper ? value->number : std::nan("");
        if (!same(cut, step.figures[k])) {
          out.differences.push_back({at, report.figures[k].first, number_text(step.figures[k]), number_text(cut)});
        }
      }
    }
    if (out.differences.size() > before) {
      const auto whole = build_snapshot(sources, build);
      if (whole) {
        if (name_inputs(ApiAccess::of(whole->snapshot)->snapshot, ApiAccess::of(built->snapshot)->snapshot, at,
                        out.inputs)) {
          out.lookahead = true;
        }
      }
    }
  }
  return out;
}

}  // namespace riskoff
