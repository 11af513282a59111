#include "serve/alerts.hpp"

#include <httplib.h>

#include <chrono>
#include <regex>

#include "serve/alert_command.hpp"
#include "support/json_writer.hpp"

namespace riskoff::serve {
namespace {

struct WebhookUrl {
  std::string origin;  // scheme://host[:port], what httplib::Client takes
  std::string path;
};

std::optional<WebhookUrl> split(const std::string& url) {
  static const std::regex kUrl(R"(^(https?://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?)(/[^\s#]*)?$)");
  std::smatch match;
  if (!std::regex_match(url, match, kUrl)) return std::nullopt;
  return WebhookUrl{match[1].str(), match[4].matched ? match[4].str() : "/"};
}

}  // namespace

std::string alert_json(const ActionChange& change) {
  support::JsonWriter writer(support::JsonLayout::kPretty);
  writer.begin_object().field("event", "action_changed").field("profile", change.profile);
  writer.field("from", change.from).field("to", change.to).field("as_of", change.as_of);
  writer.field("headline", change.headline).field("because", change.because);
  writer.field_integer("decision_id", change.id).field_integer("previous_id", change.previous_id);
  // Relative to the server: the page's diff of the two decisions.
  writer.field("link", "/?diff=" + std::to_string(change.previous_id) + "&with=" + std::to_string(change.id));
  if (!change.decision_json.empty()) writer.key("decision").raw(change.decision_json);
  writer.end_object();
  return writer.take();
}

Result<std::string> check_webhook(const std::string& url) {
  const auto parts = split(url);
  if (!parts) return Error(ErrorKind::kUsage, "--alert-webhook `" + url + "` is not an http(s)://HOST[:PORT]/PATH URL");
  if (parts->origin.rfind("https://", 0) == 0) return url;
  static const std::regex kLoopback(R"(^http://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$)");
  if (!std::regex_match(parts->origin, kLoopback)) {
    return Error(ErrorKind::kUsage, "--alert-webhook `" + url + "`: plain http only to a loopback address; use https://");
  }
  return url;
}

Alerter::Alerter(AlertTargets targets, Report report, int retries, int first_backoff_ms)
    : targets_(std::move(targets)), report_(std::move(report)), retries_(retries), first_backoff_ms_(first_backoff_ms) {
  thread_ = std::thread([this] { run(); });
}

Alerter::~Alerter() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Alerter::enqueue(ActionChange change) {
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(change));
  }
  wake_.notify_all();
}

void Alerter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything delivered or given up
    const ActionChange change = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    const std::string body = alert_json(change);
    if (!targets_.webhook.empty()) {
      auto outcome = deliver("webhook", [&] { return post(change, body); });
      outcome.change = &change;
      report_(outcome);
    }
    if (!targets_.command.empty()) {
      auto outcome = deliver("command", [&] { return run_alert_command(targets_.command, body, targets_.command_timeout_seconds); });
      outcome.change = &change;
      report_(outcome);
    }
    lock.lock();
  }
}

std::optional<std::string> Alerter::post(const ActionChange& change, const std::string& body) const {
  const auto parts = split(targets_.webhook);  // checked at start
  httplib::Client client(parts->origin);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  client.set_write_timeout(10, 0);
  // The receiver may see a retry of an alert it took but whose answer was lost: the key lets it
  // keep one per change.
  const httplib::Headers headers{{"Idempotency-Key", "riskoff-decision-" + std::to_string(change.id)}};
  const auto result = client.Post(parts->path, headers, body, "application/json");
  if (result && result->status >= 200 && result->status < 300) return std::nullopt;
  return result ? "status " + std::to_string(result->status) : httplib::to_string(result.error());
}

AlertOutcome Alerter::deliver(const char* target, const std::function<std::optional<std::string>()>& attempt) {
  AlertOutcome outcome;
  outcome.target = target;
  int backoff_ms = first_backoff_ms_;
  for (outcome.attempts = 1;; ++outcome.attempts) {
    const auto problem = attempt();
    if (!problem) {
      outcome.delivered = true;
      return outcome;
    }
    outcome.last_problem = *problem;
    if (outcome.attempts > retries_) return outcome;
    std::unique_lock lock(mutex_);
    // A stop cuts the wait short but not the retries still owed: at most the remaining backoff.
    wake_.wait_for(lock, std::chrono::milliseconds(backoff_ms), [this] { return stopping_; });
    if (stopping_) backoff_ms = 0;
    backoff_ms *= 2;
  }
}

}  // namespace riskoff::serve
