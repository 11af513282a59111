// index_rules(): names, places and diagnostics of a rule file for an editor (riskoff-lsp), read
// from the checker's own result, kept even when the checker found errors.
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <type_traits>
#include <unordered_map>

#include "api/impl.hpp"
#include "engine/check.hpp"
#include "engine/source_loader.hpp"
#include "engine/types.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff {

namespace {

namespace fs = std::filesystem;

std::string normal_path(std::string_view path) { return fs::path(path).lexically_normal().string(); }

// Files on disk, except those an editor holds unsaved: their text wins.
class OverlayLoader final : public engine::SourceLoader {
 public:
  explicit OverlayLoader(const std::vector<RuleSource>& open_files) {
    for (const auto& file : open_files) open_.emplace(normal_path(file.name), file.text);
  }
  engine::ImportTarget locate(std::string_view import_path, std::string_view importing_file) const override {
    return disk_.locate(import_path, importing_file);
  }
  Result<std::string> read(const std::string& name) const override {
    if (const auto it = open_.find(normal_path(name)); it != open_.end()) return it->second;
    return disk_.read(name);
  }

 private:
  engine::FileSourceLoader disk_;
  std::map<std::string, std::string> open_;
};

IndexedKind kind_of(engine::SymbolKind kind) {
  switch (kind) {
    case engine::SymbolKind::kInput: return IndexedKind::kInput;
    case engine::SymbolKind::kParam: return IndexedKind::kParam;
    case engine::SymbolKind::kLet: return IndexedKind::kLet;
    case engine::SymbolKind::kSignal: return IndexedKind::kSignal;
    default: return IndexedKind::kGroup;
  }
}

// "did you mean `x`?" is how every checker pass words the fix it knows.
std::string suggested_name(const std::string& help) {
  static constexpr std::string_view kLead = "did you mean `";
  if (!help.starts_with(kLead) || !help.ends_with("`?")) return {};
  std::string name = help.substr(kLead.size(), help.size() - kLead.size() - 2);
  if (name.empty() || name.front() == '{' || name.find('`') != std::string::npos) return {};
  return name;
}

// Builds the index from one checked ruleset; one instance per index_rules() call.
class IndexBuilder {
 public:
  IndexBuilder(const engine::CheckedRuleset& rs, RulesetIndex& index) : rs_(rs), index_(index) {}

  void run() {
    for (std::size_t symbol_idx = 0; symbol_idx < rs_.symbols.size(); ++symbol_idx) declare(symbol_idx);
    for (std::size_t module_idx = 0; module_idx < rs_.modules.size(); ++module_idx) {
      if (module_idx == 0) declare_root_only(*rs_.modules[0]);
      walk(*rs_.modules[module_idx], rs_.prefixes[module_idx]);
    }
    for (const auto& test_file : rs_.test_files) {  // NAME_test.rules and its parts, in the root's scope
      declare_root_only(*test_file);
      walk(*test_file, "");
    }
  }

 private:
  TextRange range(SourceId source, Span span) const {
    return {std::string(rs_.sources.file(source).name()), span.begin, span.end};
  }

  void declare(std::size_t symbol_idx) {
    const engine::Symbol& symbol = rs_.symbols[symbol_idx];
    if (symbol.kind == engine::SymbolKind::kGroupSet || symbol.kind == engine::SymbolKind::kBroken) return;
    IndexedSymbol out;
    out.name = symbol.name;
    out.kind = kind_of(symbol.kind);
    out.declaration = range(symbol.source, symbol.span);
    if (symbol.type.kind != engine::TypeKind::kError) {
      out.type = engine::describe(symbol.type);
      const bool quantity = symbol.type.kind == engine::TypeKind::kNumber || symbol.type.kind == engine::TypeKind::kSeries;
      if (quantity && !symbol.type.untyped) out.unit = std::string(engine::unit_symbol(symbol.type.unit));
    }
    describe_decl(symbol, out);
    by_symbol_[symbol_idx] = index_.symbols.size();
    index_.symbols.push_back(std::move(out));
  }

