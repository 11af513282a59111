// The checker's passes, in order (each may rely on the ones before it):
//   load     parse the root file and, recursively, its imports (cycles reported)
//   declare  one Symbol per input, param, let, signal and group, with duplicate detection
//   types    type and unit of every expression; name references resolved to symbols
//   order    dependency graph: cycles reported with their path, evaluation order fixed
//   decide   profiles (overrides, clauses, reachability) and tests
//   unused   warnings for inputs, params and lets nothing reads
#include "engine/check.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "dsl/parse.hpp"
#include "engine/builtins.hpp"

namespace riskoff::engine {
namespace {

namespace fs = std::filesystem;
using namespace riskoff::dsl;

constexpr std::size_t kMaxImportedFiles = 64;

std::string backticked(std::string_view text) { return "`" + std::string(text) + "`"; }

bool read_file(const fs::path& path, std::string& text, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open file";
    return false;
  }
  // Read at most one byte past the limit: a larger file is reported, never loaded whole.
  text.assign(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    error = "read error";
    return false;
  }
  return true;
}

struct Location {
  std::size_t module = 0;
  SourceId source{};
};

class Checker {
 public:
  Checker(CheckedRuleset& ruleset, DiagnosticSink& sink) : rs_(ruleset), sink_(sink) {}

  void run(std::string name, std::string text, const fs::path& directory) {
    std::vector<fs::path> stack;
    fs::path root_path = directory / fs::path(name).filename();
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(root_path, ec);
    stack.push_back(ec ? root_path : canonical);
    load(std::move(name), std::move(text), directory, "", stack);
    declare_group_sets();
    for (std::size_t index = 0; index < rs_.modules.size(); ++index) declare(index);
    for (std::size_t index = 0; index < rs_.modules.size(); ++index) check_bodies(index);
    order();
    check_profiles();
    check_tests();
    check_cost();
    warn_unused();
  }

 private:
  // ---- load ----------------------------------------------------------------------------------
  void load(std::string name, std::string text, const fs::path& directory, const std::string& prefix,
            std::vector<fs::path>& stack) {
    const SourceId source = rs_.sources.add(std::move(name), std::move(text));
    auto module = dsl::parse(rs_.sources, source, sink_);
    const std::size_t module_index = rs_.modules.size();
    rs_.modules.push_back(std::move(module));
    rs_.prefixes.push_back(prefix);
    if (module_index == 0 && rs_.modules[0]->header) check_version(*rs_.modules[0]->header, source);
    std::set<std::string> aliases;
    for (const auto& decl : rs_.modules[module_index]->decls) {
      const auto* import = std::get_if<Import>(&decl);
      if (import == nullptr) continue;
      if (!aliases.insert(import->alias).second) {
        sink_.error(DiagCode::kDuplicateName, source, import->alias_span,
                    "import alias " + backticked(import->alias) + " is used twice in this file");
        continue;
      }
      const fs::path path = directory / import->path.value;
      std::error_code ec;
      fs::path canonical = fs::weakly_canonical(path, ec);
      if (ec) canonical = path;
      if (std::find(stack.begin(), stack.end(), canonical) != stack.end()) {
        std::string chain;
        bool in_cycle = false;
        for (const auto& step : stack) {
          if (step == canonical) in_cycle = true;
          if (in_cycle) chain += step.filename().string() + " -> ";
        }
        chain += canonical.filename().string();
        sink_.error(DiagCode::kImportCycle, source, import->path.span, "import cycle: " + chain)
            .help = "move what both files need into a third file that neither imports";
        continue;
      }
      if (rs_.modules.size() >= kMaxImportedFiles) {
        sink_.error(DiagCode::kTooManyDeclarations, source, import->path.span,
                    "more than " + std::to_string(kMaxImportedFiles) + " files imported");
        continue;
      }
      std::string imported_text;
      std::string error;
      if (!read_file(path, imported_text, error)) {
        sink_.error(DiagCode::kImportNotFound, source, import->path.span,
                    "cannot import " + backticked(import->path.value) + ": " + error)
            .help = "import paths are relative to the importing file's folder (" +
                    (directory.empty() ? std::string(".") : directory.string()) + ")";
        continue;
      }
      stack.push_back(canonical);
      load(path.string(), std::move(imported_text), path.parent_path(), prefix + import->alias + ".", stack);
      stack.pop_back();
    }
  }

  void check_version(const Header& header, SourceId source) {
    // MAJOR.MINOR.PATCH with optional -prerelease: what `ruleset diff` reasons about.
    const std::string& version = header.version.value;
    int parts = 0;
    std::size_t at = 0;
    bool ok = true;
    while (ok && parts < 3) {
      const std::size_t start = at;
      while (at < version.size() && std::isdigit(static_cast<unsigned char>(version[at]))) ++at;
      if (at == start || (at - start > 1 && version[start] == '0')) ok = false;
      ++parts;
      if (parts < 3) {
        if (at < version.size() && version[at] == '.') ++at;
        else ok = false;
      }
    }
    if (ok && at < version.size() && version[at] != '-') ok = false;
    if (!ok) {
      sink_.error(DiagCode::kInvalidVersion, source, header.version.span,
                  "version " + backticked(version) + " is not a semantic version")
          .help = "write MAJOR.MINOR.PATCH, e.g. \"0.1.0\" or \"1.2.0-rc1\"";
    }
  }

  // ---- declare -------------------------------------------------------------------------------
  void declare_group_sets() {
    static constexpr std::pair<std::string_view, GroupKind> kSets[] = {
        {"drivers", GroupKind::kDriver}, {"checks", GroupKind::kCheck}, {"regimes", GroupKind::kRegime},
        {"groups", GroupKind::kGroup}};
    for (const auto& [name, kind] : kSets) {
      Symbol symbol;
      symbol.kind = SymbolKind::kGroupSet;
      symbol.name = std::string(name);
      symbol.type = {TypeKind::kGroupSet, Unit::kNumber, false};
      symbol.group_kind = kind;
      symbol.used = true;
      add_symbol(std::move(symbol), {});
    }
  }

  bool add_symbol(Symbol symbol, Location where) {
    const auto [it, inserted] = rs_.by_name.emplace(symbol.name, static_cast<std::uint32_t>(rs_.symbols.size()));
    if (!inserted) {
      const Symbol& first = rs_.symbols[it->second];
      auto& diagnostic = sink_.error(DiagCode::kDuplicateName, where.source, symbol.span,
                                     backticked(symbol.name) + " is declared twice");
      if (first.kind == SymbolKind::kGroupSet) {
        diagnostic.message = backticked(symbol.name) + " is a built-in set of groups and cannot be redeclared";
      } else {
        diagnostic.note = DiagnosticNote{first.source, first.span, "first declared here"};
      }
      return false;
    }
    rs_.symbols.push_back(std::move(symbol));
    return true;
  }

