#include "adapters/sources.hpp"

#include "adapters/history_store.hpp"
#include "adapters/http.hpp"
#include "support/checked.hpp"
#include "support/json_writer.hpp"
#include "support/time.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "support/bounded_read.hpp"
#include "support/redact.hpp"

namespace riskoff::adapters {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kReaders[] = {"fred_csv",          "fred_json",          "yahoo_csv",
                                    "yahoo_chart_json",  "stooq_csv",          "cboe_csv",
                                    "binance_klines_json", "binance_funding_json", "binance_funding_csv",
                                    "binance_open_interest_json", "csv", "store"};

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

SeriesRead read_text(const SourceSpec& spec, const std::string& text, const std::string& path, engine::Timestamp as_of);

SeriesRead read_one(const SourceSpec& spec, const Manifest& manifest, const std::string& path, engine::Timestamp as_of) {
  // Data files are not the author's: a FIFO, a device or a file past the limit is refused.
  const auto text = support::read_file_bounded(path, {.max_bytes = manifest.max_file_bytes, .what = "data files"});
  if (!text) {
    SeriesRead failed;
    failed.problems.push_back({path, 0, 0, text.error().messages.front()});
    return failed;
  }
  return read_text(spec, *text, path, as_of);
}

SeriesRead read_url(const SourceSpec& spec, const HttpOptions& options, engine::Timestamp as_of) {
  // The URL may carry an api key or a password: only its redacted form is ever shown.
  const std::string shown = support::redact_url(spec.url);
  const HttpResult fetched = http_get(spec.url, options);
  if (!fetched.ok) {
    SeriesRead failed;
    // Providers put their reason in an error answer (Binance's {"code":..,"msg":..}, FRED's
    // error_message); the body of anything else (a refused scheme, a body past the limit) never is.
    const std::string detail = fetched.provider_message.empty() ? "" : ": " + fetched.provider_message;
    failed.problems.push_back({shown, 0, 0, support::redact_message(fetched.error + detail, spec.url)});
    return failed;
  }
  SeriesRead read = read_text(spec, fetched.body, shown, as_of);
  for (auto& problem : read.problems) problem.message = support::redact_message(problem.message, spec.url);
  return read;
}

SeriesRead read_text(const SourceSpec& spec, const std::string& text, const std::string& path, engine::Timestamp as_of) {
  const std::string& r = spec.reader;
  if (r == "fred_csv") return read_fred_csv(text, path);
  if (r == "fred_json") return read_fred_json(text, path);
  if (r == "yahoo_csv") return read_yahoo_csv(text, path, spec.column.empty() ? "Close" : spec.column);
  if (r == "yahoo_chart_json") return read_yahoo_chart_json(text, path, spec.column.empty() ? "close" : spec.column);
  if (r == "stooq_csv") return read_stooq_csv(text, path, spec.column.empty() ? "Close" : spec.column);
  if (r == "cboe_csv") return read_cboe_csv(text, path);
  if (r == "binance_klines_json") return read_binance_klines_json(text, path, as_of);
  if (r == "binance_funding_json") return read_binance_funding_json(text, path);
  if (r == "binance_funding_csv") return read_binance_funding_csv(text, path);
  if (r == "binance_open_interest_json")
    return read_binance_open_interest_json(text, path, spec.column.empty() ? "sumOpenInterest" : spec.column);
  return read_generic_csv(text, path, spec.mapping);
}

// A size in MiB as bytes; nothing for anything but a positive number (up to 1 TiB).
std::optional<std::uint64_t> positive_megabytes(const json& value) {
  if (!value.is_number() || !(value.get<double>() > 0) || value.get<double>() > (1 << 20)) return std::nullopt;
  return static_cast<std::uint64_t>(value.get<double>() * (1 << 20));
}

// "http": {"cache_dir", "max_age_hours", "allow_http", "max_body_mb", "deadline_seconds"}.
void read_http_policy(const json& http, const fs::path& base, Manifest& manifest) {
  auto problem = [&](const std::string& message) { manifest.problems.push_back(manifest.path + ": `http`: " + message); };
  if (http.contains("cache_dir")) {
    if (!http["cache_dir"].is_string() || http["cache_dir"].get<std::string>().empty()) {
      problem("`cache_dir`: expected a folder name");
    } else {
      manifest.http.cache_dir = (base / http["cache_dir"].get<std::string>()).lexically_normal().string();
    }
  }
  if (http.contains("max_age_hours")) {
    if (!http["max_age_hours"].is_number() || !(http["max_age_hours"].get<double>() >= 0)) {
      problem("`max_age_hours`: expected a number of hours, 0 or more");
    } else {
      manifest.http.cache_max_age_seconds = http["max_age_hours"].get<double>() * 3600;
    }
  }
  if (http.contains("allow_http")) {
    if (!http["allow_http"].is_boolean()) {
      problem("`allow_http`: expected true or false");
    } else if (http["allow_http"].get<bool>()) {
      manifest.http.plain_http = PlainHttp::kAllow;
    }
  }
  if (http.contains("max_body_mb")) {
    if (const auto mb = positive_megabytes(http["max_body_mb"])) {
      manifest.http.max_body_bytes = *mb;
    } else {
      problem("`max_body_mb`: expected a positive number of MiB");
    }
  }
  if (http.contains("deadline_seconds")) {
    const json& deadline = http["deadline_seconds"];
    if (!deadline.is_number() || !(deadline.get<double>() > 0) || deadline.get<double>() > 86400) {
      problem("`deadline_seconds`: expected a number of seconds, more than 0 and at most 86400");
    } else {
      manifest.http.deadline_seconds = deadline.get<double>();
    }
  }
}

}  // namespace

