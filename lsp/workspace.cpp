#include "lsp/workspace.hpp"

#include <filesystem>

namespace riskoff::lsp {

namespace {

constexpr std::string_view kFileScheme = "file://";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string path_of_uri(const std::string& uri) {
  if (!uri.starts_with(kFileScheme)) return uri;
  std::string path;
  for (std::size_t i = kFileScheme.size(); i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex_value(uri[i + 1]) >= 0 && hex_value(uri[i + 2]) >= 0) {
      path.push_back(static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2])));
      i += 2;
    } else {
      path.push_back(uri[i]);
    }
  }
  return std::filesystem::path(path).lexically_normal().string();
}

std::string uri_of_path(const std::string& path) {
  if (!path.starts_with('/')) return path;  // not a file: the URI it came from
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri(kFileScheme);
  for (const char c : std::filesystem::path(path).lexically_normal().string()) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      uri.push_back(c);
    } else {
      uri.push_back('%');
      uri.push_back(kHex[byte >> 4]);
      uri.push_back(kHex[byte & 15]);
    }
  }
  return uri;
}

Document& Workspace::open(const std::string& uri, std::string text, std::int64_t version) {
  Document& document = documents_[uri];
  document = {uri, path_of_uri(uri), std::move(text), version, std::nullopt};
  for (auto& [other_uri, other] : documents_) other.index.reset();  // an import may have changed
  return document;
}

void Workspace::close(const std::string& uri) {
  documents_.erase(uri);
  for (auto& [other_uri, other] : documents_) other.index.reset();
}

Document* Workspace::find(const std::string& uri) {
  const auto it = documents_.find(uri);
  return it == documents_.end() ? nullptr : &it->second;
}

Document& Workspace::document(const json& params) {
  const std::string uri = params.at("textDocument").at("uri").get<std::string>();
  Document* document = find(uri);
  if (document == nullptr) throw RequestError(kInvalidParams, "document `" + uri + "` is not open");
  return *document;
}

const RulesetIndex& Workspace::index(Document& document) {
  if (!document.index) {
    IndexOptions options;
    for (const auto& [uri, other] : documents_) {
      if (&other != &document) options.open_files.push_back({other.path, other.text});
    }
    document.index = index_rules(document.text, document.path, options);
  }
  return *document.index;
}

json Workspace::range_json(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  const TextLines lines(text);
  const Position from = lines.position_of(begin);
  const Position to = lines.position_of(end);
  return {{"start", {{"line", from.line}, {"character", from.character}}},
          {"end", {{"line", to.line}, {"character", to.character}}}};
}

std::optional<json> Workspace::location(const RulesetIndex& index, const TextRange& range) const {
  const std::string* text = index.text_of(range.file);
  if (text == nullptr) return std::nullopt;
  return json{{"uri", uri_for(range.file)}, {"range", range_json(*text, range.begin, range.end)}};
}

std::string Workspace::uri_for(std::string_view file) const {
  const std::string normal = std::filesystem::path(file).lexically_normal().string();
  for (const auto& [uri, document] : documents_) {
    if (document.path == file || document.path == normal) return uri;
  }
  return uri_of_path(std::string(file));
}

std::uint32_t Workspace::offset(const Document& document, const json& params) {
  const json& position = params.at("position");
  return TextLines(document.text)
      .offset_of({position.at("line").get<std::uint32_t>(), position.at("character").get<std::uint32_t>()});
}

}  // namespace riskoff::lsp
