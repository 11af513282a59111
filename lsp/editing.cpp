// Completion, formatting (riskoff fmt), rename, quick fixes and diagnostics.
#include <algorithm>
#include <array>

#include "lsp/features.hpp"

namespace riskoff::lsp {

namespace {

// LSP CompletionItemKind numbers.
constexpr int kFunctionItem = 3;
constexpr int kVariableItem = 6;
constexpr int kClassItem = 7;
constexpr int kUnitItem = 11;
constexpr int kEnumMemberItem = 20;
constexpr int kConstantItem = 21;
constexpr int kEventItem = 23;

int completion_kind(IndexedKind kind) {
  switch (kind) {
    case IndexedKind::kParam: return kConstantItem;
    case IndexedKind::kSignal:
    case IndexedKind::kGroup: return kEventItem;
    case IndexedKind::kProfile: return kClassItem;
    default: return kVariableItem;
  }
}

bool is_value(IndexedKind kind) { return kind <= IndexedKind::kGroup; }

// The words that can never name a declaration (dsl/grammar.hpp, `keyword`).
constexpr std::array<std::string_view, 43> kKeywords = {
    "ruleset", "version", "import", "as_of", "as", "input", "series", "scalar", "optional", "max_age", "calendar",
    "param", "let", "signal", "because", "driver", "check", "regime", "group", "minutes", "profile", "decide",
    "when", "otherwise", "advice", "test", "given", "expect", "snapshot", "set", "and", "or", "not", "if",
    "then", "else", "true", "false", "is", "unknown", "missing", "age", "fixture"};

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name == "from" || name == "tests") return false;
  if (std::find(kKeywords.begin(), kKeywords.end(), name) != kKeywords.end()) return false;
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  return text;
}

json text_edit(std::string_view text, std::uint32_t begin, std::uint32_t end, std::string replacement) {
  return {{"range", Workspace::range_json(text, begin, end)}, {"newText", std::move(replacement)}};
}

json lsp_diagnostic(const RulesetIndex& index, const Workspace& workspace, std::string_view text, const IndexedDiagnostic& diagnostic) {
  const Problem& problem = diagnostic.problem;
  std::string message = problem.message;
  if (!problem.help.empty()) message += "\nhelp: " + problem.help;
  json out = {{"range", Workspace::range_json(text, diagnostic.range.begin, diagnostic.range.end)},
              {"severity", problem.is_error ? 1 : 2},
              {"code", problem.code},
              {"source", "riskoff"},
              {"message", message}};
  if (diagnostic.related) {
    if (auto location = workspace.location(index, *diagnostic.related)) {
      out["relatedInformation"] = json::array({{{"location", *location}, {"message", diagnostic.related_message}}});
    }
  }
  if (!diagnostic.replacement.empty()) out["data"] = {{"replacement", diagnostic.replacement}};
  return out;
}

}  // namespace

json diagnostics(Workspace& workspace, Document& document) {
  const RulesetIndex& index = workspace.index(document);
  json list = json::array();
  for (const auto& diagnostic : index.diagnostics) {
    if (same_file(diagnostic.range.file, document.path)) list.push_back(lsp_diagnostic(index, workspace, document.text, diagnostic));
  }
  return {{"uri", document.uri}, {"version", document.version}, {"diagnostics", list}};
}

json completion(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex& index = workspace.index(document);
  const std::uint32_t offset = Workspace::offset(document, params);
  const std::size_t line_start = document.text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t from = offset == 0 || line_start == std::string::npos ? 0 : line_start + 1;
  const std::string_view before = trimmed(std::string_view(document.text).substr(from, offset - from));
  json items = json::array();
  const auto add = [&](const std::string& label, int kind, const std::string& detail, const std::string& doc) {
    json item = {{"label", label}, {"kind", kind}};
    if (!detail.empty()) item["detail"] = detail;
    if (!doc.empty()) item["documentation"] = doc;
    items.push_back(std::move(item));
  };
  // After a number: its unit.
  if (!before.empty() && before.back() >= '0' && before.back() <= '9' &&
      word_at(document.text, offset).find_first_not_of("0123456789.") == std::string_view::npos) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kUnits = {{
        {"bp", "basis points: changes of percent levels"}, {"%", "percent: relative changes"},
        {"d", "days of calendar time"}, {"h", "hours of calendar time"}, {" bars", "a count of observations"},
        {" usd", "US dollars"}}};
    for (const auto& [unit, doc] : kUnits) {
      const std::string_view label = trimmed(unit);
      add(std::string(label), kUnitItem, "unit", std::string(doc));
      if (label != unit) items.back()["insertText"] = std::string(unit);  // `30 bars`: a space before
    }
    return items;
  }
  const bool expect_line = before.starts_with("expect ");
  if (expect_line && before.find("->") != std::string_view::npos) {
    for (const auto& action : index.actions) add(action, kEnumMemberItem, "action", "");
    return items;
  }
  for (const auto& symbol : index.symbols) {
    const bool wanted = expect_line ? symbol.kind == IndexedKind::kProfile || symbol.kind == IndexedKind::kSignal ||
                                          symbol.kind == IndexedKind::kGroup
                        : before.starts_with("given ") ? symbol.kind == IndexedKind::kInput
                        : before.starts_with("set ")   ? symbol.kind == IndexedKind::kParam
                                                       : is_value(symbol.kind);
    if (!wanted) continue;
    std::string detail = symbol.keyword;
    if (!symbol.type.empty()) detail += ", " + symbol.type;
    add(symbol.name, completion_kind(symbol.kind), detail, symbol.doc);
  }
  if (expect_line || before.starts_with("given ") || before.starts_with("set ")) return items;
  for (const auto& set : index.group_sets) add(set, kVariableItem, "the groups of one kind (inside any, all, count, at_least, score)", "");
  for (const auto& builtin : builtin_functions()) add(builtin.name, kFunctionItem, builtin.signature, builtin.doc);
  return items;
}

