// Building a snapshot from a sources manifest, shared by `snapshot build` and `eval --sources`.
#pragma once

#include <optional>
#include <string>

#include "engine/plan.hpp"
#include "engine/snapshot.hpp"

namespace riskoff::cli {

// Prints every problem to stderr and returns nullopt when the snapshot cannot be built. With a
// plan, only the lookback its windows need is kept and its optional inputs may be absent.
std::optional<engine::Snapshot> snapshot_from_sources(const std::string& manifest_path, const std::string& as_of_text,
                                                      const engine::Plan* plan, bool allow_missing);

}  // namespace riskoff::cli