Manifest read_manifest(const std::string& path) {
  Manifest manifest;
  manifest.path = path;
  auto problem = [&](const std::string& message) { manifest.problems.push_back(path + ": " + message); };
  const auto text = support::read_file_bounded(path, {.max_bytes = kMaxManifestBytes, .what = "manifests"});
  if (!text) {
    problem(text.error().messages.front());
    return manifest;
  }
  json document;
  try {
    document = json::parse(*text);
  } catch (const json::exception& e) {
    problem(std::string("not valid JSON: ") + e.what());
    return manifest;
  }
  if (!document.is_object() || document.value("format", "") != kSourcesFormat || !document.contains("inputs") ||
      !document["inputs"].is_object()) {
    problem("expected {\"format\": \"" + std::string(kSourcesFormat) + "\", \"inputs\": {...}}");
    return manifest;
  }
  const fs::path base = fs::path(path).parent_path();
  manifest.http.deadline_seconds = kDefaultFetchDeadlineSeconds;
  if (document.contains("http") && document["http"].is_object()) read_http_policy(document["http"], base, manifest);
  if (document.contains("max_file_mb")) {
    if (const auto mb = positive_megabytes(document["max_file_mb"])) {
      manifest.max_file_bytes = *mb;
    } else {
      problem("`max_file_mb`: expected a positive number of MiB");
    }
  }
  for (const auto& [name, entry] : document["inputs"].items()) {
    const std::string where = "input `" + name + "`: ";
    if (!entry.is_object()) {
      problem(where + "expected an object");
      continue;
    }
    SourceSpec spec;
    spec.input = name;
    spec.reader = entry.value("reader", "");
    if (std::find(std::begin(kReaders), std::end(kReaders), spec.reader) == std::end(kReaders)) {
      std::string list;
      for (const char* reader : kReaders) list += (list.empty() ? "" : ", ") + std::string(reader);
      problem(where + "unknown reader `" + spec.reader + "`; readers are " + list);
      continue;
    }
    if (!entry.contains("unit") || !entry["unit"].is_string() || !engine::parse_unit(entry["unit"].get<std::string>(), spec.unit)) {
      problem(where + "expected `unit`: percent, bp, usd, index or number");
      continue;
    }
    const std::string file = entry.value("path", "");
    spec.url = entry.value("url", "");
    if (file.empty() == spec.url.empty()) {
      problem(where + "expected `path` (a file, or a `*` pattern for several) or `url`, not both");
      continue;
    }
    if (spec.url.empty()) {
      spec.paths = spec.reader == "store" ? std::vector<std::string>{(base / file).lexically_normal().string()}
                                          : expand((base / file).lexically_normal());
      if (spec.paths.empty()) {
        problem(where + "no file matches `" + file + "`");
        continue;
      }
    }
    if (!spec.url.empty()) {
      if (const auto refused = refused_scheme(spec.url, manifest.http.plain_http)) {
        problem(where + "url `" + support::redact_url(spec.url) + "`: " + *refused);
        continue;
      }
    }
    // Without a `source` label a URL is the provenance snapshots and the audit store keep:
    // never with its credentials or api key.
    spec.source = entry.value("source", spec.url.empty() ? file : support::redact_url(spec.url));
    spec.column = entry.value("column", entry.value("series", ""));
    spec.scale = entry.value("scale", 1.0);
    spec.shift_hours = entry.value("shift_hours", 0.0);
    spec.is_series = entry.value("kind", "series") != "scalar";
    if (entry.contains("daily_at_hour")) spec.daily_at_hour = entry["daily_at_hour"].get<int>();
    if (entry.contains("mapping")) {
      const json& m = entry["mapping"];
      spec.mapping.date_column = m.value("date_column", spec.mapping.date_column);
      spec.mapping.date_format = m.value("date_format", spec.mapping.date_format);
      spec.mapping.value_column = m.value("value_column", spec.mapping.value_column);
      const std::string delimiter = m.value("delimiter", ",");
      spec.mapping.delimiter = delimiter.empty() ? ',' : delimiter[0];
      spec.mapping.decimal_comma = m.value("decimal_comma", false);
      spec.mapping.thousands_separators = m.value("thousands_separators", false);
      spec.mapping.percent_suffix = m.value("percent_suffix", false);
      spec.mapping.skip_lines = m.value("skip_lines", 0);
      spec.mapping.unordered = m.value("unordered", false);
    }
    manifest.sources.push_back(std::move(spec));
  }
  return manifest;
}

