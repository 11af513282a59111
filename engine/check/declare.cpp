// The declare pass: one Symbol per input, param, let, signal and group of every module (and the
// built-in group sets), duplicates reported; inputs and params get their declared types.
#include <algorithm>
#include <set>

#include "engine/check/passes.hpp"

namespace riskoff::engine::detail {
namespace {

class DeclarePass {
 public:
  explicit DeclarePass(CheckContext& ctx) : ctx_(ctx) {}

  void run() {
    declare_group_sets();
    for (std::size_t index = 0; index < ctx_.rs.modules.size(); ++index) declare(index);
  }

 private:
  void declare_group_sets();
  void declare(std::size_t module_index);
  bool add_symbol(Symbol symbol, SourceId source, std::size_t module_index);
  Type input_type(const InputDecl& input, SourceId source);
  static InputSlot input_slot(const InputDecl& decl, const Symbol& symbol, std::uint32_t index);

  CheckContext& ctx_;
};

void DeclarePass::declare_group_sets() {
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
    add_symbol(std::move(symbol), {}, 0);
  }
}

bool DeclarePass::add_symbol(Symbol symbol, SourceId source, std::size_t module_index) {
  CheckedRuleset& rs = ctx_.rs;
  const auto index = static_cast<std::uint32_t>(rs.symbols.size());
  const auto [it, inserted] = rs.by_name.emplace(symbol.name, index);
  if (!inserted) {
    const Symbol& first = rs.symbols[it->second];
    auto& diagnostic = ctx_.sink.error(DiagCode::kDuplicateName, source, symbol.span, backticked(symbol.name) + " is declared twice");
    if (first.kind == SymbolKind::kGroupSet) {
      diagnostic.message = backticked(symbol.name) + " is a built-in set of groups and cannot be redeclared";
    } else {
      diagnostic.note = DiagnosticNote{first.source, first.span, "first declared here"};
    }
    return false;
  }
  rs.symbols.push_back(std::move(symbol));
  ctx_.symbol_module.resize(index + 1);
  ctx_.symbol_module[index] = module_index;
  return true;
}

void DeclarePass::declare(std::size_t module_index) {
  const Module& module = *ctx_.rs.modules[module_index];
  const std::string& prefix = ctx_.rs.prefixes[module_index];
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
      symbol.type = literal_type(ctx_, *param->value, module.source, "parameter " + backticked(param->name));
    } else if (const auto* let = std::get_if<LetDecl>(&decl)) {
      symbol.kind = SymbolKind::kLet;
      symbol.name = prefix + let->name;
      symbol.span = let->name_span;
      symbol.decl = let;
      symbol.body = let->value.get();
    } else if (const auto* signal = std::get_if<SignalDecl>(&decl)) {
      symbol.kind = SymbolKind::kSignal;
      symbol.name = prefix + signal->name;
      symbol.span = signal->name_span;
      symbol.decl = signal;
      symbol.body = signal->condition.get();
      symbol.type = Type::boolean();
    } else if (const auto* group = std::get_if<GroupDecl>(&decl)) {
      symbol.kind = SymbolKind::kGroup;
      symbol.name = prefix + group->name;
      symbol.span = group->name_span;
      symbol.decl = group;
      symbol.body = group->condition.get();
      symbol.group_kind = group->kind;
      symbol.type = Type::boolean();
      std::set<std::string> keys;
      for (const auto& meta : group->meta) {
        if (!keys.insert(meta.key).second) {
          ctx_.sink.error(DiagCode::kDuplicateMeta, module.source, meta.key_span,
                          "metadata " + backticked(meta.key) + " is given twice for " + backticked(group->name));
        }
      }
    } else {
      continue;
    }
    const auto index = static_cast<std::uint32_t>(ctx_.rs.symbols.size());
    if (!add_symbol(std::move(symbol), module.source, module_index)) continue;
    // The plan's slots, while the declaration is in the cache (check.hpp, InputSlot).
    const Symbol& added = ctx_.rs.symbols[index];
    if (added.kind == SymbolKind::kInput) {
      ctx_.rs.input_slots.push_back(input_slot(std::get<InputDecl>(decl), added, index));
    } else if (added.kind == SymbolKind::kParam) {
      const auto& param = std::get<ParamDecl>(decl);
      ctx_.rs.param_slots.push_back({added.name, &param, added.type, literal_value(*param.value)});
    }
  }
  for (const auto& [name, span] : module.failed_names) {
    if (ctx_.rs.by_name.count(prefix + name) != 0) continue;
    Symbol broken;
    broken.kind = SymbolKind::kBroken;
    broken.name = prefix + name;
    broken.source = module.source;
    broken.span = span;
    broken.used = true;
    add_symbol(std::move(broken), module.source, module_index);
  }
}

