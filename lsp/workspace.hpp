// The documents an editor has open, each with its text (kept in step with every change) and
// the ruleset index of that text (riskoff/authoring.hpp), rebuilt when the text changes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "lsp/text.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff::lsp {

using json = nlohmann::json;

// A request the server refuses, answered with a JSON-RPC error (`code`, the message as is).
struct RequestError : std::runtime_error {
  RequestError(int error_code, const std::string& message) : std::runtime_error(message), code(error_code) {}
  int code;
};
inline constexpr int kInvalidParams = -32602;
inline constexpr int kRequestFailed = -32803;

struct Document {
  std::string uri;
  std::string path;  // the file the URI names: what the index calls it
  std::string text;
  std::int64_t version = 0;
  std::optional<RulesetIndex> index;  // empty when the text changed since it was built
};

// `file:///a%20b/x.rules` <-> `/a b/x.rules`. Another scheme keeps the URI as its "path".
std::string path_of_uri(const std::string& uri);
std::string uri_of_path(const std::string& path);

class Workspace {
 public:
  Document& open(const std::string& uri, std::string text, std::int64_t version);
  void close(const std::string& uri);
  Document* find(const std::string& uri);
  // The document a request's params.textDocument.uri names; RequestError when it is not open.
  Document& document(const json& params);
  // The index of the document's current text (and of every other open document's, for imports).
  const RulesetIndex& index(Document& document);
  std::map<std::string, Document>& documents() { return documents_; }

  // The URI of `file`: an open document's own URI when it is one, else a file:// URI.
  std::string uri_for(std::string_view file) const;
  // An LSP Location / Range for a range of the index; nullopt when its file was not read.
  std::optional<json> location(const RulesetIndex& index, const TextRange& range) const;
  static json range_json(std::string_view text, std::uint32_t begin, std::uint32_t end);
  // The byte offset of params.position in the document.
  static std::uint32_t offset(const Document& document, const json& params);

 private:
  std::map<std::string, Document> documents_;  // by URI
};

}  // namespace riskoff::lsp
