// Reading the sources manifest (docs/sources.md, docs/sources.schema.json): the whole document
// is validated against the schema below before any source is looked at, so a field of the wrong
// type, a misspelt key or value, or an input given twice is refused with the file, the input and
// the field named, instead of being ignored or crashing the process.
#include <algorithm>
#include <filesystem>

#include "adapters/json_schema.hpp"
#include "adapters/sources.hpp"
#include "support/bounded_read.hpp"
#include "support/redact.hpp"

namespace riskoff::adapters {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using schema::Member;
using schema::Node;
using schema::OtherKeys;
using schema::Presence;
using schema::kNoMaximum;
using schema::kNoMinimum;

constexpr std::string_view kFormats[] = {kSourcesFormat};
constexpr std::string_view kReaders[] = {"fred_csv",          "fred_json",          "yahoo_csv",
                                         "yahoo_chart_json",  "stooq_csv",          "cboe_csv",
                                         "binance_klines_json", "binance_funding_json", "binance_funding_csv",
                                         "binance_open_interest_json", "binance_klines_csv", "binance_metrics_csv",
                                         "coingecko_market_chart_json", "alphavantage_json", "tiingo_json",
                                         "polygon_aggs_json", "deribit_dvol_json", "csv", "store"};
// Readers that read `column` (or `series`, for the store); the others have nothing to choose.
constexpr std::string_view kReadersWithColumn[] = {"yahoo_csv", "yahoo_chart_json", "stooq_csv",
                                                   "binance_open_interest_json", "binance_metrics_csv",
                                                   "coingecko_market_chart_json", "alphavantage_json", "tiingo_json",
                                                   "polygon_aggs_json", "store"};
// Readers whose bars' length the answer does not say (`bar`), and the one whose rates are per an
// interval that can change (`per`).
constexpr std::string_view kReadersWithBar[] = {"polygon_aggs_json", "deribit_dvol_json"};
constexpr std::string_view kUnits[] = {"percent", "bp", "usd", "index", "number"};
constexpr std::string_view kKinds[] = {"series", "scalar"};

// A year (366 days) either way: a bar's length is hours; anything larger is a typo.
constexpr double kMaxShiftHours = 8784;
// Unit conversions are powers of ten well inside this; a larger factor is a typo, and keeps
// every scaled value of a sane series finite.
constexpr double kMaxScale = 1e12;

using schema::kText;
constexpr Node kFlag{schema::kBoolean};
constexpr Node kFormat{schema::kString, kFormats};
constexpr Node kReader{schema::kString, kReaders};
constexpr Node kUnit{schema::kString, kUnits};
constexpr Node kKind{schema::kString, kKinds};
constexpr Node kScale{schema::kNumber, {}, -kMaxScale, kMaxScale};
constexpr Node kShiftHours{schema::kNumber, {}, -kMaxShiftHours, kMaxShiftHours};
constexpr Node kHourOfDay{schema::kInteger, {}, 0, 23};
constexpr Node kSkipLines{schema::kInteger, {}, 0, 10000};
constexpr Node kMaxAgeHours{schema::kNumber, {}, 0, kMaxShiftHours};
// Sizes in MiB up to 1 TiB, and the fetch deadline up to a day (docs/security.md); 0 is
// refused after validation (a positive number is meant).
constexpr Node kMegabytes{schema::kNumber, {}, 0, 1 << 20};
constexpr Node kDeadlineSeconds{schema::kNumber, {}, 0, 86400};

constexpr std::string_view kTimeIs[] = {"open", "close"};
constexpr Node kTimeIsNode{schema::kString, kTimeIs};
constexpr Node kTexts{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kRefused, &kText};
constexpr Member kMappingMembers[] = {
    {"date_column", &kText},      {"date_format", &kText},          {"value_column", &kText},
    {"delimiter", &kText},        {"decimal_comma", &kFlag},        {"thousands_separators", &kFlag},
    {"percent_suffix", &kFlag},   {"skip_lines", &kSkipLines},      {"unordered", &kFlag},
    {"tz", &kText},               {"missing", &kTexts},             {"header", &kFlag},
    {"time_is", &kTimeIsNode},    {"bar", &kText},
};
constexpr Node kMapping{schema::kObject, {}, kNoMinimum, kNoMaximum, kMappingMembers};

constexpr Member kInputMembers[] = {
    {"reader", &kReader, Presence::kRequired},
    {"unit", &kUnit, Presence::kRequired},
    {"path", &kText},
    {"url", &kText},
    {"source", &kText},
    {"column", &kText},
    {"series", &kText},
    {"scale", &kScale},
    {"shift_hours", &kShiftHours},
    {"daily_at_hour", &kHourOfDay},
    {"kind", &kKind},
    {"mapping", &kMapping},
    {"bar", &kText},
    {"per", &kText},
    {"known_at", &kText},
    {"tz", &kText},
    {"lag", &kText},
};
constexpr Node kInput{schema::kObject, {}, kNoMinimum, kNoMaximum, kInputMembers};
constexpr Node kInputs{schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kEntries, &kInput, "input"};

constexpr Member kHttpMembers[] = {{"cache_dir", &kText},           {"max_age_hours", &kMaxAgeHours},
                                   {"allow_http", &kFlag},          {"max_body_mb", &kMegabytes},
                                   {"deadline_seconds", &kDeadlineSeconds}};
constexpr Node kHttp{schema::kObject, {}, kNoMinimum, kNoMaximum, kHttpMembers};

constexpr Member kManifestMembers[] = {
    {"$schema", &kText},  // lets an editor find docs/sources.schema.json; not read
    {"format", &kFormat, Presence::kRequired},
    {"http", &kHttp},
    {"max_file_mb", &kMegabytes},
    {"inputs", &kInputs, Presence::kRequired},
};
constexpr Node kManifest{schema::kObject, {}, kNoMinimum, kNoMaximum, kManifestMembers};

// `dir/name*.csv`: the files of one folder whose names match, sorted. Only `*` and `?` in the
// last path component: enough for monthly dumps, simple to reason about.
std::vector<std::string> expand(const fs::path& pattern) {
  const std::string name = pattern.filename().string();
  if (name.find_first_of("*?") == std::string::npos) return {pattern.string()};
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(pattern.parent_path(), ec)) {
    const std::string candidate = entry.path().filename().string();
    // Classic wildcard match with backtracking on the last `*`.
    std::size_t p = 0, c = 0, star = std::string::npos, mark = 0;
    while (c < candidate.size()) {
      if (p < name.size() && (name[p] == '?' || name[p] == candidate[c])) {
        ++p;
        ++c;
      } else if (p < name.size() && name[p] == '*') {
        star = p++;
        mark = c;
      } else if (star != std::string::npos) {
        p = star + 1;
        c = ++mark;
      } else {
        break;
      }
    }
    while (p < name.size() && name[p] == '*') ++p;
    if (c == candidate.size() && p == name.size()) out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// --sources-root: the folder as the user named it (for messages, which stay the same wherever
// the tree is checked out) and as it resolves.
struct Root {
  std::string shown;
  fs::path resolved;  // empty: no confinement
};

// "" when `path` resolves (symlinks followed, `..` folded) inside the root, else why not. A path
// whose tail does not exist yet resolves as far as it exists, so a store to be created is
// checked too.
std::string outside_root(const std::string& path, const Root& root) {
  if (root.resolved.empty()) return {};
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(fs::absolute(path), ec);
  if (ec) return "`" + path + "` cannot be resolved: " + ec.message();
  auto p = resolved.begin();
  for (auto r = root.resolved.begin(); r != root.resolved.end() && !r->empty(); ++r, ++p) {
    if (p == resolved.end() || *p != *r) {
      const bool linked = fs::is_symlink(fs::symlink_status(path, ec));
      return "`" + path + "` resolves outside --sources-root `" + root.shown + "`" +
             (linked ? " (it is a symbolic link)" : "");
    }
  }
  return {};
}

std::string text_of(const json& object, const char* key, const std::string& otherwise = {}) {
  const auto found = object.find(key);
  return found == object.end() ? otherwise : found->get<std::string>();
}

// `mapping.time_is` and `mapping.bar`: bars stamped at their open are known one bar later.
std::string read_bar(const json& mapping, Clock& clock) {
  const std::string time_is = text_of(mapping, "time_is", "close");
  const auto bar = mapping.find("bar");
  if (time_is == "open" && bar == mapping.end()) return "`mapping.time_is` `open` needs `mapping.bar`, the bar's length (`4h`, `1h`, `15m`)";
  if (bar == mapping.end()) return {};
  if (time_is != "open") return "`mapping.bar` is read with `\"time_is\": \"open\"` (a bar stamped at its close is known at its time)";
  const auto length = parse_bar_length(bar->get<std::string>());
  if (!length) return "`mapping.bar`: expected a bar length such as `4h`, `1h`, `15m` or `1d` (at most 31 days), found `" + bar->get<std::string>().substr(0, 40) + "`";
  clock.bar_seconds = *length;
  return {};
}

// `known_at` (the local time of day a session's value is known), `tz` (the session's IANA time
// zone) and `lag` (a publication delay) over the reader's default clock.
std::string read_clock(const json& entry, const std::string& reader, Clock& clock) {
  const std::int64_t bar = clock.bar_seconds;
  clock = default_clock(reader);
  clock.bar_seconds = bar;
  if (const auto tz = entry.find("tz"); tz != entry.end()) {
    const std::string name = tz->get<std::string>();
    if (!TimeZone::find(name)) {
      return "`tz`: unknown time zone `" + name.substr(0, 60) + "`; expected an IANA name such as `America/New_York`, `Europe/London`, `Asia/Tokyo` or `UTC`";
    }
    clock.tz = name;
    clock.tz_from = ClockOrigin::kManifest;
  }
  if (const auto at = entry.find("known_at"); at != entry.end()) {
    const auto minute = parse_time_of_day(at->get<std::string>());
    if (!minute) return "`known_at`: expected a local time of day `HH:MM` (`16:00`, `24:00` for the end of the day), found `" + at->get<std::string>().substr(0, 40) + "`";
    clock.close_minute = *minute;
    clock.close_from = ClockOrigin::kManifest;
  }
  if (const auto lag = entry.find("lag"); lag != entry.end()) {
    const std::string text = lag->get<std::string>();
    if (!parse_lag(text, clock.lag_seconds, clock.lag_business_days)) {
      return "`lag`: expected a delay such as `30m`, `4h`, `1d` or `1bd` (business days), at most 31 days, found `" + text.substr(0, 40) + "`";
    }
    clock.lag_text = text == "0m" || text == "0h" || text == "0d" || text == "0bd" ? "" : text;
    clock.lag_from = ClockOrigin::kManifest;
  }
  return {};
}

// What the schema cannot say: fields that only make sense together, or for some readers.
// Returns the problem, or "" when the spec is complete.
std::string read_spec(const std::string& name, const json& entry, const fs::path& base, const Root& root,
                      PlainHttp plain_http,
                      SourceSpec& spec) {
  spec.input = name;
  spec.reader = text_of(entry, "reader");
  engine::parse_unit(text_of(entry, "unit"), spec.unit);
  const std::string file = text_of(entry, "path");
  spec.url = text_of(entry, "url");
  if (file.empty() == spec.url.empty()) return "expected `path` (a file, or a `*` pattern for several) or `url`, not both";
  if (spec.reader == "store" && file.empty()) return "the `store` reader reads a `path` (the SQLite file), not a `url`";
  if (entry.contains("column") && entry.contains("series")) return "expected `column` or `series`, not both";
  const bool chooses = entry.contains("column") || entry.contains("series");
  if (chooses && std::find(std::begin(kReadersWithColumn), std::end(kReadersWithColumn), spec.reader) ==
                     std::end(kReadersWithColumn)) {
    return "the `" + spec.reader + "` reader has no column to choose; `column` is read by yahoo_csv, yahoo_chart_json, "
           "stooq_csv, binance_open_interest_json and `series` by store";
  }
  if (entry.contains("mapping") && spec.reader != "csv") return "`mapping` is read only by the `csv` reader";
  if (entry.contains("per") && spec.reader != "binance_funding_csv") return "`per` is read only by the `binance_funding_csv` reader";
  if (entry.contains("bar") && std::find(std::begin(kReadersWithBar), std::end(kReadersWithBar), spec.reader) == std::end(kReadersWithBar)) {
    return "`bar` is read only by the polygon_aggs_json and deribit_dvol_json readers";
  }
  if (entry.contains("bar")) {
    spec.bar_seconds = parse_bar_length(text_of(entry, "bar")).value_or(0);
    if (spec.bar_seconds == 0) return "`bar`: expected a bar length like `1d`, `4h`, `15m` (at most 31 days), found `" + text_of(entry, "bar").substr(0, 20) + "`";
  }
  if (entry.contains("per")) {
    const auto per = parse_bar_length(text_of(entry, "per")).value_or(0);
    if (per == 0 || per % 3600 != 0 || per > 86400) {
      return "`per`: expected a funding interval in hours like `8h`, found `" + text_of(entry, "per").substr(0, 20) + "`";
    }
    spec.per_hours = static_cast<double>(per / 3600);
  }
  if (!spec.url.empty()) {
    if (const auto refused = refused_scheme(spec.url, plain_http)) return "url `" + support::redact_url(spec.url) + "`: " + *refused;
  }
  spec.column = text_of(entry, "column", text_of(entry, "series"));
  // Without a `source` label a URL is the provenance snapshots and the audit store keep:
  // never with its credentials or api key. A label is redacted too: one pasted with the URL in
  // it, or the key, would otherwise reach the hash-chained store, where it cannot be scrubbed.
  spec.source = entry.contains("source") ? support::redact_message(text_of(entry, "source"), spec.url)
                                         : (spec.url.empty() ? file : support::redact_url(spec.url));
  spec.scale = entry.value("scale", 1.0);
  if (spec.scale == 0) return "`scale`: expected a number other than 0 (it would make every value 0)";
  spec.shift_hours = entry.value("shift_hours", 0.0);
  spec.is_series = text_of(entry, "kind", "series") == "series";
  if (entry.contains("daily_at_hour")) spec.daily_at_hour = entry["daily_at_hour"].get<int>();
  if (const auto mapping = entry.find("mapping"); mapping != entry.end()) {
    CsvMapping& m = spec.mapping;
    m.date_column = text_of(*mapping, "date_column", m.date_column);
    m.date_format = text_of(*mapping, "date_format", m.date_format);
    m.value_column = text_of(*mapping, "value_column", m.value_column);
    const std::string delimiter = text_of(*mapping, "delimiter", ",");
    if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\n" || delimiter == "\r") {
      return "`mapping.delimiter`: expected one character (`,`, `;`, a tab...), found `" + delimiter.substr(0, 20) + "`";
    }
    m.delimiter = delimiter[0];
    m.decimal_comma = mapping->value("decimal_comma", false);
    m.thousands_separators = mapping->value("thousands_separators", false);
    m.percent_suffix = mapping->value("percent_suffix", false);
    m.skip_lines = mapping->value("skip_lines", std::size_t{0});
    m.unordered = mapping->value("unordered", false);
    m.header = mapping->value("header", true);
    if (const auto missing = mapping->find("missing"); missing != mapping->end()) {
      m.missing = missing->get<std::vector<std::string>>();
    }
    if (const auto tz = mapping->find("tz"); tz != mapping->end()) {
      m.tz = tz->get<std::string>();
      if (!TimeZone::find(m.tz)) return "`mapping.tz`: unknown time zone `" + m.tz.substr(0, 60) + "`; expected an IANA name such as `America/New_York`, `Europe/London`, `Asia/Tokyo` or `UTC`";
    }
    if (const std::string error = read_bar(*mapping, spec.clock); !error.empty()) return error;
  }
  if (const std::string error = read_clock(entry, spec.reader, spec.clock); !error.empty()) return error;
  if (!entry.contains("tz") && !spec.mapping.tz.empty()) {
    // The file's zone is its sessions' zone unless the input says otherwise.
    spec.clock.tz = spec.mapping.tz;
    spec.clock.tz_from = ClockOrigin::kManifest;
  }
  if (spec.url.empty()) {
    spec.paths = spec.reader == "store" ? std::vector<std::string>{(base / file).lexically_normal().string()}
                                        : expand((base / file).lexically_normal());
    if (spec.paths.empty()) return "no file matches `" + file + "`";
    for (const auto& path : spec.paths) {
      if (std::string outside = outside_root(path, root); !outside.empty()) return "`path`: " + outside;
    }
  }
  return {};
}

std::uint64_t megabytes(const json& value) { return static_cast<std::uint64_t>(value.get<double>() * (1 << 20)); }

// "http": {"cache_dir", "max_age_hours", "allow_http", "max_body_mb", "deadline_seconds"}, whose
// types and ranges the schema has checked; what it cannot say (positive, not empty) is here.
void read_http_policy(const json& http, const fs::path& base, const Root& root, Manifest& manifest) {
  auto problem = [&](const std::string& message) { manifest.problems.push_back(manifest.path + ": `http`: " + message); };
  if (const auto cache = http.find("cache_dir"); cache != http.end()) {
    if (cache->get_ref<const std::string&>().empty()) problem("`cache_dir`: expected a folder name, found an empty string");
    else manifest.http.cache_dir = (base / cache->get<std::string>()).lexically_normal().string();
    if (std::string outside = outside_root(manifest.http.cache_dir, root); !outside.empty()) problem("`cache_dir`: " + outside);
  }
  if (const auto hours = http.find("max_age_hours"); hours != http.end()) {
    manifest.http.cache_max_age_seconds = hours->get<double>() * 3600;
  }
  if (http.value("allow_http", false)) manifest.http.plain_http = PlainHttp::kAllow;
  if (const auto mb = http.find("max_body_mb"); mb != http.end()) {
    if (mb->get<double>() > 0) manifest.http.max_body_bytes = megabytes(*mb);
    else problem("`max_body_mb`: expected a positive number of MiB, found 0");
  }
  if (const auto deadline = http.find("deadline_seconds"); deadline != http.end()) {
    if (deadline->get<double>() > 0) manifest.http.deadline_seconds = deadline->get<double>();
    else problem("`deadline_seconds`: expected a number of seconds, more than 0 and at most 86400, found 0");
  }
}

}  // namespace

