// A webhook receiver on a free port of 127.0.0.1 for the alert tests: refuses its first
// `refusals` requests (503), then keeps every body it accepts with its Idempotency-Key.
#pragma once

#include <httplib.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace riskoff::test {

struct WebhookReceiver {
  httplib::Server server;
  std::mutex mutex;
  int refusals = 0;
  int requests = 0;  // Invariant: requests and accepted are used under mutex (the server's threads write them)
  std::vector<std::pair<std::string, nlohmann::json>> accepted;
  int port = 0;
  std::thread thread;

  explicit WebhookReceiver(int refuse_first = 0) : refusals(refuse_first) {
    server.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      const std::lock_guard lock(mutex);
      if (requests++ < refusals) {
        response.status = 503;
        return;
      }
      accepted.emplace_back(request.get_header_value("Idempotency-Key"), nlohmann::json::parse(request.body, nullptr, false));
      response.status = 204;
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~WebhookReceiver() {
    server.stop();
    thread.join();
  }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;
  std::size_t count() {
    const std::lock_guard lock(mutex);
    return accepted.size();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/hook"; }
};

}  // namespace riskoff::test