  void declare(std::size_t module_index) {
    const Module& module = *rs_.modules[module_index];
    const std::string& prefix = rs_.prefixes[module_index];
    const Location where{module_index, module.source};
    for (const auto& decl : module.decls) {
      Symbol symbol;
      symbol.source = module.source;
      if (const auto* input = std::get_if<InputDecl>(&decl)) {
        symbol.kind = SymbolKind::kInput;
        symbol.name = prefix + input->name;
        symbol.span = input->name_span;
        symbol.decl = input;
        symbol.type = input_type(*input, module.source);
      } else if (const auto* param = std::get_if<ParamDecl>(&decl)) {
        symbol.kind = SymbolKind::kParam;
        symbol.name = prefix + param->name;
        symbol.span = param->name_span;
        symbol.decl = param;
        symbol.type = literal_type(*param->value, module.source, "parameter " + backticked(param->name));
      } else if (const auto* let = std::get_if<LetDecl>(&decl)) {
        symbol.kind = SymbolKind::kLet;
        symbol.name = prefix + let->name;
        symbol.span = let->name_span;
        symbol.decl = let;
      } else if (const auto* signal = std::get_if<SignalDecl>(&decl)) {
        symbol.kind = SymbolKind::kSignal;
        symbol.name = prefix + signal->name;
        symbol.span = signal->name_span;
        symbol.decl = signal;
        symbol.type = Type::boolean();
      } else if (const auto* group = std::get_if<GroupDecl>(&decl)) {
        symbol.kind = SymbolKind::kGroup;
        symbol.name = prefix + group->name;
        symbol.span = group->name_span;
        symbol.decl = group;
        symbol.group_kind = group->kind;
        symbol.type = Type::boolean();
        std::set<std::string> keys;
        for (const auto& meta : group->meta) {
          if (!keys.insert(meta.key).second) {
            sink_.error(DiagCode::kDuplicateMeta, module.source, meta.key_span,
                        "metadata " + backticked(meta.key) + " is given twice for " + backticked(group->name));
          }
        }
      } else {
        continue;
      }
      const std::uint32_t index = static_cast<std::uint32_t>(rs_.symbols.size());
      if (add_symbol(std::move(symbol), where)) symbol_module_.resize(index + 1), symbol_module_[index] = module_index;
    }
  }

  Type input_type(const InputDecl& input, SourceId source) {
    Unit unit = Unit::kNumber;
    if (!parse_unit(input.unit, unit)) {
      auto& diagnostic = sink_.error(DiagCode::kUnknownUnit, source, input.unit_span, "unknown unit " + backticked(input.unit));
      const std::string suggestion = closest_match(input.unit, {"percent", "bp", "usd", "index", "number"});
      diagnostic.help = suggestion.empty() ? "units are percent, bp, usd, index and number"
                                           : "did you mean " + backticked(suggestion) + "?";
    }
    if (input.is_series) {
      double hours = 0;
      if (!frequency_hours(input.frequency, hours)) {
        sink_.error(DiagCode::kInvalidFrequency, source, input.frequency_span,
                    "invalid frequency " + backticked(input.frequency))
            .help = "a series frequency is a whole number of hours or days, e.g. `1h`, `4h`, `8h`, `1d`";
      }
    }
    if (input.max_age && input.max_age->unit != LiteralUnit::kDays && input.max_age->unit != LiteralUnit::kHours) {
      sink_.error(DiagCode::kExpectedWindow, source, input.max_age_span,
                  "`max_age` must be a duration, found " + backticked(to_source(*input.max_age)))
          .help = "write it in days or hours, e.g. `3d` or `12h`";
    } else if (input.max_age && input.max_age->value <= 0) {
      sink_.error(DiagCode::kInvalidWindow, source, input.max_age_span, "`max_age` must be positive");
    }
    if (!input.calendar.empty() && input.calendar != "trading" && input.calendar != "crypto") {
      auto& diagnostic = sink_.error(DiagCode::kUnknownUnit, source, input.calendar_span,
                                     "unknown calendar " + backticked(input.calendar));
      const std::string suggestion = closest_match(input.calendar, {"trading", "crypto"});
      diagnostic.help = suggestion.empty() ? "calendars are `trading` (252 days a year) and `crypto` (365 days, 24h)"
                                           : "did you mean " + backticked(suggestion) + "?";
    }
    if (!input.is_series && !input.calendar.empty()) {
      sink_.error(DiagCode::kExpectedSeries, source, input.calendar_span, "only a series has a calendar");
    }
    return {input.is_series ? TypeKind::kSeries : TypeKind::kNumber, unit, false};
  }

  static bool frequency_hours(const std::string& text, double& hours) {
    if (text.size() < 2) return false;
    const char suffix = text.back();
    const std::string digits = text.substr(0, text.size() - 1);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return false;
    if (digits.size() > 4) return false;
    const double value = std::stod(digits);
    if (value <= 0) return false;
    if (suffix == 'h') hours = value;
    else if (suffix == 'd') hours = value * 24;
    else return false;
    return true;
  }

  // A parameter's value: a literal, optionally negated. Its unit is the parameter's type.
  Type literal_type(const Expr& expr, SourceId source, const std::string& what) {
    const Expr* inner = &expr;
    if (const auto* unary = std::get_if<Unary>(&expr.kind); unary != nullptr && unary->op == UnaryOp::kNeg) {
      inner = unary->operand.get();
    }
    Type type = Type::error();
    if (const auto* number = std::get_if<NumberLit>(&inner->kind)) {
      type = literal_number_type(*number);
      if (type.untyped) type.untyped = false;  // a declared parameter is a plain number
    } else if (std::holds_alternative<BoolLit>(inner->kind) && inner == &expr) {
      type = Type::boolean();
    } else {
      sink_.error(DiagCode::kParamNotConstant, source, expr.span, what + " must be a literal value, e.g. `15bp`")
          .help = "compute derived values with `let`; parameters are the knobs users override";
      return Type::error();
    }
    rs_.types[&expr] = type;
    if (inner != &expr) rs_.types[inner] = type;
    return type;
  }

  static Type literal_number_type(const NumberLit& number) {
    switch (number.unit) {
      case LiteralUnit::kNone: return {TypeKind::kNumber, Unit::kNumber, true};
      case LiteralUnit::kPercent: return Type::number(Unit::kPercent);
      case LiteralUnit::kBp: return Type::number(Unit::kBp);
      case LiteralUnit::kUsd: return Type::number(Unit::kUsd);
      case LiteralUnit::kDays:
      case LiteralUnit::kHours: return {TypeKind::kDuration, Unit::kNumber, false};
      case LiteralUnit::kBars: return {TypeKind::kBars, Unit::kNumber, false};
    }
    return Type::error();
  }

  // ---- types ---------------------------------------------------------------------------------
  struct Context {
    std::size_t module = 0;
    SourceId source{};
    std::int64_t symbol = -1;  // the symbol whose body is checked (collects deps), -1 for none
  };

