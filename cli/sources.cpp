#include "cli/sources.hpp"

#include <iostream>
#include <unistd.h>

namespace riskoff::cli {

std::optional<Snapshot> snapshot_from_sources(const SourcesRequest& request, const Ruleset* ruleset,
                                              std::vector<InputClock>* clocks) {
  const std::string& name = request.command;
  BuildOptions options;
  if (request.fetch_deadline_seconds > 0) options.fetch_deadline_seconds = request.fetch_deadline_seconds;
  if (!request.as_of.empty()) {
    options.as_of = parse_as_of(request.as_of);
    if (!options.as_of) {
      std::cerr << name << ": --as-of `" << request.as_of
                << "` is not a UTC date or time such as 2026-02-04 or 2026-02-04T21:00:00Z\n";
      return std::nullopt;
    }
  }
  const auto sources = Sources::load(request.manifest, {.root = request.sources_root});
  if (!sources) {
    for (const auto& problem : sources.error().messages) std::cerr << name << ": " << problem << '\n';
    return std::nullopt;
  }
  options.missing = request.missing;
  // Progress only for a person watching: a terminal on stderr, never in a pipe or a log.
  if (isatty(STDERR_FILENO) != 0) {
    options.progress = [&name](const std::string& line) { std::cerr << name << ": fetching " << line << '\n'; };
  }
  if (ruleset != nullptr) options.ruleset = *ruleset;
  auto built = build_snapshot(*sources, options);
  if (!built) {
    const auto& problems = built.error().messages;
    std::cerr << name << ": " << request.manifest << ": " << problems.size() << " input"
              << (problems.size() == 1 ? "" : "s") << " could not be read (" << request.allow_missing_hint << "):\n";
    for (const auto& problem : problems) std::cerr << "  " << problem << '\n';
    return std::nullopt;
  }
  // Listed once, as a note: a manifest feeds rulesets that read different subsets of it.
  if (!built->unused.empty()) {
    std::cerr << name << ": note: not used (the ruleset does not read them, so they were not read): ";
    for (std::size_t k = 0; k < built->unused.size(); ++k) std::cerr << (k ? ", " : "") << built->unused[k];
    std::cerr << '\n';
  }
  for (const auto& skipped : built->skipped) std::cerr << name << ": left out " << skipped << '\n';
  if (clocks != nullptr) *clocks = std::move(built->clocks);
  return std::move(built->snapshot);
}

}  // namespace riskoff::cli
