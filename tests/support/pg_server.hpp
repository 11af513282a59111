// A real PostgreSQL server for the tests of the audit store's PostgreSQL backend: initdb into a
// fresh folder under /tmp, listening only on a Unix socket in that folder (no TCP port, so
// parallel tests never collide), stopped and removed at the end.
//
// PostgreSQL refuses to run as root, and tests here (and in CI) run as root: then initdb and the
// server run as the `postgres` user the Debian package creates (else `nobody`), the folder handed
// to that user; the test process itself stays root and connects over the socket (trust auth).
//
// A server must not outlive its test process: ctest SIGKILLs a test that runs over its time,
// and no destructor runs then. So each server has a watchdog (a small shell loop in a session of
// its own, out of reach of a kill of the test's process group) that stops the server and removes
// its folder once the process that started it is gone; and start() first stops and removes any
// server of this harness whose starting process is gone (its watchdog killed too, or the machine
// rebooted under it): the folder's `owner` file names that process (pid and start time).
//
// The binaries are found in $RISKOFF_PG_BIN, else /usr/lib/postgresql/<15..17>/bin. When they are
// absent, start() says why and the tests skip with that message, unless $RISKOFF_REQUIRE_PG is
// set (CI sets it): then they fail.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace riskoff::testing {

class PgServer {
 public:
  // A running server, or nullptr and why not (binaries absent). Throws std::runtime_error when
  // the binaries are there but the server does not start (its log is in the message).
  static std::unique_ptr<PgServer> start(std::string& why_not);
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // The URI of `database` on this server (postgresql:///DB?host=FOLDER&user=riskoff).
  std::string uri(const std::string& database = "postgres") const;
  // A new, empty database; its URI.
  std::string create_database();
  // Stops the server: `immediate` as a crash would (no checkpoint), else a fast shutdown
  // (sessions ended, transactions rolled back). Then start_again() brings it back on the same folder.
  void stop(bool immediate);
  void start_again();
  const std::string& folder() const { return folder_; }
  // The watchdog's pid (the tests kill it to leave a stale server behind).
  int watchdog_pid() const { return watchdog_; }
  // Stops every server under /tmp/riskoff-pg-* whose owner process is gone, and removes its
  // folder; how many. Folders without an `owner` file (not this harness's) are left alone.
  static int stop_stale();

 private:
  PgServer(std::string bin, std::string folder, unsigned uid, unsigned gid);
  // Runs a PostgreSQL program as the server's user, waits; its exit code. Output goes to FOLDER/tool.log.
  int run(const std::string& program, const std::vector<std::string>& arguments) const;
  std::string log_tail() const;
  // Writes FOLDER/owner and starts the watchdog.
  void watch(unsigned owner_pid);


  std::string bin_;
  std::string folder_;
  unsigned uid_ = 0;
  unsigned gid_ = 0;
  bool running_ = false;
  int databases_ = 0;
  int watchdog_ = -1;
};

}  // namespace riskoff::testing
