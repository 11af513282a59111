#include "tests/support/pg_server.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>

namespace riskoff::testing {

namespace {

std::string find_bin() {
  if (const char* bin = std::getenv("RISKOFF_PG_BIN"); bin != nullptr && *bin != '\0') return bin;
  for (const char* version : {"17", "16", "15"}) {
    const std::string bin = std::string("/usr/lib/postgresql/") + version + "/bin";
    if (::access((bin + "/initdb").c_str(), X_OK) == 0) return bin;
  }
  return {};
}

// The start time of process `pid` (field 22 of /proc/PID/stat, clock ticks since boot): with the
// pid, it names a process even after its pid is reused. Empty when there is no such process.
std::string start_time_of(unsigned pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  const auto name_end = text.rfind(')');  // the command name may hold spaces and parentheses
  if (name_end == std::string::npos) return {};
  std::istringstream fields(text.substr(name_end + 2));
  std::string field;
  // Fields from the third (state); the start time is the 22nd.
  for (int k = 3; k <= 22 && fields >> field; ++k) {
    if (k == 3 && field == "Z") return {};  // a zombie has stopped running: gone
  }
  return field;
}

// The watchdog: polls for the owner once a second (it runs as the server's user, which may not
// signal a root owner, so it looks in /proc), then stops the server as a crash would and removes
// the folder. Its arguments: owner pid, bin folder, server folder.
constexpr const char* kWatchdogScript =
    "while [ -e /proc/$1 ] && ! grep -q '^State:[[:space:]]*Z' /proc/$1/status 2>/dev/null; do sleep 1; done;"
    " \"$2/pg_ctl\" -D \"$3/data\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$3\"";

}  // namespace

PgServer::PgServer(std::string bin, std::string folder, unsigned uid, unsigned gid)
    : bin_(std::move(bin)), folder_(std::move(folder)), uid_(uid), gid_(gid) {}

std::unique_ptr<PgServer> PgServer::start(std::string& why_not) {
  const std::string bin = find_bin();
  if (bin.empty() || ::access((bin + "/initdb").c_str(), X_OK) != 0 || ::access((bin + "/pg_ctl").c_str(), X_OK) != 0) {
    why_not = "no PostgreSQL server binaries (initdb, pg_ctl) in $RISKOFF_PG_BIN or /usr/lib/postgresql/*/bin "
              "(Debian: postgresql-15; scripts/install-deps test)";
    return nullptr;
  }
  stop_stale();
  // Root may not run PostgreSQL: hand the folder to an unprivileged user.
  unsigned uid = ::geteuid();
  unsigned gid = ::getegid();
  if (uid == 0) {
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) user = ::getpwnam("nobody");
    if (user == nullptr) throw std::runtime_error("running as root, and neither a `postgres` nor a `nobody` user to run PostgreSQL as");
    uid = user->pw_uid;
    gid = user->pw_gid;
  }
  // Short: a Unix socket path has at most 107 bytes.
  char pattern[] = "/tmp/riskoff-pg-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot create a folder for PostgreSQL under /tmp");
  const std::string folder = pattern;
  if (::chown(folder.c_str(), uid, gid) != 0 || ::chmod(folder.c_str(), 0700) != 0) {
    std::filesystem::remove_all(folder);
    throw std::runtime_error("cannot hand " + folder + " to the PostgreSQL user");
  }
  std::unique_ptr<PgServer> server(new PgServer(bin, folder, uid, gid));
  // Watched from before initdb: a process killed while initdb runs leaves no folder either.
  server->watch(static_cast<unsigned>(::getpid()));
  if (server->run("initdb", {"-D", folder + "/data", "-U", "riskoff", "-A", "trust", "-E", "UTF8", "--locale=C",
                             "--no-sync", "--no-instructions"}) != 0) {
    throw std::runtime_error("initdb failed: " + server->log_tail());
  }
  server->start_again();
  return server;
}

