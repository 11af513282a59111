// Internal to engine/: the checker's state and passes, shared by check.cpp (load, declare,
// order, unused), check_types.cpp (types and units of expressions) and check_decide.cpp
// (profiles and tests). Not installed; include only from engine/*.cpp.
//
// The checker's passes, in order (each may rely on the ones before it):
//   load     parse the root file and, recursively, its imports (cycles reported)
//   declare  one Symbol per input, param, let, signal and group, with duplicate detection
//   types    type and unit of every expression; name references resolved to symbols
//   order    dependency graph: cycles reported with their path, evaluation order fixed
//   decide   profiles (overrides, clauses, reachability) and tests
//   unused   warnings for inputs, params and lets nothing reads
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/ast.hpp"
#include "engine/check.hpp"

namespace riskoff::engine::detail {

namespace fs = std::filesystem;
using namespace riskoff::dsl;  // NOLINT: the checker speaks the AST's vocabulary throughout

inline constexpr std::size_t kMaxImportedFiles = 64;

inline std::string backticked(std::string_view text) { return "`" + std::string(text) + "`"; }

// Reads a rule file, at most one byte past the size limit (the parser reports the excess).
bool read_file(const fs::path& path, std::string& text, std::string& error);

struct Location {
  std::size_t module = 0;
  SourceId source{};
};

class Checker {
 public:
  Checker(CheckedRuleset& ruleset, DiagnosticSink& sink) : rs_(ruleset), sink_(sink) {}
  void run(std::string name, std::string text, const fs::path& directory);

 private:
  // ---- load (check.cpp) -----------------------------------------------------
  void load(std::string name, std::string text, const fs::path& directory, const std::string& prefix,
            std::vector<fs::path>& stack);
  void check_version(const Header& header, SourceId source);

  // ---- declare (check.cpp) --------------------------------------------------
  void declare_group_sets();
  bool add_symbol(Symbol symbol, Location where);
  void declare(std::size_t module_index);
  Type input_type(const InputDecl& input, SourceId source);

  // A parameter's value: a literal, optionally negated. Its unit is the parameter's type.
  Type literal_type(const Expr& expr, SourceId source, const std::string& what);
  static Type literal_number_type(const NumberLit& number);

  // ---- types (check_types.cpp) ----------------------------------------------
  struct Context {
    std::size_t module = 0;
    SourceId source{};
    std::int64_t symbol = -1;  // the symbol whose body is checked (collects deps), -1 for none
  };

  void check_bodies(std::size_t module_index);

  // The symbol declared by `decl` under `name`, or -1 when a duplicate took the name.
  std::int64_t lookup_exact(const std::string& name, const void* decl) const;

  // Lets are typed on first use so that declaration order does not matter.
  Type symbol_type(std::int64_t index);

  void expect_condition(const Expr& expr, const Context& ctx, const std::string& what);

  std::int64_t resolve(const std::string& name, const Context& ctx) const;

  std::vector<std::string> visible_names(const Context& ctx) const;

  void unknown_name(const std::string& name, Span span, const Context& ctx, const char* what);

  void add_dep(const Context& ctx, std::uint32_t target);

  static Type value_of(Type type);

  static bool is_zero_literal(const Expr& expr);

  // Two numbers meeting in `op`: the unit both share, or an error (reported once, here).
  Type unify(Type lhs, const Expr& lhs_expr, Type rhs, const Expr& rhs_expr, std::string_view op, const Context& ctx,
             Span span);

  Type record(const Expr& expr, Type type);

  Type check(const Expr& expr, const Context& ctx);

  Type check_kind(const Expr&, const NumberLit& number, const Context&) { return literal_number_type(number); }
  Type check_kind(const Expr&, const BoolLit&, const Context&) { return Type::boolean(); }

  Type check_kind(const Expr& expr, const NameRef& ref, const Context& ctx);

  Type check_kind(const Expr& expr, const Unary& unary, const Context& ctx);

  Type check_kind(const Expr& expr, const Binary& binary, const Context& ctx);

  bool numeric(Type type, const Expr& side, std::string_view op, const Context& ctx);

  Type check_kind(const Expr& expr, const IfExpr& value, const Context& ctx);

  // A window argument: a duration or bar count literal, or a parameter holding one.
  double check_window(const Expr& arg, const Context& ctx, double frequency_hours_value, bool& ok);

  const NumberLit* window_literal(const Expr& arg) const;

  // The input a window function reads; reports and returns null when `arg` is not a series.
  const InputDecl* series_arg(const Expr& arg, const Context& ctx, std::string_view function);

  double input_frequency_hours(const InputDecl& input) const;

  Type check_kind(const Expr& expr, const Call& call, const Context& ctx);

  // `{name}` placeholders must name something the explanation can show.
  void check_template(const Text& text, const Context& ctx);

  // ---- order ---------------------------------------------------------------------------------
  void order();

  void report_cycle(const std::vector<std::uint32_t>& stack, std::uint32_t target, std::vector<bool>& reported);

  // ---- decide --------------------------------------------------------------------------------
  void check_profiles();

  // A parameter override (profile `param` or test `set`): the parameter must exist, and the
  // value must be a literal of the same unit.
  void check_override(const ParamDecl& override, const Context& ctx, const std::string& where);

  void check_tests();

  void check_expectation(const Expectation& expectation, const Context& ctx);


  void check_cost();

  // ---- unused --------------------------------------------------------------------------------
  void warn_unused();

  CheckedRuleset& rs_;
  DiagnosticSink& sink_;
  std::vector<std::size_t> symbol_module_;
  std::vector<std::uint8_t> let_state_;
  double costliest_bars_ = 0;        // the window call that reads the most observations
  DiagnosticNote costliest_;
};

}  // namespace riskoff::engine::detail
