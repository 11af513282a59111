// Building a snapshot from a sources manifest, shared by `snapshot build` and `eval --sources`.
#pragma once

#include <optional>
#include <string>

#include "riskoff/riskoff.hpp"
#include "riskoff/sources.hpp"

namespace riskoff::cli {

// Prints every problem to stderr and returns nullopt when the snapshot cannot be built. With a
// ruleset, only the lookback its windows need is kept and its optional inputs may be absent.
std::optional<Snapshot> snapshot_from_sources(const std::string& manifest_path, const std::string& as_of_text,
                                              const Ruleset* ruleset, MissingInputs missing);

}  // namespace riskoff::cli
