// libFuzzer target for one provider reader (adapters/readers.hpp), chosen at build time by
// RISKOFF_FUZZ_READER (its manifest name): one executable per reader, so each gets its own
// corpus, dictionary and coverage. The bytes are the file's text, read in memory.
//
// Readers with a choice (a column, a bar length, an interval) are read with each, so every
// branch a manifest can reach is fuzzed.
//
// `csv` (the generic reader) takes its CsvMapping and its clock from the first three bytes, so
// the fuzzer explores the locale flags, date formats, zones and clocks too: byte 0 = date format
// (bits 0-2), decimal comma (3), thousands separators (4), percent suffix (5), unordered (6), `;`
// delimiter (7); byte 1 = skip_lines (bits 0-1), value column 2..5 (bits 2-3), tab delimiter (4),
// columns by header name "Date"/"Close" instead of number (5, not with header: false);
// byte 2 = `tz` (bits 0-2, kZones), `header: false` (3), `missing` (bits 4-5, kMissing), the
// clock (bits 6-7: the reader's default, `time_is: open` with a 1h or 1d bar, or a 4h bar with
// `known_at` 16:00 and lag 1bd). The times read then go through the clock stage (known_at),
// as `snapshot build` does, and its promises are checked (fuzz_support.hpp check_known).
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"

#ifndef RISKOFF_FUZZ_READER
#error "RISKOFF_FUZZ_READER names the reader this target fuzzes"
#endif

