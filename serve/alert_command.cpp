#include "serve/alert_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <mutex>
#include <thread>

extern char** environ;  // NOLINT: POSIX declares it nowhere else

namespace riskoff::serve {
namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(int error) { return std::strerror(error); }

int milliseconds_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

// Writes `input` to `fd` (non-blocking) until it is all written, the reader closed its end, or
// the deadline passed. Returns false on the deadline.
bool feed(int fd, const std::string& input, Clock::time_point deadline) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  std::size_t written = 0;
  while (written < input.size()) {
    const int left = milliseconds_until(deadline);
    if (left == 0) return false;
    pollfd ready{fd, POLLOUT, 0};
    if (poll(&ready, 1, left) < 0 && errno != EINTR) return true;
    if ((ready.revents & (POLLERR | POLLHUP)) != 0) return true;  // it stopped reading: its choice
    const ssize_t count = write(fd, input.data() + written, input.size() - written);
    if (count < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return true;  // EPIPE: it exited or closed its input
    }
    written += static_cast<std::size_t>(count);
  }
  return true;
}

}  // namespace

std::optional<std::string> run_alert_command(const std::string& command, const std::string& input, int timeout_seconds) {
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
  const auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);

  int to_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) return "cannot make a pipe: " + errno_text(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);  // the copy is not close-on-exec
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group (killed whole on a timeout), no signal blocked (riskoff-serve blocks
  // SIGTERM in every thread to take it with sigwait) and SIGPIPE back to its default.
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int signal_number : {SIGPIPE, SIGTERM, SIGINT}) sigaddset(&defaults, signal_number);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  std::string shell_command = command;
  char shell[] = "sh";
  char dash_c[] = "-c";
  char* argv[] = {shell, dash_c, shell_command.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(to_child[0]);
  if (spawned != 0) {
    close(to_child[1]);
    return "cannot run /bin/sh: " + errno_text(spawned);
  }

  bool timed_out = !feed(to_child[1], input, deadline);
  close(to_child[1]);
  int status = 0;
  while (!timed_out) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return "lost the command: " + errno_text(errno);
    if (milliseconds_until(deadline) == 0) timed_out = true;
    else std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (timed_out) {
    kill(-pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return "timed out after " + std::to_string(timeout_seconds) + " s (killed)";
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 0) return std::nullopt;
    return "exit status " + std::to_string(WEXITSTATUS(status));
  }
  return "killed by signal " + std::to_string(WTERMSIG(status));
}

}  // namespace riskoff::serve