const schema::Node& manifest_schema() { return kManifest; }

std::vector<std::string> check_manifest_text(std::string_view text, const std::string& path) {
  auto checked = schema::read_document(text, kManifest);
  for (auto& problem : checked.problems) problem = path + ": " + problem;
  return std::move(checked.problems);
}

Manifest read_manifest(const std::string& path, const ManifestOptions& options) {
  Manifest manifest;
  manifest.path = path;
  auto problem = [&](const std::string& message) { manifest.problems.push_back(path + ": " + message); };
  const auto text = support::read_file_bounded(path, {.max_bytes = kMaxManifestBytes, .what = "manifests"});
  if (!text) {
    problem(text.error().messages.front());
    return manifest;
  }
  return read_manifest_text(*text, path, options);
}

Manifest read_manifest_text(std::string_view text, const std::string& path, const ManifestOptions& options) {
  Manifest manifest;
  manifest.path = path;
  auto problem = [&](const std::string& message) { manifest.problems.push_back(path + ": " + message); };
  auto checked = schema::read_document(text, kManifest);
  if (!checked.ok()) {
    for (const auto& message : checked.problems) problem(message);
    return manifest;
  }
  const json& document = checked.document;
  const fs::path base = fs::path(path).parent_path();
  Root root{options.root, {}};
  if (!options.root.empty()) {
    std::error_code ec;
    root.resolved = fs::canonical(options.root, ec);
    if (ec || !fs::is_directory(root.resolved, ec)) {
      problem("--sources-root `" + options.root + "` is not a folder" + (ec ? ": " + ec.message() : std::string()));
      return manifest;
    }
  }
  manifest.http.deadline_seconds = kDefaultFetchDeadlineSeconds;
  if (const auto http = document.find("http"); http != document.end()) read_http_policy(*http, base, root, manifest);
  if (const auto mb = document.find("max_file_mb"); mb != document.end()) {
    if (mb->get<double>() > 0) manifest.max_file_bytes = megabytes(*mb);
    else problem("`max_file_mb`: expected a positive number of MiB, found 0");
  }
  if (!manifest.ok()) return manifest;
  for (const auto& [name, entry] : document["inputs"].items()) {
    SourceSpec spec;
    if (const std::string error = read_spec(name, entry, base, root, manifest.http.plain_http, spec); !error.empty()) {
      problem("input `" + name + "`: " + error);
      continue;
    }
    manifest.sources.push_back(std::move(spec));
  }
  return manifest;
}

}  // namespace riskoff::adapters
