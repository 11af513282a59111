// Loading a backtest's history and choosing its steps (adapters/history.hpp). Messages are the
// ones `riskoff replay` has always printed, without its "riskoff replay: " prefix.
#include <algorithm>
#include <limits>
#include <unordered_map>

#include "adapters/history.hpp"
#include "adapters/history_store.hpp"
#include "adapters/sources.hpp"

namespace riskoff::adapters {
namespace {

// A grid finer than the data or longer than anyone reads is a typo, not a replay.
constexpr double kMaxSteps = 2e6;
// How long after the clock's close the other closes of the same day may come and still be
// decided on that day (docs/replay.md).
constexpr engine::Timestamp kLastCloseWindow = 6 * 3600;

}  // namespace

Result<engine::Snapshot> load_history(const HistoryStore& store, const std::string& db,
                                      const std::set<std::string>& names, const std::set<std::string>& optional,
                                      engine::Timestamp to) {
  engine::Snapshot history;
  history.as_of = to;
  try {
    std::vector<std::string> absent;
    for (const auto& name : names) {
      auto series = store.read(name, std::numeric_limits<engine::Timestamp>::min() / 2, to, HistoryStore::UpTo::kKnownAt);
      if (series.times.empty()) {
        if (optional.count(name) == 0) absent.push_back(name);
        continue;
      }
      series.name = name;
      history.inputs.push_back(std::move(series));
    }
    if (!absent.empty()) {
      std::vector<std::string> messages;
      for (const auto& name : absent) {
        messages.push_back(db + ": no observation of `" + name + "` at or before " + engine::format_timestamp(to) +
                           " (`riskoff data list --db " + db + "` shows what the store holds)");
      }
      return Error(ErrorKind::kData, std::move(messages));
    }
  } catch (const StoreError& e) {
    return Error(e.kind() == StoreError::Kind::kIo ? ErrorKind::kIo : ErrorKind::kStore, e.what());
  }
  return history;
}

Result<engine::Snapshot> load_history(const Manifest& all, const std::set<std::string>& names,
                                      const std::set<std::string>& optional, engine::Timestamp to) {
  Manifest manifest = all;
  const std::string& sources = manifest.path;
  std::vector<SourceSpec> needed;
  for (auto& spec : manifest.sources) {
    if (names.count(spec.input) != 0) needed.push_back(std::move(spec));
  }
  for (const auto& name : names) {
    const bool listed = std::any_of(needed.begin(), needed.end(), [&](const auto& spec) { return spec.input == name; });
    if (!listed && optional.count(name) == 0) return Error(ErrorKind::kData, sources + ": no source for input `" + name + "`");
  }
  manifest.sources = std::move(needed);
  BuildOptions build;
  build.as_of = to;
  build.default_lookback = std::numeric_limits<double>::infinity();  // the whole history
  build.optional_inputs.assign(optional.begin(), optional.end());
  auto built = build_snapshot(manifest, build);
  if (!built.ok()) return Error(ErrorKind::kData, std::move(built.problems));
  return std::move(built.snapshot);
}

engine::Snapshot history_for(const engine::Plan& plan, const engine::Snapshot& all) {
  engine::Snapshot out;
  out.as_of = all.as_of;
  for (const auto& input : all.inputs) {
    if (plan.find_input(input.name) >= 0) out.inputs.push_back(input);
  }
  return out;
}

std::vector<engine::Timestamp> step_instants(const engine::InputData* clock, engine::Timestamp from, engine::Timestamp to,
                                             double every_seconds, const engine::Snapshot* history,
                                             std::vector<engine::Timestamp>* dates) {
  std::vector<engine::Timestamp> out;
  if (every_seconds > 0) {
    const auto step = static_cast<engine::Timestamp>(every_seconds);
    for (engine::Timestamp time = from; time <= to; time += step) out.push_back(time);
    if (dates != nullptr) *dates = out;
    return out;
  }
  if (clock == nullptr) return out;
  // Each day of the clock in [from, to] by its own date (a session date: `--to 2022-05-31` takes
  // the 31 May close even though it becomes known after 23:59:59Z in Tokyo or at 24:00 UTC),
  // decided when it is known...
  std::unordered_map<engine::Timestamp, std::size_t> day_of;
  for (std::size_t k = 0; k < clock->times.size(); ++k) {
    const auto time = clock->times[k];
    if (time < from || time > to) continue;
    day_of.emplace(time, out.size());
    out.push_back(clock->known(k));
    if (dates != nullptr) dates->push_back(time);
  }
  if (history == nullptr) return out;
  // ...or at the day's last close: an observation of the same date known up to kLastCloseWindow
  // after the clock's (VIX at 16:15 and DXY at 17:00 New York after the 16:00 close), so a step
  // sees every close of its day. Later ones (FRED's next-day posting) are the next step's.
  std::vector<engine::Timestamp> base = out;
  for (const auto& input : history->inputs) {
    for (std::size_t k = 0; k < input.times.size(); ++k) {
      const auto day = day_of.find(input.times[k]);
      if (day == day_of.end()) continue;
      const engine::Timestamp known = input.known(k);
      engine::Timestamp& step = out[day->second];
      if (known > step && known <= base[day->second] + kLastCloseWindow) step = known;
    }
  }
  return out;
}

Result<StepGrid> choose_steps(const engine::Snapshot& history, const StepRequest& request) {
  // Without an end, the period ends with the data: the last observation of any series read.
  engine::Timestamp to = request.from;
  if (request.to) {
    to = *request.to;
  } else {
    for (const auto& input : history.inputs) {
      if (!input.times.empty()) to = std::max(to, input.known(input.times.size() - 1));
    }
  }
  if (request.every_seconds > 0 && static_cast<double>(to - request.from) / request.every_seconds > kMaxSteps) {
    return Error(ErrorKind::kUsage,
                 "--every " + request.every_text + " from " + request.from_text + " gives more than 2,000,000 steps");
  }
  if (request.clock == nullptr && request.every_seconds == 0) {
    return Error(ErrorKind::kUsage, "a reference of cash only has no trading days: give --every 1d");
  }
  StepGrid grid;
  grid.steps = step_instants(request.clock, request.from, to, request.every_seconds, &history, &grid.dates);
  if (grid.steps.empty()) {
    return Error(ErrorKind::kData, "no step between " + request.from_text + " and " +
                                       (request.to_text.empty() ? "the end of the data" : request.to_text) +
                                       (request.clock != nullptr && request.every_seconds == 0
                                            ? " (no observation of `" + request.clock->name + "` there)"
                                            : ""));
  }
  grid.every = request.every_seconds > 0 ? request.every_text : "trading days of " + request.clock->name;
  return grid;
}

}  // namespace riskoff::adapters
