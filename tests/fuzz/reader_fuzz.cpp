// libFuzzer target for one provider reader (adapters/readers.hpp), chosen at build time by
// RISKOFF_FUZZ_READER (its manifest name): one executable per reader, so each gets its own
// corpus, dictionary and coverage. The bytes are the file's text, read in memory.
//
// `csv` (the generic reader) takes its CsvMapping from the first two bytes, so the fuzzer
// explores the locale flags and date formats too: byte 0 = date format (bits 0-2), decimal
// comma (3), thousands separators (4), percent suffix (5), unordered (6), `;` delimiter (7);
// byte 1 = skip_lines (bits 0-1), value column 2..5 (bits 2-3), tab delimiter (4), columns by
// header name "Date"/"Close" instead of number (5).
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"

#ifndef RISKOFF_FUZZ_READER
#error "RISKOFF_FUZZ_READER names the reader this target fuzzes"
#endif

namespace {

using namespace riskoff::adapters;
constexpr std::string_view kReader = RISKOFF_FUZZ_READER;
constexpr std::string_view kFile = "fuzz.data";
constexpr std::array<std::string_view, 11> kReaders = {
    "fred_csv",           "fred_json",           "yahoo_csv",           "yahoo_chart_json",
    "stooq_csv",          "cboe_csv",            "binance_klines_json", "binance_funding_json",
    "binance_funding_csv", "binance_open_interest_json", "csv"};
static_assert(std::find(kReaders.begin(), kReaders.end(), kReader) != kReaders.end(),
              "RISKOFF_FUZZ_READER is not a reader of adapters/readers.hpp");
// A fixed "now" for the klines reader's in-progress bar: 2026-01-01T00:00:00Z.
constexpr riskoff::engine::Timestamp kNow = 1767225600;

constexpr std::array<const char*, 8> kDateFormats = {"%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y", "%Y.%m.%d",
                                                     "unix",     "unix_ms",           "%d.%m.%Y %H:%M", "%Y%m%d"};

SeriesRead read_generic(std::string_view text) {
  CsvMapping mapping;
  const unsigned char first = text.empty() ? 0 : static_cast<unsigned char>(text[0]);
  const unsigned char second = text.size() < 2 ? 0 : static_cast<unsigned char>(text[1]);
  text.remove_prefix(std::min<std::size_t>(text.size(), 2));
  mapping.date_format = kDateFormats[first & 7];
  mapping.decimal_comma = (first & 8) != 0;
  mapping.thousands_separators = (first & 16) != 0;
  mapping.percent_suffix = (first & 32) != 0;
  mapping.unordered = (first & 64) != 0;
  mapping.delimiter = (first & 128) != 0 ? ';' : (second & 16) != 0 ? '\t' : ',';
  mapping.skip_lines = second & 3;
  if ((second & 32) == 0) {
    mapping.date_column = "1";
    mapping.value_column = std::to_string(2 + ((second >> 2) & 3));
  }
  return read_generic_csv(text, kFile, mapping);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using riskoff::fuzz::check_series;
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
    check_series(read_binance_funding_csv(text, kFile));
  } else if constexpr (kReader == "binance_open_interest_json") {
    check_series(read_binance_open_interest_json(text, kFile));
    check_series(read_binance_open_interest_json(text, kFile, "sumOpenInterestValue"));
  } else if constexpr (kReader == "csv") {
    check_series(read_generic(text));
  }
  return 0;
}