  void describe_decl(const engine::Symbol& symbol, IndexedSymbol& out) const {
    switch (symbol.kind) {
      case engine::SymbolKind::kInput: {
        const auto& input = *static_cast<const dsl::InputDecl*>(symbol.decl);
        out.keyword = "input";
        out.value = (input.is_series ? "series " + input.frequency : std::string("scalar")) + " " + input.unit;
        if (input.max_age) out.max_age = dsl::to_source(*input.max_age);
        out.optional = input.optional;
        if (input.description) out.doc = input.description->value;
        out.extent = range(symbol.source, input.span);
        break;
      }
      case engine::SymbolKind::kParam: {
        const auto& param = *static_cast<const dsl::ParamDecl*>(symbol.decl);
        out.keyword = "param";
        if (param.value) out.value = dsl::to_source(*param.value);
        if (param.reason) out.doc = param.reason->value;
        out.extent = range(symbol.source, param.span);
        break;
      }
      case engine::SymbolKind::kLet: {
        const auto& let = *static_cast<const dsl::LetDecl*>(symbol.decl);
        out.keyword = "let";
        if (let.value) out.value = dsl::to_source(*let.value);
        out.extent = range(symbol.source, let.span);
        break;
      }
      case engine::SymbolKind::kSignal: {
        const auto& signal = *static_cast<const dsl::SignalDecl*>(symbol.decl);
        out.keyword = "signal";
        out.doc = signal.title.value;
        if (signal.condition) out.value = dsl::to_source(*signal.condition);
        out.extent = range(symbol.source, signal.span);
        break;
      }
      default: {
        const auto& group = *static_cast<const dsl::GroupDecl*>(symbol.decl);
        out.keyword = std::string(dsl::group_keyword(group.kind));
        out.doc = group.title.value;
        if (group.condition) out.value = dsl::to_source(*group.condition);
        out.extent = range(symbol.source, group.span);
        break;
      }
    }
  }

  // Profiles (the root's), fixtures and tests: names the checker keeps no symbol for.
  void declare_root_only(const dsl::Module& module) {
    for (const auto& decl : module.decls) {
      IndexedSymbol out;
      if (const auto* profile = std::get_if<dsl::ProfileDecl>(&decl)) {
        if (module.header && module.header->tests) continue;
        out.name = profile->name;
        out.kind = IndexedKind::kProfile;
        out.keyword = "profile";
        if (profile->title) out.doc = profile->title->value;
        out.declaration = range(module.source, profile->name_span);
        out.extent = range(module.source, profile->span);
        profiles_[profile->name] = index_.symbols.size();
        for (const auto& clause : profile->clauses) {
          if (std::find(index_.actions.begin(), index_.actions.end(), clause.action) == index_.actions.end()) {
            index_.actions.push_back(clause.action);
          }
        }
      } else if (const auto* fixture = std::get_if<dsl::FixtureDecl>(&decl)) {
        out.name = fixture->name;
        out.kind = IndexedKind::kFixture;
        out.keyword = "fixture";
        if (fixture->title) out.doc = fixture->title->value;
        out.declaration = range(module.source, fixture->name_span);
        out.extent = range(module.source, fixture->span);
        fixtures_[fixture->name] = index_.symbols.size();
      } else if (const auto* test = std::get_if<dsl::TestDecl>(&decl)) {
        out.name = test->name.value;
        out.kind = IndexedKind::kTest;
        out.keyword = "test";
        out.declaration = range(module.source, test->name.span);
        out.extent = range(module.source, test->span);
      } else {
        continue;
      }
      index_.symbols.push_back(std::move(out));
    }
  }

