// Text -> parse tree (PEGTL) -> AST. PEGTL and its parse_error stay inside this file.
//
// Declarations are parsed one at a time so that a syntax error costs only the declaration it
// is in: after an error the parser resumes at the next line that starts (in column 1) with a
// declaration keyword, and the diagnostics of the whole file are reported in one run.
#include "dsl/parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <charconv>
#include <optional>
#include <cmath>
#include <cstring>
#include <string>
#include <tao/pegtl/contrib/limit_depth.hpp>
#include <type_traits>

#include "dsl/grammar.hpp"
#include "dsl/json_text.hpp"
#include "dsl/lower.hpp"
#include "dsl/messages.hpp"
#include "dsl/tree_control.hpp"

namespace riskoff::dsl {
namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;
using detail::LowerError;
using detail::Lowerer;
using detail::Tree;

template <typename Rule>
struct depth_action : pegtl::limit_depth<kMaxParserDepth> {};


template <typename Rule>
using control = detail::tree_control<Rule>;

// One rule file's header, or one declaration, each parsed on its own.
struct header_part : pegtl::seq<g::sp, pegtl::must<g::file_header>> {};
struct declaration_part : pegtl::seq<g::sp, pegtl::must<g::expect_declaration>> {};

std::size_t first_control_character(std::string_view text) {
  const auto is_control = [](unsigned char byte) {
    return (byte < 0x20 && byte != '\n' && byte != '\r' && byte != '\t') || byte == 0x7F;
  };
  constexpr std::uint64_t kOnes = 0x0101010101010101U;
  constexpr std::uint64_t kHigh = 0x8080808080808080U;
  std::size_t at = 0;
  for (; at + sizeof(std::uint64_t) <= text.size(); at += sizeof(std::uint64_t)) {
    // Whole words with no byte below 0x20 and none 0x7F pass at once; the rest byte by byte
    // (line breaks fall in about one word of eight).
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + at, sizeof word);
    const std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;
    const std::uint64_t del = word ^ (kOnes * 0x7F);
    const std::uint64_t is_del = (del - kOnes) & ~del & kHigh;
    if ((below_space | is_del) == 0) continue;
    for (std::size_t k = 0; k < sizeof(std::uint64_t); ++k) {
      if (is_control(static_cast<unsigned char>(text[at + k]))) return at + k;
    }
  }
  for (; at < text.size(); ++at) {
    if (is_control(static_cast<unsigned char>(text[at]))) return at;
  }
  return std::string_view::npos;
}

// A table of the bytes in `bytes`, for scans that skip everything else.
constexpr std::array<bool, 256> stops(std::string_view bytes) {
  std::array<bool, 256> table{};
  for (const char byte : bytes) table[static_cast<unsigned char>(byte)] = true;
  return table;
}

// Whether a declaration keyword starts at `at`, in column 1 (where recovery may resume).
bool starts_declaration(std::string_view text, std::size_t at) {
  static constexpr std::string_view kKeywords[] = {"import", "input",   "param", "let",     "signal", "driver", "check",
                                                    "regime", "group",   "profile", "test", "fixture", "tests"};
  if (at > 0 && text[at - 1] != '\n') return false;
  for (const auto keyword : kKeywords) {
    if (text.substr(at, keyword.size()) != keyword) continue;
    const std::size_t after = at + keyword.size();
    if (after >= text.size() || text[after] == ' ' || text[after] == '\t' || text[after] == '\n' ||
        text[after] == '\r' || text[after] == '"') {
      return true;
    }
  }
  return false;
}

