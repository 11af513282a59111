// The sources manifest (docs/sources.md): which reader and file feed each ruleset input, with
// unit, scaling and time transforms; and building a snapshot from it as of any instant.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/clock.hpp"
#include "adapters/http.hpp"
#include "adapters/readers.hpp"
#include "engine/plan.hpp"

namespace riskoff::adapters {

inline constexpr std::string_view kSourcesFormat = "riskoff.sources/1";
// Limits (docs/security.md): a manifest, each data file, and the default overall deadline for
// fetching every URL source of one command.
inline constexpr std::uint64_t kMaxManifestBytes = 16u << 20;
inline constexpr std::uint64_t kMaxDataFileBytes = 256u << 20;
inline constexpr double kDefaultFetchDeadlineSeconds = 120;

struct SourceSpec {
  std::string input;            // the ruleset input it feeds
  std::string reader;           // fred_csv, fred_json, yahoo_csv, yahoo_chart_json, stooq_csv, cboe_csv,
                                // binance_klines_json, binance_funding_json, binance_funding_csv,
                                // binance_open_interest_json, binance_klines_csv, binance_metrics_csv,
                                // coingecko_market_chart_json, alphavantage_json, tiingo_json,
                                // polygon_aggs_json, deribit_dvol_json, csv
  std::vector<std::string> paths;  // files (a glob is expanded, sorted), resolved against the manifest
  std::string url;                 // instead of paths: fetched over HTTP(S), cached; never printed or
                                   // stored as is (support/redact: credentials, api keys)
  engine::Unit unit = engine::Unit::kNumber;
  bool is_series = true;
  std::string source;           // shown in snapshots and explanations ("FRED:DGS10"); by default the
                                // path, or the URL with its secrets redacted
  std::string column;           // yahoo/stooq column, open-interest field
  CsvMapping mapping;           // reader "csv"
  std::int64_t bar_seconds = 86400;     // "bar": the bar length of a polygon / deribit request
  std::optional<double> per_hours;      // "per": funding rates scaled to this interval
  double scale = 1;             // multiply every value (funding fraction -> percent: 100; ^TNX: 0.1)
  double shift_hours = 0;       // move every time (kept for old manifests; `time_is`/`bar` say it better)
  // Keep one observation a day, the one whose bar closes at this UTC hour, stamped with its
  // date; it is known at that close.
  std::optional<int> daily_at_hour;
  Clock clock;  // when each observation became known: the reader's default, or `known_at`/`tz`/`lag`/`time_is`
};

struct Manifest {
  std::string path;
  // "http": {"cache_dir", "max_age_hours", "allow_http", "max_body_mb", "deadline_seconds"}; the
  // cache folder is resolved against the manifest. The deadline starts when a build starts.
  HttpOptions http;
  std::uint64_t max_file_bytes = kMaxDataFileBytes;  // "max_file_mb": each data file
  std::vector<SourceSpec> sources;
  std::vector<std::string> problems;  // "sources.json: input `x`: ..."
  bool ok() const { return problems.empty(); }
};

// How far a manifest may reach. `root` empty: anywhere the manifest's author names (the
// manifest is the author's, docs/security.md); otherwise every data file, store and cache folder
// must resolve, symlinks followed, inside `root` (--sources-root).
struct ManifestOptions {
  std::string root;
};

// Reads and validates a manifest: every problem names the file, the input and the field.
Manifest read_manifest(const std::string& path, const ManifestOptions& options = {});
// The same for text already in memory (the fuzzer, tools): `path` names it in problems and is
// what relative data paths resolve against; a `*` pattern lists that folder, nothing is read.
Manifest read_manifest_text(std::string_view text, const std::string& path, const ManifestOptions& options = {});
// The schema alone (types, spellings, ranges, unknown and duplicate keys) of a manifest's text,
// without looking for its files: what the shipped examples and docs/sources.schema.json are
// tested against.
std::vector<std::string> check_manifest_text(std::string_view text, const std::string& path);
namespace schema {
struct Node;
}
const schema::Node& manifest_schema();

struct BuildOptions {
  engine::Timestamp as_of = 0;
  // Lookback per input (seconds); inputs not listed keep `default_lookback`.
  std::vector<std::pair<std::string, double>> lookback;
  double default_lookback = 400.0 * 86400;
  bool allow_missing = false;  // write the snapshot without the inputs that could not be read
  // Inputs the ruleset declares optional: no data in range leaves them out (they are unknown
  // at evaluation) instead of failing the build. Unreadable files still fail.
  std::vector<std::string> optional_inputs;
  // The overall deadline for fetching URL sources (seconds, from the start of the build); none:
  // the manifest's `deadline_seconds`, by default kDefaultFetchDeadlineSeconds.
  std::optional<double> fetch_deadline_seconds;
  // The inputs the ruleset reads; the sources of any other input are not read at all (no file
  // opened, no URL fetched) and are listed in BuildResult::unused. None: every source is read.
  std::optional<std::vector<std::string>> inputs_read;
  // Called before each URL source is fetched, with a line naming the input, its source label
  // and the redacted URL ("[2/11] input `us2y` (FRED:DGS2): https://..."). None: silent.
  std::function<void(const std::string&)> progress;
};

// The clock of one input as `snapshot build --explain-times` shows it.
struct InputClock {
  std::string input;
  std::string reader;
  bool session_dates = false;
  std::optional<engine::Timestamp> last_time;   // the last observation in the snapshot: its own date
  std::optional<engine::Timestamp> last_known;  // and when it became known
  std::optional<engine::Timestamp> next_time;   // the first observation not yet known at as_of
  std::optional<engine::Timestamp> next_known;
  std::string why;                              // adapters::describe()
};

struct BuildResult {
  engine::Snapshot snapshot;
  std::vector<InputClock> clocks;  // one per input read, in manifest order
  std::vector<std::string> problems;  // every input that could not be read, with its reasons
  std::vector<std::string> skipped;   // inputs left out under allow_missing
  std::vector<std::string> unused;    // inputs of the manifest not in BuildOptions::inputs_read
  bool ok() const { return problems.empty(); }
};

BuildResult build_snapshot(const Manifest& manifest, const BuildOptions& options);

// One data file of `spec` read by its reader as build_snapshot() reads it (bounded, a zip's
// member), before any transform (`shift_hours`, `daily_at_hour`, `scale`) or clock: what
// cut_files.hpp cuts by. `as_of` is the reader's "now" (a Binance bar still open is dropped).
SeriesRead read_source_file(const SourceSpec& spec, const Manifest& manifest, const std::string& path, engine::Timestamp as_of);
// The same for a text already in memory (not a zip), named `shown` in problems.
SeriesRead read_source_text(const SourceSpec& spec, const std::string& text, const std::string& shown, engine::Timestamp as_of);

// How far back each input's windows reach in a compiled ruleset, with a margin for weekends and
// holidays: what a snapshot must keep for every window to be computable.
std::vector<std::pair<std::string, double>> lookback_of(const engine::Plan& plan);

}  // namespace riskoff::adapters