  // A use of symbol `symbol_idx` spelt `written` at `span`: the reference is the last segment, the
  // part a rename changes (`macro.rates_up` -> `rates_up`).
  void refer(std::size_t symbol_idx, const std::string& written, SourceId source, Span span) {
    const auto it = by_symbol_.find(symbol_idx);
    if (it == by_symbol_.end()) return;
    const std::string& declared = rs_.symbols[symbol_idx].name;
    const std::size_t dot = declared.rfind('.');
    const auto last = static_cast<std::uint32_t>(dot == std::string::npos ? declared.size() : declared.size() - dot - 1);
    if (written.size() >= last && span.end >= last && span.end - span.begin == written.size()) span.begin = span.end - last;
    index_.symbols[it->second].references.push_back(range(source, span));
  }

  void refer_by_name(const std::string& prefix, const std::string& name, SourceId source, Span span) {
    if (const auto it = rs_.by_name.find(prefix + name); it != rs_.by_name.end()) refer(it->second, name, source, span);
  }

  void refer_root_only(const std::map<std::string, std::size_t>& names, const std::string& name, SourceId source, Span span) {
    if (const auto it = names.find(name); it != names.end()) index_.symbols[it->second].references.push_back(range(source, span));
  }

  void walk(const dsl::Expr* expr, SourceId source) {
    if (expr == nullptr) return;
    std::visit(
        [&](const auto& kind) {
          using K = std::decay_t<decltype(kind)>;
          if constexpr (std::is_same_v<K, dsl::NameRef>) {
            if (const std::uint32_t* ref = rs_.references.find(expr)) refer(*ref, kind.name, source, expr->span);
          } else if constexpr (std::is_same_v<K, dsl::Unary>) {
            walk(kind.operand.get(), source);
          } else if constexpr (std::is_same_v<K, dsl::Binary>) {
            walk(kind.lhs.get(), source);
            walk(kind.rhs.get(), source);
          } else if constexpr (std::is_same_v<K, dsl::Call>) {
            for (const auto& arg : kind.args) {
              walk(arg.value.get(), source);
              walk(arg.weight.get(), source);
            }
          } else if constexpr (std::is_same_v<K, dsl::IfExpr>) {
            walk(kind.condition.get(), source);
            walk(kind.then_value.get(), source);
            walk(kind.else_value.get(), source);
          }
        },
        expr->kind);
  }

  void walk_steps(const std::vector<dsl::Given>& givens, const std::vector<dsl::ParamDecl>& sets, SourceId source) {
    for (const auto& given : givens) refer_by_name("", given.input, source, given.input_span);
    for (const auto& set : sets) refer_by_name("", set.name, source, set.name_span);
  }

  void walk(const dsl::Module& module, const std::string& prefix) {
    const SourceId source = module.source;
    for (const auto& decl : module.decls) {
      if (const auto* param = std::get_if<dsl::ParamDecl>(&decl)) walk(param->value.get(), source);
      else if (const auto* let = std::get_if<dsl::LetDecl>(&decl)) walk(let->value.get(), source);
      else if (const auto* signal = std::get_if<dsl::SignalDecl>(&decl)) walk(signal->condition.get(), source);
      else if (const auto* group = std::get_if<dsl::GroupDecl>(&decl)) walk(group->condition.get(), source);
      else if (const auto* profile = std::get_if<dsl::ProfileDecl>(&decl)) {
        for (const auto& override : profile->overrides) refer_by_name(prefix, override.name, source, override.name_span);
        for (const auto& clause : profile->clauses) walk(clause.condition.get(), source);
      } else if (const auto* fixture = std::get_if<dsl::FixtureDecl>(&decl)) {
        walk_steps(fixture->givens, fixture->sets, source);
      } else if (const auto* test = std::get_if<dsl::TestDecl>(&decl)) {
        walk_steps(test->givens, test->sets, source);
        if (!test->fixture.empty()) refer_root_only(fixtures_, test->fixture, source, test->fixture_span);
        for (const auto& expectation : test->expectations) {
          if (expectation.kind == dsl::Expectation::Kind::kAction) {
            refer_root_only(profiles_, expectation.subject, source, expectation.subject_span);
          } else {
            refer_by_name("", expectation.subject, source, expectation.subject_span);
          }
        }
      }
    }
  }

