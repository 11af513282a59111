// The unused pass: warnings for inputs, parameters and lets nothing reads. It runs last
// because every earlier pass marks what it reads as used.
#include "engine/check/passes.hpp"

namespace riskoff::engine::detail {

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
}

}  // namespace riskoff::engine::detail
