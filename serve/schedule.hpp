// --schedule 'every 4h': a thread that, at each aligned instant (multiples of the period since
// 1970-01-01T00:00:00Z, so `every 4h` is 00:00, 04:00, ... UTC), builds the snapshot as of that
// instant from a --sources manifest, decides every profile and records each (alerts follow from
// Service::record). No HTTP here; server.cpp logs what it reports.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "riskoff/sources.hpp"
#include "serve/service.hpp"

namespace riskoff::serve {

// "every N{s,m,h,d}" (N from 1) in seconds; nullopt for anything else.
std::optional<std::int64_t> parse_schedule(std::string_view text);
// The first multiple of `period` after `now` (both UTC seconds).
std::int64_t next_tick(std::int64_t now, std::int64_t period);

// What one scheduled run (or one `riskoff watch`) did. A plain value.
struct ScheduledRun {
  std::int64_t as_of = 0;
  std::vector<std::string> recorded;  // "PROFILE ACTION #ID", in profile order
  std::vector<ActionChange> changes;  // the records whose action differs from their profile's previous one
  std::vector<std::string> skipped;   // inputs left out (with MissingInputs::kLeaveOut)
  std::optional<Error> error;         // the build, a decision or a record failed (what was recorded stays)
  std::int64_t missed = 0;            // ticks that passed while the previous run was still going
};

// Decides `profiles` (empty: every profile of `served`) on one snapshot and records each
// through the service, in order, into `run`; stops at the first error (what was recorded
// stays). `snapshot_bytes` is what the records keep. Precondition: service.has_store().
void decide_and_record(Service& service, const ServedRuleset& served, const Snapshot& snapshot, std::string_view snapshot_bytes,
                       const std::vector<std::string>& profiles, ScheduledRun& run);

class Scheduler {
 public:
  using Report = std::function<void(const ScheduledRun& run)>;
  // Precondition: service.has_store().
  Scheduler(Service& service, std::int64_t period_seconds, Sources sources, MissingInputs missing, Report report);
  ~Scheduler();  // stops at once (a run in progress finishes first) and joins
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

 private:
  void run();
  ScheduledRun decide_all(std::int64_t as_of);

  Service& service_;
  std::int64_t period_;
  Sources sources_;
  MissingInputs missing_;
  Report report_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // Invariant: used only under mutex_
  std::thread thread_;
};

}  // namespace riskoff::serve
