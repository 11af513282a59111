// What the HTTP layer of `riskoff serve` (Boost.Beast, serve/http_server.cpp) must do on a raw
// socket, where a client library would hide it: a body arriving in pieces, two pipelined
// requests, a head over the header limit, `Expect: 100-continue`, and a client that stops
// sending (mid-body, or a byte at a time) cut off at --timeout, a connection in use past
// --timeout kept, and answers larger than the socket takes at once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"

namespace {

using riskoff::test::decide_body;
using riskoff::test::ServerProcess;
using Clock = std::chrono::steady_clock;

// A plain TCP connection to the server, closed when it goes out of scope.
class RawConnection {
 public:
  // `receive_buffer`: the socket's SO_RCVBUF (0: the kernel's default), set before connecting.
  explicit RawConnection(int port, int receive_buffer = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    timeval wait{.tv_sec = 20, .tv_usec = 0};  // no test waits longer for a byte
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False when the server has closed the connection.
  bool send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // One response: its head and the Content-Length bytes of body after it ("" when the server
  // closed the connection first).
  std::string response() {
    while (true) {
      const auto head_end = pending_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::size_t length = 0;
        const auto field = pending_.find("Content-Length: ");
        if (field != std::string::npos && field < head_end) length = std::stoul(pending_.substr(field + 16));
        if (pending_.size() >= head_end + 4 + length) {
          std::string one = pending_.substr(0, head_end + 4 + length);
          pending_.erase(0, one.size());
          return one;
        }
      }
      if (!receive()) return {};
    }
  }
  // Whether the server closed the connection (a read returns end of stream, or a reset).
  bool closed_by_server() { return !receive(); }

 private:
  bool receive() {
    char buffer[65536];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got <= 0) return false;
    pending_.append(buffer, static_cast<std::size_t>(got));
    return true;
  }
  int fd_;
  std::string pending_;
};

std::string post_head(const std::string& path, std::size_t length, const std::string& extra = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

nlohmann::json body_of(const std::string& response) {
  return nlohmann::json::parse(response.substr(response.find("\r\n\r\n") + 4), nullptr, false);
}

}  // namespace