  void check_bodies(std::size_t module_index) {
    const Module& module = *rs_.modules[module_index];
    for (const auto& decl : module.decls) {
      if (const auto* let = std::get_if<LetDecl>(&decl)) {
        symbol_type(lookup_exact(rs_.prefixes[module_index] + let->name, let));
      } else if (const auto* signal = std::get_if<SignalDecl>(&decl)) {
        const auto index = lookup_exact(rs_.prefixes[module_index] + signal->name, signal);
        if (index < 0) continue;
        Context ctx{module_index, module.source, index};
        expect_condition(*signal->condition, ctx, "signal " + backticked(signal->name));
        if (signal->because) check_template(*signal->because, ctx);
      } else if (const auto* group = std::get_if<GroupDecl>(&decl)) {
        const auto index = lookup_exact(rs_.prefixes[module_index] + group->name, group);
        if (index < 0) continue;
        Context ctx{module_index, module.source, index};
        expect_condition(*group->condition, ctx, std::string(group_keyword(group->kind)) + ' ' + backticked(group->name));
        if (group->because) check_template(*group->because, ctx);
      }
    }
  }

  // The symbol declared by `decl` under `name`, or -1 when a duplicate took the name.
  std::int64_t lookup_exact(const std::string& name, const void* decl) const {
    const auto it = rs_.by_name.find(name);
    if (it == rs_.by_name.end() || rs_.symbols[it->second].decl != decl) return -1;
    return it->second;
  }

  // Lets are typed on first use so that declaration order does not matter.
  Type symbol_type(std::int64_t index) {
    if (index < 0) return Type::error();
    Symbol& symbol = rs_.symbols[static_cast<std::size_t>(index)];
    if (symbol.kind != SymbolKind::kLet) return symbol.type;
    if (let_state_.size() < rs_.symbols.size()) let_state_.resize(rs_.symbols.size(), 0);
    if (let_state_[static_cast<std::size_t>(index)] == 2) return symbol.type;
    if (let_state_[static_cast<std::size_t>(index)] == 1) return Type::error();  // cycle: reported by order()
    let_state_[static_cast<std::size_t>(index)] = 1;
    const auto* let = static_cast<const LetDecl*>(symbol.decl);
    const std::size_t module_index = symbol_module_[static_cast<std::size_t>(index)];
    Context ctx{module_index, rs_.modules[module_index]->source, index};
    Type type = value_of(check(*let->value, ctx));
    if (type.kind == TypeKind::kGroupSet) {
      sink_.error(DiagCode::kTypeMismatch, ctx.source, let->value->span,
                  "a set of groups can only be used inside `any`, `all`, `count`, `at_least` or `score`");
      type = Type::error();
    }
    if (type.untyped) type.untyped = false;
    rs_.symbols[static_cast<std::size_t>(index)].type = type;
    let_state_[static_cast<std::size_t>(index)] = 2;
    return type;
  }

  void expect_condition(const Expr& expr, const Context& ctx, const std::string& what) {
    const Type type = check(expr, ctx);
    if (type.kind != TypeKind::kBool && type.kind != TypeKind::kError) {
      sink_.error(DiagCode::kConditionNotBool, ctx.source, expr.span,
                  "the condition of " + what + " must be true or false, found " + describe(type))
          .help = "compare it with a threshold, e.g. `x > limit`";
    }
  }

  std::int64_t resolve(const std::string& name, const Context& ctx) const {
    const std::string qualified = rs_.prefixes[ctx.module] + name;
    if (const auto it = rs_.by_name.find(qualified); it != rs_.by_name.end()) return it->second;
    if (const auto it = rs_.by_name.find(name); it != rs_.by_name.end() && rs_.symbols[it->second].kind == SymbolKind::kGroupSet)
      return it->second;
    return -1;
  }

