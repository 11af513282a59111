// Semantic tokens: names coloured by what they are (from the document's index), units after
// numbers and built-in calls (from a small scan that skips comments and strings).
#include <algorithm>
#include <array>
#include <tuple>

#include "lsp/features.hpp"

namespace riskoff::lsp {

namespace {

// The legend's order is the protocol: a token's type is its index here.
enum TokenType : std::uint32_t { kVariable, kParameter, kEvent, kEnumMember, kClass, kFunction, kType, kProperty };
constexpr std::array<std::string_view, 8> kTokenTypes = {"variable", "parameter", "event",  "enumMember",
                                                         "class",    "function",  "type",   "property"};
constexpr std::uint32_t kDeclarationModifier = 1;  // bit 0: "declaration"

struct Token {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t type = kVariable;
  std::uint32_t modifiers = 0;
};

std::uint32_t token_type(IndexedKind kind) {
  switch (kind) {
    case IndexedKind::kInput: return kVariable;
    case IndexedKind::kParam: return kParameter;
    case IndexedKind::kLet: return kProperty;
    case IndexedKind::kSignal: return kEvent;
    case IndexedKind::kGroup: return kEnumMember;
    default: return kClass;
  }
}

bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// Units right after a number (`15bp`, `1.5%`, `5d`, `30 bars`) and built-in names before `(`.
void scan(std::string_view text, std::vector<Token>& tokens) {
  static const std::vector<BuiltinFunction> builtins = builtin_functions();
  std::uint32_t at = 0;
  const auto size = static_cast<std::uint32_t>(text.size());
  while (at < size) {
    const char c = text[at];
    if (c == '#') {
      while (at < size && text[at] != '\n') ++at;
    } else if (c == '"') {
      for (++at; at < size && text[at] != '"' && text[at] != '\n'; ++at) {
        if (text[at] == '\\' && at + 1 < size) ++at;
      }
      ++at;
    } else if (letter(c)) {
      const std::uint32_t begin = at;
      while (at < size && (letter(text[at]) || digit(text[at]) || text[at] == '.')) ++at;
      const std::string_view word = text.substr(begin, at - begin);
      std::uint32_t next = at;
      while (next < size && text[next] == ' ') ++next;
      const bool call = next < size && text[next] == '(';
      if (call && std::any_of(builtins.begin(), builtins.end(), [&](const auto& b) { return b.name == word; })) {
        tokens.push_back({begin, at, kFunction, 0});
      }
    } else if (digit(c)) {
      while (at < size && (digit(text[at]) || text[at] == '.' || text[at] == 'e' || text[at] == 'E' ||
                           ((text[at] == '+' || text[at] == '-') && (text[at - 1] == 'e' || text[at - 1] == 'E')))) {
        ++at;
      }
      std::uint32_t unit = at;
      if (unit < size && text[unit] == '%') {
        tokens.push_back({unit, unit + 1, kType, 0});
        at = unit + 1;
        continue;
      }
      while (unit < size && text[unit] == ' ') ++unit;
      std::uint32_t end = unit;
      while (end < size && letter(text[end])) ++end;
      const std::string_view suffix = text.substr(unit, end - unit);
      const bool attached = unit == at && (suffix == "bp" || suffix == "d" || suffix == "h");
      const bool spaced = suffix == "bars" || suffix == "usd";
      if (attached || spaced) {
        tokens.push_back({unit, end, kType, 0});
        at = end;
      }
    } else {
      ++at;
    }
  }
}

}  // namespace

json semantic_tokens_legend() {
  json types = json::array();
  for (const auto type : kTokenTypes) types.push_back(type);
  return {{"tokenTypes", types}, {"tokenModifiers", json::array({"declaration"})}};
}

json semantic_tokens(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex& index = workspace.index(document);
  std::vector<Token> tokens;
  for (const auto& symbol : index.symbols) {
    if (symbol.kind == IndexedKind::kTest) continue;  // a title: a string, coloured as one
    const std::uint32_t type = token_type(symbol.kind);
    if (same_file(symbol.declaration.file, document.path)) {
      tokens.push_back({symbol.declaration.begin, symbol.declaration.end, type, kDeclarationModifier});
    }
    for (const auto& reference : symbol.references) {
      if (same_file(reference.file, document.path)) tokens.push_back({reference.begin, reference.end, type, 0});
    }
  }
  scan(document.text, tokens);
  std::sort(tokens.begin(), tokens.end(), [](const Token& a, const Token& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
  // Relative encoding (line delta, start delta, length, type, modifiers); tokens never overlap
  // nor span lines.
  const TextLines lines(document.text);
  json data = json::array();
  Position previous;
  std::uint32_t last_end = 0;
  for (const auto& token : tokens) {
    if (token.begin < last_end || token.end <= token.begin) continue;
    const Position from = lines.position_of(token.begin);
    const Position to = lines.position_of(token.end);
    if (to.line != from.line) continue;
    data.push_back(from.line - previous.line);
    data.push_back(from.line == previous.line ? from.character - previous.character : from.character);
    data.push_back(to.character - from.character);
    data.push_back(token.type);
    data.push_back(token.modifiers);
    previous = from;
    last_end = token.end;
  }
  return {{"data", data}};
}

}  // namespace riskoff::lsp
