// Sources and build_snapshot(): a manifest read once, snapshots built from it as of any instant.
#include <chrono>
#include <filesystem>

#include "adapters/sources.hpp"
#include "api/data_impl.hpp"
#include "api/impl.hpp"

namespace riskoff {

Result<Sources> Sources::load(const std::string& path, const SourcesOptions& options) {
  // A root that is not a folder is the caller's mistake, not the manifest's.
  std::error_code ec;
  if (!options.root.empty() && !std::filesystem::is_directory(options.root, ec)) {
    return Error(ErrorKind::kUsage, "--sources-root `" + options.root + "` is not a folder");
  }
  auto impl = std::make_shared<Impl>();
  impl->manifest = adapters::read_manifest(path, {.root = options.root});
  if (!impl->manifest.ok()) return Error(ErrorKind::kData, std::move(impl->manifest.problems));
  for (const auto& spec : impl->manifest.sources) {
    impl->inputs.push_back({spec.input, spec.reader, spec.paths, spec.url, spec.unit, spec.is_series, spec.source});
  }
  return Sources(std::move(impl));
}

const std::string& Sources::path() const { return impl_->manifest.path; }
const std::vector<SourceInfo>& Sources::inputs() const { return impl_->inputs; }

Result<BuiltSnapshot> build_snapshot(const Sources& sources, const BuildOptions& options) {
  adapters::BuildOptions build;
  build.as_of = options.as_of ? *options.as_of
                              : std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
  if (!representable(build.as_of)) {
    return Error(ErrorKind::kUsage,
                 "the snapshot's as_of (" + std::to_string(build.as_of) + ") is outside the years 0000 to 9999");
  }
  build.allow_missing = options.missing == MissingInputs::kLeaveOut;
  build.progress = options.progress;
  if (options.fetch_deadline_seconds) {
    const double seconds = *options.fetch_deadline_seconds;
    if (!(seconds > 0 && seconds <= 86400)) {
      return Error(ErrorKind::kUsage, "the fetch deadline must be more than 0 and at most 86400 seconds");
    }
    build.fetch_deadline_seconds = seconds;
  }
  if (options.ruleset) {
    const engine::Plan& plan = *ApiAccess::of(*options.ruleset).plan;
    build.lookback = adapters::lookback_of(plan);
    build.inputs_read.emplace();
    for (const auto& input : plan.inputs()) {
      build.inputs_read->push_back(input.name);
      if (input.optional) build.optional_inputs.push_back(input.name);
    }
  }
  auto built = adapters::build_snapshot(ApiAccess::of(sources).manifest, build);
  if (!built.ok()) return Error(ErrorKind::kData, std::move(built.problems));
  // The public Snapshot's promises (docs/snapshot.md) hold for what the readers made too.
  for (const auto& input : built.snapshot.inputs) {
    if (auto error = check_input(built.snapshot.as_of, input); !error.empty()) {
      return Error(ErrorKind::kData, sources.path() + ": " + error);
    }
  }
  Snapshot snapshot(build.as_of);
  ApiAccess::of(snapshot)->snapshot = std::move(built.snapshot);
  std::vector<InputClock> clocks;
  for (auto& clock : built.clocks) {
    clocks.push_back({std::move(clock.input), std::move(clock.reader), clock.session_dates, clock.last_time,
                      clock.last_known, clock.next_time, clock.next_known, std::move(clock.why)});
  }
  return BuiltSnapshot{std::move(snapshot), std::move(built.skipped), std::move(built.unused), std::move(clocks)};
}

}  // namespace riskoff
