// The unused pass: warnings for inputs, parameters and lets nothing reads. It runs last
// because every earlier pass marks what it reads as used. It also reads what the windows' reasons
// claim (W0506): by then every parameter has its type.
#include <algorithm>
#include <cctype>

#include "dsl/ast.hpp"
#include "engine/check/passes.hpp"

namespace riskoff::engine::detail {
namespace {

// The words that count trading sessions, not calendar days: "trading day", "trading week",
// "trading month", "session(s)". Found case-insensitively; the first one found, as written.
std::optional<std::string> session_words(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  for (const char* words : {"trading day", "trading week", "trading month", "session"}) {
    const auto at = lower.find(words);
    if (at != std::string::npos) return text.substr(at, std::string(words).size());
  }
  return std::nullopt;
}

// A parameter that is a window in calendar time (`5d`) and whose reason counts sessions: `5d`
// holds about 3.5 sessions, `50d` about 34. Either the text or the window is wrong.
void report_session_words(CheckContext& ctx) {
  for (const Symbol& symbol : ctx.rs.symbols) {
    if (symbol.kind != SymbolKind::kParam || symbol.type.kind != TypeKind::kDuration || symbol.decl == nullptr) continue;
    const auto& decl = *static_cast<const dsl::ParamDecl*>(symbol.decl);
    if (!decl.reason) continue;
    const auto words = session_words(decl.reason->value);
    if (!words) continue;
    ctx.sink.error(DiagCode::kSessionWordsCalendarWindow, symbol.source, decl.reason->span,
                   "parameter " + backticked(symbol.name) + " is a window of calendar time, but its reason says " +
                       backticked(*words))
        .help = "a calendar window holds fewer sessions than days (5d is about 3.5): write the window in bars "
                "(`5 bars`), or say calendar days in the text";
  }
}

}  // namespace

void run_unused(CheckContext& ctx) {
  // After a syntax error, what looks unused may be used by the declaration that was dropped.
  for (const auto& module : ctx.rs.modules) {
    if (module->has_syntax_errors) return;
  }
  for (std::size_t index = 0; index < ctx.rs.symbols.size(); ++index) {
    const Symbol& symbol = ctx.rs.symbols[index];
    if (symbol.used) continue;
    switch (symbol.kind) {
      case SymbolKind::kInput:
        ctx.sink.error(DiagCode::kUnusedInput, symbol.source, symbol.span, "input " + backticked(symbol.name) + " is never used")
            .help = "remove it, or use it in a signal; unused inputs still have to be supplied";
        break;
      case SymbolKind::kParam:
        ctx.sink.error(DiagCode::kUnusedParam, symbol.source, symbol.span, "parameter " + backticked(symbol.name) + " is never used");
        break;
      case SymbolKind::kLet:
        ctx.sink.error(DiagCode::kUnusedLet, symbol.source, symbol.span, "value " + backticked(symbol.name) + " is never used");
        break;
      default: break;
    }
  }
  report_session_words(ctx);
}

}  // namespace riskoff::engine::detail
