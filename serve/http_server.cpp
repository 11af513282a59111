// Boost.Beast behind HttpServer (http_server.hpp). One io_context per thread, each run by its
// thread alone, and each accepted connection given to the next one in turn: a connection's
// handlers never change threads, so there is no strand and no hand-over between threads (eight
// threads sharing one io_context cost about five futex calls a request). A connection has one
// operation outstanding at a time: read (the head, `Expect: 100-continue` answered, the body,
// beast's parser fed as bytes come), run the handler, write the answer, read the next. A request
// costs the thread one epoll_wait, one recv and one sendmsg. Deadlines are set once for a whole
// request and once for its answer, checked by one timer per connection (set_deadline).
//
// <utility> before asio: Boost 1.74's asio uses std::exchange without including it (C++20).
#include <utility>

#include "serve/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace riskoff::serve {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {
class Connection;
std::string text(beast::string_view view) { return {view.data(), view.size()}; }
// A read of 64 KiB: a 30 KB decide body arrives in one recv, where 4 KiB reads took five.
constexpr std::size_t kReadBuffer = 64 * 1024;
}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  HttpLimits limits;
  Handler handler;
  Refusal refusal;
  Logger logger;
  // One per thread; contexts[0] also runs the acceptor, so accept, pause, resume and close never
  // overlap. The guards keep an idle context running until stop().
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  std::size_t next_context = 0;  // on the acceptor's thread: who gets the next connection
  tcp::acceptor acceptor;
  net::steady_timer retry;  // accepting again after an accept error (out of file descriptors)
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> open{0};
  bool paused = false;  // on the acceptor's thread: the connection limit was reached

  // Invariant: every live connection is here (each removes itself when it ends), so stop() can
  // reach the idle ones.
  std::mutex connections_mutex;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections;

  Impl(HttpLimits l, Handler h, Refusal r, Logger g)
      : limits(l), handler(std::move(h)), refusal(std::move(r)), logger(std::move(g)),
        contexts(make_contexts(limits.threads)), acceptor(*contexts.front()), retry(acceptor.get_executor()) {
    for (auto& context : contexts) guards.push_back(net::make_work_guard(*context));
  }

  static std::vector<std::unique_ptr<net::io_context>> make_contexts(int threads) {
    std::vector<std::unique_ptr<net::io_context>> made;
    for (int i = 0; i < std::max(threads, 1); ++i) made.push_back(std::make_unique<net::io_context>(1));
    return made;
  }

  void accept();
  void on_accept(beast::error_code error, tcp::socket socket);
  void connection_ended(const Connection* connection);
  void stop();
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::shared_ptr<HttpServer::Impl> server)
      : server_(std::move(server)), socket_(std::move(socket)), deadline_timer_(socket_.get_executor()), buffer_(kReadBuffer) {
    buffer_.reserve(kReadBuffer);  // else reads of 512 bytes at a time into a growing buffer
    // An answer is written from the handler's own call: a send the socket cannot take now fails
    // with would_block (and the rest goes asynchronously) instead of blocking the io thread.
    beast::error_code ignored;
    socket_.non_blocking(true, ignored);
  }
  ~Connection() { server_->connection_ended(this); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  auto executor() { return socket_.get_executor(); }

  void start() { net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->read_next(); }); }

  // From stop(), on this connection's thread: a connection waiting for a request closes now;
  // one reading or answering a request closes after answering it.
  void close_if_idle() {
    if (waiting_ && !parser_->got_some() && buffer_.size() == 0) close();
  }

 private:
  using Clock = std::chrono::steady_clock;

  // NOTE(serve): the deadline is a time stored per request, not a timer armed per request:
  // re-arming an asio timer set the thread's timerfd and queued the cancelled wait's handler
  // (two timerfd_settime and an epoll_wait a request). The one timer of a connection is armed
  // when none is, and when it fires before the stored deadline it waits again until then, so a
  // connection is still cut off at its deadline, no later.
  void set_deadline() {
    deadline_ = Clock::now() + std::chrono::seconds(server_->limits.timeout_seconds);
    if (timer_armed_) return;
    timer_armed_ = true;
    deadline_timer_.expires_at(deadline_);
    deadline_timer_.async_wait([self = shared_from_this()](beast::error_code error) { self->on_deadline(error); });
  }

  void on_deadline(beast::error_code error) {
    timer_armed_ = false;
    if (error || !socket_.is_open()) return;  // cancelled by close()
    if (Clock::now() < deadline_) {
      timer_armed_ = true;
      deadline_timer_.expires_at(deadline_);
      deadline_timer_.async_wait([self = shared_from_this()](beast::error_code e) { self->on_deadline(e); });
      return;
    }
    close();  // the read or write outstanding completes with operation_aborted
  }

  void read_next() {
    if (server_->draining) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->limits.max_header_bytes));
    parser_->body_limit(server_->limits.max_body_bytes);
    waiting_ = true;
    set_deadline();
    // A pipelined request already read is parsed from a handler of its own, not from within the
    // previous answer's call (a client pipelining thousands would otherwise nest as deep).
    if (buffer_.size() > 0) return net::post(socket_.get_executor(), [self = shared_from_this()] { self->parse(); });
    read_more();
  }

  void read_more() {
    const std::size_t size = beast::read_size(buffer_, kReadBuffer);
    if (size == 0) return on_read(http::error::buffer_overflow);
    socket_.async_read_some(buffer_.prepare(size), [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
      self->on_bytes(error, bytes);
    });
  }

  // What beast's http::read_some does with a read: the end of the stream ends a request begun
  // (put_eof) or is the end of the connection.
  void on_bytes(beast::error_code error, std::size_t bytes) {
    buffer_.commit(bytes);
    if (error == net::error::eof) {
      if (!parser_->got_some()) return on_read(http::error::end_of_stream);
      beast::error_code ended;
      parser_->put_eof(ended);
      return on_read(ended);
    }
    if (error) return on_read(error);
    parse();
  }

  // Feeds the parser what the buffer holds: the head (once whole), then the body as it comes.
  void parse() {
    while (buffer_.size() > 0) {
      beast::error_code error;
      const std::size_t used = parser_->put(buffer_.data(), error);
      buffer_.consume(used);
      if (error == http::error::need_more) break;
      if (error) return on_read(error);
      if (waiting_ && parser_->is_header_done()) {
        waiting_ = false;
        parser_->eager(true);  // the body parsed as it arrives, as http::async_read does
        // curl sends `Expect: 100-continue` before a body over 1 KiB and waits a second for this.
        if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
          static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
          return net::async_write(socket_, net::buffer(kContinue, sizeof kContinue - 1),
                                  [self = shared_from_this()](beast::error_code e, std::size_t) {
                                    if (e) return self->close();
                                    self->parse();
                                  });
        }
      }
      if (parser_->is_done()) return on_read({});
      if (used == 0) break;
    }
    if (parser_->is_done()) return on_read({});  // a request without a body, parsed whole with its head
    read_more();
  }

  // The request as the endpoints see it: method, decoded path and query, headers, body.
  bool take_head() {
    auto& message = parser_->get();
    request_ = Request{};
    request_.method = text(message.method_string());
    for (const auto& field : message) request_.headers.emplace_back(text(field.name_string()), text(field.value()));
    const auto target = message.target();
    return parse_target(std::string_view(target.data(), target.size()), request_);
  }

  void on_read(beast::error_code error) {
    if (error == http::error::body_limit) return refuse(413);
    if (error == http::error::header_limit) return refuse(431);
    if (error) {
      // A malformed request is answered; a closed, reset or timed-out connection is not.
      const bool malformed = error.category() == http::make_error_code(http::error::end_of_stream).category() &&
                             error != http::error::end_of_stream && error != http::error::partial_message;
      return malformed ? refuse(400) : close();
    }
    if (!take_head()) return refuse(400);
    request_.body = std::move(parser_->get().body());
    response_ = Response{};
    const auto started = Clock::now();
    try {
      server_->handler(request_, response_);
    } catch (const std::exception&) {
      response_ = Response{};
      return refuse(500);
    }
    const std::chrono::duration<double, std::milli> elapsed = Clock::now() - started;
    server_->logger(request_, response_, elapsed.count());
    send(parser_->get().keep_alive() && !server_->draining);
  }

  // Answers what the server would not read, then closes: the rest of the stream is not a request.
  void refuse(int status) {
    if (parser_->is_header_done()) take_head();
    else request_ = Request{};
    response_ = Response{};
    server_->refusal(status, request_, response_);
    server_->logger(request_, response_, std::nullopt);
    send(false);
  }

  // NOTE(serve): the answer is sent from here, on the non-blocking socket: one sendmsg, head and
  // body gathered, and nothing queued behind it. Only what the socket does not take now is left
  // to an asynchronous write (an async write of the whole answer queued its completion: one more
  // epoll_wait a request).
  void send(bool keep_alive) {
    answer_ = {};
    answer_.version(11);
    answer_.result(static_cast<unsigned>(response_.status));
    if (!response_.content_type.empty()) answer_.set(http::field::content_type, response_.content_type);
    for (const auto& [name, value] : response_.headers) answer_.insert(name, value);
    answer_.body() = std::move(response_.body);
    answer_.keep_alive(keep_alive);
    answer_.prepare_payload();
    set_deadline();
    serializer_.emplace(answer_);
    beast::error_code error;
    while (!error && !serializer_->is_done()) http::write_some(socket_, *serializer_, error);
    if (error == net::error::would_block || error == net::error::try_again) {
      return http::async_write(socket_, *serializer_, [self = shared_from_this(), keep_alive](beast::error_code e, std::size_t) {
        self->sent(e, keep_alive);
      });
    }
    sent(error, keep_alive);
  }

  void sent(beast::error_code error, bool keep_alive) {
    if (error || !keep_alive) return close();
    read_next();
  }

  void close() {
    if (!socket_.is_open()) return;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
    deadline_timer_.cancel();
  }

  std::shared_ptr<HttpServer::Impl> server_;
  tcp::socket socket_;
  net::steady_timer deadline_timer_;
  Clock::time_point deadline_{};  // of reading the request awaited, or of writing its answer
  bool timer_armed_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> answer_;
  std::optional<http::response_serializer<http::string_body>> serializer_;
  Request request_;
  Response response_;
  bool waiting_ = false;  // reading a request head, nothing of it received yet (or partly)
};

}  // namespace