// The name a declaration at `from` declares (after blanks and comments), if it can be read:
// `signal rates_up ...` -> rates_up; `check 1 macro ...` -> macro.
std::optional<std::pair<std::string, Span>> declared_name(std::string_view text, std::size_t from) {
  std::size_t at = from;
  auto skip_trivia = [&] {
    while (at < text.size()) {
      if (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n') ++at;
      else if (text[at] == '#') at = std::min(text.size(), text.find('\n', at) == std::string_view::npos ? text.size() : text.find('\n', at));
      else break;
    }
  };
  auto word = [&] {
    const std::size_t start = at;
    while (at < text.size() && (std::isalnum(static_cast<unsigned char>(text[at])) || text[at] == '_')) ++at;
    return text.substr(start, at - start);
  };
  skip_trivia();
  const std::string_view keyword = word();
  static constexpr std::string_view kNaming[] = {"input", "param", "let", "signal", "driver", "regime", "group", "check"};
  if (std::find(std::begin(kNaming), std::end(kNaming), keyword) == std::end(kNaming)) return std::nullopt;
  skip_trivia();
  if (keyword == "check") {
    word();  // the step number
    skip_trivia();
  }
  const std::size_t start = at;
  const std::string_view name = word();
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return std::nullopt;
  return std::make_pair(std::string(name), Span{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(at)});
}

// The first line after the one holding `from` that starts with a declaration keyword.
std::size_t next_declaration_line(std::string_view text, std::size_t from) {
  for (std::size_t line = text.find('\n', from); line != std::string_view::npos; line = text.find('\n', line + 1)) {
    if (starts_declaration(text, line + 1)) return line + 1;
  }
  return std::string_view::npos;
}

bool is_keyword_at(std::string_view text, std::size_t at) {
  pegtl::memory_input in(text.data() + at, text.data() + text.size(), "");
  try {
    return pegtl::parse<g::keyword>(in);
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

// What a user coming from another language typed where the parse failed, and how riskoff
// spells it. Checked on the text at the failure, so the grammar stays free of wrong spellings.
struct Misspelling {
  DiagCode code = DiagCode::kSyntax;
  Span span;
  std::string message;
  std::string help;
};

bool is_word_char(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }

// `=<`, `=>`, `&&`, `||`, `!` and (where a comparison may continue) `=`.
std::optional<Misspelling> foreign_operator(std::string_view text, std::size_t at, DiagCode code) {
  struct Spelling {
    std::string_view typed, meant;
  };
  static constexpr Spelling kSpellings[] = {{"=<", "<="}, {"=>", ">="}, {"&&", "and"}, {"||", "or"}, {"!", "not"}, {"=", "=="}};
  for (const auto& [typed, meant] : kSpellings) {
    if (text.substr(at, typed.size()) != typed) continue;
    const char after = at + typed.size() < text.size() ? text[at + typed.size()] : '\0';
    if (typed == "!" && after == '=') return std::nullopt;  // `!=` is riskoff's own
    // A lone `=` only where an expression stopped (a declaration or a bracket was expected):
    // after `let x` it is the language's own `=`.
    if (typed == "=" && (after == '=' || !(code == DiagCode::kExpectedDeclaration || code == DiagCode::kExpectedClose))) {
      return std::nullopt;
    }
    Misspelling found;
    found.code = DiagCode::kForeignOperator;
    found.span = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + typed.size())};
    found.message = "unknown operator `" + std::string(typed) + "`";
    found.help = "did you mean `" + std::string(meant) + "`?";
    if (typed == "=") found.help += " (`=` only names a value: `let x = ...`)";
    return found;
  }
  return std::nullopt;
}

// A number followed by a unit riskoff does not spell that way: `3days`, `3 days`, `2w`, `5hours`.
std::optional<Misspelling> foreign_unit(std::string_view text, std::size_t at) {
  std::size_t end = at;
  while (end < text.size() && is_word_char(text[end])) ++end;
  std::string word(text.substr(at, end - at));
  for (auto& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::size_t number_end = at;
  while (number_end > 0 && (text[number_end - 1] == ' ' || text[number_end - 1] == '\t')) --number_end;
  std::size_t number_start = number_end;
  while (number_start > 0 && (std::isdigit(static_cast<unsigned char>(text[number_start - 1])) || text[number_start - 1] == '.')) {
    --number_start;
  }
  if (word.empty() || number_start == number_end || (number_start > 0 && is_word_char(text[number_start - 1]))) {
    return std::nullopt;
  }
  const std::string number(text.substr(number_start, number_end - number_start));
  std::string meant;
  if (word == "day" || word == "days") meant = number + "d";
  else if (word == "hour" || word == "hours" || word == "hr" || word == "hrs") meant = number + "h";
  else if (word == "bar") meant = number + "bars";
  else if (word == "bps" || word == "bip" || word == "bips") meant = number + "bp";
  else if (word == "pct" || word == "percent") meant = number + "%";
  else if (word == "w" || word == "wk" || word == "wks" || word == "week" || word == "weeks") {
    long weeks = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), weeks);
    if (ec != std::errc() || ptr != number.data() + number.size() || weeks > 100000) return std::nullopt;
    meant = std::to_string(weeks * 7) + "d";
  } else {
    return std::nullopt;
  }
  Misspelling found;
  found.code = DiagCode::kInvalidNumber;
  found.span = {static_cast<std::uint32_t>(number_start), static_cast<std::uint32_t>(end)};
  found.message = "unknown unit `" + std::string(text.substr(at, end - at)) + "`";
  found.help = "did you mean `" + meant + "`? (units are %, bp, usd, d, h, bars, written right after the number)";
  return found;
}