TEST_CASE("serve http: a body in pieces, two pipelined requests and Expect: 100-continue are answered", "[serve]") {
  riskoff::testing::ScratchFolder scratch("serve-http-pieces");
  ServerProcess server({"--ruleset", "rulesets/riskoff.rules"}, (scratch.root / "log").string());
  const std::string body = decide_body("examples/snapshots/2026-02-04.json", "swing", false, {"summary"});
  RawConnection connection(server.port());

  // The head, then the body in three pieces with pauses between them: one request.
  REQUIRE(connection.send(post_head("/v1/decide", body.size())));
  const std::size_t third = body.size() / 3;
  for (std::size_t at = 0; at < body.size(); at += third) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(connection.send(body.substr(at, third)));
  }
  const std::string pieces = connection.response();
  INFO(pieces.substr(0, 300));
  REQUIRE(pieces.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(body_of(pieces).at("summary").at("action").is_string());

  // Two requests in one send on the same connection: two answers, in order.
  REQUIRE(connection.send(post_head("/v1/decide", body.size()) + body +
                          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const std::string first = connection.response();
  const std::string second = connection.response();
  INFO(first.substr(0, 300) << "\n---\n" << second.substr(0, 300));
  CHECK(first.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(body_of(first).at("summary").is_object());
  CHECK(second.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(body_of(second).at("status") == "ok");

  // curl's way with a large body: the head alone, the body only after "100 Continue".
  REQUIRE(connection.send(post_head("/v1/decide", body.size(), "Expect: 100-continue\r\n")));
  const std::string interim = connection.response();  // a head alone: no body
  CHECK(interim.rfind("HTTP/1.1 100 Continue", 0) == 0);
  REQUIRE(connection.send(body));
  const std::string continued = connection.response();
  CHECK(continued.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve http: a head over 8 KiB is refused with 431 and the JSON envelope", "[serve]") {
  riskoff::testing::ScratchFolder scratch("serve-http-head");
  ServerProcess server({"--ruleset", "rulesets/riskoff.rules"}, (scratch.root / "log").string());
  RawConnection connection(server.port());
  REQUIRE(connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + std::string(9000, 'a') + "\r\n\r\n"));
  const std::string refused = connection.response();
  INFO(refused.substr(0, 400));
  REQUIRE(refused.rfind("HTTP/1.1 431", 0) == 0);
  const auto envelope = body_of(refused);
  CHECK(envelope.at("error").at("status") == 431);
  CHECK(envelope.at("error").at("code") == "too_large");
  CHECK(envelope.at("error").at("messages").at(0).get<std::string>().find("8192 bytes") != std::string::npos);
  CHECK(connection.closed_by_server());
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve http: a client that stops mid-body, or sends a byte at a time, is cut off at --timeout", "[serve]") {
  riskoff::testing::ScratchFolder scratch("serve-http-timeout");
  ServerProcess server({"--ruleset", "rulesets/riskoff.rules", "--timeout", "1"}, (scratch.root / "log").string());

  RawConnection stalled(server.port());
  const auto start = Clock::now();
  REQUIRE(stalled.send(post_head("/v1/decide", 1000) + "{\"snapshot\": "));
  CHECK(stalled.closed_by_server());
  const double stalled_s = std::chrono::duration<double>(Clock::now() - start).count();
  INFO("closed after " << stalled_s << " s");
  CHECK(stalled_s >= 0.9);
  CHECK(stalled_s < 10);

  // Slowloris: a byte every 200 ms keeps each read short of the timeout, but the request as a
  // whole has --timeout to arrive.
  RawConnection trickle(server.port());
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(200, 'a');
  const auto trickle_start = Clock::now();
  bool cut = false;
  for (const char byte : head) {
    if (!trickle.send(std::string(1, byte))) {
      cut = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (Clock::now() - trickle_start > std::chrono::seconds(15)) break;
  }
  const double trickle_s = std::chrono::duration<double>(Clock::now() - trickle_start).count();
  INFO("the trickle was cut after " << trickle_s << " s");
  CHECK((cut || trickle.closed_by_server()));
  CHECK(trickle_s < 10);
  // The server still answers others.
  auto client = server.client();
  const auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve http: a kept-alive connection in use past --timeout stays open, and is cut off --timeout after its last answer",
          "[serve]") {
  riskoff::testing::ScratchFolder scratch("serve-http-keep-alive");
  ServerProcess server({"--ruleset", "rulesets/riskoff.rules", "--timeout", "1"}, (scratch.root / "log").string());
  RawConnection connection(server.port());
  // A request every 300 ms for 2.4 s: each within --timeout of the last, so none is cut off,
  // though the connection outlives the deadline of its first request.
  for (int sent = 0; sent < 8; ++sent) {
    REQUIRE(connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    const std::string answer = connection.response();
    INFO("request " << sent << ": " << answer.substr(0, 200));
    REQUIRE(answer.rfind("HTTP/1.1 200", 0) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  const auto idle_from = Clock::now() - std::chrono::milliseconds(300);
  CHECK(connection.closed_by_server());
  const double idle_s = std::chrono::duration<double>(Clock::now() - idle_from).count();
  INFO("closed " << idle_s << " s after the last answer");
  CHECK(idle_s >= 0.9);
  CHECK(idle_s < 5);
  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("serve http: answers the socket cannot take at once are written whole, in order", "[serve]") {
  riskoff::testing::ScratchFolder scratch("serve-http-backlog");
  ServerProcess server({"--ruleset", "rulesets/riskoff.rules"}, (scratch.root / "log").string());
  // 40 pipelined requests for a 27 KB file (about 1 MB of answers) to a client with a small
  // receive buffer that reads none of them until all are sent: most answers wait for the socket.
  RawConnection connection(server.port(), 4096);
  std::string requests;
  for (int idx = 0; idx < 40; ++idx) requests += "GET /assets/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  REQUIRE(connection.send(requests));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int idx = 0; idx < 40; ++idx) {
    const std::string answer = connection.response();
    INFO("answer " << idx << ": " << answer.substr(0, 200));
    REQUIRE(answer.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(answer.size() > 26000);
    CHECK(answer.find("Content-Type: text/javascript") != std::string::npos);
  }
  CHECK(server.stop(SIGTERM) == 0);
}
