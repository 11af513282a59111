// Market data from files and URLs: a sources manifest (`riskoff.sources/1`, docs/sources.md)
// names the reader, file or URL, unit and transforms that feed each ruleset input; a snapshot
// is built from it as of any instant, keeping only what was known then (no look-ahead).
//
//   auto sources = riskoff::Sources::load("examples/sources-local.json");
//   if (!sources) return print(sources.error());                   // kData: each problem named
//   auto built = riskoff::build_snapshot(*sources, {.as_of = riskoff::parse_time("2026-02-04T21:00:00Z"),
//                                                   .ruleset = ruleset});
//   if (!built) return print(built.error());                       // kData: every input that did not read
//   auto decision = riskoff::decide(ruleset, built->snapshot, {.profile = "swing"});
//
// Errors are values (result.hpp): ErrorKind::kData for a manifest or a source that does not
// read (a file that cannot be opened included: the manifest names it), kUsage for options out
// of range. Throws only std::bad_alloc.
//
// Threads. Sources is immutable once loaded: share it, and build snapshots from it on any
// number of threads at once. Reading files and URLs happens inside build_snapshot(); a URL
// source needs libcurl at run time and writes the manifest's HTTP cache.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "riskoff/export.h"
#include "riskoff/result.hpp"
#include "riskoff/riskoff.hpp"
#include "riskoff/values.hpp"

namespace riskoff {

// One source of a manifest: what feeds one ruleset input. A plain value.
struct SourceInfo {
  std::string input;               // the ruleset input it feeds
  std::string reader;              // "fred_csv", "yahoo_csv", "csv", "store", ... (docs/sources.md)
  std::vector<std::string> paths;  // files, resolved against the manifest's folder (globs expanded)
  std::string url;                 // instead of paths: fetched over HTTP(S) and cached
  Unit unit = Unit::kNumber;
  bool is_series = true;           // false: a scalar (the last observation only)
  std::string source;              // the label snapshots and explanations show ("FRED:DGS10")
};

// How far a manifest may reach (--sources-root). A manifest is its author's (docs/security.md),
// but a service or a shared machine may load manifests it did not write.
struct SourcesOptions {
  // Empty: files anywhere the manifest names them. Otherwise every data file, store and cache
  // folder it names must resolve, symlinks followed, inside this folder; one that does not is
  // a problem of the manifest (kData) and nothing is read.
  std::string root{};
};

// A checked sources manifest. A cheap-to-copy handle to immutable state.
class RISKOFF_API Sources {
 public:
  // Reads and checks a manifest. Every problem is reported (ErrorKind::kData, messages start
  // with the path): a file that cannot be opened, bad JSON, an unknown reader, a missing field.
  static Result<Sources> load(const std::string& path, const SourcesOptions& options = {});

  const std::string& path() const;
  // One entry per input, by input name.
  const std::vector<SourceInfo>& inputs() const;

  struct Impl;

 private:
  friend struct ApiAccess;
  explicit Sources(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// What build_snapshot() does with an input whose source cannot be read: fail the build (kFail),
// or leave the input out and list it in BuiltSnapshot::skipped (kLeaveOut).
enum class MissingInputs : std::uint8_t { kFail, kLeaveOut };

// The options of build_snapshot().
struct BuildOptions {
  std::optional<std::int64_t> as_of{};  // the instant (UTC seconds); none: now
  // The ruleset the snapshot is for: only the lookback its windows need is kept, and an input
  // it declares optional with no observation in that lookback is left out (listed in
  // BuiltSnapshot::skipped) instead of failing the build; the sources of inputs it does not
  // declare are not read (BuiltSnapshot::unused). None: 400 days of every input.
  std::optional<Ruleset> ruleset{};
  MissingInputs missing = MissingInputs::kFail;
  // The overall deadline for fetching every URL source of this build, in seconds (more than 0,
  // at most 86400). None: the manifest's "http": {"deadline_seconds"}, by default 120.
  std::optional<double> fetch_deadline_seconds{};
  // Called before each URL source is fetched, on the calling thread, with a line naming the
  // input, its source label and its URL with secrets redacted ("[2/11] input `us2y`
  // (FRED:DGS2): https://..."). None: silent. `riskoff` prints it when stderr is a terminal.
  std::function<void(const std::string&)> progress{};
};

// The clock of one input: when its last observation in the snapshot became known, and why
// (`riskoff snapshot build --explain-times`; docs/sources.md "Clocks"). A plain value.
struct InputClock {
  std::string input;
  std::string reader;
  bool session_dates = false;               // times are session dates (daily bars), not instants
  std::optional<std::int64_t> last_time;    // the last observation in the snapshot: its own date (UTC seconds)
  std::optional<std::int64_t> last_known;   // the UTC instant it became known (<= as_of)
  std::optional<std::int64_t> next_time;    // the first observation not yet known at as_of, if any
  std::optional<std::int64_t> next_known;
  std::string why;  // "session dates; close 16:00 (default for reader yahoo_csv) in America/New_York (...); lag none (...)"
};

struct BuiltSnapshot {
  Snapshot snapshot;
  // Inputs left out, each with why: "input `btc_funding` (optional): no observation at or
  // before 2026-02-04T21:00:00Z within the lookback".
  std::vector<std::string> skipped;
  // With a ruleset: the manifest's inputs it does not declare, in manifest order. Their sources
  // are not read (no file opened, no URL fetched) and they are not in the snapshot.
  std::vector<std::string> unused;
  std::vector<InputClock> clocks;  // one per input of the manifest, in its order
};

// Reads every source of the manifest and keeps the observations at or before as_of. Errors:
// kData, one message per input that could not be read with its reasons ("input `us10y`
// (fred_csv): data/DGS10.csv: cannot open file"), or data a snapshot cannot hold; kUsage for
// an as_of outside the years 0000 to 9999.
RISKOFF_API Result<BuiltSnapshot> build_snapshot(const Sources& sources, const BuildOptions& options = {});

}  // namespace riskoff
