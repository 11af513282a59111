// Ruleset: text or file in, checked and compiled plan out; problems as data; evaluation.
#include <cmath>

#include "api/impl.hpp"
#include "engine/check.hpp"
#include "engine/ruleset_text.hpp"
#include "riskoff/diagnostic.hpp"

namespace riskoff {
namespace {

std::vector<Problem> problems_of(const engine::CheckResult& result) {
  std::vector<Problem> problems;
  if (!result.ruleset) return problems;
  const SourceSet& sources = result.ruleset->sources;
  for (const Diagnostic& diagnostic : result.diagnostics.all()) {
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
    problems.push_back(std::move(problem));
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

CompileResult finish(engine::CheckResult result) {
  CompileResult out;
  out.problems = problems_of(result);
  if (!result.ruleset || result.diagnostics.has_errors()) return out;
  std::shared_ptr<const engine::CheckedRuleset> checked = std::move(result.ruleset);
  auto impl = std::make_shared<Ruleset::Impl>();
  const dsl::Module& root = checked->root();
  if (root.header) {
    impl->name = root.header->name;
    impl->version = root.header->version.value;
  }
  // Same identity as the CLI's explanations and the audit store: the canonical text of the
  // import closure, so layout never changes it and an edited import does.
  impl->content_hash = engine::ruleset_text(*checked).hash;
  impl->plan = engine::Plan::compile(checked);
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
  out.ruleset.emplace(ApiAccess::make_ruleset(std::move(impl)));
  return out;
}

}  // namespace

CompileResult Ruleset::compile(std::string_view text, std::string name, std::string directory) {
  return finish(engine::check_text(std::move(name), std::string(text), directory));
}

CompileResult Ruleset::load(const std::string& path) {
  auto result = engine::check_file(path);
  if (!result.io_error.empty()) throw IoError(result.io_error);
  return finish(std::move(result));
}

const std::string& Ruleset::name() const { return impl_->name; }
const std::string& Ruleset::version() const { return impl_->version; }
const std::string& Ruleset::content_hash() const { return impl_->content_hash; }
std::vector<std::string> Ruleset::profiles() const { return impl_->profiles; }
const std::vector<InputInfo>& Ruleset::inputs() const { return impl_->inputs; }
const std::vector<ParameterInfo>& Ruleset::parameters() const { return impl_->parameters; }

EvaluateResult Ruleset::evaluate(const Snapshot& snapshot, const EvaluateOptions& options) const {
  EvaluateResult result;
  const engine::Plan& plan = *impl_->plan;
  if (plan.profiles().empty()) {
    result.errors.push_back("ruleset `" + impl_->name + "` has no profile, so nothing to decide");
    result.problem = EvaluateResult::Problem::kOptions;
    return result;
  }
  std::int64_t profile = 0;
  if (!options.profile.empty()) {
    profile = plan.find_profile(options.profile);
    if (profile < 0) {
      std::string known;
      for (const auto& name : impl_->profiles) known += (known.empty() ? "" : ", ") + name;
      result.errors.push_back("unknown profile `" + options.profile + "`; profiles are: " + known);
      result.problem = EvaluateResult::Problem::kOptions;
      return result;
    }
  }
  std::vector<engine::ParamOverride> overrides;
  for (const auto& assignment : options.overrides) {
    engine::ParamOverride override;
    if (auto error = engine::parse_override(plan, assignment, override); !error.empty()) {
      result.errors.push_back("override `" + assignment + "`: " + error);
      continue;
    }
    overrides.push_back(override);
  }
  if (!result.errors.empty()) {
    result.problem = EvaluateResult::Problem::kOptions;
    return result;
  }

  if (!representable(snapshot.as_of())) {
    result.errors.push_back("the snapshot's as_of (" + std::to_string(snapshot.as_of()) +
                            ") is outside the years 0000 to 9999");
    result.problem = EvaluateResult::Problem::kSnapshot;
    return result;
  }
  auto decision = std::make_shared<Decision::Impl>();
  decision->ruleset = impl_;
  decision->snapshot = ApiAccess::of(snapshot);  // shared: the Snapshot copies before any later change
  ApiAccess::of(snapshot)->shared.store(true, std::memory_order_relaxed);
  auto bound = engine::bind(plan, decision->snapshot->snapshot);
  if (!bound.ok()) {
    result.errors = std::move(bound.errors);
    result.problem = EvaluateResult::Problem::kSnapshot;
    return result;
  }
  decision->bound = std::move(bound.bound);
  engine::evaluate(plan, decision->bound, static_cast<std::uint32_t>(profile), overrides, decision->evaluation);
  const auto& profile_plan = plan.profiles()[static_cast<std::size_t>(profile)];
  decision->profile = profile_plan.name;
  decision->as_of = decision->snapshot->snapshot.as_of;
  // Every profile ends in `otherwise` (the checker insists), so a clause always fires.
  decision->action = profile_plan.clauses.at(static_cast<std::size_t>(decision->evaluation.chosen)).clause->action;
  decision->keep_trace = options.keep_trace;
  if (!options.keep_trace) {
    // Keep the action and the unknown flag only; drop the per-node trace and the snapshot.
    decision->evaluation.values = {};
    decision->evaluation.params = {};
    decision->bound = {};
    decision->snapshot = nullptr;
  }
  result.decision.emplace(ApiAccess::make_decision(std::move(decision)));
  return result;
}

}  // namespace riskoff
