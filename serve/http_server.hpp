// The HTTP/1.1 server under `riskoff serve`: Boost.Beast on asio, kept inside http_server.cpp (the
// one translation unit that compiles asio). Connections are served by `threads` io threads, each
// with its own io_context and connections handed to them in turn; a request is read whole into one buffer (one recv for a 30 KB body), answered by the handler on
// the thread that read it, and written in one send; connections are kept alive.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "serve/http.hpp"

namespace riskoff::serve {

struct HttpLimits {
  std::size_t max_body_bytes = 1U << 20U;
  std::size_t max_header_bytes = 8192;  // the request line and every header together
  // From the first byte of a request awaited (the keep-alive idle time included) to its last
  // byte read, and again for writing the answer: a client sending a byte a second is cut off.
  int timeout_seconds = 5;
  int threads = 8;
  // Connections open at once; beyond it the server stops accepting until one closes (the
  // kernel's backlog holds the rest).
  std::size_t max_connections = 512;
};

class HttpServer {
 public:
  // Answers a request read whole (the router, the endpoints).
  using Handler = std::function<void(Request&, Response&)>;
  // Answers a request the server would not read: 400 (malformed), 413 (body over the limit),
  // 431 (headers over the limit), 500 (the handler threw). The request has what was read of it
  // (method and path when the head was read); the connection closes after the answer.
  using Refusal = std::function<void(int status, const Request&, Response&)>;
  // Called once per answer, after the handler; `ms` is the handler's time (none for a refusal).
  using Logger = std::function<void(const Request&, const Response&, std::optional<double> ms)>;

  HttpServer(HttpLimits limits, Handler handler, Refusal refusal, Logger logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; returns the port (the one picked for port 0), or an error message.
  std::optional<int> bind(const std::string& host, int port, std::string& problem);
  // Serves until stop(), then returns once every connection has closed.
  void run();
  // Safe from any thread, before or during run(): stops accepting, closes idle connections, and
  // lets each request being read or answered finish (its answer says Connection: close).
  void stop();

  struct Impl;  // defined in http_server.cpp; public so its connections can name it

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace riskoff::serve
