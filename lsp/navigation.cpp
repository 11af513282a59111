// Hover, definition, references and symbols: read from the document's ruleset index.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "lsp/features.hpp"

namespace riskoff::lsp {

namespace {

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// LSP SymbolKind numbers.
int symbol_kind(IndexedKind kind) {
  switch (kind) {
    case IndexedKind::kInput: return 13;    // Variable
    case IndexedKind::kParam: return 14;    // Constant
    case IndexedKind::kLet: return 13;      // Variable
    case IndexedKind::kSignal: return 24;   // Event
    case IndexedKind::kGroup: return 23;    // Struct
    case IndexedKind::kProfile: return 5;   // Class
    case IndexedKind::kFixture: return 19;  // Object
    case IndexedKind::kTest: return 6;      // Method
  }
  return 13;
}

// What an author sees on hover: the declaration as written, its type, and its words.
std::string hover_text(const IndexedSymbol& symbol) {
  std::string head = symbol.keyword + " " + symbol.name;
  switch (symbol.kind) {
    case IndexedKind::kInput:
      head += " : " + symbol.value;
      if (symbol.optional) head += " optional";
      if (!symbol.max_age.empty()) head += " max_age " + symbol.max_age;
      break;
    case IndexedKind::kParam:
    case IndexedKind::kLet: head += " = " + symbol.value; break;
    case IndexedKind::kSignal:
    case IndexedKind::kGroup:
      if (!symbol.value.empty()) head += " = " + symbol.value;
      break;
    case IndexedKind::kTest: head = "test \"" + symbol.name + "\""; break;
    default: break;
  }
  std::string text = "```riskoff\n" + head + "\n```\n";
  if (!symbol.type.empty()) text += "\n" + std::string(indexed_kind_name(symbol.kind)) + ", " + symbol.type + "\n";
  if (!symbol.doc.empty()) {
    text += symbol.kind == IndexedKind::kParam ? "\nreason: " + symbol.doc + "\n" : "\n" + symbol.doc + "\n";
  }
  if (symbol.kind == IndexedKind::kInput) {
    text += symbol.max_age.empty() ? "\nnever stale" : "\nstale (unknown) when older than " + symbol.max_age;
    text += symbol.optional ? "; optional: missing makes what reads it unknown\n" : "; required by every decision\n";
  }
  return text;
}

const IndexedSymbol* symbol_at_position(Workspace& workspace, Document& document, const json& params,
                                        const RulesetIndex** index_out) {
  const RulesetIndex& index = workspace.index(document);
  *index_out = &index;
  const std::uint32_t offset = Workspace::offset(document, params);
  for (const auto& file : index.files) {
    if (same_file(file.path, document.path)) return index.symbol_at(file.path, offset);
  }
  return nullptr;
}

}  // namespace

bool same_file(std::string_view a, std::string_view b) {
  if (a == b) return true;
  return std::filesystem::path(a).lexically_normal() == std::filesystem::path(b).lexically_normal();
}

std::string_view word_at(std::string_view text, std::uint32_t offset, std::uint32_t* begin) {
  std::uint32_t from = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  std::uint32_t to = from;
  while (from > 0 && identifier_char(text[from - 1])) --from;
  while (to < text.size() && identifier_char(text[to])) ++to;
  if (begin != nullptr) *begin = from;
  return text.substr(from, to - from);
}

json hover(Workspace& workspace, SnapshotValues& values, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex* index = nullptr;
  if (const IndexedSymbol* symbol = symbol_at_position(workspace, document, params, &index)) {
    std::string text = hover_text(*symbol);
    // The ruleset's values, as a decision on the configured snapshot sees them.
    if (symbol->kind <= IndexedKind::kGroup && symbol->kind != IndexedKind::kParam) {
      text += snapshot_hover(values, document, symbol->name);
    }
    return {{"contents", {{"kind", "markdown"}, {"value", text}}}};
  }
  std::uint32_t begin = 0;
  const std::string_view word = word_at(document.text, Workspace::offset(document, params), &begin);
  for (const auto& builtin : builtin_functions()) {
    if (builtin.name != word) continue;
    return {{"contents", {{"kind", "markdown"}, {"value", "```riskoff\n" + builtin.signature + "\n```\n\nbuilt-in: " + builtin.doc + "\n"}}},
            {"range", Workspace::range_json(document.text, begin, begin + static_cast<std::uint32_t>(word.size()))}};
  }
  return nullptr;
}

json definition(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex* index = nullptr;
  const IndexedSymbol* symbol = symbol_at_position(workspace, document, params, &index);
  if (symbol == nullptr) return nullptr;
  return workspace.location(*index, symbol->declaration).value_or(json(nullptr));
}

json references(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex* index = nullptr;
  const IndexedSymbol* symbol = symbol_at_position(workspace, document, params, &index);
  if (symbol == nullptr) return nullptr;
  json out = json::array();
  const bool with_declaration = params.contains("context") && params["context"].value("includeDeclaration", false);
  if (with_declaration) {
    if (auto location = workspace.location(*index, symbol->declaration)) out.push_back(*location);
  }
  for (const auto& reference : symbol->references) {
    if (auto location = workspace.location(*index, reference)) out.push_back(*location);
  }
  return out;
}

json document_symbols(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex& index = workspace.index(document);
  json out = json::array();
  for (const auto& symbol : index.symbols) {
    if (!same_file(symbol.declaration.file, document.path)) continue;
    std::string detail = symbol.keyword;
    if (!symbol.type.empty()) detail += ", " + symbol.type;
    out.push_back({{"name", symbol.name},
                   {"detail", detail},
                   {"kind", symbol_kind(symbol.kind)},
                   {"range", Workspace::range_json(document.text, symbol.extent.begin, symbol.extent.end)},
                   {"selectionRange", Workspace::range_json(document.text, symbol.declaration.begin, symbol.declaration.end)}});
  }
  return out;
}

json workspace_symbols(Workspace& workspace, const json& params) {
  std::string query = params.value("query", std::string());
  const auto lower = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
  };
  query = lower(query);
  json out = json::array();
  std::vector<std::pair<std::string, std::uint32_t>> seen;  // a file's symbol once, however many indexes hold it
  for (auto& [uri, document] : workspace.documents()) {
    const RulesetIndex& index = workspace.index(document);
    for (const auto& symbol : index.symbols) {
      if (lower(symbol.name).find(query) == std::string::npos) continue;
      const std::pair<std::string, std::uint32_t> key{std::filesystem::path(symbol.declaration.file).lexically_normal().string(),
                                                      symbol.declaration.begin};
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      auto location = workspace.location(index, symbol.declaration);
      if (!location) continue;
      out.push_back({{"name", symbol.name}, {"kind", symbol_kind(symbol.kind)}, {"location", *location},
                     {"containerName", symbol.keyword}});
    }
  }
  return out;
}

}  // namespace riskoff::lsp