void HttpServer::Impl::accept() {
  auto& context = *contexts[next_context];
  next_context = (next_context + 1) % contexts.size();
  acceptor.async_accept(context, [self = shared_from_this()](beast::error_code error, tcp::socket socket) {
    self->on_accept(error, std::move(socket));
  });
}

void HttpServer::Impl::on_accept(beast::error_code error, tcp::socket socket) {
  if (!acceptor.is_open()) return;  // stopped
  if (error) {
    // Out of file descriptors, a connection reset before accept: try again shortly.
    retry.expires_after(std::chrono::milliseconds(10));
    retry.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e && self->acceptor.is_open()) self->accept();
    });
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto connection = std::make_shared<Connection>(std::move(socket), shared_from_this());
  {
    const std::lock_guard lock(connections_mutex);
    connections.emplace(connection.get(), connection);
  }
  connection->start();
  if (open.fetch_add(1) + 1 >= limits.max_connections) {
    paused = true;
    return;
  }
  accept();
}

void HttpServer::Impl::connection_ended(const Connection* connection) {
  {
    const std::lock_guard lock(connections_mutex);
    connections.erase(connection);
  }
  open.fetch_sub(1);
  // A weak pointer: after stop() the acceptor's context may have stopped running, and a queued
  // handler holding the server would keep it (and its contexts) alive in a cycle.
  net::post(acceptor.get_executor(), [weak = weak_from_this()] {
    const auto self = weak.lock();
    if (self && self->paused && self->acceptor.is_open() && self->open < self->limits.max_connections) {
      self->paused = false;
      self->accept();
    }
  });
}

