// What the PostgreSQL tests share: the server (tests/support/pg_server.hpp) or a clear skip, and
// writer processes that record decisions and report each acknowledged id on a pipe.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/support/pg_server.hpp"
#include "tests/unit/audit/audit_support.hpp"

namespace riskoff::testing {

// One server per test process, started on first use and stopped when the process exits: Catch
// runs a test case once per SECTION, and starting a server (initdb) is most of a test's time.
inline PgServer* shared_pg_server(std::string& why_not) {
  static std::string reason;
  static const std::unique_ptr<PgServer> server = PgServer::start(reason);
  why_not = reason;
  return server.get();
}

}  // namespace riskoff::testing

// Declares `server`, a running PostgreSQL; when the binaries are absent, the test is skipped with
// the reason (a warning), or fails when $RISKOFF_REQUIRE_PG is set.
#define RISKOFF_PG_SERVER(server)                                                           \
  std::string server##_why_not;                                                             \
  auto* server = riskoff::testing::shared_pg_server(server##_why_not);                      \
  if (server == nullptr) {                                                                            \
    const char* required = std::getenv("RISKOFF_REQUIRE_PG");                               \
    if (required != nullptr && *required != '\0') FAIL("RISKOFF_REQUIRE_PG is set, but " << server##_why_not); \
    WARN("skipped: " << server##_why_not);                                                  \
    return;                                                                                 \
  }

namespace riskoff::testing {

// A writer process: opens `location` and records `count` decisions (0: until killed), writing
// each acknowledged id to its pipe as text, one per line. Exits 0 when all were recorded, 1 on an
// AuditError (its message on standard error).
struct Writer {
  pid_t pid = -1;
  int pipe_read = -1;
  std::string pending;
};

// A child process (as a test process is, or a writer) that runs `child(pipe_write)` and exits
// with what it returns, without destructors or a leak check: the parent's objects are not the
// child's to close. The parent gets the child's pid and the pipe's read end.
struct ChildProcess {
  pid_t pid = -1;
  int pipe_read = -1;
};

template <typename Child>
ChildProcess fork_with_pipe(Child&& child) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    int status = 1;
    try {
      status = child(fds[1]);
    } catch (const std::exception& e) {
      const std::string message = std::string(e.what()) + "\n";
      (void)!::write(2, message.data(), message.size());
    } catch (...) {
    }
    ::_exit(status);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

// Writes `line` whole to `fd`; false when it could not.
inline bool write_line(int fd, const std::string& line) {
  return ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

inline Writer start_writer(const std::string& location, const RecordedInput& input, int count) {
  const auto child = fork_with_pipe([&](int acks) {
    auto store = audit::AuditStore::open(location, OpenMode::kCreate);
    for (int k = 0; count == 0 || k < count; ++k) {
      if (!write_line(acks, std::to_string(store->record(input.input)) + "\n")) return 3;
    }
    return 0;
  });
  return {child.pid, child.pipe_read, {}};
}

// Reads what the writer acknowledged so far (blocking until at least one more line or its end);
// false at its end.
inline bool read_acks(Writer& writer, std::vector<std::int64_t>& acked) {
  char buffer[4096];
  const ssize_t got = ::read(writer.pipe_read, buffer, sizeof buffer);
  if (got <= 0) return false;
  writer.pending.append(buffer, static_cast<std::size_t>(got));
  for (auto end = writer.pending.find('\n'); end != std::string::npos; end = writer.pending.find('\n')) {
    acked.push_back(std::stoll(writer.pending.substr(0, end)));
    writer.pending.erase(0, end + 1);
  }
  return true;
}

// Reads the writer to its end and reaps it; its exit code (128 + N when killed by signal N).
inline int finish_writer(Writer& writer, std::vector<std::int64_t>& acked) {
  while (read_acks(writer, acked)) {
  }
  ::close(writer.pipe_read);
  int status = 0;
  while (::waitpid(writer.pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace riskoff::testing