// Returns true when the error was a spelling from another language (E0114, or a unit as in prose).
bool report_parse_error(const pegtl::parse_error& error, std::string_view text, std::size_t base, SourceId source,
                        DiagnosticSink& sink) {
  std::size_t at = base + error.positions().front().byte;
  std::string_view message = error.message();
  {
    // What stands where the parse failed (blanks on the same line skipped) may be a spelling
    // from another language; if so, that is the one diagnostic to give.
    std::size_t token = at;
    while (token < text.size() && (text[token] == ' ' || text[token] == '\t')) ++token;
    const auto bar = message.find('|');
    const DiagCode failed = bar == std::string_view::npos ? DiagCode::kSyntax
                                                          : static_cast<DiagCode>(std::atoi(std::string(message.substr(0, bar)).c_str()));
    auto found = foreign_operator(text, token, failed);
    if (!found) found = foreign_unit(text, token);
    if (found) {
      sink.error(found->code, source, found->span, std::move(found->message)).help = std::move(found->help);
      return true;
    }
  }
  // Something missing at the end of a line (an operand, a closing bracket, `=`, a string) is
  // reported right after the last thing written, where the user has to type. Errors about
  // what starts the next line (a stray word, a bad step or clause) stay on that word.
  const bool continuation = message.starts_with("100|") || message.starts_with("102|") || message.starts_with("103|") ||
                            message.starts_with("104|") || message.starts_with("106|") || message.starts_with("110|") ||
                            message.starts_with("108|") || message.starts_with("112|expected `when");
  if (continuation) {
    std::size_t back = at;
    while (back > 0 && (text[back - 1] == ' ' || text[back - 1] == '\t' || text[back - 1] == '\r' || text[back - 1] == '\n')) {
      --back;
    }
    if (back > 0 && back < at && text.substr(back, at - back).find('\n') != std::string_view::npos) at = back;
  }
  DiagCode code = DiagCode::kSyntax;
  std::string text_message;
  if (message == "maximum parser rule nesting depth exceeded") {
    code = DiagCode::kNestingTooDeep;
    text_message = "expression is nested too deeply";
  } else if (const auto bar = message.find('|'); bar != std::string_view::npos) {
    code = static_cast<DiagCode>(std::stoi(std::string(message.substr(0, bar))));
    text_message = std::string(message.substr(bar + 1));
  } else {
    text_message = "unexpected input here";
  }
  // Refine where the text at the error position says more than the rule that failed.
  std::string help;
  if (code == DiagCode::kUnterminatedString && at < text.size() && text[at] == '\\') {
    code = DiagCode::kInvalidEscape;
    text_message = "invalid escape in string";
    help = "only `\\\"` and `\\\\` are escapes; write other characters as they are";
  } else if ((code == DiagCode::kExpectedName || code == DiagCode::kExpectedDeclaration) && is_keyword_at(text, at)) {
    std::size_t end = at;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    if (code == DiagCode::kExpectedName) {
      code = DiagCode::kReservedWord;
      text_message = "`" + std::string(text.substr(at, end - at)) + "` is a reserved word and cannot be a name";
      help = "choose another name, e.g. `" + std::string(text.substr(at, end - at)) + "_value`";
    }
  }
  Span span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at)};
  if (at < text.size()) {
    // Underline the offending word (or one character), never past the line.
    std::size_t end = at;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    if (end == at) end = at + 1;
    span.end = static_cast<std::uint32_t>(end);
  }
  if (code == DiagCode::kUnterminatedString) {
    // Point at the opening quote: that is where the user has to look.
    const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t from = line_start == std::string_view::npos ? 0 : line_start + 1;
    const std::size_t quote = text.rfind('"', at == 0 ? 0 : at - 1);
    if (quote != std::string_view::npos && quote >= from) span = {static_cast<std::uint32_t>(quote), static_cast<std::uint32_t>(at)};
  }
  auto& diagnostic = sink.error(code, source, span, std::move(text_message));
  diagnostic.help = std::move(help);
  return false;
}

}  // namespace