Type DeclarePass::input_type(const InputDecl& input, SourceId source) {
  DiagnosticSink& sink = ctx_.sink;
  Unit unit = Unit::kNumber;
  const bool unit_known = parse_unit(input.unit, unit);
  if (!unit_known) {
    auto& diagnostic = sink.error(DiagCode::kUnknownUnit, source, input.unit_span, "unknown unit " + backticked(input.unit));
    const std::string suggestion = closest_match(input.unit, {"percent", "bp", "usd", "index", "number"});
    diagnostic.help = suggestion.empty() ? "units are percent, bp, usd, index and number"
                                         : "did you mean " + backticked(suggestion) + "?";
  }
  if (input.is_series) {
    double hours = 0;
    if (!parse_frequency_hours(input.frequency, hours)) {
      sink.error(DiagCode::kInvalidFrequency, source, input.frequency_span, "invalid frequency " + backticked(input.frequency))
          .help = "a series frequency is a whole number of hours or days, e.g. `1h`, `4h`, `8h`, `1d`";
    }
  }
  if (input.max_age && input.max_age->unit != LiteralUnit::kDays && input.max_age->unit != LiteralUnit::kHours) {
    sink.error(DiagCode::kExpectedWindow, source, input.max_age_span,
               "`max_age` must be a duration, found " + backticked(to_source(*input.max_age)))
        .help = "write it in days or hours, e.g. `3d` or `12h`";
  } else if (input.max_age && input.max_age->value <= 0) {
    sink.error(DiagCode::kInvalidWindow, source, input.max_age_span, "`max_age` must be positive");
  }
  if (!input.calendar.empty() && input.calendar != "trading" && input.calendar != "crypto") {
    auto& diagnostic = sink.error(DiagCode::kUnknownUnit, source, input.calendar_span,
                                  "unknown calendar " + backticked(input.calendar));
    const std::string suggestion = closest_match(input.calendar, {"trading", "crypto"});
    diagnostic.help = suggestion.empty() ? "calendars are `trading` (252 days a year) and `crypto` (365 days, 24h)"
                                         : "did you mean " + backticked(suggestion) + "?";
  }
  if (!input.is_series && !input.calendar.empty()) {
    sink.error(DiagCode::kExpectedSeries, source, input.calendar_span, "only a series has a calendar");
  }
  if (!unit_known) return Type::error();  // reported; stays quiet where it is used
  return {input.is_series ? TypeKind::kSeries : TypeKind::kNumber, unit, false};
}

InputSlot DeclarePass::input_slot(const InputDecl& decl, const Symbol& symbol, std::uint32_t index) {
  InputSlot slot;
  slot.name = symbol.name;
  slot.symbol = index;
  slot.decl = &decl;
  slot.unit = symbol.type.unit;
  slot.is_series = decl.is_series;
  slot.optional = decl.optional;
  if (decl.max_age) slot.max_age_seconds = number_value(*decl.max_age);
  if (decl.is_series) parse_frequency_hours(decl.frequency, slot.frequency_hours);  // scalars: read as daily
  // Periods per year: a trading year has 252 sessions, a crypto year 365 days of 24h.
  const bool crypto = decl.calendar == "crypto";
  const double days_per_year = crypto ? 365 : 252;
  const double hours_per_day = crypto ? 24 : 6.5;
  // Daily and multi-day bars: sessions (or days) per year over the bar's length; weekly
  // and longer bars span calendar time on every calendar (52 weeks a year).
  const double bar_days = slot.frequency_hours / 24;
  slot.annualization = bar_days >= 7   ? 365.0 / bar_days
                       : bar_days >= 1 ? days_per_year / bar_days
                                       : days_per_year * std::max(1.0, hours_per_day / slot.frequency_hours);
  return slot;
}

}  // namespace

void run_declare(CheckContext& ctx) { DeclarePass(ctx).run(); }

}  // namespace riskoff::engine::detail
