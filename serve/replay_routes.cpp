// GET /v1/replay: the page's replay view. A replay of the served ruleset (or a published
// version) over a period, built from a sources manifest the server was started with, through
// the library's Backtest: the same report, text and SVG chart as `riskoff replay`, never a
// second implementation. Bounded: the period may span at most --replay-max-steps days, and one
// replay runs at a time (a replay reads every file of the manifest and is CPU work; parallel
// ones would only slow each other and the decide requests).
#include <httplib.h>

#include <mutex>

#include "riskoff/backtest.hpp"
#include "serve/reply.hpp"
#include "serve/routes.hpp"

namespace riskoff::serve {
namespace {

using httplib::Request;
using httplib::Response;

constexpr std::int64_t kSecondsPerDay = 86400;

// Invariant: held while a replay runs, so at most one runs at any time.
std::mutex replay_mutex;

// The manifest a request names, or the server's only one when it names none.
std::string manifest_name(const Request& request, const ServeOptions& options) {
  if (request.has_param("sources")) return request.get_param_value("sources");
  if (options.sources.size() == 1) return options.sources.front().substr(0, options.sources.front().find('='));
  return {};
}

void replay_endpoint(const Request& request, Response& response, Service& service) {
  const auto served = service.current();
  const std::string name = manifest_name(request, service.options());
  const Sources* manifest = service.sources(name);
  if (manifest == nullptr) {
    return reply_error(response, service, *served, service.options().sources.empty() ? 404 : 400,
                       service.options().sources.empty() ? "not_found" : "usage",
                       {name.empty() ? "parameter `sources`: name a manifest; this server has " + service.source_names()
                                     : "no sources manifest `" + name + "`; this server has " + service.source_names()});
  }
  std::vector<std::string> problems;
  std::optional<std::int64_t> bounds[2];
  const char* names[2] = {"from", "to"};
  for (int side = 0; side < 2; ++side) {
    const std::string text = request.get_param_value(names[side]);
    // `to` as a date means the end of that day, as `riskoff replay --to` reads it.
    bounds[side] = side == 0 ? parse_time(text) : parse_as_of(text);
    if (!bounds[side]) {
      problems.push_back("parameter `" + std::string(names[side]) + "`: " + (text.empty() ? "missing" : "`" + text + "`") +
                         "; give a UTC date or time such as 2026-02-04 or 2026-02-04T21:00:00Z");
    }
  }
  const std::int64_t max_steps = service.options().replay_max_steps;
  if (problems.empty()) {
    // A step is at most one a day (the reference's trading days), so the days of the period
    // bound the steps before any file is read.
    const std::int64_t days = (*bounds[1] - *bounds[0]) / kSecondsPerDay + 1;
    if (days < 1) problems.push_back("parameter `to` is before `from`");
    else if (days > max_steps) {
      problems.push_back("the period has " + std::to_string(days) + " days; this server replays at most " +
                         std::to_string(max_steps) + " (--replay-max-steps)");
    }
  }
  if (!problems.empty()) return reply_error(response, service, *served, Error(ErrorKind::kUsage, problems));

  // The served version, or a published one by NAME@VERSION (with --registry).
  std::optional<Ruleset> published;
  if (request.has_param("ruleset")) {
    const std::string reference = request.get_param_value("ruleset");
    const auto found = service.find(reference);
    if (!found) return reply_error(response, service, *served, found.error());
    if (!*found) return reply_error(response, service, *served, 404, "not_found", {"`" + reference + "` is not published"});
    auto loaded = service.load_published(**found);
    if (!loaded) return reply_error(response, service, *served, loaded.error());
    published.emplace(std::move(*loaded));
  }
  const Ruleset& ruleset = published ? *published : served->ruleset;
  const BacktestOptions options{.from = *bounds[0], .to = bounds[1], .profile = request.get_param_value("profile")};
  std::optional<Result<Backtest>> run;
  {
    const std::lock_guard one_at_a_time(replay_mutex);
    run.emplace(Backtest::run(ruleset, *manifest, options));
  }
  if (!*run) return reply_error(response, service, *served, run->error());
  const Backtest& backtest = **run;
  auto writer = begin_reply(*served);
  writer.key("replay").begin_object().field("sources", name).field_integer("max_steps", max_steps);
  std::string report = backtest.render(ReportFormat::kJson);
  if (!report.empty() && report.back() == '\n') report.pop_back();  // the file's final newline, not JSON
  writer.key("report").raw(report);
  writer.field("text", backtest.render(ReportFormat::kText)).field("svg", backtest.render(ReportFormat::kSvg));
  writer.end_object();
  finish(response, *served, writer);
}

}  // namespace

void add_replay_routes(httplib::Server& server, Service& service) {
  Service* s = &service;
  server.Get("/v1/replay", guarded(service, Access::kRead, [s](const Request& q, Response& r) { replay_endpoint(q, r, *s); }));
}

}  // namespace riskoff::serve