namespace {

using namespace riskoff::adapters;
using riskoff::fuzz::check_known;
using riskoff::fuzz::check_series;
constexpr std::string_view kReader = RISKOFF_FUZZ_READER;
constexpr std::string_view kFile = "fuzz.data";
constexpr std::array<std::string_view, 18> kReaders = {
    "fred_csv",           "fred_json",           "yahoo_csv",           "yahoo_chart_json",
    "stooq_csv",          "cboe_csv",            "binance_klines_json", "binance_funding_json",
    "binance_funding_csv", "binance_open_interest_json", "binance_klines_csv", "binance_metrics_csv",
    "coingecko_market_chart_json", "alphavantage_json", "tiingo_json", "polygon_aggs_json",
    "deribit_dvol_json", "csv"};
static_assert(std::find(kReaders.begin(), kReaders.end(), kReader) != kReaders.end(),
              "RISKOFF_FUZZ_READER is not a reader of adapters/readers.hpp");
// A fixed "now" for the klines reader's in-progress bar: 2026-01-01T00:00:00Z.
constexpr riskoff::engine::Timestamp kNow = 1767225600;

constexpr std::array<const char*, 8> kDateFormats = {"%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y", "%Y.%m.%d",
                                                     "unix",     "unix_ms",           "%d.%m.%Y %H:%M", "%Y%m%d"};

// Zones with DST, half-hour and 45-minute offsets, and both ends of the offsets (+14, -11).
constexpr std::array<const char*, 8> kZones = {"",           "America/New_York", "Europe/London", "Asia/Tokyo",
                                               "Pacific/Kiritimati", "Australia/Lord_Howe", "America/St_Johns",
                                               "Pacific/Pago_Pago"};
const std::array<std::vector<std::string>, 4> kMissing = {
    std::vector<std::string>{""}, std::vector<std::string>{".", "", "null", "NaN"},
    std::vector<std::string>{"-"}, std::vector<std::string>{}};

void read_generic(std::string_view text) {
  CsvMapping mapping;
  const unsigned char first = text.empty() ? 0 : static_cast<unsigned char>(text[0]);
  const unsigned char second = text.size() < 2 ? 0 : static_cast<unsigned char>(text[1]);
  const unsigned char third = text.size() < 3 ? 0 : static_cast<unsigned char>(text[2]);
  text.remove_prefix(std::min<std::size_t>(text.size(), 3));
  mapping.date_format = kDateFormats[first & 7];
  mapping.decimal_comma = (first & 8) != 0;
  mapping.thousands_separators = (first & 16) != 0;
  mapping.percent_suffix = (first & 32) != 0;
  mapping.unordered = (first & 64) != 0;
  mapping.delimiter = (first & 128) != 0 ? ';' : (second & 16) != 0 ? '\t' : ',';
  mapping.skip_lines = second & 3;
  mapping.tz = kZones[third & 7];
  mapping.header = (third & 8) == 0;
  mapping.missing = kMissing[(third >> 4) & 3];
  if ((second & 32) == 0 || !mapping.header) {
    mapping.date_column = "1";
    mapping.value_column = std::to_string(2 + ((second >> 2) & 3));
  }
  const SeriesRead read = read_generic_csv(text, kFile, mapping);
  check_series(read);
  // The clock as the manifest builds it (adapters/manifest.cpp): the reader's default, the
  // mapping's bar, the file's zone unless the input names another.
  Clock clock = default_clock("csv");
  switch (third >> 6) {
    case 1: clock.bar_seconds = 3600; break;
    case 2: clock.bar_seconds = 86400; break;
    case 3:
      clock.bar_seconds = 4 * 3600;
      clock.close_minute = 16 * 60;
      parse_lag("1bd", clock.lag_seconds, clock.lag_business_days);
      break;
    default: break;
  }
  if (!mapping.tz.empty()) clock.tz = mapping.tz;
  if (read.ok()) check_known(clock, read.times, read.session_dates);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = riskoff::fuzz::bytes(data, size);
  if constexpr (kReader == "fred_csv") {
    check_series(read_fred_csv(text, kFile));
  } else if constexpr (kReader == "fred_json") {
    check_series(read_fred_json(text, kFile));
  } else if constexpr (kReader == "yahoo_csv") {
    check_series(read_yahoo_csv(text, kFile));
    check_series(read_yahoo_csv(text, kFile, "Adj Close"));
  } else if constexpr (kReader == "yahoo_chart_json") {
    check_series(read_yahoo_chart_json(text, kFile));
    check_series(read_yahoo_chart_json(text, kFile, "adjclose"));
  } else if constexpr (kReader == "stooq_csv") {
    check_series(read_stooq_csv(text, kFile));
  } else if constexpr (kReader == "cboe_csv") {
    check_series(read_cboe_csv(text, kFile));
  } else if constexpr (kReader == "binance_klines_json") {
    check_series(read_binance_klines_json(text, kFile, kNow));
  } else if constexpr (kReader == "binance_funding_json") {
    check_series(read_binance_funding_json(text, kFile));
  } else if constexpr (kReader == "binance_funding_csv") {
    const SeriesRead whole = read_binance_funding_csv(text, kFile);
    check_series(whole);
    check_series(read_binance_funding_csv(text, kFile, 8.0));
    // A window (as a snapshot build gives one) reads the newest rows of a file a whole read
    // takes: the same observations, from a little before it, at the same lines.
    if (whole.ok() && !whole.times.empty()) {
      const auto middle = whole.times[whole.times.size() / 2];
      const double reach = static_cast<double>(text.size() % 7) * 3600 * 8;
      const SeriesRead windowed = read_binance_funding_csv(text, kFile, std::nullopt, ReadWindow{middle, reach, middle - 3600});
      check_series(windowed);
      if (!windowed.ok() || windowed.times.size() > whole.times.size()) riskoff::fuzz::finding();
      const std::size_t from = whole.times.size() - windowed.times.size();
      for (std::size_t k = 0; k < windowed.times.size(); ++k) {
        if (windowed.times[k] != whole.times[from + k] || windowed.values[k] != whole.values[from + k] ||
            windowed.line(k) != whole.line(from + k)) {
          riskoff::fuzz::finding();
        }
      }
    }
  } else if constexpr (kReader == "binance_open_interest_json") {
    check_series(read_binance_open_interest_json(text, kFile));
    check_series(read_binance_open_interest_json(text, kFile, "sumOpenInterestValue"));
  } else if constexpr (kReader == "binance_klines_csv") {
    check_series(read_binance_klines_csv(text, kFile, kNow));
  } else if constexpr (kReader == "binance_metrics_csv") {
    check_series(read_binance_metrics_csv(text, kFile));
    check_series(read_binance_metrics_csv(text, kFile, "sum_open_interest_value"));
  } else if constexpr (kReader == "coingecko_market_chart_json") {
    check_series(read_coingecko_market_chart_json(text, kFile));
    check_series(read_coingecko_market_chart_json(text, kFile, "market_caps"));
    check_series(read_coingecko_market_chart_json(text, kFile, "total_volumes"));
  } else if constexpr (kReader == "alphavantage_json") {
    check_series(read_alphavantage_json(text, kFile));
    check_series(read_alphavantage_json(text, kFile, "5. adjusted close"));
  } else if constexpr (kReader == "tiingo_json") {
    check_series(read_tiingo_json(text, kFile));
    check_series(read_tiingo_json(text, kFile, "adjClose"));
  } else if constexpr (kReader == "polygon_aggs_json") {
    check_series(read_polygon_aggs_json(text, kFile));
    check_series(read_polygon_aggs_json(text, kFile, "vw", 3600));
    check_series(read_polygon_aggs_json(text, kFile, "c", 60));
  } else if constexpr (kReader == "deribit_dvol_json") {
    check_series(read_deribit_dvol_json(text, kFile));
    check_series(read_deribit_dvol_json(text, kFile, 3600));
  } else if constexpr (kReader == "csv") {
    read_generic(text);
  }
  return 0;
}
