// riskoff_pg_run COMMAND ARGS...: runs COMMAND with a test PostgreSQL server (pg_server.hpp)
// running, for tests in other languages (the Python package's audit tests): $RISKOFF_TEST_PG_DATABASES
// holds the URIs of 4 new, empty databases on it, separated by spaces. The server is stopped when
// COMMAND exits (or by its watchdog, when this process is killed). Exits with COMMAND's status;
// 77 (ctest's SKIP_RETURN_CODE) with the reason when the server binaries are absent, unless
// $RISKOFF_REQUIRE_PG is set: then 1.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "tests/support/pg_server.hpp"

int main(int argc, char* argv[]) {
  if (argc < 2) {
    std::cerr << "usage: riskoff_pg_run COMMAND [ARGS...]\n";
    return 2;
  }
  // The server's programs must not inherit a sanitizer runtime preloaded for COMMAND (the
  // Python tests preload ASan for the extension): PostgreSQL under it does not start.
  const char* preload = std::getenv("LD_PRELOAD");
  const std::string command_preload = preload != nullptr ? preload : "";
  ::unsetenv("LD_PRELOAD");
  try {
    std::string why_not;
    const auto server = riskoff::testing::PgServer::start(why_not);
    if (!server) {
      const char* required = std::getenv("RISKOFF_REQUIRE_PG");
      std::cerr << (required != nullptr && *required != '\0' ? "RISKOFF_REQUIRE_PG is set, but " : "skipped: ") << why_not << '\n';
      return required != nullptr && *required != '\0' ? 1 : 77;
    }
    std::string databases;
    for (int k = 0; k < 4; ++k) databases += (k == 0 ? "" : " ") + server->create_database();
    ::setenv("RISKOFF_TEST_PG_DATABASES", databases.c_str(), 1);
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("cannot fork");
    if (child == 0) {
      if (!command_preload.empty()) ::setenv("LD_PRELOAD", command_preload.c_str(), 1);
      ::execvp(argv[1], argv + 1);
      std::cerr << "riskoff_pg_run: cannot run " << argv[1] << '\n';
      ::_exit(127);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  } catch (const std::exception& e) {
    std::cerr << "riskoff_pg_run: " << e.what() << '\n';
    return 1;
  }
}