  const engine::CheckedRuleset& rs_;
  RulesetIndex& index_;
  std::unordered_map<std::size_t, std::size_t> by_symbol_;  // engine symbol -> index_.symbols
  std::map<std::string, std::size_t> profiles_;
  std::map<std::string, std::size_t> fixtures_;
};

// The comparison or arithmetic at exactly `span` under `expr`, or nullptr.
const dsl::Binary* binary_at(const dsl::Expr* expr, Span span) {
  if (expr == nullptr || expr->span.begin > span.begin || expr->span.end < span.end) return nullptr;
  return std::visit(
      [&](const auto& kind) -> const dsl::Binary* {
        using K = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<K, dsl::Binary>) {
          if (expr->span.begin == span.begin && expr->span.end == span.end) return &kind;
          if (const auto* found = binary_at(kind.lhs.get(), span)) return found;
          return binary_at(kind.rhs.get(), span);
        } else if constexpr (std::is_same_v<K, dsl::Unary>) {
          return binary_at(kind.operand.get(), span);
        } else if constexpr (std::is_same_v<K, dsl::Call>) {
          for (const auto& arg : kind.args) {
            if (const auto* found = binary_at(arg.value.get(), span)) return found;
          }
          return nullptr;
        } else if constexpr (std::is_same_v<K, dsl::IfExpr>) {
          for (const auto* part : {kind.condition.get(), kind.then_value.get(), kind.else_value.get()}) {
            if (const auto* found = binary_at(part, span)) return found;
          }
          return nullptr;
        } else {
          return nullptr;
        }
      },
      expr->kind);
}

const dsl::Binary* binary_at(const dsl::Module& module, Span span) {
  for (const auto& decl : module.decls) {
    const dsl::Binary* found = nullptr;
    if (const auto* let = std::get_if<dsl::LetDecl>(&decl)) found = binary_at(let->value.get(), span);
    else if (const auto* signal = std::get_if<dsl::SignalDecl>(&decl)) found = binary_at(signal->condition.get(), span);
    else if (const auto* group = std::get_if<dsl::GroupDecl>(&decl)) found = binary_at(group->condition.get(), span);
    else if (const auto* profile = std::get_if<dsl::ProfileDecl>(&decl)) {
      for (const auto& clause : profile->clauses) {
        if (!found) found = binary_at(clause.condition.get(), span);
      }
    }
    if (found != nullptr) return found;
  }
  return nullptr;
}

// `a > b` where one side is in % and the other in bp: the same text with the % side wrapped in
// `to_bp(...)` (what the checker's help says to write), or empty.
std::string to_bp_fix(const engine::CheckedRuleset& rs, const Diagnostic& diagnostic) {
  const dsl::Binary* binary = nullptr;
  for (const auto& module : rs.modules) {
    if (module->source == diagnostic.source) binary = binary_at(*module, diagnostic.span);
  }
  if (binary == nullptr) return {};
  const auto unit_of = [&](const dsl::Expr& expr) -> std::optional<Unit> {
    const engine::Type* type = rs.types.find(&expr);
    if (type == nullptr || type->untyped) return std::nullopt;
    if (type->kind != engine::TypeKind::kNumber && type->kind != engine::TypeKind::kSeries) return std::nullopt;
    return type->unit;
  };
  const auto lhs = unit_of(*binary->lhs);
  const auto rhs = unit_of(*binary->rhs);
  if (!lhs || !rhs) return {};
  const bool wrap_lhs = *lhs == Unit::kPercent && *rhs == Unit::kBp;
  const bool wrap_rhs = *lhs == Unit::kBp && *rhs == Unit::kPercent;
  if (!wrap_lhs && !wrap_rhs) return {};
  const std::string_view text = rs.sources.file(diagnostic.source).text();
  const auto slice = [&](std::uint32_t begin, std::uint32_t end) { return std::string(text.substr(begin, end - begin)); };
  std::string left = slice(binary->lhs->span.begin, binary->lhs->span.end);
  std::string right = slice(binary->rhs->span.begin, binary->rhs->span.end);
  if (wrap_lhs) left = "to_bp(" + left + ")";
  if (wrap_rhs) right = "to_bp(" + right + ")";
  return left + slice(binary->lhs->span.end, binary->rhs->span.begin) + right;
}