std::unique_ptr<Module> parse(const SourceSet& sources, SourceId source, DiagnosticSink& sink, std::uint32_t first_expr_id,
                              std::shared_ptr<ExprArena> arena) {
  auto module = std::make_unique<Module>();
  if (arena) module->arena = std::move(arena);
  module->source = source;
  module->expr_ids_end = first_expr_id;
  const SourceFile& file = sources.file(source);
  const std::string_view text = file.text();

  if (text.size() > kMaxFileBytes) {
    sink.error(DiagCode::kFileTooLarge, source, {0, 0},
               "file is larger than the " + std::to_string(kMaxFileBytes) + "-byte limit for rule files")
        .help = "split the ruleset into several files with `import`";
    return module;
  }
  if (const auto bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    sink.error(DiagCode::kInvalidUtf8, source, {static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)},
               "file is not valid UTF-8 (byte " + std::to_string(bad) + ")")
        .help = "rule files are UTF-8 text; is this a binary file?";
    return module;
  }
  if (const auto bad = first_control_character(text); bad != std::string_view::npos) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[bad])));
    sink.error(DiagCode::kControlCharacter, source, {static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)},
               std::string("control character ") + hex + " in rule text")
        .help = "rule files are plain text; is this a binary file?";
    return module;
  }
  // Bidirectional controls, anywhere (comments and strings included): each is reported where it
  // is, so an editor that hides them still shows the author every place to look.
  {
    std::size_t found = 0;
    for (std::size_t at = 0; at < text.size(); ++at) {
      if (static_cast<unsigned char>(text[at]) < 0xD8) continue;  // every one starts with 0xD8 or 0xE2
      const BidiControl bidi = bidi_control_at(text, at);
      if (bidi.length == 0) continue;
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(bidi.code_point));
      sink.error(DiagCode::kBidiControl, source,
                 {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + bidi.length)},
                 std::string("bidirectional control character ") + code + " (" + std::string(bidi.name) + ") in rule text")
          .help = "it can make the text look different from what riskoff reads; remove it";
      ++found;
      at += bidi.length - 1;
    }
    if (found > 0) return module;
  }

  // Comments are collected by a plain scan; the grammar only skips them.
  {
    bool in_string = false;
    bool line_has_code = false;
    // The bytes that can change the state: in a string, and on a line that already has code.
    static constexpr auto kStringStop = stops("\n\\\"");
    static constexpr auto kCodeStop = stops("\n\"#");
    for (std::size_t at = 0; at < text.size(); ++at) {
      const auto& stop = in_string ? kStringStop : kCodeStop;
      if (in_string || line_has_code) {
        while (at < text.size() && !stop[static_cast<unsigned char>(text[at])]) ++at;
        if (at == text.size()) break;
      }
      const char ch = text[at];
      if (ch == '\n') {
        in_string = false;
        line_has_code = false;
      } else if (in_string) {
        if (ch == '\\') ++at;
        else if (ch == '"') in_string = false;
      } else if (ch == '"') {
        in_string = true;
        line_has_code = true;
      } else if (ch == '#') {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        std::size_t trimmed = end;
        while (trimmed > at && (text[trimmed - 1] == '\r' || text[trimmed - 1] == ' ' || text[trimmed - 1] == '\t')) --trimmed;
        module->comments.push_back({{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(trimmed)}, !line_has_code});
        at = end - 1;
      } else if (ch != ' ' && ch != '\t' && ch != '\r') {
        line_has_code = true;
      }
    }
  }

  Lowerer lowerer(file, source, sink, first_expr_id, *module->arena);
  Tree tree;  // one declaration's nodes at a time
  std::size_t offset = 0;
  bool header_done = false;
  std::size_t declarations = 0;
  std::size_t last_declaration_start = std::string_view::npos;  // of the last one kept
  while (offset <= text.size()) {
    pegtl::memory_input in(text.data() + offset, text.data() + text.size(), file.name());
    const bool parsing_header = !header_done;
    const std::size_t declaration_start = offset;
    std::size_t base = offset;  // where the input a parse error counts from starts
    try {
      if (parsing_header) {
        header_done = true;
        tree.clear();
        pegtl::parse<header_part, depth_action, control>(in, tree);
        module->header = lowerer.header(*tree.top().at(0));
      } else {
        // The blanks and comments before the declaration, read once (not again by its parse).
        pegtl::parse<g::sp>(in);
        if (in.empty()) break;
        base = static_cast<std::size_t>(in.current() - text.data());
        pegtl::memory_input decl_in(text.data() + base, text.data() + text.size(), file.name());
        tree.clear();
        pegtl::parse<declaration_part, depth_action, control>(decl_in, tree);
        offset = static_cast<std::size_t>(decl_in.current() - text.data());
        if (++declarations > kMaxDeclarations) {
          const Span at = lowerer.span(*tree.top().at(0));
          sink.error(DiagCode::kTooManyDeclarations, source, at,
                     "more than " + std::to_string(kMaxDeclarations) + " declarations in one file")
              .help = "split the ruleset into several files with `import`";
          break;
        }
        try {
          if (auto decl = lowerer.declaration(*tree.top().at(0))) {
            module->decls.push_back(std::move(*decl));
            last_declaration_start = declaration_start;
          }
        } catch (const LowerError&) {
          // Reported already; the declaration is dropped and parsing goes on.
          module->has_syntax_errors = true;
          if (auto name = declared_name(text, declaration_start)) module->failed_names.push_back(std::move(*name));
        }
        continue;
      }
      offset = static_cast<std::size_t>(in.current() - text.data());
    } catch (const pegtl::parse_error& error) {
      const bool foreign = report_parse_error(error, text, base, source, sink);
      module->has_syntax_errors = true;
      // `signal s = vix =< 20` parses as `signal s = vix` and then fails at `=<`: the declaration
      // before the misspelling, on the same line, is cut short. Drop it as a failed one, so the
      // one mistake gives one diagnostic (not also "the condition must be true or false"). Only
      // when the misspelling is where the next declaration would start, on the same line.
      const std::size_t failed_token = base + error.positions().front().byte;
      if (foreign && !parsing_header && !module->decls.empty() && last_declaration_start != std::string_view::npos &&
          failed_token >= offset &&
          text.substr(offset, failed_token - offset).find_first_not_of(" \t") == std::string_view::npos) {
        module->decls.pop_back();
        if (auto name = declared_name(text, last_declaration_start)) module->failed_names.push_back(std::move(*name));
        last_declaration_start = std::string_view::npos;
      }
      if (!parsing_header) {
        if (auto name = declared_name(text, declaration_start)) module->failed_names.push_back(std::move(*name));
      }
      const std::size_t failed_at = base + error.positions().front().byte;
      // A missing header costs nothing more: declarations may start right where it failed.
      if (parsing_header && starts_declaration(text, failed_at)) {
        offset = failed_at;
        continue;
      }
      // Resume at the failing line itself when it starts a declaration (the error belonged to
      // the one before), else at the next line that does; always move forward.
      const std::size_t next = (failed_at > offset && starts_declaration(text, failed_at))
                                   ? failed_at
                                   : next_declaration_line(text, failed_at);
      if (next == std::string_view::npos) break;
      offset = next;
    }
  }
  module->expr_ids_end = lowerer.next_expr_id();
  return module;
}

}  // namespace riskoff::dsl
