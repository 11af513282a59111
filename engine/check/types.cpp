// The types pass: the bodies of every let, signal and group, typed by the TypeChecker, and the
// `{name}` placeholders of their explanation templates.
#include "engine/check/passes.hpp"
#include "engine/check/type_checker.hpp"

namespace riskoff::engine::detail {
namespace {

class TypesPass {
 public:
  explicit TypesPass(CheckContext& ctx) : ctx_(ctx), typer_(ctx) {}

  void run() {
    for (std::size_t index = 0; index < ctx_.rs.modules.size(); ++index) check_bodies(index);
  }

 private:
  void check_bodies(std::size_t module_index);
  // The symbol declared by `decl` under `name`, or -1 when a duplicate took the name.
  std::int64_t lookup_exact(const std::string& name, const void* decl) const;
  // `{name}` placeholders must name something the explanation can show.
  void check_template(const Text& text, const Scope& scope);

  CheckContext& ctx_;
  TypeChecker typer_;
};

void TypesPass::check_bodies(std::size_t module_index) {
  const Module& module = *ctx_.rs.modules[module_index];
  for (const auto& decl : module.decls) {
    if (const auto* let = std::get_if<LetDecl>(&decl)) {
      typer_.symbol_type(lookup_exact(ctx_.rs.prefixes[module_index] + let->name, let));
    } else if (const auto* signal = std::get_if<SignalDecl>(&decl)) {
      const auto index = lookup_exact(ctx_.rs.prefixes[module_index] + signal->name, signal);
      if (index < 0) continue;
      Scope scope{module_index, module.source, index};
      typer_.expect_condition(*signal->condition, scope, "signal " + backticked(signal->name));
      if (signal->because) check_template(*signal->because, scope);
    } else if (const auto* group = std::get_if<GroupDecl>(&decl)) {
      const auto index = lookup_exact(ctx_.rs.prefixes[module_index] + group->name, group);
      if (index < 0) continue;
      Scope scope{module_index, module.source, index};
      typer_.expect_condition(*group->condition, scope, std::string(group_keyword(group->kind)) + ' ' + backticked(group->name));
      if (group->because) check_template(*group->because, scope);
    }
  }
}

std::int64_t TypesPass::lookup_exact(const std::string& name, const void* decl) const {
  const auto it = ctx_.rs.by_name.find(name);
  if (it == ctx_.rs.by_name.end() || ctx_.rs.symbols[it->second].decl != decl) return -1;
  return it->second;
}


void TypesPass::check_template(const Text& text, const Scope& scope) {
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
      ctx_.sink.error(DiagCode::kUnknownPlaceholder, scope.source, {begin, begin + 1}, "unclosed `{` in explanation template")
          .help = "write `{name}` to show a value, `{{` for a literal brace";
      return;
    }
    const std::string name = value.substr(at + 1, close - at - 1);
    const Span span{begin, static_cast<std::uint32_t>(begin + close - at + 1)};
    const std::int64_t index = resolve(ctx_, name, scope);
    if (index >= 0 && ctx_.rs.symbols[static_cast<std::size_t>(index)].kind == SymbolKind::kGroupSet) {
      ctx_.sink.error(DiagCode::kUnknownPlaceholder, scope.source, span,
                  "template placeholder " + backticked("{" + name + "}") + " names a set of groups, not one value")
          .help = "show a count instead: `let " + name + "_on = count(" + name + ")` and `{" + name + "_on}`";
    } else if (index < 0) {
      auto& diagnostic = ctx_.sink.error(DiagCode::kUnknownPlaceholder, scope.source, span,
                                     "template placeholder " + backticked("{" + name + "}") + " names nothing");
      if (!last_shown(ctx_.sink)) {
        at = close;
        continue;
      }
      std::vector<std::string> candidates;
      for (const auto& candidate : visible_names(ctx_, scope)) {
        const auto it = ctx_.rs.by_name.find(candidate);
        if (it == ctx_.rs.by_name.end() || ctx_.rs.symbols[it->second].kind != SymbolKind::kGroupSet) candidates.push_back(candidate);
      }
      const std::string suggestion = closest_match(name, candidates);
      if (!suggestion.empty()) diagnostic.help = "did you mean " + backticked("{" + suggestion + "}") + "?";
    } else {
      // Templates are read after evaluation: a placeholder is a use, not a dependency.
      ctx_.rs.symbols[static_cast<std::size_t>(index)].used = true;
    }
    at = close;
  }
}

}  // namespace

void run_types(CheckContext& ctx) { TypesPass(ctx).run(); }

}  // namespace riskoff::engine::detail
