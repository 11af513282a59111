#include "tests/support/run_process.hpp"

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace riskoff::test {
namespace {

// Output goes to unlinked temporary files rather than pipes: no deadlock however much the
// program prints on either stream, and no poll loop.
struct TempFile {
  int fd = -1;
  TempFile() {
    char name[] = "/tmp/riskoff-test-XXXXXX";
    fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file");
    unlink(name);
  }
  ~TempFile() {
    if (fd >= 0) close(fd);
  }
  std::string contents() const {
    std::string text;
    char buffer[65536];
    lseek(fd, 0, SEEK_SET);
    for (ssize_t got; (got = read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(got));
    return text;
  }
};

}  // namespace

ProcessOutput run_process(const std::string& program, const std::vector<std::string>& arguments) {
  TempFile out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd, STDERR_FILENO);
  std::vector<std::string> words{program};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + program);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  ProcessOutput output;
  output.stdout_text = out.contents();
  output.stderr_text = err.contents();
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return output;
}

}  // namespace riskoff::test
