// RulesetRegistry and the semantic ruleset diff behind the public API (riskoff/registry.hpp);
// `riskoff ruleset publish|list|show|diff` only print what these return.
#include "api/audit_store.hpp"
#include "api/impl.hpp"
#include "audit/ruleset_diff.hpp"
#include "audit/ruleset_text.hpp"
#include "support/semver.hpp"

namespace riskoff {
namespace {

PublishedRuleset published_of(const audit::Published& entry) {
  return {entry.name, entry.version, entry.hash, entry.published_at};
}

// The two enums list the same bumps in the same order.
VersionBump public_bump(audit::Bump bump) { return static_cast<VersionBump>(bump); }
audit::Bump internal_bump(VersionBump bump) { return static_cast<audit::Bump>(bump); }
static_assert(static_cast<int>(audit::Bump::kNone) == static_cast<int>(VersionBump::kNone) &&
              static_cast<int>(audit::Bump::kPatch) == static_cast<int>(VersionBump::kPatch) &&
              static_cast<int>(audit::Bump::kMinor) == static_cast<int>(VersionBump::kMinor) &&
              static_cast<int>(audit::Bump::kMajor) == static_cast<int>(VersionBump::kMajor));

}  // namespace

Result<RulesetRegistry> RulesetRegistry::open(const std::string& path, OpenMode mode) {
  auto store = open_store(path, mode);
  if (!store) return store.error();
  auto impl = std::make_unique<Impl>();
  impl->store = std::move(*store);
  return RulesetRegistry(std::move(impl));
}

RulesetRegistry::RulesetRegistry(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RulesetRegistry::RulesetRegistry(RulesetRegistry&& other) noexcept = default;
RulesetRegistry& RulesetRegistry::operator=(RulesetRegistry&& other) noexcept = default;
RulesetRegistry::~RulesetRegistry() = default;

const std::string& RulesetRegistry::path() const { return impl_->store->path(); }

Result<PublishReport> RulesetRegistry::publish(const Ruleset& ruleset) {
  const engine::RulesetText& closure = ApiAccess::of(ruleset).closure;
  if (closure.name.empty()) {
    return Error(ErrorKind::kRuleset,
                 "the ruleset has no header (`ruleset NAME version \"X.Y.Z\"`), so it has no name or version to publish under");
  }
  return guarded([&]() -> Result<PublishReport> {
    PublishReport report;
    switch (impl_->store->publish(closure, report.existing_hash)) {
      case audit::PublishOutcome::kPublished: report.outcome = PublishOutcome::kPublished; break;
      case audit::PublishOutcome::kAlreadyPublished: report.outcome = PublishOutcome::kAlreadyPublished; break;
      case audit::PublishOutcome::kConflict: report.outcome = PublishOutcome::kConflict; break;
    }
    return report;
  });
}

Result<std::vector<PublishedRuleset>> RulesetRegistry::published() const {
  return guarded([&]() -> Result<std::vector<PublishedRuleset>> {
    std::vector<PublishedRuleset> out;
    for (const auto& entry : impl_->store->published()) out.push_back(published_of(entry));
    return out;
  });
}

Result<std::optional<PublishedRuleset>> RulesetRegistry::find(std::string_view reference) const {
  const auto at = reference.find('@');
  const std::string name(reference.substr(0, at));
  const std::string version(at == std::string_view::npos ? std::string_view{} : reference.substr(at + 1));
  // Checked like a rule file's header (SemVer 2.0.0 §2, §9): a malformed version is the caller's
  // mistake, not a version that happens to be unpublished.
  if (at != std::string_view::npos && !support::parse_semver(version)) {
    return Error(ErrorKind::kUsage, "`" + version +
                                        "` is not a semantic version: MAJOR.MINOR.PATCH, numbers without leading zeros, "
                                        "then optionally -PRE.RELEASE identifiers of [0-9A-Za-z-]");
  }
  return guarded([&]() -> Result<std::optional<PublishedRuleset>> {
    const auto found = impl_->store->find_published(name, version);
    if (!found) return std::optional<PublishedRuleset>{};
    return std::optional<PublishedRuleset>{published_of(*found)};
  });
}

Result<std::vector<RulesetFileText>> RulesetRegistry::files(const PublishedRuleset& published) const {
  return guarded([&]() -> Result<std::vector<RulesetFileText>> {
    const auto stored = impl_->store->ruleset_files(published.hash);
    std::vector<RulesetFileText> out;
    if (stored.empty() || audit::closure_hash(stored) != published.hash) return out;
    for (const auto& file : stored) out.push_back({file.path, file.text});
    return out;
  });
}

Result<Ruleset> RulesetRegistry::load(const PublishedRuleset& published) const {
  return guarded([&]() -> Result<Ruleset> {
    std::string error;
    auto plan = audit::compile_stored(impl_->store->ruleset_files(published.hash), error);
    if (!plan) return Error(ErrorKind::kStore, std::move(error));
    return ruleset_from_plan(std::move(plan));
  });
}

std::string_view version_bump_name(VersionBump bump) { return audit::bump_name(internal_bump(bump)); }

RulesetDiff diff_rulesets(const Ruleset& before, const Ruleset& after) {
  const auto diff = audit::diff_rulesets(ApiAccess::of(before).plan->ruleset(), ApiAccess::of(after).plan->ruleset());
  RulesetDiff out{diff.old_name, diff.old_version, diff.new_name, diff.new_version, {}, public_bump(diff.implied),
                  public_bump(diff.declared), diff.version_goes_down};
  for (const auto& change : diff.changes) {
    out.changes.push_back({change.section, change.sign, change.text, public_bump(change.bump)});
  }
  return out;
}

std::string ruleset_label(std::string_view where, const Ruleset& ruleset) {
  return audit::ruleset_label(std::string(where), ruleset.content_hash());
}

std::string ruleset_label(std::string_view where, const PublishedRuleset& published) {
  return audit::ruleset_label(std::string(where), published.hash);
}

std::string render(const RulesetDiff& diff, std::string_view old_label, std::string_view new_label) {
  audit::RulesetDiff internal{diff.old_name, diff.old_version, diff.new_name, diff.new_version, {},
                              internal_bump(diff.implied), internal_bump(diff.declared), diff.version_goes_down};
  for (const auto& change : diff.changes) {
    internal.changes.push_back({change.section, change.sign, change.text, internal_bump(change.bump)});
  }
  return audit::render_ruleset_diff(internal, std::string(old_label), std::string(new_label));
}

}  // namespace riskoff
