// Values at a snapshot: the decision an editor shows on hover and behind the "evaluate" lens.
// The snapshot is configured (initializationOptions or the `riskoff` settings: `snapshot`,
// `profile`) or named by the rule file itself (a `# snapshot: PATH` line), and must resolve inside
// the workspace folder: a rule file opened from elsewhere cannot make the server read any file.
// The decision is made by decide() on the buffer's text, exactly as `riskoff eval` makes it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "lsp/workspace.hpp"

namespace riskoff::lsp {

// One profile's decision on the configured snapshot, or why there is none.
struct SnapshotDecision {
  std::string snapshot;  // the snapshot's path as shown: relative to the workspace folder
  std::optional<Decision> decision;
  std::string error;     // no decision: not configured, outside the workspace, does not read/fit/check
};

// `given` (relative to `base`) as a path inside `root` once `..` and symbolic links are
// resolved; else an error that names both. An empty root refuses everything.
Result<std::string> resolve_inside(const std::string& root, const std::string& base, const std::string& given);

class SnapshotValues {
 public:
  // initialize: the workspace folder (rootUri, the first workspaceFolders entry, rootPath) and
  // initializationOptions {"snapshot", "profile"} (also accepted under "riskoff").
  void initialize(const json& params);
  // workspace/didChangeConfiguration: settings.riskoff.{snapshot, profile}.
  void configure(const json& settings);

  // Whether the document has a snapshot to read (configured, or its own `# snapshot:` line).
  bool configured(const Document& document) const;
  // The decision of `profile` (empty: the configured one, else the ruleset's first) for the
  // document's current text. Kept until the text, the snapshot file or the configuration changes.
  const SnapshotDecision& decide(const Document& document, const std::string& profile = {});
  void forget(const std::string& uri) { loaded_.erase(uri); }  // didClose

 private:
  struct Loaded {
    bool compiled = false, read = false;       // the ruleset and the snapshot were tried
    std::string text;                          // the document text the ruleset was compiled from
    std::optional<Ruleset> ruleset;
    std::string ruleset_error;
    std::string snapshot_path;                 // resolved
    std::filesystem::file_time_type modified{};
    std::uintmax_t size = 0;
    std::optional<Snapshot> snapshot;
    std::string snapshot_error;
    std::map<std::string, SnapshotDecision> decisions;  // by profile asked for
  };
  // The snapshot the document reads: its `# snapshot:` line (relative to its folder), else the
  // setting (relative to the workspace folder); empty when neither names one.
  std::string named_snapshot(const Document& document, std::string* base) const;
  std::string root_for(const Document& document) const;

  std::string root_;     // the workspace folder; empty: each document's own folder
  std::string setting_;  // riskoff.snapshot
  std::string profile_;  // riskoff.profile
  std::map<std::string, Loaded> loaded_;  // by document URI
};

// The markdown a hover adds for `name` (a let, signal, group or input) at the snapshot: its
// value and, for a condition, the comparisons that decided it with their margins. Empty when
// no snapshot is configured.
std::string snapshot_hover(SnapshotValues& values, const Document& document, const std::string& name);

}  // namespace riskoff::lsp
