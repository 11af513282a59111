// run(): the process around the endpoints: limits, the listening socket, one JSON log line per
// request, and the drain on SIGTERM/SIGINT.
#include "serve/server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "serve/reply.hpp"
#include "serve/routes.hpp"
#include "serve/service.hpp"
#include "serve/schedule.hpp"
#include "serve/watch.hpp"
#include "support/json_writer.hpp"

namespace riskoff::serve {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitProblems = 1;
constexpr int kExitUsage = 2;

std::mutex log_mutex;  // one line at a time on stderr, whichever thread logs

// Writes one JSON object as one line: what `riskoff serve` prints is machine-readable.
void log_line(support::JsonWriter& writer) {
  writer.end_object();
  const std::lock_guard lock(log_mutex);
  // One write of the whole line: a reader polling the log never sees half of it.
  std::cerr << writer.take().append(1, '\n') << std::flush;
}

support::JsonWriter log_event(const char* event) {
  support::JsonWriter writer(support::JsonLayout::kCompact);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  writer.begin_object().field("time", format_time(std::chrono::duration_cast<std::chrono::seconds>(now).count()));
  writer.field("event", event);
  return writer;
}

// When this worker thread began reading the current request (set before routing; a request
// refused before routing, such as a 413, logs no duration).
thread_local std::optional<std::chrono::steady_clock::time_point> request_started;

struct Address {
  std::string host;
  int port = 0;
};

std::optional<Address> parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  Address address{text.substr(0, colon), 0};
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  address.port = std::stoi(port);
  if (address.port > 65535) return std::nullopt;
  return address;
}

int fail(const Error& error) {
  auto writer = log_event("error");
  writer.field("code", error_kind_name(error.kind)).key("messages").begin_array();
  for (const auto& message : error.messages) writer.string(message);
  writer.end_array();
  log_line(writer);
  return error.kind == ErrorKind::kUsage || error.kind == ErrorKind::kIo ? kExitUsage : kExitProblems;
}

// cpp-httplib listens with the backlog it was compiled with (5 in Debian's build): a burst of
// new connections beyond it waits for a SYN retransmission, a whole second. Listening again on
// the bound socket widens the queue (Linux updates a listening socket's backlog in place).
class Listener : public httplib::Server {
 public:
  void widen_backlog(int backlog) { ::listen(svr_sock_, backlog); }
};

void configure(httplib::Server& server, Service& service) {
  const ServeOptions& options = service.options();
  server.set_payload_max_length(options.max_body_bytes);
  server.set_read_timeout(options.timeout_seconds, 0);
  server.set_write_timeout(options.timeout_seconds, 0);
  server.set_keep_alive_timeout(options.timeout_seconds);
  // A keep-alive connection holds a worker while it is open: after 100 requests it is closed,
  // so connections waiting for a worker get their turn.
  server.set_keep_alive_max_count(100);
  server.set_tcp_nodelay(true);
  const int threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_started = std::chrono::steady_clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
    auto writer = log_event("request");
    writer.field("method", request.method).field("path", request.path).field_integer("status", response.status);
    writer.field_integer("bytes", static_cast<std::int64_t>(response.body.size()));
    if (request_started) {
      const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - *request_started;
      writer.field_number("ms", elapsed.count());
      request_started.reset();
    }
    writer.field("ruleset", response.get_header_value("X-Riskoff-Ruleset"));
    log_line(writer);
  });
  add_routes(server, service);
}

}  // namespace

