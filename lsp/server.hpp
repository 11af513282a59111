// The language server's lifecycle and dispatch: one JSON-RPC message in, its replies and
// notifications out (written as they are made). Single-threaded: messages are handled in the
// order they arrive, so every answer reflects every change before it.
#pragma once

#include <cstdio>
#include <string>

#include "lsp/snapshot_values.hpp"
#include "lsp/transport.hpp"
#include "lsp/workspace.hpp"

namespace riskoff::lsp {

class Server {
 public:
  explicit Server(std::FILE* out) : out_(out) {}
  // Handles one frame from the client; bad frames and bad messages are answered with JSON-RPC
  // errors, never thrown.
  void handle(const Frame& frame);
  bool exited() const { return state_ == State::kExited; }
  // 0 after `shutdown` then `exit`; 1 when the client exits without shutdown or goes away.
  int exit_code() const { return shut_down_ ? 0 : 1; }

 private:
  enum class State : unsigned char { kStarting, kRunning, kShutDown, kExited };

  void handle_message(const json& message);
  json request(const std::string& method, const json& params);
  void notification(const std::string& method, const json& params);
  json execute_command(const json& params);
  void did_change(const json& params);
  void publish(Document& document);
  void send(const json& message);
  void send_error(const json& id, int code, const std::string& message);

  std::FILE* out_;
  State state_ = State::kStarting;
  bool shut_down_ = false;
  Workspace workspace_;
  SnapshotValues snapshot_values_;  // the configured snapshot and the decisions made on it
};

}  // namespace riskoff::lsp
