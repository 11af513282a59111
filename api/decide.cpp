// decide(): how a decision is made, in one place. Find the profile, apply the overrides, bind
// the snapshot, evaluate, and keep what the caller asked for. Every caller — the CLI's eval,
// audit recheck and test, the golden files, Ruleset::evaluate and the C API — comes here, so
// they cannot drift apart (they once did: exit codes, as_of checks and hashes differed).
#include "api/impl.hpp"
#include "engine/check.hpp"

namespace riskoff {

Result<std::uint32_t> resolve_profile(const Ruleset::Impl& ruleset, const std::string& name) {
  const engine::Plan& plan = *ruleset.plan;
  if (plan.profiles().empty()) {
    return Error(ErrorKind::kRuleset, "ruleset `" + ruleset.name + "` has no profile, so nothing to decide");
  }
  if (name.empty()) return 0U;
  const std::int64_t profile = plan.find_profile(name);
  if (profile >= 0) return static_cast<std::uint32_t>(profile);
  std::string known;
  for (const auto& candidate : ruleset.profiles) known += (known.empty() ? "" : ", ") + candidate;
  const std::string suggestion = engine::closest_match(name, ruleset.profiles);
  return Error(ErrorKind::kUsage, "unknown profile `" + name + "`; " +
                                      (suggestion.empty() ? "" : "did you mean `" + suggestion + "`? ") +
                                      "profiles are: " + known);
}

// Every malformed override is reported, not only the first.
Result<std::vector<engine::ParamOverride>> resolve_overrides(const engine::Plan& plan,
                                                           const std::vector<std::string>& assignments) {
  std::vector<engine::ParamOverride> overrides;
  std::vector<std::string> errors;
  for (const auto& assignment : assignments) {
    engine::ParamOverride override;
    if (auto error = engine::parse_override(plan, assignment, override); !error.empty()) {
      errors.push_back("override `" + assignment + "`: " + error);
      continue;
    }
    overrides.push_back(override);
  }
  if (!errors.empty()) return Error(ErrorKind::kUsage, std::move(errors));
  return overrides;
}

Result<Decision> decide(const Ruleset& ruleset, const Snapshot& snapshot, const DecideOptions& options) {
  const Ruleset::Impl& rules = ApiAccess::of(ruleset);
  auto profile = resolve_profile(rules, options.profile);
  if (!profile) return profile.error();
  auto overrides = resolve_overrides(*rules.plan, options.overrides);
  if (!overrides) return overrides.error();
  if (!representable(snapshot.as_of())) return Error(ErrorKind::kSnapshot, as_of_message(snapshot.as_of()));
  return decide_resolved(ruleset, ApiAccess::of(snapshot), *profile, *overrides, options);
}

Result<Decision> decide_resolved(const Ruleset& ruleset, const std::shared_ptr<Snapshot::Impl>& snapshot,
                                 std::uint32_t profile, const std::vector<engine::ParamOverride>& overrides,
                                 const DecideOptions& options) {
  const engine::Plan& plan = *ApiAccess::of(ruleset).plan;
  auto decision = std::make_shared<Decision::Impl>();
  decision->ruleset = ApiAccess::shared(ruleset);
  decision->snapshot = snapshot;  // shared: the owner copies before any later change
  snapshot->shared.store(true, std::memory_order_relaxed);
  auto bound = engine::bind(plan, decision->snapshot->snapshot);
  if (!bound.ok()) return Error(ErrorKind::kSnapshot, std::move(bound.errors));
  decision->bound = std::move(bound.bound);
  decision->unused_inputs = std::move(bound.unused);
  engine::evaluate(plan, decision->bound, profile, overrides, decision->evaluation);

  const auto& profile_plan = plan.profiles()[profile];
  decision->profile = profile_plan.name;
  decision->overrides = options.overrides;
  decision->as_of = decision->snapshot->snapshot.as_of;
  // Every profile ends in `otherwise` (the checker insists), so a clause always fires.
  decision->action = profile_plan.clauses.at(static_cast<std::size_t>(decision->evaluation.chosen)).clause->action;
  decision->keep_trace = options.node_values == NodeValues::kKeep;
  if (!decision->keep_trace) {
    // Keep the action and the unknown flag only; drop the per-node trace and the snapshot.
    decision->evaluation.values = {};
    decision->evaluation.params = {};
    decision->bound = {};
    decision->snapshot = nullptr;
  }
  Decision made = ApiAccess::make_decision(decision);
  for (const Format format : options.renderings) {
    const auto slot = static_cast<std::size_t>(format);
    if (slot < decision->rendered.size() && !decision->rendered[slot]) decision->rendered[slot] = made.render(format);
  }
  return made;
}

EvaluateResult Ruleset::evaluate(const Snapshot& snapshot, const EvaluateOptions& options) const {
  DecideOptions decide_options;
  decide_options.profile = options.profile;
  decide_options.overrides = options.overrides;
  decide_options.node_values = options.keep_trace ? NodeValues::kKeep : NodeValues::kDrop;
  auto decided = decide(*this, snapshot, decide_options);
  EvaluateResult result;
  if (decided) {
    result.decision.emplace(std::move(*decided));
    return result;
  }
  result.problem = decided.error().kind == ErrorKind::kSnapshot ? EvaluateResult::Problem::kSnapshot
                                                                : EvaluateResult::Problem::kOptions;
  result.errors = decided.error().messages;
  return result;
}

}  // namespace riskoff
