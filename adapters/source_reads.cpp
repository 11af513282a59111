// Reading one source of a manifest: a data file (mapped, through its reader, a window of it when
// one is given) or a URL (fetched under the HTTP policy, named only by its redacted form), and
// the reader a spec names. What build_snapshot (sources.cpp) and the public read_source_*
// functions share.
#include "adapters/source_reads.hpp"

#include <algorithm>
#include <memory>

#include "adapters/zip_member.hpp"
#include "support/bounded_read.hpp"
#include "support/redact.hpp"

namespace riskoff::adapters {
namespace {

// From this size a read file's text is kept while its read is, not its skipped lines counted.
constexpr std::size_t kKeepFrom = 16 * 1024;

SeriesRead read_text(const SourceSpec& spec, std::string_view text, const std::string& path, engine::Timestamp as_of,
                     const std::optional<ReadWindow>& window = std::nullopt);

// data.binance.vision ships each dump as one CSV in a zip: read what it holds, within the same
// limit once decompressed; anything else is read as it is.
SeriesRead read_bytes(const SourceSpec& spec, std::string_view bytes, const std::string& shown, engine::Timestamp as_of,
                      std::uint64_t limit, const std::optional<ReadWindow>& window = std::nullopt) {
  if (!looks_like_zip(bytes)) return read_text(spec, bytes, shown, as_of, window);
  auto member = read_zip_member(bytes, limit);
  if (!member) {
    SeriesRead failed;
    failed.problems.push_back({shown, 0, 0, member.error().messages.front()});
    return failed;
  }
  // The rows a windowed read skipped are counted from the member when a line number is asked for.
  const auto text = std::make_shared<const std::string>(std::move(*member));
  SeriesRead read = read_text(spec, *text, shown, as_of, window);
  read.skipped.keep(text);
  return read;
}

}  // namespace

SeriesRead read_one(const SourceSpec& spec, const Manifest& manifest, const std::string& path, engine::Timestamp as_of,
                    const std::optional<ReadWindow>& window) {
  // Data files are not the author's: a FIFO, a device or a file past the limit is refused.
  // Mapped when large, not read: a windowed read looks at the header and the newest rows of a
  // file of decades, and the pages between are never copied (support::MappedFile says where).
  auto mapped = support::map_file_bounded(path, {.max_bytes = manifest.max_file_bytes, .what = "data files"});
  if (!mapped) {
    SeriesRead failed;
    failed.problems.push_back({path, 0, 0, mapped.error().messages.front()});
    return failed;
  }
  return read_mapped(spec, manifest, path, std::make_shared<const support::MappedFile>(std::move(*mapped)), as_of, window);
}

SeriesRead read_mapped(const SourceSpec& spec, const Manifest& manifest, const std::string& path,
                       std::shared_ptr<const support::MappedFile> file, engine::Timestamp as_of,
                       const std::optional<ReadWindow>& window) {
  SeriesRead read = read_bytes(spec, file->text(), path, as_of, manifest.max_file_bytes, window);
  if (file->shrank()) {
    // What was read had zeros where the file's pages were gone: none of it is the file.
    SeriesRead failed;
    failed.problems.push_back({path, 0, 0, "the file shrank while it was read (truncated or rewritten by another process); read it again"});
    return failed;
  }
  // A file's text is kept while the read is (one input's files at a time): the lines a window
  // skipped are counted only if a message names a row. A small file's are counted now and its
  // text freed: each first touch of a page costs more than counting a few kilobytes (78
  // monthly dumps would otherwise hold 78).
  if (file->text().size() >= kKeepFrom) read.skipped.keep(std::move(file));
  else read.skipped.settle();
  return read;
}

SeriesRead read_source_file(const SourceSpec& spec, const Manifest& manifest, const std::string& path, engine::Timestamp as_of) {
  return read_one(spec, manifest, path, as_of);
}

SeriesRead read_source_text(const SourceSpec& spec, const std::string& text, const std::string& shown, engine::Timestamp as_of) {
  return read_text(spec, text, shown, as_of);
}

namespace {

// The host of a URL (no user, port or path): what a failed name resolution is about.
std::string host_of(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (const auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (const auto colon = authority.rfind(':'); colon != std::string::npos && authority.find(']') == std::string::npos) {
    authority.erase(colon);
  }
  return authority;
}

}  // namespace

SeriesRead read_url(const SourceSpec& spec, const HttpOptions& options, engine::Timestamp as_of,
                    std::vector<std::string>& unresolved_hosts) {
  // The URL may carry an api key or a password: only its redacted form is ever shown.
  const std::string shown = support::redact_url(spec.url);
  // Offline, every source of the same provider would wait for the resolver again: one failed
  // name resolution per host and build is enough.
  const std::string host = host_of(spec.url);
  if (std::find(unresolved_hosts.begin(), unresolved_hosts.end(), host) != unresolved_hosts.end()) {
    SeriesRead failed;
    failed.problems.push_back({shown, 0, 0, "not fetched: the host `" + host + "` did not resolve for an earlier source (offline?)"});
    return failed;
  }
  const HttpResult fetched = http_get(spec.url, options);
  if (fetched.unresolved) unresolved_hosts.push_back(host);
  if (!fetched.ok) {
    SeriesRead failed;
    // Providers put their reason in an error answer (Binance's {"code":..,"msg":..}, FRED's
    // error_message); the body of anything else (a refused scheme, a body past the limit) never is.
    const std::string detail = fetched.provider_message.empty() ? "" : ": " + fetched.provider_message;
    failed.problems.push_back({shown, 0, 0, support::redact_message(fetched.error + detail, spec.url)});
    return failed;
  }
  SeriesRead read = read_bytes(spec, fetched.body, shown, as_of, options.max_body_bytes);
  for (auto& problem : read.problems) problem.message = support::redact_message(problem.message, spec.url);
  return read;
}

namespace {

SeriesRead read_text(const SourceSpec& spec, std::string_view text, const std::string& path, engine::Timestamp as_of,
                     const std::optional<ReadWindow>& window) {
  const std::string& r = spec.reader;
  if (r == "fred_csv") return read_fred_csv(text, path, window);
  if (r == "fred_json") return read_fred_json(text, path);
  if (r == "yahoo_csv") return read_yahoo_csv(text, path, spec.column.empty() ? "Close" : spec.column, window);
  if (r == "yahoo_chart_json") return read_yahoo_chart_json(text, path, spec.column.empty() ? "close" : spec.column);
  if (r == "stooq_csv") return read_stooq_csv(text, path, spec.column.empty() ? "Close" : spec.column, window);
  if (r == "cboe_csv") return read_cboe_csv(text, path, window);
  if (r == "binance_klines_json") return read_binance_klines_json(text, path, as_of);
  if (r == "binance_funding_json") return read_binance_funding_json(text, path);
  if (r == "binance_funding_csv") return read_binance_funding_csv(text, path, spec.per_hours, window);
  if (r == "binance_klines_csv") return read_binance_klines_csv(text, path, as_of);
  if (r == "binance_metrics_csv")
    return read_binance_metrics_csv(text, path, spec.column.empty() ? "sum_open_interest" : spec.column);
  if (r == "coingecko_market_chart_json")
    return read_coingecko_market_chart_json(text, path, spec.column.empty() ? "prices" : spec.column);
  if (r == "alphavantage_json") return read_alphavantage_json(text, path, spec.column.empty() ? "close" : spec.column);
  if (r == "tiingo_json") return read_tiingo_json(text, path, spec.column.empty() ? "close" : spec.column);
  if (r == "polygon_aggs_json")
    return read_polygon_aggs_json(text, path, spec.column.empty() ? "c" : spec.column, spec.bar_seconds);
  if (r == "deribit_dvol_json") return read_deribit_dvol_json(text, path, spec.bar_seconds);
  if (r == "binance_open_interest_json")
    return read_binance_open_interest_json(text, path, spec.column.empty() ? "sumOpenInterest" : spec.column);
  return read_generic_csv(text, path, spec.mapping, window);
}

}  // namespace

}  // namespace riskoff::adapters
