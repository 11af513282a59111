// The real `riskoff serve` binary, started on a free port of 127.0.0.1 for one test and always
// stopped when the test ends (SIGKILL in the destructor if the test did not stop it), so a
// failing assertion never leaves a server running.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace riskoff::test {

class ServerProcess {
 public:
  // Starts `riskoff serve ARGS --listen 127.0.0.1:0` with stderr in `log_path`, and waits (up
  // to 60 s: sanitizer builds start slowly on a busy machine) for its "listening" line.
  // Throws std::runtime_error when it exits or never listens, with its log.
  ServerProcess(const std::vector<std::string>& arguments, std::string log_path);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  httplib::Client client() const;
  // Sends `signal_number` and waits for the exit; returns the exit code (128 + N if killed).
  int stop(int signal_number);
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

// A POST of JSON with an optional bearer token; the parsed body (null when it is not JSON).
struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string text;
  httplib::Headers headers;
};
Reply post_json(httplib::Client& client, const std::string& path, const std::string& body, const std::string& token = "");
Reply get(httplib::Client& client, const std::string& path);

// The token the tests give their servers (--token-file), and the shipped ruleset.
inline const std::string kToken = "test-token-0123456789abcdef";
inline const std::string kRuleset = std::string(RISKOFF_SOURCE_DIR) + "/rulesets/riskoff.rules";

// The body of POST /v1/decide for a snapshot file of the source tree.
std::string decide_body(const std::string& snapshot_file, const std::string& profile, bool record = false,
                        const std::vector<std::string>& formats = {});

}  // namespace riskoff::test