BuildResult build_snapshot(const Manifest& manifest, const BuildOptions& options) {
  BuildResult result;
  result.snapshot.as_of = options.as_of;
  // One deadline for every URL source of the build: eleven silent servers cost it once, not eleven times.
  HttpOptions http = manifest.http;
  if (options.fetch_deadline_seconds) http.deadline_seconds = *options.fetch_deadline_seconds;
  http.deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(http.deadline_seconds));
  for (const auto& spec : manifest.sources) {
    double lookback = options.default_lookback;
    for (const auto& [name, seconds] : options.lookback) {
      if (name == spec.input) lookback = seconds;
    }
    std::vector<engine::Timestamp> times;
    std::vector<double> values;
    std::vector<std::string> reasons;
    if (spec.reader == "store") {
      // The history store holds the series already read, cut and checked at import.
      try {
        const auto store = HistoryStore::open(spec.paths.front(), OpenMode::kReadOnly);
        const double from = static_cast<double>(options.as_of) - lookback;
        const auto stored = store->read(spec.column.empty() ? spec.input : spec.column,
                                        from < -1e15 ? std::numeric_limits<engine::Timestamp>::min() / 2
                                                     : static_cast<engine::Timestamp>(from),
                                        options.as_of);
        times = stored.times;
        values = stored.values;
        if (stored.unit != spec.unit && !stored.times.empty()) {
          reasons.push_back("the store holds it in " + std::string(engine::unit_name(stored.unit)));
        }
      } catch (const StoreError& e) {
        reasons.push_back(e.what());
      }
    }
    if (!spec.url.empty()) {
      const SeriesRead read = read_url(spec, http, options.as_of);
      for (const auto& problem : read.problems) reasons.push_back(problem.text());
      times = read.times;
      values = read.values;
    }
    for (const auto& path : spec.reader == "store" || !spec.url.empty() ? std::vector<std::string>{} : spec.paths) {
      const SeriesRead read = read_one(spec, manifest, path, options.as_of);
      for (const auto& problem : read.problems) reasons.push_back(problem.text());
      times.insert(times.end(), read.times.begin(), read.times.end());
      values.insert(values.end(), read.values.begin(), read.values.end());
    }
    // Several files (monthly dumps) must join into one strictly increasing series.
    std::vector<std::size_t> order(times.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
    engine::InputData data;
    data.name = spec.input;
    data.unit = spec.unit;
    data.source = spec.source;
    data.is_series = spec.is_series;
    // Checked: the shift is the manifest's and the times the data's; either may be extreme.
    const auto shift = support::checked_int64(spec.shift_hours * 3600);
    if (!shift) {
      reasons.push_back("shift_hours " + support::json_number(spec.shift_hours) + " is out of range: times would leave the years 0000 to 9999");
      order.clear();
    }
    for (const std::size_t k : order) {
      const auto shifted = support::checked_add(times[k], *shift);
      if (!shifted || !support::in_supported_years(*shifted)) {
        reasons.push_back("time " + std::to_string(times[k]) + " shifted by " + support::json_number(spec.shift_hours) +
                          " hours is outside the years 0000 to 9999");
        break;
      }
      engine::Timestamp time = *shifted;
      if (spec.daily_at_hour) {
        if ((time % 86400) / 3600 != *spec.daily_at_hour || time % 3600 != 0) continue;
        time -= time % 86400;  // stamped with its date, like a daily close
      }
      // No look-ahead: nothing after as_of; and only the lookback the windows need.
      if (time > options.as_of) continue;
      const auto age = support::checked_sub(options.as_of, time);
      if (!age || static_cast<double>(*age) > lookback) continue;
      if (!data.times.empty() && time == data.times.back()) {
        reasons.push_back("two files give " + engine::format_timestamp(time));
        break;
      }
      const double scaled = values[k] * spec.scale;
      if (!std::isfinite(scaled)) {
        reasons.push_back("value at " + engine::format_timestamp(time) + " times scale " + support::json_number(spec.scale) +
                          " is not a finite number");
        break;
      }
      data.times.push_back(time);
      data.values.push_back(scaled);
    }
    if (!spec.is_series && !data.times.empty()) {
      data.times.erase(data.times.begin(), data.times.end() - 1);
      data.values.erase(data.values.begin(), data.values.end() - 1);
    }
    if (reasons.empty() && data.times.empty()) {
      const std::string reason =
          "no observation at or before " + engine::format_timestamp(options.as_of) + " within the lookback";
      if (std::find(options.optional_inputs.begin(), options.optional_inputs.end(), spec.input) !=
          options.optional_inputs.end()) {
        result.skipped.push_back("input `" + spec.input + "` (optional): " + reason);
        continue;
      }
      reasons.push_back(reason);
    }
    if (!reasons.empty()) {
      std::string message = "input `" + spec.input + "` (" + spec.reader + "): ";
      for (std::size_t k = 0; k < std::min<std::size_t>(reasons.size(), 3); ++k) message += (k ? "; " : "") + reasons[k];
      if (reasons.size() > 3) message += "; and " + std::to_string(reasons.size() - 3) + " more";
      if (options.allow_missing) {
        result.skipped.push_back(std::move(message));
        continue;
      }
      result.problems.push_back(std::move(message));
      continue;
    }
    result.snapshot.inputs.push_back(std::move(data));
  }
  return result;
}