PgServer::~PgServer() {
  if (running_) run("pg_ctl", {"-D", folder_ + "/data", "-m", "immediate", "-w", "stop"});
  if (watchdog_ > 0) ::kill(watchdog_, SIGTERM);  // not this process's child: init reaps it
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

void PgServer::watch(unsigned owner_pid) {
  const std::string start_time = start_time_of(owner_pid);
  std::ofstream(folder_ + "/owner") << owner_pid << ' ' << start_time << '\n';
  // Everything the child needs is made before the fork: after it, only system calls.
  const std::string owner = std::to_string(owner_pid);
  std::vector<std::string> words{"/bin/sh", "-c", kWatchdogScript, "riskoff-pg-watchdog", owner, bin_, folder_};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  // Forked twice, so that it is not the test process's descendant: ctest, on a timeout, kills
  // the test and every process whose parent chain leads to it (as it found the watchdog while
  // it was a child). Its pid comes back on a pipe.
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("cannot make a pipe for the PostgreSQL server's watchdog");
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("cannot fork the PostgreSQL server's watchdog");
  if (child == 0) {
    ::setsid();  // and out of the test's process group and session
    const pid_t watchdog = ::fork();
    if (watchdog != 0) {
      (void)!::write(fds[1], &watchdog, sizeof watchdog);
      ::_exit(0);
    }
    const int null = ::open("/dev/null", O_RDWR);
    if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(null, 1) < 0 || ::dup2(null, 2) < 0) ::_exit(126);
    ::close_range(3, ~0U, 0);  // no descriptor of the test's: a pipe held open keeps its reader waiting
    if (::getuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(gid_) != 0 || ::setuid(uid_) != 0)) ::_exit(126);
    ::execv("/bin/sh", argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  pid_t watchdog = -1;
  if (::read(fds[0], &watchdog, sizeof watchdog) != static_cast<ssize_t>(sizeof watchdog)) watchdog = -1;
  ::close(fds[0]);
  while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
  }
  watchdog_ = watchdog;
}

int PgServer::stop_stale() {
  const std::string bin = find_bin();
  if (bin.empty()) return 0;
  int stopped = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/tmp", error)) {
    const std::string folder = entry.path().string();
    if (entry.path().filename().string().rfind("riskoff-pg-", 0) != 0) continue;
    std::ifstream owner_file(folder + "/owner");
    unsigned pid = 0;
    std::string start_time;
    if (!(owner_file >> pid >> start_time)) continue;  // not this harness's, or being written now
    if (start_time_of(pid) == start_time) continue;    // its test still runs
    struct stat info {};
    if (::stat(folder.c_str(), &info) != 0) continue;
    // As its own user, as it was started; the destructor stops it and removes the folder.
    PgServer stale(bin, folder, info.st_uid, info.st_gid);
    stale.running_ = ::access((folder + "/data/postmaster.pid").c_str(), F_OK) == 0;
    ++stopped;
  }
  return stopped;
}

int PgServer::run(const std::string& program, const std::vector<std::string>& arguments) const {
  const std::string path = bin_ + "/" + program;
  std::vector<std::string> words{path};
  words.insert(words.end(), arguments.begin(), arguments.end());
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("cannot fork to run " + program);
  if (child == 0) {
    // The child: become the server's user (group first, while still allowed), log to the folder.
    if (::getuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(gid_) != 0 || ::setuid(uid_) != 0)) ::_exit(126);
    if (::chdir(folder_.c_str()) != 0) ::_exit(126);
    const int log = ::open("tool.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int null = ::open("/dev/null", O_RDONLY);
    if (log < 0 || null < 0 || ::dup2(null, 0) < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0) ::_exit(126);
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    ::execv(path.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string PgServer::log_tail() const {
  std::ostringstream text;
  for (const char* name : {"/tool.log", "/server.log"}) {
    std::ifstream in(folder_ + name);
    text << name << ":\n" << in.rdbuf() << '\n';
  }
  return text.str();
}

void PgServer::start_again() {
  // No TCP (listen_addresses empty): only the socket in the folder. fsync off: a test server's
  // data need only survive the server being stopped, not the machine.
  const std::string options = "-k " + folder_ + " -c listen_addresses= -c fsync=off -c full_page_writes=off"
                              " -c max_connections=40 -c shared_buffers=16MB";
  if (run("pg_ctl", {"-D", folder_ + "/data", "-l", folder_ + "/server.log", "-o", options, "-w", "-t", "30", "start"}) != 0) {
    throw std::runtime_error("PostgreSQL did not start: " + log_tail());
  }
  running_ = true;
}

void PgServer::stop(bool immediate) {
  run("pg_ctl", {"-D", folder_ + "/data", "-m", immediate ? "immediate" : "fast", "-w", "stop"});
  running_ = false;
}

std::string PgServer::uri(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + folder_ + "&user=riskoff";
}

std::string PgServer::create_database() {
  const std::string name = "audit_" + std::to_string(++databases_);
  pqxx::connection connection(uri());
  pqxx::nontransaction work(connection);
  work.exec0("CREATE DATABASE " + name);
  return uri(name);
}

}  // namespace riskoff::testing
