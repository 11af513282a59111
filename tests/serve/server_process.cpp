#include "tests/serve/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace riskoff::test {

ServerProcess::ServerProcess(const std::vector<std::string>& arguments, std::string log_path)
    : log_path_(std::move(log_path)) {
  std::vector<std::string> argv_text{RISKOFF_BINARY, "serve"};
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  argv_text.insert(argv_text.end(), {"--listen", "127.0.0.1:0"});
  std::vector<char*> argv;
  for (auto& argument : argv_text) argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + argv_text[0]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::istringstream lines(log());
    for (std::string line; std::getline(lines, line);) {
      const auto event = nlohmann::json::parse(line, nullptr, false);
      if (event.is_object() && event.value("event", "") == "listening") {
        port_ = event.at("port").get<int>();
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("riskoff serve exited before listening:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  throw std::runtime_error("riskoff serve did not listen within 60 s:\n" + log());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

httplib::Client ServerProcess::client() const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(30, 0);  // a sanitizer build decides slowly under load
  return client;
}

int ServerProcess::stop(int signal_number) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal_number);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ServerProcess::log() const {
  std::ifstream in(log_path_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

Reply to_reply(const httplib::Result& result) {
  Reply reply;
  if (!result) return reply;  // status 0: no answer (connection refused or reset)
  reply.status = result->status;
  reply.text = result->body;
  reply.headers = result->headers;
  reply.body = nlohmann::json::parse(result->body, nullptr, false);
  return reply;
}

}  // namespace

Reply post_json(httplib::Client& client, const std::string& path, const std::string& body, const std::string& token) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  return to_reply(client.Post(path.c_str(), headers, body, "application/json"));
}

Reply get(httplib::Client& client, const std::string& path) { return to_reply(client.Get(path.c_str())); }

std::string decide_body(const std::string& snapshot_file, const std::string& profile, bool record,
                        const std::vector<std::string>& formats) {
  std::ifstream in(std::string(RISKOFF_SOURCE_DIR) + "/" + snapshot_file);
  nlohmann::json body;
  body["snapshot"] = nlohmann::json::parse(in);
  body["profile"] = profile;
  body["record"] = record;
  if (!formats.empty()) body["formats"] = formats;
  return body.dump();
}

}  // namespace riskoff::test
