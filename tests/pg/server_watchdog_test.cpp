// The test server's harness (tests/support/pg_server.hpp) when a test process dies without its
// destructors, as when ctest SIGKILLs it on timeout: the watchdog stops the server and removes
// its folder; and when the watchdog is gone too, the next start stops the stale server.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pg_support.hpp"

using riskoff::testing::PgServer;

namespace {

struct ServerProcess {
  pid_t pid = -1;
  std::string folder;
  int watchdog = -1;
};

// A process of its own (as a test process is) that starts a server, reports its folder and
// watchdog, and waits to be killed.
ServerProcess start_server_process() {
  const auto child = riskoff::testing::fork_with_pipe([](int report) {
    std::string why_not;
    const auto server = PgServer::start(why_not);
    if (!server) return 2;
    if (!riskoff::testing::write_line(report, server->folder() + " " + std::to_string(server->watchdog_pid()) + "\n")) {
      return 3;
    }
    for (;;) ::pause();
  });
  std::string line;
  char c = 0;
  while (::read(child.pipe_read, &c, 1) == 1 && c != '\n') line.push_back(c);
  ::close(child.pipe_read);
  INFO("the server process reported: " << line);
  REQUIRE(line.find(' ') != std::string::npos);
  return {child.pid, line.substr(0, line.find(' ')), std::stoi(line.substr(line.find(' ') + 1))};
}

pid_t postmaster_of(const std::string& folder) {
  std::ifstream in(folder + "/data/postmaster.pid");
  pid_t pid = -1;
  in >> pid;
  return pid;
}

void kill_and_reap(pid_t pid) {
  REQUIRE(::kill(pid, SIGKILL) == 0);
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

// A process that still runs: not gone, and not a zombie (PID 1 in a container may never reap one).
bool running(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("State:", 0) == 0) return line.find('Z') == std::string::npos;
  }
  return false;
}

// Waits up to 30 s for the postmaster to exit and the folder to go.
bool gone(pid_t postmaster, const std::string& folder) {
  for (int k = 0; k < 300; ++k) {
    if (!running(postmaster) && !std::filesystem::exists(folder)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST_CASE("a test server stops when its test process is SIGKILLed", "[pg][harness]") {
  RISKOFF_PG_SERVER(server);
  const ServerProcess test = start_server_process();
  const pid_t postmaster = postmaster_of(test.folder);
  REQUIRE(postmaster > 0);
  REQUIRE(running(postmaster));
  kill_and_reap(test.pid);
  INFO("postmaster " << postmaster << " in " << test.folder);
  CHECK(gone(postmaster, test.folder));
}

TEST_CASE("a stale test server, its watchdog killed too, is stopped by the next start", "[pg][harness]") {
  RISKOFF_PG_SERVER(server);
  const ServerProcess test = start_server_process();
  const pid_t postmaster = postmaster_of(test.folder);
  REQUIRE(postmaster > 0);
  REQUIRE(test.watchdog > 0);
  // The watchdog is in a session of its own, not this process's child: signalled by pid.
  REQUIRE(::kill(test.watchdog, SIGKILL) == 0);
  kill_and_reap(test.pid);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(running(postmaster));  // left running: stale
  CHECK(PgServer::stop_stale() >= 1);
  INFO("postmaster " << postmaster << " in " << test.folder);
  CHECK(gone(postmaster, test.folder));
  // This process's own server is not stale: it still answers.
  CHECK(riskoff::audit::AuditStore::open(server->create_database(), riskoff::OpenMode::kCreate)->verify().ok());
}
