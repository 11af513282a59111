// `riskoff serve`: options only; the service is serve/ (docs/serve.md).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "serve/server.hpp"

namespace riskoff::cli {

void add_serve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<serve::ServeOptions>();
  auto* command = app.add_subcommand("serve", "Answer decisions over HTTP: a JSON API for other apps (docs/serve.md)");
  command->footer(
      "Examples:\n"
      "  riskoff serve --ruleset rulesets/riskoff.rules\n"
      "  riskoff serve --ruleset rulesets/riskoff.rules --db audit.sqlite --token-file token.txt\n"
      "  riskoff serve --registry audit.sqlite --use riskoff@0.1.0 --listen 127.0.0.1:0\n"
      "Binds loopback unless --listen says otherwise; writes (record, reload) need the bearer token of\n"
      "--token-file and are refused without one. Stops on SIGTERM or SIGINT once requests in flight are\n"
      "answered. Exit codes: 0 stopped by a signal, 1 ruleset or store error, 2 usage or I/O error.");
  auto* ruleset = command->add_option("--ruleset,-r", options->ruleset_file, "Rule file to serve (reload reads it again)");
  auto* registry = command->add_option("--registry", options->registry, "Serve a published ruleset of this store");
  ruleset->excludes(registry);
  command->add_option("--use", options->use, "With --registry: NAME or NAME@VERSION (default: the only name published)")
      ->needs(registry);
  command->add_option("--db", options->db, "Audit store for record=true, /v1/decisions and /v1/audit/verify");
  command->add_option("--listen", options->listen, "HOST:PORT to listen on; port 0 picks a free one")
      ->capture_default_str();
  command->add_option("--token-file", options->token_file,
                      "File whose first line is the bearer token writes need (never give the token itself)");
  command->add_option("--max-body", options->max_body_bytes, "Largest request body, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20U));
  command->add_option("--threads", options->threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 256));
  command->add_option("--timeout", options->timeout_seconds, "Read and write timeout of a connection, in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 300));
  command->callback([options, &exit_code] {
    if (options->ruleset_file.empty() && options->registry.empty()) {
      std::cerr << "riskoff serve: give --ruleset FILE or --registry DB\n";
      exit_code = kExitUsage;
      return;
    }
    exit_code = serve::run(*options);
  });
}

}  // namespace riskoff::cli
