#include "cli/sources.hpp"

#include <iostream>

namespace riskoff::cli {

std::optional<Snapshot> snapshot_from_sources(const std::string& manifest_path, const std::string& as_of_text,
                                              const Ruleset* ruleset, MissingInputs missing,
                                              double fetch_deadline_seconds, std::vector<InputClock>* clocks) {
  BuildOptions options;
  if (fetch_deadline_seconds > 0) options.fetch_deadline_seconds = fetch_deadline_seconds;
  if (!as_of_text.empty()) {
    options.as_of = parse_time(as_of_text);
    if (!options.as_of) {
      std::cerr << "riskoff: --as-of `" << as_of_text << "` is not a UTC time such as 2026-02-04T21:00:00Z\n";
      return std::nullopt;
    }
  }
  const auto sources = Sources::load(manifest_path);
  if (!sources) {
    for (const auto& problem : sources.error().messages) std::cerr << "riskoff: " << problem << '\n';
    return std::nullopt;
  }
  options.missing = missing;
  if (ruleset != nullptr) options.ruleset = *ruleset;
  auto built = build_snapshot(*sources, options);
  if (!built) {
    const auto& problems = built.error().messages;
    std::cerr << "riskoff: " << problems.size() << " input" << (problems.size() == 1 ? "" : "s")
              << " could not be read (--allow-missing writes the snapshot without them):\n";
    for (const auto& problem : problems) std::cerr << "  " << problem << '\n';
    return std::nullopt;
  }
  for (const auto& skipped : built->skipped) std::cerr << "riskoff: left out " << skipped << '\n';
  if (clocks != nullptr) *clocks = std::move(built->clocks);
  return std::move(built->snapshot);
}

}  // namespace riskoff::cli
