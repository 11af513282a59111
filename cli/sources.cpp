#include "cli/sources.hpp"

#include <chrono>
#include <iostream>

#include "adapters/sources.hpp"

namespace riskoff::cli {

std::optional<engine::Snapshot> snapshot_from_sources(const std::string& manifest_path, const std::string& as_of_text,
                                                      const engine::Plan* plan, bool allow_missing) {
  adapters::BuildOptions options;
  if (as_of_text.empty()) {
    options.as_of = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  } else if (const auto parsed = engine::parse_timestamp(as_of_text)) {
    options.as_of = *parsed;
  } else {
    std::cerr << "riskoff: --as-of `" << as_of_text << "` is not a UTC time such as 2026-02-04T21:00:00Z\n";
    return std::nullopt;
  }
  const auto manifest = adapters::read_manifest(manifest_path);
  if (!manifest.ok()) {
    for (const auto& problem : manifest.problems) std::cerr << "riskoff: " << problem << '\n';
    return std::nullopt;
  }
  options.allow_missing = allow_missing;
  if (plan != nullptr) {
    options.lookback = adapters::lookback_of(*plan);
    for (const auto& input : plan->inputs()) {
      if (input.optional) options.optional_inputs.push_back(input.name);
    }
  }
  const auto built = adapters::build_snapshot(manifest, options);
  for (const auto& skipped : built.skipped) std::cerr << "riskoff: left out " << skipped << '\n';
  if (!built.ok()) {
    std::cerr << "riskoff: " << built.problems.size() << " input" << (built.problems.size() == 1 ? "" : "s")
              << " could not be read (--allow-missing writes the snapshot without them):\n";
    for (const auto& problem : built.problems) std::cerr << "  " << problem << '\n';
    return std::nullopt;
  }
  return built.snapshot;
}

}  // namespace riskoff::cli
