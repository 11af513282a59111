// The alert options `riskoff serve` and `riskoff watch` share (--alert-webhook, --alert-command,
// --alert-timeout), declared once so their names, checks and help stay the same in both.
#pragma once

#include <CLI/CLI.hpp>

#include "serve/alerts.hpp"

namespace riskoff::serve {

inline void add_alert_options(CLI::App& app, AlertTargets& targets) {
  app.add_option("--alert-webhook", targets.webhook,
                 "POST a JSON alert here when a profile's recorded action changes (https://, or http:// to loopback)")
      ->check([](const std::string& url) {
        const auto checked = check_webhook(url);
        return checked ? std::string() : checked.error().messages.front();
      });
  app.add_option("--alert-command", targets.command,
                 "Run this shell command when a profile's recorded action changes, the alert JSON on its stdin (exit 0: taken)");
  app.add_option("--alert-timeout", targets.command_timeout_seconds, "Longest a try of --alert-command may run, in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
}

}  // namespace riskoff::serve
