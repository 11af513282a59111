// Text -> AST. Never throws for bad input: every problem becomes a Diagnostic in the sink, and
// the returned Module holds every declaration that could be read (so the checker can report
// more problems in one run).
#pragma once

#include <memory>

#include "dsl/ast.hpp"
#include "riskoff/diagnostic.hpp"

namespace riskoff::dsl {

// Limits that keep hostile input from exhausting memory or the stack; each produces a
// diagnostic (docs/language.md, "Guarantees").
inline constexpr std::size_t kMaxFileBytes = 4u << 20;        // 4 MiB of rule text
inline constexpr std::size_t kMaxDeclarations = 5000;
inline constexpr std::size_t kMaxExpressionDepth = 128;       // nested operators/calls in one expression
inline constexpr std::size_t kMaxParserDepth = 2000;          // grammar rule nesting (about 160 parentheses)

// Expressions are numbered from `first_expr_id` (Expr::id); a ruleset's files continue from the
// previous file's Module::expr_ids_end so that ids are unique across the ruleset, and put their
// expressions in `arena` when one is given (the first file's: one arena per ruleset, ExprArena),
// else in an arena of the module's own.
std::unique_ptr<Module> parse(const SourceSet& sources, SourceId source, DiagnosticSink& sink,
                              std::uint32_t first_expr_id = 0, std::shared_ptr<ExprArena> arena = nullptr);

}  // namespace riskoff::dsl
