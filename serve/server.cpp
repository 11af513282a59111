// run(): the process around the endpoints: limits, the listening socket, one JSON log line per
// request, and the drain on SIGTERM/SIGINT.
#include "serve/server.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include "serve/http_server.hpp"
#include "serve/log.hpp"
#include "serve/reply.hpp"
#include "serve/routes.hpp"
#include "serve/service.hpp"
#include "serve/schedule.hpp"
#include "serve/watch.hpp"

namespace riskoff::serve {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitProblems = 1;
constexpr int kExitUsage = 2;

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

// One `request` line per answer: never a body or a header value, so tokens and snapshots stay
// out of logs. `ms` is the endpoint's time (none for a request refused before routing).
void log_request(const Request& request, const Response& response, std::optional<double> ms) {
  auto writer = log_event("request");
  writer.field("method", request.method).field("path", request.path).field_integer("status", response.status);
  writer.field_integer("bytes", static_cast<std::int64_t>(response.body.size()));
  if (ms) writer.field_number("ms", *ms);
  writer.field("ruleset", response.get_header_value("X-Riskoff-Ruleset"));
  RequestLog::add(writer);
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
  Router router;
  add_routes(router, **service);
  Service* shared = service->get();
  const RequestLog request_log;  // outlives the server: its last request lines are written as it goes
  HttpServer server(
      {.max_body_bytes = options.max_body_bytes, .max_header_bytes = options.max_header_bytes,
       .timeout_seconds = options.timeout_seconds, .threads = options.threads},
      [&router, shared](Request& request, Response& response) { answer(router, *shared, request, response); },
      [shared](int status, const Request& request, Response& response) { answer_refused(*shared, status, request, response); },
      log_request);
  std::string problem;
  const auto port = server.bind(address->host, address->port, problem);
  if (!port) return fail(Error(ErrorKind::kIo, "cannot listen on `" + options.listen + "`: " + problem));
  const auto served = (*service)->current();
  auto started = log_event("listening");
  started.field("host", address->host).field_integer("port", *port).key("ruleset");
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
    server.stop();  // stops accepting; run() returns once requests in flight are answered
  });
  server.run();
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
