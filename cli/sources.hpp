// Building a snapshot from a sources manifest, shared by `snapshot build` and `eval --sources`.
#pragma once

#include <optional>
#include <string>

#include "riskoff/riskoff.hpp"
#include "riskoff/sources.hpp"

namespace riskoff::cli {

// What a command asks of a sources manifest.
struct SourcesRequest {
  std::string command;             // "riskoff eval": the prefix of every message
  std::string manifest;
  std::string as_of;               // as typed (parse_as_of); empty: now
  MissingInputs missing = MissingInputs::kFail;
  double fetch_deadline_seconds = 0;  // 0: the manifest's deadline (--fetch-deadline)
  std::string allow_missing_hint;  // what --allow-missing would do, in this command's words
  std::string sources_root;        // --sources-root, empty for none
};

// Prints every problem to stderr and returns nullopt when the snapshot cannot be built. With a
// ruleset, only the lookback its windows need is kept, its optional inputs may be absent, and
// the inputs it does not read are not read (a note names them once). `clocks`, when given, receives each input's clock (--explain-times).
std::optional<Snapshot> snapshot_from_sources(const SourcesRequest& request, const Ruleset* ruleset,
                                              std::vector<InputClock>* clocks = nullptr);

// The --fetch-deadline option of a command that reads a sources manifest.
inline constexpr const char* kFetchDeadlineHelp =
    "Overall deadline in seconds for fetching every URL source (default: the manifest's, else 120)";

// The --sources-root option of a command that reads a sources manifest.
inline constexpr const char* kSourcesRootHelp =
    "Refuse a manifest whose data files, store or cache folder resolve (symlinks followed) outside this folder";

}  // namespace riskoff::cli
