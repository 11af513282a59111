// `riskoff-watch`: the one-shot `riskoff watch` for cron, which `riskoff watch` runs in its place
// (execv, as `riskoff serve` runs `riskoff-serve`): its webhook alerts need cpp-httplib, kept
// out of the `riskoff` binary.
#include <CLI/CLI.hpp>

#include "serve/alert_options.hpp"
#include "serve/ruleset_options.hpp"
#include "serve/watch_once.hpp"

int main(int argc, char** argv) {
  riskoff::serve::WatchOptions options;
  CLI::App app{"Decide every profile once, record it, and alert when an action changed: for cron (docs/serve.md)",
               "riskoff watch"};
  app.footer(
      "Examples:\n"
      "  riskoff watch --ruleset rulesets/riskoff.rules --sources examples/sources-local.json --db audit.sqlite\n"
      "  riskoff watch --registry audit.sqlite --snapshot today.json --db audit.sqlite --profile swing \\\n"
      "      --alert-command 'mail -s \"riskoff: action changed\" risk@example.com'\n"
      "Each profile's decision is compared with the last recorded decision of that profile in --db.\n"
      "Exit codes: 0 recorded, no action changed; 3 an action changed (every alert delivered); 4 an action\n"
      "changed and an alert could not be delivered; 1 ruleset, snapshot, data or store error; 2 usage or I/O error.");
  const riskoff::serve::RulesetSourceFields source{options.ruleset_file, options.registry, options.use};
  riskoff::serve::add_ruleset_options(app, source, "Rule file to decide with");
  auto* sources = app.add_option("--sources", options.sources, "Build the snapshot from this sources manifest (docs/sources.md)");
  auto* snapshot = app.add_option("--snapshot,-s", options.snapshot, "Decide on this snapshot file (- for standard input)");
  sources->excludes(snapshot);
  app.add_option("--as-of", options.as_of, "With --sources: the instant, UTC (a date: its end; default: now)")->needs(sources);
  app.add_flag("--allow-missing", options.allow_missing,
               "With --sources: leave out inputs that cannot be read (their conditions are unknown) instead of failing")
      ->needs(sources);
  app.add_option("--db", options.db, "Audit store to record in and compare with (created when missing)")->required();
  app.add_option("--profile,-p", options.profiles, "A profile to decide for; repeatable (default: every profile)");
  riskoff::serve::add_alert_options(app, options.alerts);
  app.add_option("--alert-retries", options.alert_retries, "Tries of each alert after the first (250 ms apart, doubling)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  if (const auto missing = riskoff::serve::missing_ruleset("watch", source)) {
    std::cerr << *missing << '\n';
    return 2;
  }
  if (options.sources.empty() && options.snapshot.empty()) {
    std::cerr << "riskoff watch: give --sources FILE or --snapshot FILE\n";
    return 2;
  }
  return riskoff::serve::run_watch(options);
}
