// Alerts on a change of action (--alert-webhook URL, --alert-command CMD): when a recorded
// decision's action differs from the previous recorded decision of the same profile, one JSON
// POST to the configured webhook and/or the same JSON on the standard input of the configured
// command, each retried with backoff until it is taken. No HTTP type here.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "riskoff/result.hpp"

namespace riskoff::serve {

// One change of action between two recorded decisions of one profile. A plain value.
struct ActionChange {
  std::string profile;
  std::string from, to;          // actions
  std::int64_t previous_id = 0;  // the decision before, and the one that changed it
  std::int64_t id = 0;
  std::string as_of;
  std::string headline;  // the first line of the text explanation: "HEDGE  ·  profile swing  ·  as of ..."
  std::string because;   // its one-line because: "hedge when count(drivers) >= 3 and correlation_confirmed"
  std::string decision_json;  // the new decision's explanation, as `riskoff eval --format json`
};

// Where alerts go: a webhook, a command, or both (each on its own: one that fails does not
// hold the other back, and a retry repeats only the one that failed).
struct AlertTargets {
  std::string webhook{};  // passed check_webhook()
  std::string command{};  // run by /bin/sh -c with the alert on stdin (alert_command.hpp)
  int command_timeout_seconds = 30;
  bool empty() const { return webhook.empty() && command.empty(); }
};

// The JSON an alert carries (the webhook's body, the command's standard input).
std::string alert_json(const ActionChange& change);

// What happened to an alert, for the log: delivered after `attempts`, or given up.
struct AlertOutcome {
  const ActionChange* change = nullptr;
  const char* target = "webhook";  // or "command"
  bool delivered = false;
  int attempts = 0;
  std::string last_problem;  // "status 503", "connection refused"
};

// Checks a webhook URL: https://HOST[:PORT]/PATH, or http:// to a loopback host (127.0.0.1,
// localhost, [::1]) only, so a decision's content never crosses a network in clear. kUsage.
Result<std::string> check_webhook(const std::string& url);

class Alerter {
 public:
  using Report = std::function<void(const AlertOutcome&)>;  // once per change and target
  // Attempts per target: 1 + `retries`, waiting `first_backoff_ms`, then twice as long each time.
  Alerter(AlertTargets targets, Report report, int retries = 5, int first_backoff_ms = 250);
  // Delivers (or gives up on) what is queued, then stops: nothing enqueued is dropped silently.
  ~Alerter();
  Alerter(const Alerter&) = delete;
  Alerter& operator=(const Alerter&) = delete;

  void enqueue(ActionChange change);

 private:
  void run();
  // One target, with its retries; `attempt` tries once and returns the problem, or nullopt.
  AlertOutcome deliver(const char* target, const std::function<std::optional<std::string>()>& attempt);
  std::optional<std::string> post(const ActionChange& change, const std::string& body) const;

  AlertTargets targets_;
  Report report_;
  int retries_;
  int first_backoff_ms_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<ActionChange> queue_;  // Invariant: used only under mutex_
  bool stopping_ = false;           // Invariant: used only under mutex_
  std::thread thread_;
};

}  // namespace riskoff::serve
