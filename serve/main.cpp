// `riskoff-serve`: the HTTP service as its own executable, which `riskoff serve` runs in its place
// (execv, same process id, signals and stderr). Kept out of the `riskoff` binary because
// cpp-httplib brings OpenSSL, zlib and brotli with it, whose loading doubled the start-up time of
// every other command.
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <iostream>

#include "serve/alert_options.hpp"
#include "serve/ruleset_options.hpp"
#include "serve/server.hpp"

int main(int argc, char** argv) {
  riskoff::serve::ServeOptions options;
  // Named as users call it, so usage lines say `riskoff serve` (the help golden pins them).
  CLI::App app{"Answer decisions over HTTP: a JSON API for other apps (docs/serve.md)", "riskoff serve"};
  app.footer(
      "Examples:\n"
      "  riskoff serve --ruleset rulesets/riskoff.rules\n"
      "  riskoff serve --ruleset rulesets/riskoff.rules --db audit.sqlite --token-file token.txt\n"
      "  riskoff serve --registry audit.sqlite --use riskoff@0.1.0 --listen 127.0.0.1:0\n"
      "Binds loopback unless --listen says otherwise; writes (record, reload) need the bearer token of\n"
      "--token-file and are refused without one; with --read-token-file, so are reads. The audit-review\n"
      "page is at http://HOST:PORT/ (with --db). Stops on SIGTERM or SIGINT once requests in flight are\n"
      "answered. Exit codes: 0 stopped by a signal, 1 ruleset or store error, 2 usage or I/O error.");
  const riskoff::serve::RulesetSourceFields source{options.ruleset_file, options.registry, options.use};
  auto* ruleset = riskoff::serve::add_ruleset_options(app, source, "Rule file to serve (reload reads it again)");
  app.add_flag("--watch-rules", options.watch_rules,
               "Reload when the rule file or a file it imports changes; a bad edit keeps the served version")
      ->needs(ruleset);
  app.add_option("--watch-interval", options.watch_interval_ms, "How often --watch-rules looks, in milliseconds")
      ->capture_default_str()
      ->check(CLI::Range(50, 3600000));
  app.add_option("--sources", options.sources,
                 "NAME=FILE: a sources manifest decide may build snapshots from (\"sources\": \"NAME\"); repeatable");
  app.add_option("--schedule", options.schedule,
                 "`every N{s,m,h,d}`: at each aligned UTC instant, decide every profile from --sources and record it");
  app.add_option("--schedule-sources", options.schedule_sources, "With --schedule: the NAME of --sources to build from");
  app.add_flag("--allow-missing", options.allow_missing,
               "With --schedule: leave out inputs that cannot be read (their conditions are unknown) instead of failing the run");
  riskoff::serve::add_alert_options(app, options.alerts);
  app.add_option("--db", options.db, "Audit store for record=true, /v1/decisions and /v1/audit/verify");
  app.add_option("--listen", options.listen, "HOST:PORT to listen on; port 0 picks a free one")->capture_default_str();
  app.add_option("--token-file", options.token_file,
                 "File whose first line is the bearer token writes need (never give the token itself)");
  app.add_option("--read-token-file", options.read_token_file,
                 "File whose first line is the bearer token reads need too (default: reads are open)");
  app.add_option("--replay-max-steps", options.replay_max_steps,
                 "Longest period the page's replay view (GET /v1/replay) steps through, in days")
      ->capture_default_str()
      ->check(CLI::Range(1, 200000));
  app.add_option("--max-body", options.max_body_bytes, "Largest request body, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20U));
  app.add_option("--threads", options.threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 256));
  app.add_option("--timeout", options.timeout_seconds, "Read and write timeout of a connection, in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 300));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11 returns 0 for --help; every real usage error is exit code 2, as for `riskoff`.
    return app.exit(error) == 0 ? 0 : 2;
  }
  if (const auto missing = riskoff::serve::missing_ruleset("serve", source)) {
    std::cerr << *missing << '\n';
    return 2;
  }
  // NOTE(serve): glibc gives the top of a heap back to the kernel whenever more than 128 KB of it
  // is free, and a request frees about that much (the snapshot's columns, the parser's buffers):
  // every request shrank the heap and grew it again, and each shrink is an munmap that flushes
  // the TLB of every core. That was two thirds of a summary answer's CPU. Keep up to 64 MB, and
  // take buffers under 16 MB from the heap rather than from mmap.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
  return riskoff::serve::run(options);
}
