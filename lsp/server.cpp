#include "lsp/server.hpp"

#include "lsp/features.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::lsp {

namespace {

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;

json capabilities() {
  return {{"positionEncoding", "utf-16"},
          {"textDocumentSync", {{"openClose", true}, {"change", 2}}},  // 2: incremental
          {"hoverProvider", true},
          {"definitionProvider", true},
          {"referencesProvider", true},
          {"documentSymbolProvider", true},
          {"workspaceSymbolProvider", true},
          {"completionProvider", {{"triggerCharacters", json::array({".", ">"})}}},
          {"documentFormattingProvider", true},
          {"documentRangeFormattingProvider", true},
          {"renameProvider", true},
          {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}}},
          {"semanticTokensProvider", {{"legend", semantic_tokens_legend()}, {"full", true}}},
          {"codeLensProvider", json::object()},
          {"executeCommandProvider",
           {{"commands", json::array({std::string(kRunTestCommand), std::string(kEvaluateProfileCommand)})}}}};
}

}  // namespace

void Server::send(const json& message) {
  // Replacement characters for bytes that are not UTF-8 (a rule file's text may hold any):
  // an answer is always valid JSON.
  write_frame(out_, message.dump(-1, ' ', false, json::error_handler_t::replace));
}

void Server::send_error(const json& id, int code, const std::string& message) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

void Server::handle(const Frame& frame) {
  switch (frame.status) {
    case Frame::Status::kEnd: state_ = State::kExited; return;
    case Frame::Status::kBadHeader:
    case Frame::Status::kTooLarge: send_error(nullptr, kInvalidRequest, frame.error); return;
    case Frame::Status::kMessage: break;
  }
  json message = json::parse(frame.body, nullptr, false);
  if (message.is_discarded()) {
    send_error(nullptr, kParseError, "the message is not JSON");
    return;
  }
  handle_message(message);
}

void Server::handle_message(const json& message) {
  const bool has_id = message.is_object() && message.contains("id") &&
                      (message["id"].is_number_integer() || message["id"].is_string());
  const json id = has_id ? message["id"] : json(nullptr);
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    // A response to nothing we asked, or not a JSON-RPC message at all.
    if (message.is_object() && has_id && (message.contains("result") || message.contains("error"))) return;
    send_error(id, kInvalidRequest, "a JSON-RPC request is an object with a string `method`");
    return;
  }
  const std::string method = message["method"].get<std::string>();
  const json params = message.contains("params") ? message["params"] : json::object();
  if (!has_id) {
    if (message.contains("id")) {
      send_error(nullptr, kInvalidRequest, "`id` must be a number or a string");
      return;
    }
    try {
      notification(method, params);
    } catch (const std::exception&) {
      // A notification has no answer; a malformed one changes nothing.
    }
    return;
  }
  if (state_ == State::kStarting && method != "initialize") {
    send_error(id, kServerNotInitialized, "the server is not initialized: send `initialize` first");
    return;
  }
  if (state_ == State::kShutDown) {
    send_error(id, kInvalidRequest, "the server is shut down: only `exit` is expected");
    return;
  }
  try {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"result", request(method, params)}});
  } catch (const RequestError& error) {
    send_error(id, error.code, error.what());
  } catch (const json::exception& error) {
    send_error(id, kInvalidParams, std::string("invalid params for `") + method + "`: " + error.what());
  } catch (const std::exception& error) {
    send_error(id, kInternalError, std::string("`") + method + "` failed: " + error.what());
  }
}

json Server::request(const std::string& method, const json& params) {
  if (method == "initialize") {
    state_ = State::kRunning;
    snapshot_values_.initialize(params);
    return {{"capabilities", capabilities()},
            {"serverInfo", {{"name", "riskoff-lsp"}, {"version", std::string(library_version())}}}};
  }
  if (method == "shutdown") {
    state_ = State::kShutDown;
    shut_down_ = true;
    return nullptr;
  }
  if (method == "textDocument/hover") return hover(workspace_, snapshot_values_, params);
  if (method == "textDocument/definition") return definition(workspace_, params);
  if (method == "textDocument/references") return references(workspace_, params);
  if (method == "textDocument/documentSymbol") return document_symbols(workspace_, params);
  if (method == "workspace/symbol") return workspace_symbols(workspace_, params);
  if (method == "textDocument/completion") return completion(workspace_, params);
  if (method == "textDocument/formatting") return formatting(workspace_, params);
  if (method == "textDocument/rangeFormatting") return range_formatting(workspace_, params);
  if (method == "textDocument/rename") return rename(workspace_, params);
  if (method == "textDocument/codeAction") return code_actions(workspace_, params);
  if (method == "textDocument/semanticTokens/full") return semantic_tokens(workspace_, params);
  if (method == "textDocument/codeLens") return code_lenses(workspace_, snapshot_values_, params);
  if (method == "workspace/executeCommand") return execute_command(params);
  throw RequestError(kMethodNotFound, "unknown method `" + method + "`");
}

json Server::execute_command(const json& params) {
  const std::string command = params.at("command").get<std::string>();
  json outcome;
  int type = 3;  // Info; 1: Error (a failing test)
  if (command == kRunTestCommand) {
    outcome = run_test(params.at("arguments"));
    if (!outcome["passed"].get<bool>()) type = 1;
  } else if (command == kEvaluateProfileCommand) {
    outcome = evaluate_profile(workspace_, snapshot_values_, params.at("arguments"));
  } else {
    throw RequestError(kInvalidParams, "unknown command `" + command + "`");
  }
  send({{"jsonrpc", "2.0"}, {"method", "window/showMessage"}, {"params", {{"type", type}, {"message", outcome["message"]}}}});
  return outcome;
}

void Server::notification(const std::string& method, const json& params) {
  if (method == "exit") {
    state_ = State::kExited;
    return;
  }
  if (state_ != State::kRunning) return;
  if (method == "textDocument/didOpen") {
    const json& item = params.at("textDocument");
    Document& document = workspace_.open(item.at("uri").get<std::string>(), item.at("text").get<std::string>(),
                                         item.value("version", std::int64_t{0}));
    publish(document);
  } else if (method == "textDocument/didChange") {
    did_change(params);
  } else if (method == "workspace/didChangeConfiguration") {
    snapshot_values_.configure(params.value("settings", json::object()));
  } else if (method == "textDocument/didClose") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    workspace_.close(uri);
    snapshot_values_.forget(uri);
    send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"},
          {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
  }
  // Other notifications (initialized, $/cancelRequest, didSave, ...) need nothing.
}

void Server::did_change(const json& params) {
  Document& document = workspace_.document(params);
  // Applied to a copy: a malformed change in the list leaves the document as it was.
  std::string text = document.text;
  for (const auto& change : params.at("contentChanges")) {
    const std::string replacement = change.at("text").get<std::string>();
    if (!change.contains("range")) {
      text = replacement;
      continue;
    }
    const json& range = change.at("range");
    apply_change(text,
                 {range.at("start").at("line").get<std::uint32_t>(), range.at("start").at("character").get<std::uint32_t>()},
                 {range.at("end").at("line").get<std::uint32_t>(), range.at("end").at("character").get<std::uint32_t>()},
                 replacement);
  }
  document.text = std::move(text);
  document.version = params.at("textDocument").value("version", document.version);
  for (auto& [uri, other] : workspace_.documents()) other.index.reset();
  publish(document);
}

void Server::publish(Document& document) {
  send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", diagnostics(workspace_, document)}});
}

}  // namespace riskoff::lsp
