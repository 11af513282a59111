#include "serve/schedule.hpp"

#include <chrono>
#include <regex>

namespace riskoff::serve {

std::optional<std::int64_t> parse_schedule(std::string_view text) {
  static const std::regex kEvery(R"(^every ([1-9]\d{0,5})([smhd])$)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, kEvery)) return std::nullopt;
  const std::int64_t count = std::stoll(match[1].str());
  switch (match[2].str()[0]) {
    case 's': return count;
    case 'm': return count * 60;
    case 'h': return count * 3600;
    default: return count * 86400;
  }
}

std::int64_t next_tick(std::int64_t now, std::int64_t period) {
  // Floor division, so that times before 1970 align too.
  std::int64_t ticks = now / period;
  if (now % period != 0 && now < 0) --ticks;
  return (ticks + 1) * period;
}

Scheduler::Scheduler(Service& service, std::int64_t period_seconds, Sources sources, MissingInputs missing, Report report)
    : service_(service), period_(period_seconds), sources_(std::move(sources)), missing_(missing), report_(std::move(report)) {
  thread_ = std::thread([this] { run(); });
}

Scheduler::~Scheduler() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Scheduler::run() {
  using std::chrono::system_clock;
  const auto now = [] { return std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count(); };
  std::int64_t tick = next_tick(now(), period_);
  std::unique_lock lock(mutex_);
  for (;;) {
    // The wall clock decides when (a tick is an instant of UTC, as_of of the snapshot).
    if (wake_.wait_until(lock, system_clock::time_point(std::chrono::seconds(tick)), [this] { return stopping_; })) return;
    lock.unlock();
    ScheduledRun done = decide_all(tick);
    const std::int64_t following = next_tick(now(), period_);
    done.missed = (following - tick) / period_ - 1;
    report_(done);
    tick = following;
    lock.lock();
  }
}

ScheduledRun Scheduler::decide_all(std::int64_t as_of) {
  ScheduledRun run;
  run.as_of = as_of;
  const auto served = service_.current();  // one version for every profile of this run
  auto built = build_snapshot(sources_, {.as_of = as_of, .ruleset = served->ruleset, .missing = missing_});
  if (!built) {
    run.error = built.error();
    return run;
  }
  run.skipped = built->skipped;
  decide_and_record(service_, *served, built->snapshot, built->snapshot.to_json(JsonLayout::kCompact), {}, run);
  return run;
}

void decide_and_record(Service& service, const ServedRuleset& served, const Snapshot& snapshot, std::string_view snapshot_bytes,
                       const std::vector<std::string>& profiles, ScheduledRun& run) {
  for (const auto& profile : profiles.empty() ? served.ruleset.profiles() : profiles) {
    const auto decision =
        decide(served.ruleset, snapshot, {.profile = profile, .renderings = {Format::kJson, Format::kMarkdown, Format::kText}});
    if (!decision) {
      run.error = decision.error();
      return;
    }
    const auto recorded = service.record(*decision, snapshot_bytes);
    if (!recorded) {
      run.error = recorded.error();
      return;
    }
    run.recorded.push_back(decision->profile() + " " + decision->action() + " #" + std::to_string(recorded->id));
    if (recorded->change) run.changes.push_back(*recorded->change);
  }
}

}  // namespace riskoff::serve
