// Records per second into the audit store with 1, 4 and 8 writer processes, SQLite against
// PostgreSQL, in one run (the same machine load for both): docs/scale.md has the figures.
//
//   riskoff_audit_store_bench [--records N]   (N records per run, split among the writers; 800)
//
// SQLite: one file in a scratch folder (WAL, immediate transactions). PostgreSQL: a server this
// program starts itself, as the tests do (tests/support/pg_server.hpp: initdb into a folder under
// /tmp, Unix socket only; fsync off, so the figure is the append protocol's, not the disk's).
// Every run is verified after (chain intact, exactly N records).
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "audit/store.hpp"
#include "tests/support/pg_server.hpp"
#include "tests/unit/audit/audit_support.hpp"

using namespace riskoff;

namespace {

// N records into `location` from `writers` processes at once; the wall time in seconds.
double run(const std::string& location, const audit::DecisionInput& input, int writers, int records) {
  audit::AuditStore::open(location, OpenMode::kCreate);
  const auto start = std::chrono::steady_clock::now();
  std::vector<pid_t> children;
  for (int w = 0; w < writers; ++w) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      try {
        auto store = audit::AuditStore::open(location, OpenMode::kCreate);
        for (int k = w; k < records; k += writers) store->record(input);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %d: %s\n", w, e.what());
        ::_exit(1);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  bool failed = false;
  for (const pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    failed = failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto report = audit::AuditStore::open(location, OpenMode::kReadOnly)->verify();
  if (failed || !report.ok() || report.records != records) {
    std::fprintf(stderr, "%s: %d writers: FAILED (records %lld, %s)\n", location.c_str(), writers,
                 static_cast<long long>(report.records), report.ok() ? "chain intact" : report.problems.front().c_str());
    std::exit(1);
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int records = 800;
  for (int k = 1; k + 1 < argc; ++k) {
    if (std::strcmp(argv[k], "--records") == 0) records = std::atoi(argv[k + 1]);
  }
  if (::chdir(RISKOFF_SOURCE_DIR) != 0) return 2;
  const auto input = testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  std::string why_not;
  auto server = testing::PgServer::start(why_not);
  if (!server) {
    std::cerr << "riskoff_audit_store_bench: " << why_not << '\n';
    return 2;
  }
  const auto scratch = std::filesystem::temp_directory_path() / ("riskoff-store-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(scratch);
  std::printf("%d records per run, each verified after\n\n", records);
  std::printf("| writers | SQLite records/s | PostgreSQL records/s |\n|---:|---:|---:|\n");
  for (const int writers : {1, 4, 8}) {
    const double sqlite = run((scratch / ("w" + std::to_string(writers) + ".sqlite")).string(), input.input, writers, records);
    const double pg = run(server->create_database(), input.input, writers, records);
    std::printf("| %d | %.0f | %.0f |\n", writers, records / sqlite, records / pg);
    std::fflush(stdout);
  }
  std::filesystem::remove_all(scratch);
  return 0;
}