  std::vector<std::string> visible_names(const Context& ctx) const {
    std::vector<std::string> names;
    const std::string& prefix = rs_.prefixes[ctx.module];
    for (const auto& symbol : rs_.symbols) {
      if (symbol.kind == SymbolKind::kGroupSet) names.push_back(symbol.name);
      else if (symbol.name.starts_with(prefix)) names.push_back(symbol.name.substr(prefix.size()));
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  void unknown_name(const std::string& name, Span span, const Context& ctx, const char* what) {
    auto& diagnostic = sink_.error(DiagCode::kUnknownName, ctx.source, span, std::string("unknown ") + what + ' ' + backticked(name));
    const std::string suggestion = closest_match(name, visible_names(ctx));
    if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
    else if (find_builtin(name) != nullptr) diagnostic.help = backticked(name) + " is a function: call it with arguments";
  }

  void add_dep(const Context& ctx, std::uint32_t target) {
    rs_.symbols[target].used = true;
    if (ctx.symbol < 0) return;
    const Symbol& target_symbol = rs_.symbols[target];
    if (target_symbol.kind == SymbolKind::kGroupSet) {
      for (std::uint32_t index = 0; index < rs_.symbols.size(); ++index) {
        if (rs_.symbols[index].kind == SymbolKind::kGroup && rs_.symbols[index].group_kind == target_symbol.group_kind) {
          rs_.symbols[static_cast<std::size_t>(ctx.symbol)].deps.push_back(index);
        }
      }
      return;
    }
    if (target_symbol.kind == SymbolKind::kInput || target_symbol.kind == SymbolKind::kParam) return;
    rs_.symbols[static_cast<std::size_t>(ctx.symbol)].deps.push_back(target);
  }

  static Type value_of(Type type) {
    if (type.kind == TypeKind::kSeries) type.kind = TypeKind::kNumber;
    return type;
  }

  static bool is_zero_literal(const Expr& expr) {
    const auto* number = std::get_if<NumberLit>(&expr.kind);
    return number != nullptr && number->unit == LiteralUnit::kNone && number->value == 0;
  }

  // Two numbers meeting in `op`: the unit both share, or an error (reported once, here).
  Type unify(Type lhs, const Expr& lhs_expr, Type rhs, const Expr& rhs_expr, std::string_view op, const Context& ctx,
             Span span) {
    if (lhs.kind == TypeKind::kError || rhs.kind == TypeKind::kError) return Type::error();
    if (lhs.untyped && rhs.untyped) return lhs;
    if (lhs.untyped || rhs.untyped) {
      const Type typed = lhs.untyped ? rhs : lhs;
      const Expr& bare = lhs.untyped ? lhs_expr : rhs_expr;
      const bool rate = typed.unit == Unit::kPercent || typed.unit == Unit::kBp;
      if (rate && !is_zero_literal(bare)) {
        const std::string literal = to_source(bare);
        sink_.error(DiagCode::kRateNeedsUnit, ctx.source, bare.span,
                    "bare number " + backticked(literal) + " beside " + describe(typed) + " needs a unit")
            .help = "write " + backticked(literal + std::string(typed.unit == Unit::kBp ? "bp" : "%")) +
                    ": percent and basis points are easy to confuse, so riskoff asks";
        return Type::error();
      }
      return typed;
    }
    if (lhs.unit == rhs.unit) return lhs;
    auto& diagnostic = sink_.error(DiagCode::kUnitMismatch, ctx.source, span,
                                   "cannot apply " + backticked(op) + " to " + describe(lhs) + " and " + describe(rhs));
    const bool rates = (lhs.unit == Unit::kPercent && rhs.unit == Unit::kBp) || (lhs.unit == Unit::kBp && rhs.unit == Unit::kPercent);
    diagnostic.help = rates ? "convert explicitly: `to_bp(x)` turns % into bp, `to_pct(x)` turns bp into %"
                            : "both sides must be in the same unit";
    return Type::error();
  }

  Type record(const Expr& expr, Type type) {
    rs_.types[&expr] = type;
    return type;
  }

  Type check(const Expr& expr, const Context& ctx) {
    return std::visit([&](const auto& kind) { return record(expr, check_kind(expr, kind, ctx)); }, expr.kind);
  }

  Type check_kind(const Expr&, const NumberLit& number, const Context&) { return literal_number_type(number); }
  Type check_kind(const Expr&, const BoolLit&, const Context&) { return Type::boolean(); }

  Type check_kind(const Expr& expr, const NameRef& ref, const Context& ctx) {
    const std::int64_t index = resolve(ref.name, ctx);
    if (index < 0) {
      unknown_name(ref.name, expr.span, ctx, "name");
      return Type::error();
    }
    rs_.references[&expr] = static_cast<std::uint32_t>(index);
    add_dep(ctx, static_cast<std::uint32_t>(index));
    return symbol_type(index);
  }

  Type check_kind(const Expr& expr, const Unary& unary, const Context& ctx) {
    const Type operand = value_of(check(*unary.operand, ctx));
    if (operand.kind == TypeKind::kError) return operand;
    if (unary.op == UnaryOp::kNot) {
      if (operand.kind != TypeKind::kBool) {
        sink_.error(DiagCode::kTypeMismatch, ctx.source, unary.operand->span, "`not` needs a condition, found " + describe(operand));
        return Type::error();
      }
      return operand;
    }
    if (operand.kind != TypeKind::kNumber && operand.kind != TypeKind::kDuration) {
      sink_.error(DiagCode::kTypeMismatch, ctx.source, expr.span, "cannot negate " + describe(operand));
      return Type::error();
    }
    return operand;
  }

  Type check_kind(const Expr& expr, const Binary& binary, const Context& ctx) {
    const Type lhs = value_of(check(*binary.lhs, ctx));
    const Type rhs = value_of(check(*binary.rhs, ctx));
    if (lhs.kind == TypeKind::kError || rhs.kind == TypeKind::kError) return Type::error();
    const std::string_view op = operator_text(binary.op);
    switch (binary.op) {
      case BinaryOp::kAnd:
      case BinaryOp::kOr: {
        for (const auto& [type, side] : {std::pair{lhs, binary.lhs.get()}, std::pair{rhs, binary.rhs.get()}}) {
          if (type.kind != TypeKind::kBool) {
            sink_.error(DiagCode::kTypeMismatch, ctx.source, side->span,
                        backticked(op) + " needs conditions on both sides, found " + describe(type))
                .help = "compare it with a threshold, e.g. `x > limit`";
            return Type::error();
          }
        }
        return Type::boolean();
      }
      case BinaryOp::kEq:
      case BinaryOp::kNe:
        if (lhs.kind == TypeKind::kBool && rhs.kind == TypeKind::kBool) return Type::boolean();
        [[fallthrough]];
      case BinaryOp::kLt:
      case BinaryOp::kLe:
      case BinaryOp::kGt:
      case BinaryOp::kGe: {
        if (!numeric(lhs, *binary.lhs, op, ctx) || !numeric(rhs, *binary.rhs, op, ctx)) return Type::error();
        if (unify(lhs, *binary.lhs, rhs, *binary.rhs, op, ctx, expr.span).kind == TypeKind::kError) return Type::error();
        return Type::boolean();
      }
      case BinaryOp::kAdd:
      case BinaryOp::kSub: {
        if (!numeric(lhs, *binary.lhs, op, ctx) || !numeric(rhs, *binary.rhs, op, ctx)) return Type::error();
        return unify(lhs, *binary.lhs, rhs, *binary.rhs, op, ctx, expr.span);
      }
      case BinaryOp::kMul: {
        if (!numeric(lhs, *binary.lhs, op, ctx) || !numeric(rhs, *binary.rhs, op, ctx)) return Type::error();
        const bool lhs_plain = lhs.untyped || lhs.unit == Unit::kNumber;
        const bool rhs_plain = rhs.untyped || rhs.unit == Unit::kNumber;
        if (lhs_plain) return rhs_plain ? Type{TypeKind::kNumber, Unit::kNumber, lhs.untyped && rhs.untyped} : rhs;
        if (rhs_plain) return lhs;
        sink_.error(DiagCode::kUnitMismatch, ctx.source, expr.span,
                    "cannot multiply " + describe(lhs) + " by " + describe(rhs))
            .help = "one side of `*` must be a plain number";
        return Type::error();
      }
      case BinaryOp::kDiv: {
        if (!numeric(lhs, *binary.lhs, op, ctx) || !numeric(rhs, *binary.rhs, op, ctx)) return Type::error();
        const bool rhs_plain = rhs.untyped || rhs.unit == Unit::kNumber;
        if (rhs_plain) return lhs;
        if (lhs.untyped || lhs.unit == rhs.unit) return Type::number(Unit::kNumber);  // a ratio
        sink_.error(DiagCode::kUnitMismatch, ctx.source, expr.span, "cannot divide " + describe(lhs) + " by " + describe(rhs))
            .help = "divide quantities of the same unit (a ratio) or by a plain number";
        return Type::error();
      }
    }
    return Type::error();
  }

  bool numeric(Type type, const Expr& side, std::string_view op, const Context& ctx) {
    if (type.kind == TypeKind::kNumber) return true;
    auto& diagnostic = sink_.error(DiagCode::kTypeMismatch, ctx.source, side.span,
                                   backticked(op) + " needs numbers, found " + describe(type));
    if (type.kind == TypeKind::kGroupSet)
      diagnostic.help = "a set of groups can only be used inside `any`, `all`, `count`, `at_least` or `score`";
    if (type.kind == TypeKind::kBool) diagnostic.help = "use `and`, `or` and `not` to combine conditions";
    return false;
  }

  Type check_kind(const Expr& expr, const IfExpr& value, const Context& ctx) {
    expect_condition(*value.condition, ctx, "`if`");
    const Type then_type = value_of(check(*value.then_value, ctx));
    const Type else_type = value_of(check(*value.else_value, ctx));
    if (then_type.kind == TypeKind::kError || else_type.kind == TypeKind::kError) return Type::error();
    if (then_type.kind == TypeKind::kBool && else_type.kind == TypeKind::kBool) return then_type;
    if (then_type.kind != else_type.kind) {
      sink_.error(DiagCode::kTypeMismatch, ctx.source, expr.span,
                  "the branches of `if` differ: " + describe(then_type) + " and " + describe(else_type));
      return Type::error();
    }
    if (then_type.kind != TypeKind::kNumber) return then_type;
    return unify(then_type, *value.then_value, else_type, *value.else_value, "if", ctx, expr.span);
  }

  // A window argument: a duration or bar count literal, or a parameter holding one.
  double check_window(const Expr& arg, const Context& ctx, double frequency_hours_value, bool& ok) {
    const Type type = check(arg, ctx);
    ok = false;
    if (type.kind == TypeKind::kError) return 0;
    if (type.kind != TypeKind::kDuration && type.kind != TypeKind::kBars) {
      sink_.error(DiagCode::kExpectedWindow, ctx.source, arg.span, "expected a window, found " + describe(type))
          .help = "a window is calendar time (`5d`, `4h`) or a count of observations (`30 bars`)";
      return 0;
    }
    const NumberLit* literal = window_literal(arg);
    if (literal == nullptr) {
      ok = true;
      return 0;
    }
    double bars = literal->value;
    double days = 0;
    if (literal->unit == LiteralUnit::kDays) days = literal->value;
    if (literal->unit == LiteralUnit::kHours) days = literal->value / 24;
    if (literal->unit != LiteralUnit::kBars) bars = days * 24 / std::max(1.0, frequency_hours_value);
    const bool whole = literal->unit != LiteralUnit::kBars || std::floor(literal->value) == literal->value;
    if (literal->value <= 0 || !whole || days > kMaxWindowDays || bars > kMaxWindowBars) {
      sink_.error(DiagCode::kInvalidWindow, ctx.source, arg.span, "window " + backticked(to_source(*literal)) + " is out of range")
          .help = "windows are positive, whole in bars, at most " + std::to_string(static_cast<int>(kMaxWindowDays)) +
                  " days and " + std::to_string(static_cast<int>(kMaxWindowBars)) + " bars";
      return 0;
    }
    ok = true;
    return bars;
  }

  const NumberLit* window_literal(const Expr& arg) const {
    if (const auto* number = std::get_if<NumberLit>(&arg.kind)) return number;
    if (const auto it = rs_.references.find(&arg); it != rs_.references.end()) {
      const Symbol& symbol = rs_.symbols[it->second];
      if (symbol.kind == SymbolKind::kParam) {
        const auto* param = static_cast<const ParamDecl*>(symbol.decl);
        return std::get_if<NumberLit>(&param->value->kind);
      }
    }
    return nullptr;
  }

  // The input a window function reads; reports and returns null when `arg` is not a series.
  const InputDecl* series_arg(const Expr& arg, const Context& ctx, std::string_view function) {
    const Type type = check(arg, ctx);
    if (type.kind == TypeKind::kError) return nullptr;
    const auto it = rs_.references.find(&arg);
    if (type.kind != TypeKind::kSeries || it == rs_.references.end()) {
      sink_.error(DiagCode::kExpectedSeries, ctx.source, arg.span,
                  backticked(function) + " reads a history: its first argument must be a series input, found " + describe(type))
          .help = "declare the data as `input NAME : series 1d ...` and pass it by name";
      return nullptr;
    }
    return static_cast<const InputDecl*>(rs_.symbols[it->second].decl);
  }

  double input_frequency_hours(const InputDecl& input) const {
    double hours = 24;
    frequency_hours(input.frequency, hours);
    return hours;
  }

  Type check_kind(const Expr& expr, const Call& call, const Context& ctx) {
    const Builtin* builtin = find_builtin(call.callee);
    if (builtin == nullptr) {
      auto& diagnostic = sink_.error(DiagCode::kUnknownFunction, ctx.source, call.callee_span, "unknown function " + backticked(call.callee));
      std::vector<std::string> names;
      for (const auto& candidate : builtins()) names.emplace_back(candidate.name);
      const std::string suggestion = closest_match(call.callee, names);
      if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
      else if (resolve(call.callee, ctx) >= 0) diagnostic.help = backticked(call.callee) + " is a value, not a function";
      for (const auto& arg : call.args) check(*arg.value, ctx);
      return Type::error();
    }
    const std::size_t count = call.args.size();
    if (count < builtin->min_args || (builtin->max_args != 255 && count > builtin->max_args)) {
      std::string expected = builtin->min_args == builtin->max_args ? std::to_string(builtin->min_args)
                             : builtin->max_args == 255 ? "at least " + std::to_string(builtin->min_args)
                                                        : std::to_string(builtin->min_args) + " to " + std::to_string(builtin->max_args);
      sink_.error(DiagCode::kWrongArity, ctx.source, expr.span,
                  backticked(call.callee) + " takes " + expected + " argument" + (expected == "1" ? "" : "s") + ", found " +
                      std::to_string(count))
          .help = "usage: " + std::string(builtin->signature);
      return Type::error();
    }
    for (const auto& arg : call.args) {
      if (arg.weight && builtin->shape != BuiltinShape::kScore) {
        sink_.error(DiagCode::kTypeMismatch, ctx.source, arg.weight->span, "weights (`condition: weight`) are only allowed in `score`");
        return Type::error();
      }
    }
    switch (builtin->shape) {
      case BuiltinShape::kSeriesAt: {
        const InputDecl* input = series_arg(*call.args[0].value, ctx, call.callee);
        if (input == nullptr) return Type::error();
        return Type::number(rs_.types[call.args[0].value.get()].unit);
      }
      case BuiltinShape::kSeriesWindow:
      case BuiltinShape::kPairWindow: {
        const bool pair = builtin->shape == BuiltinShape::kPairWindow;
        const InputDecl* input = series_arg(*call.args[0].value, ctx, call.callee);
        const InputDecl* other = pair ? series_arg(*call.args[1].value, ctx, call.callee) : nullptr;
        if (input == nullptr || (pair && other == nullptr)) return Type::error();
        double hours = input_frequency_hours(*input);
        if (pair) hours = std::min(hours, input_frequency_hours(*other));
        bool ok = false;
        const double bars = check_window(*call.args[pair ? 2 : 1].value, ctx, hours, ok);
        if (!ok) return Type::error();
        rs_.cost_bars += bars * (pair ? 2 : 1);
        const Unit unit = rs_.types[call.args[0].value.get()].unit;
        switch (builtin->result) {
          case ResultUnit::kSame: return Type::number(unit);
          case ResultUnit::kChange: return Type::number(unit == Unit::kPercent ? Unit::kBp : unit);
          case ResultUnit::kPercent: return Type::number(Unit::kPercent);
          case ResultUnit::kNumber: return Type::number(Unit::kNumber);
        }
        return Type::error();
      }
      case BuiltinShape::kScalarSameUnit: {
        Type result = value_of(check(*call.args[0].value, ctx));
        if (!numeric(result, *call.args[0].value, call.callee, ctx)) return Type::error();
        for (std::size_t index = 1; index < count; ++index) {
          const Type next = value_of(check(*call.args[index].value, ctx));
          if (!numeric(next, *call.args[index].value, call.callee, ctx)) return Type::error();
          result = unify(result, *call.args[0].value, next, *call.args[index].value, call.callee, ctx, expr.span);
          if (result.kind == TypeKind::kError) return result;
        }
        return result;
      }
      case BuiltinShape::kUnitConversion: {
        const Type arg = value_of(check(*call.args[0].value, ctx));
        if (!numeric(arg, *call.args[0].value, call.callee, ctx)) return Type::error();
        const bool to_bp = call.callee == "to_bp";
        const Unit from = to_bp ? Unit::kPercent : Unit::kBp;
        if (arg.untyped || arg.unit != from) {
          sink_.error(DiagCode::kUnitMismatch, ctx.source, call.args[0].value->span,
                      backticked(call.callee) + " converts a number in " + std::string(unit_symbol(from)) + ", found " + describe(arg));
          return Type::error();
        }
        return Type::number(to_bp ? Unit::kBp : Unit::kPercent);
      }
      case BuiltinShape::kAggregate:
      case BuiltinShape::kAtLeast:
      case BuiltinShape::kScore: {
        std::size_t first = 0;
        if (builtin->shape == BuiltinShape::kAtLeast) {
          first = 1;
          const Type n = value_of(check(*call.args[0].value, ctx));
          const auto* literal = std::get_if<NumberLit>(&call.args[0].value->kind);
          if (n.kind != TypeKind::kError &&
              (n.kind != TypeKind::kNumber || (!n.untyped && n.unit != Unit::kNumber) ||
               (literal != nullptr && (literal->value < 0 || std::floor(literal->value) != literal->value)))) {
            sink_.error(DiagCode::kTypeMismatch, ctx.source, call.args[0].value->span,
                        "`at_least` needs a whole count first, found " + describe(n));
            return Type::error();
          }
        }
        bool ok = true;
        for (std::size_t index = first; index < count; ++index) {
          const Type member = check(*call.args[index].value, ctx);
          if (member.kind != TypeKind::kBool && member.kind != TypeKind::kGroupSet && member.kind != TypeKind::kError) {
            sink_.error(DiagCode::kTypeMismatch, ctx.source, call.args[index].value->span,
                        backticked(call.callee) + " counts conditions, found " + describe(member))
                .help = "pass signals, groups, comparisons or a set such as `drivers`";
            ok = false;
          }
          if (const auto& weight = call.args[index].weight) {
            const Type weight_type = value_of(check(*weight, ctx));
            if (weight_type.kind != TypeKind::kNumber || (!weight_type.untyped && weight_type.unit != Unit::kNumber)) {
              if (weight_type.kind != TypeKind::kError) {
                sink_.error(DiagCode::kTypeMismatch, ctx.source, weight->span, "a weight must be a plain number, found " + describe(weight_type));
              }
              ok = false;
            }
          }
        }
        if (!ok) return Type::error();
        if (call.callee == "count" || call.callee == "score") return Type::number(Unit::kNumber);
        return Type::boolean();
      }
    }
    return Type::error();
  }

  // `{name}` placeholders must name something the explanation can show.
  void check_template(const Text& text, const Context& ctx) {
    const std::string& value = text.value;
    for (std::size_t at = 0; at < value.size(); ++at) {
      if (value[at] != '{') continue;
      if (at + 1 < value.size() && value[at + 1] == '{') {
        ++at;
        continue;
      }
      const std::size_t close = value.find('}', at);
      // +1 skips the opening quote of the literal in the source span.
      const auto begin = static_cast<std::uint32_t>(text.span.begin + 1 + at);
      if (close == std::string::npos) {
        sink_.error(DiagCode::kUnknownPlaceholder, ctx.source, {begin, begin + 1}, "unclosed `{` in explanation template")
            .help = "write `{name}` to show a value, `{{` for a literal brace";
        return;
      }
      const std::string name = value.substr(at + 1, close - at - 1);
      const Span span{begin, static_cast<std::uint32_t>(begin + close - at + 1)};
      const std::int64_t index = resolve(name, ctx);
      if (index < 0 || rs_.symbols[static_cast<std::size_t>(index)].kind == SymbolKind::kGroupSet) {
        auto& diagnostic = sink_.error(DiagCode::kUnknownPlaceholder, ctx.source, span,
                                       "template placeholder " + backticked("{" + name + "}") + " names nothing");
        const std::string suggestion = closest_match(name, visible_names(ctx));
        if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked("{" + suggestion + "}") + "?";
      } else {
        add_dep(ctx, static_cast<std::uint32_t>(index));
      }
      at = close;
    }
  }

  // ---- order ---------------------------------------------------------------------------------
  void order() {
    const std::size_t count = rs_.symbols.size();
    std::vector<std::uint8_t> state(count, 0);  // 0 new, 1 on the stack, 2 done
    std::vector<std::uint32_t> stack;
    std::vector<bool> reported(count, false);
    // Iterative DFS so that a long chain of lets cannot exhaust the stack.
    for (std::uint32_t start = 0; start < count; ++start) {
      if (state[start] != 0) continue;
      std::vector<std::pair<std::uint32_t, std::size_t>> frames{{start, 0}};
      state[start] = 1;
      stack.push_back(start);
      while (!frames.empty()) {
        auto& [node, next] = frames.back();
        auto& deps = rs_.symbols[node].deps;
        if (next < deps.size()) {
          const std::uint32_t dep = deps[next++];
          if (state[dep] == 0) {
            state[dep] = 1;
            stack.push_back(dep);
            frames.push_back({dep, 0});
          } else if (state[dep] == 1) {
            report_cycle(stack, dep, reported);
          }
          continue;
        }
        state[node] = 2;
        stack.pop_back();
        const SymbolKind kind = rs_.symbols[node].kind;
        if (kind == SymbolKind::kLet || kind == SymbolKind::kSignal || kind == SymbolKind::kGroup) {
          rs_.evaluation_order.push_back(node);
        }
        frames.pop_back();
      }
    }
  }

  void report_cycle(const std::vector<std::uint32_t>& stack, std::uint32_t target, std::vector<bool>& reported) {
    const auto from = std::find(stack.begin(), stack.end(), target);
    if (std::any_of(from, stack.end(), [&](std::uint32_t index) { return reported[index]; })) return;
    std::string path;
    for (auto it = from; it != stack.end(); ++it) {
      path += backticked(rs_.symbols[*it].name) + " -> ";
      reported[*it] = true;
    }
    path += backticked(rs_.symbols[target].name);
    const Symbol& symbol = rs_.symbols[target];
    sink_.error(DiagCode::kDependencyCycle, symbol.source, symbol.span, "dependency cycle: " + path)
        .help = "every value must be computable from inputs and parameters; break the cycle";
  }

  // ---- decide --------------------------------------------------------------------------------
  void check_profiles() {
    const Module& root = rs_.root();
    Context ctx{0, root.source, -1};
    std::map<std::string, const ProfileDecl*> seen;
    for (const auto& decl : root.decls) {
      const auto* profile = std::get_if<ProfileDecl>(&decl);
      if (profile == nullptr) continue;
      if (const auto [it, inserted] = seen.emplace(profile->name, profile); !inserted) {
        sink_.error(DiagCode::kDuplicateName, root.source, profile->name_span, "profile " + backticked(profile->name) + " is declared twice")
            .note = DiagnosticNote{root.source, it->second->name_span, "first declared here"};
        continue;
      }
      rs_.profiles.push_back({profile, profile->name});
      std::set<std::string> overridden;
      for (const auto& override : profile->overrides) {
        if (!overridden.insert(override.name).second) {
          sink_.error(DiagCode::kDuplicateName, root.source, override.name_span,
                      "parameter " + backticked(override.name) + " is overridden twice in profile " + backticked(profile->name));
          continue;
        }
        check_override(override, ctx, "profile " + backticked(profile->name));
      }
      bool otherwise_seen = false;
      std::vector<std::string> earlier_conditions;
      bool always_true_before = false;
      for (const auto& clause : profile->clauses) {
        if (otherwise_seen) {
          sink_.error(DiagCode::kClauseAfterOtherwise, root.source, clause.span,
                      "decision " + backticked(clause.action) + " comes after `otherwise` and can never be chosen")
              .help = "`otherwise` must be the last decision of a profile";
          continue;
        }
        if (!clause.condition) {
          otherwise_seen = true;
          continue;
        }
        expect_condition(*clause.condition, ctx, "decision " + backticked(clause.action));
        const std::string text = to_source(*clause.condition);
        const auto* literal = std::get_if<BoolLit>(&clause.condition->kind);
        const bool repeated = std::find(earlier_conditions.begin(), earlier_conditions.end(), text) != earlier_conditions.end();
        if (always_true_before || repeated || (literal != nullptr && !literal->value)) {
          sink_.error(DiagCode::kUnreachableClause, root.source, clause.condition->span,
                      "decision " + backticked(clause.action) + " can never be chosen")
              .help = always_true_before ? "an earlier decision's condition is always true"
                      : repeated         ? "an earlier decision has the same condition"
                                         : "its condition is always false";
        }
        if (literal != nullptr && literal->value) always_true_before = true;
        earlier_conditions.push_back(text);
      }
      if (!otherwise_seen) {
        sink_.error(DiagCode::kMissingOtherwise, root.source, profile->name_span,
                    "profile " + backticked(profile->name) + " has no `otherwise` decision")
            .help = "end the decisions with a default, e.g. `wait otherwise`";
      }
    }
  }

  // A parameter override (profile `param` or test `set`): the parameter must exist, and the
  // value must be a literal of the same unit.
  void check_override(const ParamDecl& override, const Context& ctx, const std::string& where) {
    const std::int64_t index = resolve(override.name, ctx);
    if (index < 0 || rs_.symbols[static_cast<std::size_t>(index)].kind != SymbolKind::kParam) {
      auto& diagnostic = sink_.error(DiagCode::kUnknownParam, ctx.source, override.name_span,
                                     where + " overrides unknown parameter " + backticked(override.name));
      std::vector<std::string> params;
      for (const auto& symbol : rs_.symbols) {
        if (symbol.kind == SymbolKind::kParam) params.push_back(symbol.name);
      }
      const std::string suggestion = closest_match(override.name, params);
      if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
      return;
    }
    Symbol& symbol = rs_.symbols[static_cast<std::size_t>(index)];
    const Type type = literal_type(*override.value, ctx.source, "the override of " + backticked(override.name));
    if (type.kind == TypeKind::kError || symbol.type.kind == TypeKind::kError) return;
    if (type.kind != symbol.type.kind || type.unit != symbol.type.unit) {
      const auto* number = std::get_if<NumberLit>(&override.value->kind);
      const bool bare = number != nullptr && number->unit == LiteralUnit::kNone;
      // A bare number may override a plain-number parameter.
      if (!(bare && symbol.type.kind == TypeKind::kNumber && symbol.type.unit == Unit::kNumber)) {
        sink_.error(DiagCode::kOverrideUnit, ctx.source, override.value->span,
                    backticked(override.name) + " is " + describe(symbol.type) + ", but the override is " + describe(type))
            .help = "keep the parameter's unit, e.g. `" + override.name + " = " + to_source(*static_cast<const ParamDecl*>(symbol.decl)->value) + "`";
        return;
      }
    }
    const auto* param = static_cast<const ParamDecl*>(symbol.decl);
    if (to_source(*param->value) == to_source(*override.value)) {
      sink_.error(DiagCode::kShadowedOverride, ctx.source, override.value->span,
                  where + " sets " + backticked(override.name) + " to its default value")
          .help = "remove the override, or change the value";
    }
  }

  void check_tests() {
    const Module& root = rs_.root();
    Context ctx{0, root.source, -1};
    for (const auto& decl : root.decls) {
      const auto* test = std::get_if<TestDecl>(&decl);
      if (test == nullptr) continue;
      if (test->expectations.empty()) {
        sink_.error(DiagCode::kTestWithoutExpect, root.source, test->name.span, "test " + backticked(test->name.value) + " expects nothing")
            .help = "add `expect PROFILE -> ACTION` or `expect NAME is true`";
      }
      if (test->as_of && !valid_timestamp(test->as_of->value)) {
        sink_.error(DiagCode::kInvalidTimestamp, root.source, test->as_of->span,
                    "invalid time " + backticked(test->as_of->value))
            .help = "write UTC as YYYY-MM-DDTHH:MM:SSZ, e.g. \"2026-02-04T21:00:00Z\"";
      }
      for (const auto& given : test->givens) {
        const std::int64_t index = resolve(given.input, ctx);
        if (index < 0) {
          unknown_name(given.input, given.input_span, ctx, "input");
          continue;
        }
        const Symbol& symbol = rs_.symbols[static_cast<std::size_t>(index)];
        if (symbol.kind != SymbolKind::kInput) {
          sink_.error(DiagCode::kNotAnInput, root.source, given.input_span,
                      backticked(given.input) + " is not an input; tests give values to inputs only")
              .help = "to change a parameter in a test, write `set NAME = VALUE`";
          continue;
        }
        const auto* input = static_cast<const InputDecl*>(symbol.decl);
        if (given.shape == Given::Shape::kSeries && !input->is_series) {
          sink_.error(DiagCode::kGivenShape, root.source, given.span, backticked(given.input) + " is a scalar input: give one value, not a list");
        } else if (given.shape == Given::Shape::kScalar && input->is_series) {
          sink_.error(DiagCode::kGivenShape, root.source, given.span,
                      backticked(given.input) + " is a series: give a list of values, oldest first, e.g. `[4.10, 4.18]`");
        } else if (given.shape == Given::Shape::kSeries && given.values.empty()) {
          sink_.error(DiagCode::kGivenShape, root.source, given.span,
                      "an empty list for " + backticked(given.input) + "; write `missing` to test absent data");
        }
        for (const auto& value : given.values) {
          if (value.unit != LiteralUnit::kNone) {
            sink_.error(DiagCode::kGivenShape, root.source, given.span,
                        "test values are written in the input's unit (" + input->unit + ") without a suffix");
            break;
          }
        }
        if (given.age && given.age->unit != LiteralUnit::kDays && given.age->unit != LiteralUnit::kHours) {
          sink_.error(DiagCode::kExpectedWindow, root.source, given.span, "`age` must be a duration such as `4d`");
        }
      }
      for (const auto& set : test->sets) check_override(set, ctx, "test " + backticked(test->name.value));
      for (const auto& expectation : test->expectations) check_expectation(expectation, ctx);
    }
  }

  void check_expectation(const Expectation& expectation, const Context& ctx) {
    if (expectation.kind == Expectation::Kind::kAction) {
      const auto profile = std::find_if(rs_.profiles.begin(), rs_.profiles.end(),
                                        [&](const CheckedProfile& p) { return p.name == expectation.subject; });
      if (profile == rs_.profiles.end()) {
        auto& diagnostic = sink_.error(DiagCode::kUnknownProfile, ctx.source, expectation.subject_span,
                                       "unknown profile " + backticked(expectation.subject));
        std::vector<std::string> names;
        for (const auto& p : rs_.profiles) names.push_back(p.name);
        const std::string suggestion = closest_match(expectation.subject, names);
        if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked(suggestion) + "?";
        return;
      }
      std::vector<std::string> actions;
      for (const auto& clause : profile->decl->clauses) actions.push_back(clause.action);
      if (std::find(actions.begin(), actions.end(), expectation.action) == actions.end()) {
        auto& diagnostic = sink_.error(DiagCode::kUnknownAction, ctx.source, expectation.action_span,
                                       "profile " + backticked(expectation.subject) + " never decides " + backticked(expectation.action));
        const std::string suggestion = closest_match(expectation.action, actions);
        diagnostic.help = suggestion.empty() ? "its actions are listed in its `decide` block"
                                             : "did you mean " + backticked(suggestion) + "?";
      }
      return;
    }
    const std::int64_t index = resolve(expectation.subject, ctx);
    if (index < 0) {
      unknown_name(expectation.subject, expectation.subject_span, ctx, "signal or group");
      return;
    }
    const SymbolKind kind = rs_.symbols[static_cast<std::size_t>(index)].kind;
    if (kind != SymbolKind::kSignal && kind != SymbolKind::kGroup) {
      sink_.error(DiagCode::kTypeMismatch, ctx.source, expectation.subject_span,
                  backticked(expectation.subject) + " is not a signal or group; only conditions can be expected true or false");
    }
  }

  static bool valid_timestamp(const std::string& text) {
    // YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD (midnight UTC).
    auto digits = [&](std::size_t at, std::size_t count) {
      if (at + count > text.size()) return false;
      for (std::size_t k = 0; k < count; ++k)
        if (!std::isdigit(static_cast<unsigned char>(text[at + k]))) return false;
      return true;
    };
    if (!(digits(0, 4) && text.size() >= 10 && text[4] == '-' && digits(5, 2) && text[7] == '-' && digits(8, 2))) return false;
    const int month = std::stoi(text.substr(5, 2));
    const int day = std::stoi(text.substr(8, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31) return false;
    if (text.size() == 10) return true;
    if (text.size() != 20 || text[10] != 'T' || !digits(11, 2) || text[13] != ':' || !digits(14, 2) || text[16] != ':' ||
        !digits(17, 2) || text[19] != 'Z')
      return false;
    return std::stoi(text.substr(11, 2)) < 24 && std::stoi(text.substr(14, 2)) < 60 && std::stoi(text.substr(17, 2)) < 61;
  }

  void check_cost() {
    if (rs_.cost_bars <= kMaxCostBars) return;
    const Module& root = rs_.root();
    const Span at = root.header ? root.header->name_span : Span{};
    std::ostringstream bars;
    bars << static_cast<long long>(rs_.cost_bars);
    sink_.error(DiagCode::kCostTooHigh, root.source, at,
                "one evaluation would read " + bars.str() + " observations; the limit is " +
                    std::to_string(static_cast<long long>(kMaxCostBars)))
        .help = "shorten the longest windows or use a lower-frequency input";
  }

  // ---- unused --------------------------------------------------------------------------------
  void warn_unused() {
    for (std::size_t index = 0; index < rs_.symbols.size(); ++index) {
      const Symbol& symbol = rs_.symbols[index];
      if (symbol.used) continue;
      switch (symbol.kind) {
        case SymbolKind::kInput:
          sink_.error(DiagCode::kUnusedInput, symbol.source, symbol.span, "input " + backticked(symbol.name) + " is never used")
              .help = "remove it, or use it in a signal; unused inputs still have to be supplied";
          break;
        case SymbolKind::kParam:
          sink_.error(DiagCode::kUnusedParam, symbol.source, symbol.span, "parameter " + backticked(symbol.name) + " is never used");
          break;
        case SymbolKind::kLet:
          sink_.error(DiagCode::kUnusedLet, symbol.source, symbol.span, "value " + backticked(symbol.name) + " is never used");
          break;
        default: break;
      }
    }
  }

  CheckedRuleset& rs_;
  DiagnosticSink& sink_;
  std::vector<std::size_t> symbol_module_;
  std::vector<std::uint8_t> let_state_;
};

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    // Levenshtein distance, two rows.
    std::vector<std::size_t> previous(candidate.size() + 1), current(candidate.size() + 1);
    for (std::size_t j = 0; j <= candidate.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      current[0] = i;
      for (std::size_t j = 1; j <= candidate.size(); ++j) {
        const std::size_t cost = word[i - 1] == candidate[j - 1] ? 0 : 1;
        current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      }
      std::swap(previous, current);
    }
    if (previous[candidate.size()] < best_distance) {
      best_distance = previous[candidate.size()];
      best = candidate;
    }
  }
  return best;
}

CheckResult check_text(std::string name, std::string text, const std::filesystem::path& directory) {
  CheckResult result;
  result.ruleset = std::make_unique<CheckedRuleset>();
  Checker checker(*result.ruleset, result.diagnostics);
  checker.run(std::move(name), std::move(text), directory);
  result.diagnostics.sort_by_location();
  return result;
}

CheckResult check_file(const std::filesystem::path& path) {
  std::string text;
  std::string error;
  if (!read_file(path, text, error)) {
    CheckResult result;
    result.io_error = path.string() + ": " + error;
    return result;
  }
  return check_text(path.string(), std::move(text), path.parent_path());
}

}  // namespace riskoff::engine
