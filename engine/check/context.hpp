// Internal to engine/: what the checker's passes share. One CheckContext holds the ruleset being
// built, the sink, the loader and the per-symbol state; each pass (passes.hpp) is a small class
// over it. Not installed; include only from engine/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"
#include "engine/check.hpp"
#include "engine/source_loader.hpp"

namespace riskoff::engine::detail {

using namespace riskoff::dsl;  // NOLINT: the checker speaks the AST's vocabulary throughout

inline constexpr std::size_t kMaxImportedFiles = 64;

inline std::string backticked(std::string_view text) { return "`" + std::string(text) + "`"; }

struct CheckContext {
  CheckedRuleset& rs;
  DiagnosticSink& sink;
  const SourceLoader& loader;
  std::string root_name;  // the root file: load's input
  std::string root_text;
  bool sibling_tests = false;  // CheckOptions::sibling_tests
  // Per symbol (index into rs.symbols):
  std::vector<std::size_t> symbol_module;  // the module that declared it
  std::vector<std::uint8_t> let_state;     // types: 0 untyped, 1 being typed, 2 typed
  // The window call that reads the most observations (types finds it, cost reports it).
  double costliest_bars = 0;
  DiagnosticNote costliest;
};

// Where an expression is checked: its module, and the symbol whose body it is (collects deps;
// -1 inside profiles and tests).
struct Scope {
  std::size_t module = 0;
  SourceId source{};
  std::int64_t symbol = -1;
};

// A name as written in `scope`'s module: the symbol, or -1.
std::int64_t resolve(const CheckContext& ctx, const std::string& name, const Scope& scope);
// Names visible from `scope`'s module, unprefixed and sorted ("did you mean" candidates).
std::vector<std::string> visible_names(const CheckContext& ctx, const Scope& scope);
// Whether the diagnostic just reported is shown. Once the sink is full every later one is only
// counted, so a caller skips its "did you mean" search (candidates x edit distance), the costly
// part of thousands of unknown names in one file.
inline bool last_shown(const DiagnosticSink& sink) { return sink.dropped() == 0; }
void unknown_name(CheckContext& ctx, const std::string& name, Span span, const Scope& scope, const char* what);

// A parameter's value (or an override's): a literal, optionally negated; its unit is its type.
Type literal_type(CheckContext& ctx, const Expr& expr, SourceId source, const std::string& what);
Type literal_number_type(const NumberLit& number);

}  // namespace riskoff::engine::detail
