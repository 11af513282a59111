// The in-process work of one `POST /v1/decide`, the baseline bench/serve_load.sh divides by:
// parse the snapshot JSON, decide (swing) and render the explanation JSON through the public C++
// API, on one thread (its CPU time per call); with a store, also append the decision to an audit store. Prints one JSON
// object: {"request_us": best microseconds per call, "summary_us": the same answering only the
// summary (parse, decide, Decision::summary(): no explanation), "parse_us": the snapshot parse
// alone, "calls": per repeat}; with a store also "prepare_us" (AuditLog::prepare: the trace,
// the three renderings, the hashes; on the request's thread in the server) and "append_us"
// (AuditLog::append of one record: what the server's one writer does, under its lock), both
// within the best repeat of request_us.
#include <riskoff/audit.hpp>
#include <riskoff/riskoff.hpp>

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

// This thread's CPU time in microseconds: the figure that survives a busy machine, as the load
// test's server CPU per request does (wall time there is shared with every other process).
double thread_cpu() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

int main(int argc, char** argv) {
  // The heap settings `riskoff serve` runs with (serve/main.cpp): the same allocator behaviour
  // on both sides of the ratio.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
  const std::string root = argc > 1 ? argv[1] : RISKOFF_SOURCE_DIR;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 500;
  const std::string store = argc > 3 ? argv[3] : "";  // record into this store when given
  auto compiled = riskoff::Ruleset::load(root + "/rulesets/riskoff.rules");
  std::ifstream in(root + "/examples/snapshots/2026-02-04.json");
  std::ostringstream text;
  text << in.rdbuf();
  const std::string snapshot_json = text.str();
  std::optional<riskoff::AuditLog> log;
  if (!store.empty()) {
    auto opened = riskoff::AuditLog::open(store, riskoff::OpenMode::kCreate);
    if (!opened) return std::fprintf(stderr, "serve_baseline: cannot open %s\n", store.c_str()), 1;
    log.emplace(std::move(*opened));
    // As the server's writer: every commit on the disk before it returns (its fsync is waiting,
    // not CPU time; the WAL's folds differ).
    if (!log->make_commits_durable()) return std::fprintf(stderr, "serve_baseline: cannot make %s durable\n", store.c_str()), 1;
  }
  if (!compiled.ok()) return std::fprintf(stderr, "serve_baseline: the shipped ruleset does not load\n"), 1;
  riskoff::DecideOptions options{.profile = "swing", .renderings = {riskoff::Format::kJson}};
  if (log) options.renderings = {riskoff::Format::kJson, riskoff::Format::kMarkdown, riskoff::Format::kText};
  double best = 1e300;
  double prepare_best = 0;
  double append_best = 0;
  std::size_t sink = 0;
  for (int repeat = 0; repeat < 3; ++repeat) {
    double preparing = 0;
    double appending = 0;
    const auto start = thread_cpu();
    for (int call = 0; call < calls; ++call) {
      auto snapshot = riskoff::Snapshot::from_json(snapshot_json, "snapshot");
      auto decision = riskoff::decide(*compiled.ruleset, *snapshot.snapshot, options);
      sink += decision->render(riskoff::Format::kJson).size();
      if (!log) continue;
      // record() in its two steps, as the server runs them: the bytes kept, as the server keeps them.
      const auto before_prepare = thread_cpu();
      auto prepared = riskoff::AuditLog::prepare(*decision, snapshot_json);
      const auto before_append = thread_cpu();
      const auto ids = log->append({&*prepared});
      if (!ids) return std::fprintf(stderr, "serve_baseline: %s\n", ids.error().messages.front().c_str()), 1;
      sink += static_cast<std::size_t>(ids->front());
      appending += thread_cpu() - before_append;
      preparing += before_append - before_prepare;
    }
    const double took = thread_cpu() - start;
    if (took / calls < best) {
      best = took / calls;
      prepare_best = preparing / calls;
      append_best = appending / calls;
    }
  }
  // The compact answer (`formats: ["summary"]`): parse, decide and summarise, no explanation built.
  const riskoff::DecideOptions summary_options{.profile = "swing"};
  double summary_best = 1e300;
  for (int repeat = 0; repeat < 3; ++repeat) {
    const auto start = thread_cpu();
    for (int call = 0; call < calls; ++call) {
      auto snapshot = riskoff::Snapshot::from_json(snapshot_json, "snapshot");
      auto decision = riskoff::decide(*compiled.ruleset, *snapshot.snapshot, summary_options);
      sink += decision->summary().because.size();
    }
    const double took = thread_cpu() - start;
    summary_best = std::min(summary_best, took / calls);
  }
  // Where the time goes: parsing the snapshot alone (the rest is decide, render and record).
  double parse_best = 1e300;
  for (int repeat = 0; repeat < 3; ++repeat) {
    const auto start = thread_cpu();
    for (int call = 0; call < calls; ++call) sink += riskoff::Snapshot::from_json(snapshot_json, "snapshot").snapshot->input_count();
    const double took = thread_cpu() - start;
    parse_best = std::min(parse_best, took / calls);
  }
  std::printf("{\"request_us\": %.1f, \"summary_us\": %.1f, \"parse_us\": %.1f, ", best, summary_best, parse_best);
  if (log) std::printf("\"prepare_us\": %.1f, \"append_us\": %.1f, ", prepare_best, append_best);
  std::printf("\"calls\": %d, \"sink\": %zu}\n", calls, sink);
  return 0;
}
