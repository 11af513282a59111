// GET /v1/replay: the page's replay view. A replay of the served ruleset (or a published
// version) over a period, built from a sources manifest the server was started with, through
// the library's Backtest: the same report, text and SVG chart as `riskoff replay`, never a
// second implementation. Bounded: the period may span at most --replay-max-steps days, and one
// replay runs at a time (a replay reads every file of the manifest and is CPU work; parallel
// ones would only slow each other and the decide requests).
//
// GET /v1/replay/{date}: one day of that replay opened, as a click on the page's band does: the
// step's instant found by the same Backtest (over that day alone), then the snapshot known at
// that instant built from the manifest and decided by the same ruleset, with its explanation.
// That snapshot is the step's own (docs/replay.md: a step decides as `eval --sources --as-of`).

#include <mutex>

#include "riskoff/backtest.hpp"
#include "serve/reply.hpp"
#include "serve/routes.hpp"

namespace riskoff::serve {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kDecideWindowDays = 8;  // GET /v1/replay/{date}: the day and the week after it

// Invariant: held while a replay runs, so at most one runs at any time.
std::mutex replay_mutex;

// The manifest a request names, or the server's only one when it names none.
std::string manifest_name(const Request& request, const ServeOptions& options) {
  if (request.has_param("sources")) return request.get_param_value("sources");
  if (options.sources.size() == 1) return options.sources.front().substr(0, options.sources.front().find('='));
  return {};
}

// What both endpoints replay: the manifest and the ruleset a request names (each with its
// default), or the error already answered.
struct ReplayInputs {
  std::string name;
  const Sources* manifest = nullptr;
  std::optional<Ruleset> published;  // a published NAME@VERSION, when asked for
};

std::optional<ReplayInputs> replay_inputs(const Request& request, Response& response, Service& service,
                                          const ServedRuleset& served) {
  ReplayInputs inputs;
  inputs.name = manifest_name(request, service.options());
  inputs.manifest = service.sources(inputs.name);
  if (inputs.manifest == nullptr) {
    const bool none = service.options().sources.empty();
    reply_error(response, service, served, none ? 404 : 400, none ? "not_found" : "usage",
                {inputs.name.empty() ? "parameter `sources`: name a manifest; this server has " + service.source_names()
                                     : "no sources manifest `" + inputs.name + "`; this server has " + service.source_names()});
    return std::nullopt;
  }
  // The served version, or a published one by NAME@VERSION (with --registry).
  if (request.has_param("ruleset")) {
    const std::string reference = request.get_param_value("ruleset");
    const auto found = service.find(reference);
    if (!found) return reply_error(response, service, served, found.error()), std::nullopt;
    if (!*found) return reply_error(response, service, served, 404, "not_found", {"`" + reference + "` is not published"}), std::nullopt;
    auto loaded = service.load_published(**found);
    if (!loaded) return reply_error(response, service, served, loaded.error()), std::nullopt;
    inputs.published.emplace(std::move(*loaded));
  }
  return inputs;
}

// The period's bounds: `from` as an instant, `to` as a date's end (as `riskoff replay --to`).
std::string bound_problem(const char* name, const std::string& text) {
  return "parameter `" + std::string(name) + "`: " + (text.empty() ? "missing" : "`" + text + "`") +
         "; give a UTC date or time such as 2026-02-04 or 2026-02-04T21:00:00Z";
}

Result<Backtest> replay(const Ruleset& ruleset, const Sources& manifest, const BacktestOptions& options) {
  const std::lock_guard one_at_a_time(replay_mutex);
  return Backtest::run(ruleset, manifest, options);
}

void replay_endpoint(const Request& request, Response& response, Service& service) {
  const auto served = service.current();
  const auto inputs = replay_inputs(request, response, service, *served);
  if (!inputs) return;
  std::vector<std::string> problems;
  std::optional<std::int64_t> bounds[2];
  const char* names[2] = {"from", "to"};
  for (int side = 0; side < 2; ++side) {
    const std::string text = request.get_param_value(names[side]);
    // `to` as a date means the end of that day, as `riskoff replay --to` reads it.
    bounds[side] = side == 0 ? parse_time(text) : parse_as_of(text);
    if (!bounds[side]) problems.push_back(bound_problem(names[side], text));
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

  const Ruleset& ruleset = inputs->published ? *inputs->published : served->ruleset;
  const auto run = replay(ruleset, *inputs->manifest,
                          {.from = *bounds[0], .to = bounds[1], .profile = request.get_param_value("profile")});
  if (!run) return reply_error(response, service, *served, run.error());
  auto writer = begin_reply(*served);
  writer.key("replay").begin_object().field("sources", inputs->name).field_integer("max_steps", max_steps);
  std::string report = run->render(ReportFormat::kJson);
  if (!report.empty() && report.back() == '\n') report.pop_back();  // the file's final newline, not JSON
  writer.key("report").raw(report);
  writer.field("text", run->render(ReportFormat::kText)).field("svg", run->render(ReportFormat::kSvg));
  writer.end_object();
  finish(response, *served, writer);
}

void replay_day_endpoint(const Request& request, Response& response, Service& service) {
  const auto served = service.current();
  const std::string date = request.matches[1];
  const auto from = parse_time(date);
  if (!from) return reply_error(response, service, *served, Error(ErrorKind::kUsage, bound_problem("date", date)));
  const auto inputs = replay_inputs(request, response, service, *served);
  if (!inputs) return;
  const Ruleset& ruleset = inputs->published ? *inputs->published : served->ruleset;
  // The replay from that day over the week after it: the step's own date and the instant it
  // decided at, found by the one implementation of steps and clocks rather than guessed here. A
  // step decides once its closes are known, up to days later (a Friday's crypto close is known
  // on Saturday); a replay that ended on the day itself would decide before that.
  const auto run = replay(ruleset, *inputs->manifest,
                          {.from = *from, .to = *from + kDecideWindowDays * kSecondsPerDay - 1, .profile = request.get_param_value("profile")});
  if (!run) return reply_error(response, service, *served, run.error());
  const BacktestReport& report = run->report();
  const BacktestStep& step = report.steps.front();  // Backtest::run fails with kData when there is none
  if (step.time != *from) {
    return reply_error(response, service, *served,
                       Error(ErrorKind::kData, "no step of the replay on " + date + " (not a trading day of the reference); the next is " +
                                                   format_time(step.time).substr(0, 10)));
  }
  if (step.action.empty()) {
    return reply_error(response, service, *served,
                       Error(ErrorKind::kData, "the replay made no decision on " + format_time(step.time).substr(0, 10) +
                                                   ": a required input had no observation yet"));
  }
  auto built = build_snapshot(*inputs->manifest, {.as_of = step.decided_at, .ruleset = ruleset});
  if (!built) return reply_error(response, service, *served, built.error());
  const auto decision =
      decide(ruleset, built->snapshot, {.profile = report.profile, .renderings = {Format::kJson, Format::kText}});
  if (!decision) return reply_error(response, service, *served, decision.error());
  auto writer = begin_reply(*served);
  writer.key("replay_day").begin_object().field("sources", inputs->name).field("date", format_time(step.time).substr(0, 10));
  writer.field("decided_at", format_time(step.decided_at)).field("profile", report.profile);
  writer.key("decided_under").begin_object().field("name", report.ruleset).field("version", report.version);
  writer.field("sha256", report.content_hash).end_object();
  writer.field("step_action", step.action);
  writer.key("decision").raw(decision->render(Format::kJson));
  writer.field("text", decision->render(Format::kText));
  writer.end_object();
  finish(response, *served, writer);
}

}  // namespace

void add_replay_routes(Router& router, Service& service) {
  Service* s = &service;
  router.add("GET", "/v1/replay", guarded(service, Access::kRead, [s](const Request& q, Response& r) { replay_endpoint(q, r, *s); }));
  router.add("GET", R"(/v1/replay/([^/]+))",
             guarded(service, Access::kRead, [s](const Request& q, Response& r) { replay_day_endpoint(q, r, *s); }));
}

}  // namespace riskoff::serve