std::vector<std::pair<std::string, double>> lookback_of(const engine::Plan& plan) {
  std::vector<double> seconds(plan.inputs().size(), 0);
  const auto& nodes = plan.nodes();
  for (const auto& node : nodes) {
    if (node.op != engine::NodeOp::kWindow) continue;
    const engine::PlanNode& window = nodes[node.b];
    double length = window.op == engine::NodeOp::kConst ? window.constant
                    : window.op == engine::NodeOp::kParam ? plan.params()[window.a].default_value
                                                          : 0;
    for (const std::uint32_t slot : {node.a, node.c}) {
      if (slot >= seconds.size()) continue;
      const auto& input = plan.inputs()[slot];
      double reach = node.window_kind == engine::WindowKind::kBars ? (length + 1) * input.frequency_hours * 3600 : length;
      // Trading calendars skip weekends and holidays: bars of a business-day series span 7/5
      // of their count in calendar time, and a week of margin covers holidays and staleness.
      if (node.window_kind == engine::WindowKind::kBars && input.decl->calendar != "crypto") reach *= 1.5;
      seconds[slot] = std::max(seconds[slot], reach + 7 * 86400.0);
      if (engine::builtins()[node.fn].shape != engine::BuiltinShape::kPairWindow) break;
    }
  }
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t slot = 0; slot < seconds.size(); ++slot) {
    // Inputs read only for their last value still need their freshness: keep a week.
    out.emplace_back(plan.inputs()[slot].name, std::max(seconds[slot], 7 * 86400.0));
  }
  return out;
}

}  // namespace riskoff::adapters
