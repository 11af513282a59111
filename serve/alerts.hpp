// Alerts on a change of action (--alert-webhook URL): when a recorded decision's action differs
// from the previous recorded decision of the same profile, one JSON POST to the server's
// configured webhook, retried with backoff until it is accepted. No HTTP type here.
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
};

// What happened to an alert, for the log: delivered after `attempts`, or given up.
struct AlertOutcome {
  const ActionChange* change = nullptr;
  bool delivered = false;
  int attempts = 0;
  std::string last_problem;  // "status 503", "connection refused"
};

// Checks a webhook URL: https://HOST[:PORT]/PATH, or http:// to a loopback host (127.0.0.1,
// localhost, [::1]) only, so a decision's content never crosses a network in clear. kUsage.
Result<std::string> check_webhook(const std::string& url);

class Alerter {
 public:
  using Report = std::function<void(const AlertOutcome&)>;
  // `url` passed check_webhook(). Attempts: 1 + `retries`, waiting `first_backoff_ms`, then
  // twice as long each time.
  Alerter(std::string url, Report report, int retries = 5, int first_backoff_ms = 250);
  // Delivers (or gives up on) what is queued, then stops: nothing enqueued is dropped silently.
  ~Alerter();
  Alerter(const Alerter&) = delete;
  Alerter& operator=(const Alerter&) = delete;

  void enqueue(ActionChange change);

 private:
  void run();
  AlertOutcome deliver(const ActionChange& change);

  std::string url_;
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