int run(const ServeOptions& options) {
  const auto address = parse_listen(options.listen);
  if (!address) return fail(Error(ErrorKind::kUsage, "--listen `" + options.listen + "` is not HOST:PORT"));
  // Block the stop signals in every thread (the pool's threads inherit this mask); one thread
  // waits for them with sigwait, so the drain runs as ordinary code, not in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);  // sent by run() itself to end the waiter when listening fails
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = Service::start(options);
  if (!service) return fail(service.error());
  std::optional<std::int64_t> period;
  const Sources* scheduled_sources = nullptr;
  if (!options.schedule.empty()) {
    period = parse_schedule(options.schedule);
    if (!period) return fail(Error(ErrorKind::kUsage, "--schedule `" + options.schedule + "` is not `every N` with s, m, h or d"));
    if (!(*service)->has_store()) return fail(Error(ErrorKind::kUsage, "--schedule records its decisions: give --db FILE"));
    std::string name = options.schedule_sources;
    if (name.empty() && options.sources.size() == 1) name = options.sources.front().substr(0, options.sources.front().find('='));
    scheduled_sources = (*service)->sources(name);
    if (scheduled_sources == nullptr) {
      return fail(Error(ErrorKind::kUsage, "--schedule builds snapshots from a manifest: give --sources NAME=FILE (and "
                                           "--schedule-sources NAME when there are several); this server has " +
                                               (*service)->source_names()));
    }
  }
  Listener server;
  configure(server, **service);
  const int port = address->port == 0 ? server.bind_to_any_port(address->host)
                                      : (server.bind_to_port(address->host, address->port) ? address->port : -1);
  if (port < 0) return fail(Error(ErrorKind::kIo, "cannot listen on `" + options.listen + "`"));
  server.widen_backlog(SOMAXCONN);
  const auto served = (*service)->current();
  auto started = log_event("listening");
  started.field("host", address->host).field_integer("port", port).key("ruleset");
  write_ruleset(started, *served);
  started.field_bool("writes", !options.token_file.empty()).field_bool("audit_store", !options.db.empty());
  log_line(started);

  if (!options.alerts.empty()) {
    (*service)->set_alerter(std::make_unique<Alerter>(options.alerts, [](const AlertOutcome& outcome) {
      auto writer = log_event(outcome.delivered ? "alert_sent" : "alert_failed");
      writer.field("profile", outcome.change->profile).field("from", outcome.change->from).field("to", outcome.change->to);
      writer.field_integer("decision_id", outcome.change->id).field_integer("attempts", outcome.attempts);
      writer.field("target", outcome.target);
      if (!outcome.delivered) writer.field("problem", outcome.last_problem);
      log_line(writer);
    }));
  }
  std::optional<Scheduler> scheduler;
  if (period) {
    scheduler.emplace(**service, *period, *scheduled_sources, options.allow_missing ? MissingInputs::kLeaveOut : MissingInputs::kFail,
                      [](const ScheduledRun& run) {
                        auto writer = log_event(run.error ? "schedule_failed" : "scheduled");
                        writer.field("as_of", format_time(run.as_of)).key("recorded").begin_array();
                        for (const auto& line : run.recorded) writer.string(line);
                        writer.end_array().key("skipped").begin_array();
                        for (const auto& line : run.skipped) writer.string(line);
                        writer.end_array().field_integer("missed", run.missed);
                        if (run.error) {
                          writer.field("code", error_kind_name(run.error->kind)).key("messages").begin_array();
                          for (const auto& message : run.error->messages) writer.string(message);
                          writer.end_array();
                        }
                        log_line(writer);
                      });
  }
  std::optional<RuleWatcher> watcher;
  if (options.watch_rules) {
    watcher.emplace(**service, std::chrono::milliseconds(options.watch_interval_ms),
                    [](const Result<std::shared_ptr<const ServedRuleset>>& reloaded) {
                      auto writer = log_event(reloaded ? "reloaded" : "reload_failed");
                      writer.field("trigger", "watch");
                      if (reloaded) {
                        writer.key("ruleset");
                        write_ruleset(writer, **reloaded);
                      } else {
                        writer.field("code", error_kind_name(reloaded.error().kind)).key("messages").begin_array();
                        for (const auto& message : reloaded.error().messages) writer.string(message);
                        writer.end_array();
                      }
                      log_line(writer);
                    });
  }

  std::thread waiter([&] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    if (signal_number == SIGUSR1) return;
    auto draining = log_event("draining");
    draining.field("signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    log_line(draining);
    (*service)->start_draining();
    // A signal that arrives before the accept loop runs would make stop() a no-op and the loop
    // then run forever: wait (boundedly) until it runs.
    for (int wait = 0; wait < 500 && !server.is_running(); ++wait) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server.stop();  // stops accepting; listen_after_bind returns once requests in flight are done
  });
  server.listen_after_bind();
  const bool drained = (*service)->draining();
  if (!drained) pthread_kill(waiter.native_handle(), SIGUSR1);
  waiter.join();
  (*service)->close_readers();  // no request is in flight any more
  watcher.reset();
  scheduler.reset();
  // Every acknowledged record was committed before its response was sent; the writer closes here.
  (*service).reset();
  auto stopped = log_event(drained ? "stopped" : "error");
  if (!drained) stopped.field("code", "io").key("messages").begin_array().string("the listening socket failed").end_array();
  log_line(stopped);
  return drained ? kExitOk : kExitUsage;
}

}  // namespace riskoff::serve
