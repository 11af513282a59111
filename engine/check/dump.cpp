// What each pass established, section by section: modules (load), symbols (declare; types add
// types and dependencies, unused adds the unused mark), evaluation order, profiles, cost.
#include "engine/check/dump.hpp"

#include <algorithm>
#include <sstream>

#include "engine/check/passes.hpp"

namespace riskoff::engine::detail {
namespace {

std::size_t pass_index(std::string_view name) {
  for (std::size_t index = 0; index < kCheckPasses.size(); ++index) {
    if (kCheckPasses[index].name == name) return index;
  }
  return kCheckPasses.size();
}

std::string_view kind_name(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::kInput: return "input";
    case SymbolKind::kParam: return "param";
    case SymbolKind::kLet: return "let";
    case SymbolKind::kSignal: return "signal";
    case SymbolKind::kGroup: return "group";
    case SymbolKind::kGroupSet: return "groups";
    case SymbolKind::kBroken: return "broken";
  }
  return "?";
}

// Compact and stable: `number bp`, `series percent`, `condition`, `duration`, `bars`, `error`.
std::string type_text(Type type) {
  switch (type.kind) {
    case TypeKind::kError: return "error";
    case TypeKind::kBool: return "condition";
    case TypeKind::kNumber: return "number " + std::string(unit_name(type.unit));
    case TypeKind::kDuration: return "duration";
    case TypeKind::kBars: return "bars";
    case TypeKind::kSeries: return "series " + std::string(unit_name(type.unit));
    case TypeKind::kGroupSet: return "groups";
  }
  return "?";
}

void render_symbols(const CheckedRuleset& rs, std::size_t passes_run, std::ostringstream& out) {
  const bool typed = passes_run > pass_index("types");
  const bool unused_known = passes_run > pass_index("unused");
  out << "symbols\n";
  for (const auto& symbol : rs.symbols) {
    if (symbol.kind == SymbolKind::kGroupSet) continue;  // built in: drivers, checks, regimes, groups
    out << "  " << kind_name(symbol.kind) << ' ' << symbol.name;
    // Before the types pass a let's type is not known yet.
    if (typed || symbol.kind != SymbolKind::kLet) out << " : " << type_text(symbol.type);
    if (typed && !symbol.deps.empty()) {
      std::vector<std::uint32_t> deps;
      for (const auto dep : symbol.deps) {
        if (std::find(deps.begin(), deps.end(), dep) == deps.end()) deps.push_back(dep);
      }
      out << " <-";
      for (std::size_t index = 0; index < deps.size(); ++index) out << (index == 0 ? " " : ", ") << rs.symbols[deps[index]].name;
    }
    const bool may_be_unused = symbol.kind == SymbolKind::kInput || symbol.kind == SymbolKind::kParam || symbol.kind == SymbolKind::kLet;
    if (unused_known && may_be_unused && !symbol.used) out << "  (unused)";
    out << '\n';
  }
}

void render_profiles(const CheckedRuleset& rs, std::ostringstream& out) {
  out << "profiles\n";
  for (const auto& profile : rs.profiles) {
    out << "  " << profile.name;
    if (!profile.decl->overrides.empty()) {
      out << " sets";
      for (std::size_t index = 0; index < profile.decl->overrides.size(); ++index) {
        const auto& override = profile.decl->overrides[index];
        out << (index == 0 ? " " : ", ") << override.name << " = " << dsl::to_source(*override.value);
      }
      out << ';';
    }
    out << " decides";
    for (std::size_t index = 0; index < profile.decl->clauses.size(); ++index) {
      const auto& clause = profile.decl->clauses[index];
      out << (index == 0 ? " " : ", ") << clause.action << (clause.condition ? "" : " (otherwise)");
    }
    out << '\n';
  }
}

}  // namespace

std::string render_checked(const CheckedRuleset& rs, std::size_t passes_run) {
  std::ostringstream out;
  out << "# the checked form after";
  for (std::size_t index = 0; index < passes_run; ++index) out << (index == 0 ? " " : ", ") << kCheckPasses[index].name;
  out << "\nmodules\n";
  for (std::size_t index = 0; index < rs.modules.size(); ++index) {
    out << "  " << rs.sources.file(rs.modules[index]->source).name();
    if (!rs.prefixes[index].empty()) out << " as " << rs.prefixes[index].substr(0, rs.prefixes[index].size() - 1);
    out << '\n';
  }
  if (passes_run > pass_index("declare")) render_symbols(rs, passes_run, out);
  if (passes_run > pass_index("order")) {
    out << "evaluation order\n";
    for (const auto index : rs.evaluation_order) out << "  " << rs.symbols[index].name << '\n';
  }
  if (passes_run > pass_index("decide")) render_profiles(rs, out);
  if (passes_run > pass_index("cost")) {
    out << "cost\n  " << static_cast<long long>(rs.cost_bars) << " observations per evaluation (limit "
        << static_cast<long long>(kMaxCostBars) << ")\n";
  }
  return out.str();
}

}  // namespace riskoff::engine::detail
