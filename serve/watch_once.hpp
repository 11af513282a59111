// `riskoff watch`: the scheduled routine once, for cron. Decides every profile (or the ones
// named) on a snapshot built from a sources manifest (or read from a file), records each in the
// audit store, compares each with the last recorded decision of its profile and, when the
// action changed, alerts as `riskoff serve --schedule` does (alerts.hpp). No HTTP type here.
#pragma once

#include <string>
#include <vector>

#include "serve/alerts.hpp"

namespace riskoff::serve {

// What `riskoff watch` tells cron (docs/cli.md): 0 recorded and nothing changed; 3 an action
// changed and every alert asked for was delivered (or none was asked for); 4 an action changed
// and an alert could not be delivered after its retries; 1 the ruleset, snapshot, data or
// store; 2 usage or I/O.
inline constexpr int kWatchUnchanged = 0;
inline constexpr int kWatchChanged = 3;
inline constexpr int kWatchAlertFailed = 4;

struct WatchOptions {
  std::string ruleset_file{};  // the rule file, or
  std::string registry{};      // a store of published rulesets, and
  std::string use{};           // NAME or NAME@VERSION there (empty: the only name published)
  std::string sources{};       // a manifest to build the snapshot from, or
  std::string snapshot{};      // a snapshot file ("-": standard input)
  std::string as_of{};         // with sources: the instant (a date: its end); empty: now
  bool allow_missing = false;  // with sources: leave out inputs that cannot be read
  std::string db{};            // the audit store (created when missing)
  std::vector<std::string> profiles{};  // empty: every profile
  AlertTargets alerts{};
  int alert_retries = 5;  // tries after the first, 250 ms apart, then twice as long each time
};

// Runs once and returns the exit code. Prints one line per profile on stdout
// ("swing hedge #12 (was wait #11)") and what went wrong, and each alert's fate, on stderr.
int run_watch(const WatchOptions& options);

}  // namespace riskoff::serve