// E0306's help says what to write: "write `15bp`: ...".
std::string written_literal(const Diagnostic& diagnostic) {
  static constexpr std::string_view kLead = "write `";
  if (diagnostic.code != DiagCode::kRateNeedsUnit || !diagnostic.help.starts_with(kLead)) return {};
  const std::size_t end = diagnostic.help.find('`', kLead.size());
  return end == std::string::npos ? std::string() : diagnostic.help.substr(kLead.size(), end - kLead.size());
}

bool contains(const TextRange& range, std::string_view file, std::uint32_t offset) {
  return range.file == file && range.begin <= offset && offset <= range.end;
}

}  // namespace

const char* indexed_kind_name(IndexedKind kind) {
  switch (kind) {
    case IndexedKind::kInput: return "input";
    case IndexedKind::kParam: return "param";
    case IndexedKind::kLet: return "let";
    case IndexedKind::kSignal: return "signal";
    case IndexedKind::kGroup: return "group";
    case IndexedKind::kProfile: return "profile";
    case IndexedKind::kFixture: return "fixture";
    case IndexedKind::kTest: return "test";
  }
  return "let";
}

const IndexedSymbol* RulesetIndex::symbol_at(std::string_view file, std::uint32_t offset) const {
  for (const auto& symbol : symbols) {
    if (contains(symbol.declaration, file, offset)) return &symbol;
    for (const auto& reference : symbol.references) {
      if (contains(reference, file, offset)) return &symbol;
    }
  }
  return nullptr;
}

const std::string* RulesetIndex::text_of(std::string_view file) const {
  for (const auto& entry : files) {
    if (entry.path == file) return &entry.text;
  }
  return nullptr;
}

RulesetIndex index_rules(std::string_view text, const std::string& path, const IndexOptions& options) {
  std::vector<RuleSource> open_files = options.open_files;
  open_files.push_back({path, std::string(text)});
  const OverlayLoader loader(open_files);
  // A test file is read as `riskoff check` reads it: beside the ruleset it tests.
  std::string root = path;
  std::string root_text(text);
  if (const std::string tested = engine::tested_rule_file(path); !tested.empty()) {
    if (auto tested_text = loader.read(tested)) {
      root = tested;
      root_text = std::move(tested_text).value();
    }
  }
  const auto result = engine::check_text(root, std::move(root_text), loader,
                                         {.dump_after = {}, .sibling_tests = true, .keep = engine::KeepChecked::kAlways});
  RulesetIndex index;
  for (std::size_t source_idx = 0; source_idx < result.sources.size(); ++source_idx) {
    const SourceFile& file = result.sources.file(static_cast<SourceId>(source_idx));
    index.files.push_back({std::string(file.name()), std::string(file.text())});
  }
  index.group_sets = {"drivers", "checks", "regimes", "groups"};
  if (result.ruleset) IndexBuilder(*result.ruleset, index).run();
  for (const auto& diagnostic : result.diagnostics.all()) {
    IndexedDiagnostic out;
    out.problem = problem_of(diagnostic, result.sources);
    out.range = {std::string(result.sources.file(diagnostic.source).name()), diagnostic.span.begin, diagnostic.span.end};
    if (diagnostic.note) {
      out.related = TextRange{std::string(result.sources.file(diagnostic.note->source).name()), diagnostic.note->span.begin,
                              diagnostic.note->span.end};
      out.related_message = diagnostic.note->message;
    }
    out.replacement = suggested_name(diagnostic.help);
    if (out.replacement.empty()) out.replacement = written_literal(diagnostic);
    if (out.replacement.empty() && diagnostic.code == DiagCode::kUnitMismatch && result.ruleset) {
      out.replacement = to_bp_fix(*result.ruleset, diagnostic);
    }
    index.diagnostics.push_back(std::move(out));
  }
  return index;
}

}  // namespace riskoff
