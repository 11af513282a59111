#include "serve/watch_once.hpp"

#include <iostream>

#include "serve/alerts.hpp"
#include "serve/schedule.hpp"
#include "serve/service.hpp"

namespace riskoff::serve {
namespace {

constexpr int kExitProblems = 1;
constexpr int kExitUsage = 2;

// The library's kinds decide the code, as for every riskoff command: usage and io 2, else 1.
int fail(const Error& error) {
  for (const auto& message : error.messages) std::cerr << "riskoff watch: " << message << '\n';
  return error.kind == ErrorKind::kUsage || error.kind == ErrorKind::kIo ? kExitUsage : kExitProblems;
}

// The snapshot to decide on and the bytes its records keep: built from the manifest as of
// --as-of (or now), or read from --snapshot.
Result<std::pair<Snapshot, std::string>> read_snapshot(const WatchOptions& options, const Ruleset& ruleset) {
  if (options.sources.empty()) {
    try {
      auto read = Snapshot::load(options.snapshot);
      if (!read.ok()) return Error(ErrorKind::kSnapshot, read.errors);
      return std::pair{std::move(*read.snapshot), std::move(read.text)};
    } catch (const IoError& error) {
      return Error(ErrorKind::kIo, error.what());
    }
  }
  const auto manifest = Sources::load(options.sources);
  if (!manifest) return manifest.error();
  std::optional<std::int64_t> as_of;
  if (!options.as_of.empty()) {
    as_of = parse_as_of(options.as_of);
    if (!as_of) {
      return Error(ErrorKind::kUsage, "--as-of `" + options.as_of + "` is not a UTC date or time such as 2026-02-04 or 2026-02-04T21:00:00Z");
    }
  }
  auto built = build_snapshot(*manifest, {.as_of = as_of, .ruleset = ruleset,
                                          .missing = options.allow_missing ? MissingInputs::kLeaveOut : MissingInputs::kFail});
  if (!built) return built.error();
  for (const auto& skipped : built->skipped) std::cerr << "riskoff watch: left out " << skipped << '\n';
  std::string bytes = built->snapshot.to_json(JsonLayout::kCompact);
  return std::pair{std::move(built->snapshot), std::move(bytes)};
}

}  // namespace

int run_watch(const WatchOptions& options) {
  ServeOptions serve_options;
  serve_options.ruleset_file = options.ruleset_file;
  serve_options.registry = options.registry;
  serve_options.use = options.use;
  serve_options.db = options.db;
  // Reads the ruleset and, from the store, where each profile stands: the comparison's "before".
  auto started = Service::start(serve_options);
  if (!started) return fail(started.error());
  std::unique_ptr<Service> service = std::move(*started);
  const auto served = service->current();
  auto snapshot = read_snapshot(options, served->ruleset);
  if (!snapshot) return fail(snapshot.error());

  ScheduledRun run;
  decide_and_record(*service, *served, snapshot->first, snapshot->second, options.profiles, run);
  for (std::string line : run.recorded) {
    for (const auto& change : run.changes) {
      if (line.ends_with(" #" + std::to_string(change.id))) line += " (was " + change.from + " #" + std::to_string(change.previous_id) + ")";
    }
    std::cout << line << '\n';
  }
  std::cout << std::flush;
  service.reset();  // the store is closed before the alerts go out: every record is in

  // The alerts after the records are printed, so what this command says comes in one order.
  int failures = 0;  // counted on the alerter's thread, read after it stopped
  if (!options.alerts.empty() && !run.changes.empty()) {
    Alerter alerter(
        options.alerts,
        [&failures](const AlertOutcome& outcome) {
          const auto& change = *outcome.change;
          std::cerr << "riskoff watch: " << (outcome.delivered ? "alerted " : "could not alert ") << outcome.target << " of "
                    << change.profile << " " << change.from << " -> " << change.to << " (#" << change.id << ", "
                    << outcome.attempts << (outcome.attempts == 1 ? " attempt" : " attempts")
                    << (outcome.delivered ? ")" : "): " + outcome.last_problem) << '\n';
          if (!outcome.delivered) ++failures;
        },
        options.alert_retries);
    for (const auto& change : run.changes) alerter.enqueue(change);
  }  // the alerter's destructor delivers (or gives up on) everything queued, then joins its thread
  if (run.error) return fail(*run.error);
  if (run.changes.empty()) return kWatchUnchanged;
  return failures == 0 ? kWatchChanged : kWatchAlertFailed;
}

}  // namespace riskoff::serve