json formatting(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const FormatResult formatted = format_rules(document.text, document.path);
  json edits = json::array();
  // Text that does not parse is left alone: its diagnostics say why.
  if (formatted.ok() && *formatted.text != document.text) {
    edits.push_back(text_edit(document.text, 0, static_cast<std::uint32_t>(document.text.size()), *formatted.text));
  }
  return edits;
}

json range_formatting(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const FormatResult formatted = format_rules(document.text, document.path);
  json edits = json::array();
  if (!formatted.ok() || *formatted.text == document.text) return edits;
  // The formatter lays out whole files; the edit is the one block of whole lines where the
  // formatted text differs, given only when it touches the requested range.
  const std::string& old_text = document.text;
  const std::string& new_text = *formatted.text;
  std::size_t prefix = 0;
  while (prefix < old_text.size() && prefix < new_text.size() && old_text[prefix] == new_text[prefix]) ++prefix;
  prefix = prefix == 0 ? 0 : old_text.rfind('\n', prefix - 1) + 1;  // npos + 1 == 0
  std::size_t suffix = 0;
  while (suffix < old_text.size() - prefix && suffix < new_text.size() - prefix &&
         old_text[old_text.size() - 1 - suffix] == new_text[new_text.size() - 1 - suffix]) {
    ++suffix;
  }
  while (suffix > 0 && old_text[old_text.size() - suffix] != '\n') --suffix;
  if (suffix > 0) --suffix;  // keep the newline before the common tail in the block
  const std::uint32_t begin = static_cast<std::uint32_t>(prefix);
  const std::uint32_t end = static_cast<std::uint32_t>(old_text.size() - suffix);
  const TextLines lines(old_text);
  const json& range = params.at("range");
  const std::uint32_t asked_begin =
      lines.offset_of({range.at("start").at("line").get<std::uint32_t>(), range.at("start").at("character").get<std::uint32_t>()});
  const std::uint32_t asked_end =
      lines.offset_of({range.at("end").at("line").get<std::uint32_t>(), range.at("end").at("character").get<std::uint32_t>()});
  if (asked_end < begin || asked_begin > end) return edits;
  edits.push_back(text_edit(old_text, begin, end, new_text.substr(prefix, new_text.size() - suffix - prefix)));
  return edits;
}

json rename(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex& index = workspace.index(document);
  const std::string new_name = params.at("newName").get<std::string>();
  const std::uint32_t offset = Workspace::offset(document, params);
  const IndexedSymbol* symbol = nullptr;
  for (const auto& file : index.files) {
    if (same_file(file.path, document.path)) symbol = index.symbol_at(file.path, offset);
  }
  if (symbol == nullptr) throw RequestError(kRequestFailed, "no declared name here to rename");
  if (symbol->kind == IndexedKind::kTest) throw RequestError(kRequestFailed, "a test's title is text: edit it in place");
  if (!valid_name(new_name)) {
    throw RequestError(kRequestFailed, "`" + new_name + "` is not a name: a letter or `_`, then letters, digits or `_`, and no keyword");
  }
  const std::size_t dot = symbol->name.rfind('.');
  const std::string prefix = dot == std::string::npos ? std::string() : symbol->name.substr(0, dot + 1);
  for (const auto& other : index.symbols) {
    const bool same_space = is_value(other.kind) == is_value(symbol->kind) && (is_value(other.kind) || other.kind == symbol->kind);
    if (&other != symbol && same_space && other.name == prefix + new_name) {
      throw RequestError(kRequestFailed, "`" + new_name + "` is already declared (" + other.keyword + "): renaming would clash");
    }
  }
  json changes = json::object();
  const auto edit = [&](const TextRange& range) {
    const std::string* text = index.text_of(range.file);
    if (text == nullptr) return;
    changes[workspace.uri_for(range.file)].push_back(text_edit(*text, range.begin, range.end, new_name));
  };
  edit(symbol->declaration);
  for (const auto& reference : symbol->references) edit(reference);
  return {{"changes", changes}};
}

json code_actions(Workspace& workspace, const json& params) {
  Document& document = workspace.document(params);
  const RulesetIndex& index = workspace.index(document);
  const TextLines lines(document.text);
  const json& range = params.at("range");
  const std::uint32_t begin =
      lines.offset_of({range.at("start").at("line").get<std::uint32_t>(), range.at("start").at("character").get<std::uint32_t>()});
  const std::uint32_t end =
      lines.offset_of({range.at("end").at("line").get<std::uint32_t>(), range.at("end").at("character").get<std::uint32_t>()});
  json actions = json::array();
  for (const auto& diagnostic : index.diagnostics) {
    if (diagnostic.replacement.empty() || !same_file(diagnostic.range.file, document.path)) continue;
    if (diagnostic.range.end < begin || diagnostic.range.begin > end) continue;
    json edit = text_edit(document.text, diagnostic.range.begin, diagnostic.range.end, diagnostic.replacement);
    actions.push_back({{"title", "Change to `" + diagnostic.replacement + "`"},
                       {"kind", "quickfix"},
                       {"isPreferred", true},
                       {"diagnostics", json::array({lsp_diagnostic(index, workspace, document.text, diagnostic)})},
                       {"edit", {{"changes", {{document.uri, json::array({edit})}}}}}});
  }
  return actions;
}

}  // namespace riskoff::lsp
