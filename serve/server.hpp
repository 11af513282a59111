// `riskoff serve`: decisions over HTTP (docs/serve.md). What main.cpp (`riskoff-serve`) calls;
// no HTTP type here: Boost.Beast stays inside serve/http_server.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "serve/alerts.hpp"

namespace riskoff::serve {

// What to serve and how. Defaults are the safe ones: loopback only, writes disabled until a
// token file is given, 1 MiB bodies, 5 s read and write timeouts, 8 worker threads.
struct ServeOptions {
  std::string ruleset_file{};  // serve this rule file (reload reads it again), or
  std::string registry{};      // serve a published ruleset of this store
  std::string use{};           // with registry: NAME or NAME@VERSION (empty: the only name published)
  // Manifests decide may build snapshots from, "NAME=FILE" each: a request names one
  // ("sources": "NAME"); a path never comes from a request.
  std::vector<std::string> sources{};
  // "every 4h": decide every profile at each aligned instant and record it (needs db and a
  // sources manifest: schedule_sources names one, or the only one there is).
  std::string schedule{};
  std::string schedule_sources{};
  bool allow_missing = false;  // scheduled runs leave out inputs that do not read (else the run fails)
  // Where a change of a profile's recorded action is told: a webhook (https://, or http:// to
  // loopback) and/or a command run with the alert JSON on stdin (alerts.hpp).
  AlertTargets alerts{};
  std::string db{};            // audit store for record=true, /v1/decisions and /v1/audit/verify
  std::string listen = "127.0.0.1:8181";  // HOST:PORT; port 0 picks a free one (logged at start)
  std::string token_file{};    // bearer token for writes (record, reload); none: writes are refused
  std::string read_token_file{};  // bearer token for reads (/v1/*, the page's data); none: reads are open
  // With ruleset_file: poll the rule file (and every file it imports) every watch_interval_ms and
  // reload when their content changes; a bad edit keeps the served version (see /readyz).
  bool watch_rules = false;
  int watch_interval_ms = 1000;
  // GET /v1/replay: the longest period it replays, in days (a step is at most one a day), so a
  // request cannot make the server step through decades.
  int replay_max_steps = 4000;
  std::size_t max_body_bytes = 1U << 20U;
  std::size_t max_header_bytes = 8192;  // the request line and headers together (431 beyond)
  int threads = 8;
  int timeout_seconds = 5;     // read and write timeout of a connection
};

// Runs the service until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish
// and closes the audit store. Returns the process exit code (0 after a drain, 1 when the ruleset
// or store does not load, 2 for a usage or I/O error such as an address in use). Every line it
// writes to stderr is one JSON object.
int run(const ServeOptions& options);

}  // namespace riskoff::serve
