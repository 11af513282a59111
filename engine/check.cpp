// The checker: driver, load, declare, order and unused passes (see checker.hpp).
#include "engine/check.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dsl/parse.hpp"
#include "engine/builtins.hpp"
#include "engine/checker.hpp"
#include "support/semver.hpp"

namespace riskoff::engine {
namespace detail {

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

void Checker::run(std::string name, std::string text, const fs::path& directory) {
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

void Checker::load(std::string name, std::string text, const fs::path& directory, const std::string& prefix,
          std::vector<fs::path>& stack) {
  const SourceId source = rs_.sources.add(std::move(name), std::move(text));
  auto module = dsl::parse(rs_.sources, source, sink_);
  const std::size_t module_index = rs_.modules.size();
  rs_.modules.push_back(std::move(module));
  rs_.prefixes.push_back(prefix);
  if (rs_.modules[module_index]->header) check_version(*rs_.modules[module_index]->header, source);
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

void Checker::check_version(const Header& header, SourceId source) {
  // What the registry orders and `ruleset diff` reasons about: SemVer 2.0.0, strictly.
  const std::string& version = header.version.value;
  if (!support::parse_semver(version)) {
    sink_.error(DiagCode::kInvalidVersion, source, header.version.span,
                "version " + backticked(version) + " is not a semantic version")
        .help = "write MAJOR.MINOR.PATCH, e.g. \"0.1.0\" or \"1.2.0-rc1\"";
  }
}

void Checker::declare_group_sets() {
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

bool Checker::add_symbol(Symbol symbol, Location where) {
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

void Checker::declare(std::size_t module_index) {
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
  for (const auto& [name, span] : module.failed_names) {
    if (rs_.by_name.count(prefix + name) != 0) continue;
    Symbol broken;
    broken.kind = SymbolKind::kBroken;
    broken.name = prefix + name;
    broken.source = module.source;
    broken.span = span;
    broken.used = true;
    const std::uint32_t index = static_cast<std::uint32_t>(rs_.symbols.size());
    if (add_symbol(std::move(broken), where)) symbol_module_.resize(index + 1), symbol_module_[index] = module_index;
  }
}

Type Checker::input_type(const InputDecl& input, SourceId source) {
  Unit unit = Unit::kNumber;
  const bool unit_known = parse_unit(input.unit, unit);
  if (!unit_known) {
    auto& diagnostic = sink_.error(DiagCode::kUnknownUnit, source, input.unit_span, "unknown unit " + backticked(input.unit));
    const std::string suggestion = closest_match(input.unit, {"percent", "bp", "usd", "index", "number"});
    diagnostic.help = suggestion.empty() ? "units are percent, bp, usd, index and number"
                                         : "did you mean " + backticked(suggestion) + "?";
  }
  if (input.is_series) {
    double hours = 0;
    if (!parse_frequency_hours(input.frequency, hours)) {
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
  if (!unit_known) return Type::error();  // reported; stays quiet where it is used
  return {input.is_series ? TypeKind::kSeries : TypeKind::kNumber, unit, false};
}

Type Checker::literal_type(const Expr& expr, SourceId source, const std::string& what) {
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

Type Checker::literal_number_type(const NumberLit& number) {
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

void Checker::order() {
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

void Checker::report_cycle(const std::vector<std::uint32_t>& stack, std::uint32_t target, std::vector<bool>& reported) {
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

void Checker::warn_unused() {
  // After a syntax error, what looks unused may be used by the declaration that was dropped.
  for (const auto& module : rs_.modules) {
    if (module->has_syntax_errors) return;
  }
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

}  // namespace detail


std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance: a swapped pair of letters (`chnage`) is one edit. A
  // suggestion must be close for its length, or it misleads more than it helps.
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 4);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::size_t rows = word.size() + 1;
    const std::size_t cols = candidate.size() + 1;
    std::vector<std::size_t> d(rows * cols);
    for (std::size_t i = 0; i < rows; ++i) d[i * cols] = i;
    for (std::size_t j = 0; j < cols; ++j) d[j] = j;
    for (std::size_t i = 1; i < rows; ++i) {
      for (std::size_t j = 1; j < cols; ++j) {
        const std::size_t cost = word[i - 1] == candidate[j - 1] ? 0 : 1;
        std::size_t value = std::min({d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost});
        if (i > 1 && j > 1 && word[i - 1] == candidate[j - 2] && word[i - 2] == candidate[j - 1]) {
          value = std::min(value, d[(i - 2) * cols + j - 2] + 1);
        }
        d[i * cols + j] = value;
      }
    }
    if (d[rows * cols - 1] < best_distance) {
      best_distance = d[rows * cols - 1];
      best = candidate;
    }
  }
  return best;
}

bool window_in_range(TypeKind kind, double value) {
  if (!(value > 0)) return false;
  if (kind == TypeKind::kBars) return value <= kMaxWindowBars && std::floor(value) == value;
  return value <= kMaxWindowDays * 86400;
}

std::string window_limits_text() {
  return "windows are positive, whole in bars, at most " + std::to_string(static_cast<int>(kMaxWindowDays)) +
         " days and " + std::to_string(static_cast<int>(kMaxWindowBars)) + " bars";
}

CheckResult check_text(std::string name, std::string text, const std::filesystem::path& directory) {
  CheckResult result;
  result.ruleset = std::make_unique<CheckedRuleset>();
  detail::Checker checker(*result.ruleset, result.diagnostics);
  checker.run(std::move(name), std::move(text), directory);
  result.diagnostics.sort_by_location();
  return result;
}

CheckResult check_file(const std::filesystem::path& path) {
  std::string text;
  std::string error;
  if (!detail::read_file(path, text, error)) {
    CheckResult result;
    result.io_error = path.string() + ": " + error;
    return result;
  }
  return check_text(path.string(), std::move(text), path.parent_path());
}

}  // namespace riskoff::engine
