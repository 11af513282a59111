// Building a snapshot from a sources manifest, shared by `snapshot build` and `eval --sources`.
#pragma once

#include <optional>
#include <string>

#include "riskoff/riskoff.hpp"
#include "riskoff/sources.hpp"

namespace riskoff::cli {

// Prints every problem to stderr and returns nullopt when the snapshot cannot be built. With a
// ruleset, only the lookback its windows need is kept and its optional inputs may be absent.
// `fetch_deadline_seconds` 0: the manifest's deadline (--fetch-deadline). `clocks`, when given,
// receives each input's clock (--explain-times).
std::optional<Snapshot> snapshot_from_sources(const std::string& manifest_path, const std::string& as_of_text,
                                              const Ruleset* ruleset, MissingInputs missing,
                                              double fetch_deadline_seconds = 0, std::vector<InputClock>* clocks = nullptr);

// The --fetch-deadline option of a command that reads a sources manifest.
inline constexpr const char* kFetchDeadlineHelp =
    "Overall deadline in seconds for fetching every URL source (default: the manifest's, else 120)";

}  // namespace riskoff::cli
