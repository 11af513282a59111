// Ruleset: text or file in, checked and compiled plan out; problems as data; evaluation.
#include <cmath>
#include <filesystem>
#include <map>

#include "api/impl.hpp"
#include "engine/check.hpp"
#include "engine/ruleset_text.hpp"
#include "riskoff/authoring.hpp"
#include "riskoff/diagnostic.hpp"

namespace riskoff {

Problem problem_of(const Diagnostic& diagnostic, const SourceSet& sources) {
  Problem problem;
  problem.code = code_string(diagnostic.code);
  problem.is_error = diagnostic.severity == Severity::kError;
  const SourceFile& file = sources.file(diagnostic.source);
  problem.file = std::string(file.name());
  const LineCol at = file.line_col(diagnostic.span.begin);
  problem.line = at.line;
  problem.column = at.column;
  problem.message = diagnostic.message;
  problem.help = diagnostic.help;
  problem.text = render_text(diagnostic, sources);
  return problem;
}

namespace {

std::vector<Problem> problems_of(const engine::CheckResult& result) {
  std::vector<Problem> problems;
  for (const Diagnostic& diagnostic : result.diagnostics.all()) {
    problems.push_back(problem_of(diagnostic, result.sources));
  }
  return problems;
}

ParameterKind kind_of(const engine::ParamSlot& param) {
  switch (param.type.kind) {
    case engine::TypeKind::kDuration: return ParameterKind::kDuration;
    case engine::TypeKind::kBars: return ParameterKind::kBars;
    case engine::TypeKind::kBool: return ParameterKind::kCondition;
    default: return ParameterKind::kNumber;
  }
}

}  // namespace

Ruleset ruleset_from_plan(std::shared_ptr<const engine::Plan> plan) {
  const engine::CheckedRuleset& checked = plan->ruleset();
  auto impl = std::make_shared<Ruleset::Impl>();
  const dsl::Module& root = checked.root();
  if (root.header) {
    impl->name = root.header->name;
    impl->version = root.header->version.value;
  }
  // Same identity as the CLI's explanations and the audit store: the canonical text of the
  // import closure, so layout never changes it and an edited import does.
  impl->closure = engine::ruleset_text(checked);
  impl->content_hash = impl->closure.hash;
  impl->plan = std::move(plan);
  for (const auto& input : impl->plan->inputs()) {
    impl->inputs.push_back({input.name, input.unit, input.is_series, input.optional, input.max_age_seconds / 3600});
  }
  for (const auto& param : impl->plan->params()) {
    ParameterInfo info;
    info.name = param.name;
    info.kind = kind_of(param);
    info.unit = param.type.unit;
    if (param.decl != nullptr && param.decl->value) info.default_text = dsl::to_source(*param.decl->value);
    impl->parameters.push_back(std::move(info));
  }
  for (const auto& profile : impl->plan->profiles()) impl->profiles.push_back(profile.name);
  return ApiAccess::make_ruleset(std::move(impl));
}

namespace {

CompileResult finish(engine::CheckResult result) {
  CompileResult out;
  out.problems = problems_of(result);
  if (!result.ruleset || result.diagnostics.has_errors()) return out;
  std::shared_ptr<const engine::CheckedRuleset> checked = std::move(result.ruleset);
  out.ruleset.emplace(ruleset_from_plan(engine::Plan::compile(checked)));
  return out;
}

}  // namespace

CompileResult Ruleset::compile(std::string_view text, std::string name, std::string directory) {
  return finish(engine::check_text(std::move(name), std::string(text), directory));
}

CompileResult Ruleset::compile(std::string_view text, std::string name, std::vector<RuleSource> imports) {
  // Every file in memory under a name relative to the root's: imports resolve as written.
  const std::filesystem::path folder = std::filesystem::path(name).parent_path();
  std::map<std::string, std::string> files;
  for (auto& source : imports) files.emplace((folder / source.name).generic_string(), std::move(source.text));
  const engine::MemorySourceLoader loader(std::move(files));
  return finish(engine::check_text(std::move(name), std::string(text), loader));
}

CompileResult Ruleset::load(const std::string& path) {
  auto result = engine::check_file(path);
  if (!result.io_error.empty()) throw IoError(result.io_error);
  return finish(std::move(result));
}

CompileResult load_with_tests(const std::string& path) {
  auto result = engine::check_file(path, {.dump_after = {}, .sibling_tests = true});
  if (!result.io_error.empty()) throw IoError(result.io_error);
  return finish(std::move(result));
}

std::string tested_rule_file(std::string_view test_file) { return engine::tested_rule_file(test_file); }

const std::string& Ruleset::name() const { return impl_->name; }
const std::string& Ruleset::version() const { return impl_->version; }
const std::string& Ruleset::content_hash() const { return impl_->content_hash; }
std::vector<std::string> Ruleset::profiles() const { return impl_->profiles; }
std::vector<RulesetFileText> Ruleset::closure() const {
  std::vector<RulesetFileText> files;
  for (const auto& file : impl_->closure.files) files.push_back({file.path, file.text});
  return files;
}
const std::vector<InputInfo>& Ruleset::inputs() const { return impl_->inputs; }
const std::vector<ParameterInfo>& Ruleset::parameters() const { return impl_->parameters; }

}  // namespace riskoff