void HttpServer::Impl::stop() {
  draining = true;
  net::post(acceptor.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor.close(ignored);
    self->retry.cancel();
    // Every live connection is asked to close while its context still has its guard, so the
    // context runs the request before its run() can return. Posted after the guards were reset,
    // a request could land in a context that had already returned (its connection had just
    // answered and closed): never run, it kept its connection, and with it this server, alive
    // in a cycle, and the sanitizer build's leak check ended `riskoff serve` with exit code 23
    // (a serve test's `stop(SIGTERM) == 0` failed once in a full ctest run).
    std::vector<std::shared_ptr<Connection>> live;
    {
      const std::lock_guard lock(self->connections_mutex);
      for (const auto& [key, weak] : self->connections) {
        if (auto connection = weak.lock()) live.push_back(std::move(connection));
      }
    }
    for (auto& connection : live) {
      net::post(connection->executor(), [connection] { connection->close_if_idle(); });
    }
    // Each context's run() returns once its last connection has closed.
    for (auto& guard : self->guards) guard.reset();
  });
}

HttpServer::HttpServer(HttpLimits limits, Handler handler, Refusal refusal, Logger logger)
    : impl_(std::make_shared<Impl>(limits, std::move(handler), std::move(refusal), std::move(logger))) {}

HttpServer::~HttpServer() = default;

std::optional<int> HttpServer::bind(const std::string& host, int port, std::string& problem) {
  beast::error_code error;
  tcp::resolver resolver(*impl_->contexts.front());
  const auto endpoints = resolver.resolve(host, std::to_string(port), tcp::resolver::numeric_service, error);
  if (error || endpoints.empty()) {
    problem = error ? error.message() : "no address";
    return std::nullopt;
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), error) || acceptor.set_option(net::socket_base::reuse_address(true), error) ||
      acceptor.bind(endpoint, error) || acceptor.listen(net::socket_base::max_listen_connections, error)) {
    problem = error.message();
    return std::nullopt;
  }
  return acceptor.local_endpoint().port();
}

void HttpServer::run() {
  net::post(impl_->acceptor.get_executor(), [impl = impl_] { impl->accept(); });
  std::vector<std::thread> others;
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i) others.emplace_back([this, i] { impl_->contexts[i]->run(); });
  impl_->contexts.front()->run();
  for (auto& thread : others) thread.join();
}

void HttpServer::stop() { impl_->stop(); }

}  // namespace riskoff::serve
