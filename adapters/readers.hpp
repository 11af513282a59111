// Readers for the formats market-data providers publish (docs/data-formats in the adapters
// issue; ../shared/domain/data-and-formulas.md part A). Each turns one file's text into a time
// series, or into problems that name the file, line, column and what was expected. None of
// them guesses: a missing value (FRED's `.`, Yahoo's `null`, an empty cell) is left out, never
// read as 0, and a row that cannot be read is an error, not a skip.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.hpp"

namespace riskoff::adapters {

struct ReadProblem {
  std::string file;
  std::size_t line = 0;    // 1-based; 0 when the problem is the whole file
  std::size_t column = 0;  // 1-based field number in CSV, 0 when not applicable
  std::string message;
  std::string text() const;  // "file:line:col: message"
};

struct SeriesRead {
  std::vector<engine::Timestamp> times;  // ascending, unique
  std::vector<double> values;
  std::vector<std::size_t> lines;  // where each observation was read: its CSV line, or JSON element number
  std::size_t missing = 0;  // observations the provider marked missing (left out)
  std::vector<ReadProblem> problems;
  // Set when no observations is the provider's honest answer (Yahoo's empty range): not a
  // problem of the file, but the reason to give if the input ends up with nothing.
  std::string empty_because;
  bool session_dates = false;  // times are local session dates at 00:00Z, not instants
  bool ok() const { return problems.empty(); }
};

// FRED fredgraph.csv: `DATE,<ID>` or `observation_date,<ID>`; `.` and empty cells are missing.
SeriesRead read_fred_csv(std::string_view text, std::string_view file);
// FRED API JSON (`file_type=json`): `observations[].date` and string `value`, `"."` missing.
SeriesRead read_fred_json(std::string_view text, std::string_view file);
// Yahoo CSV download (`Date,Open,High,Low,Close,Adj Close,Volume`, `null` rows) and the flattened
// yfinance layout (`Date,Close,High,...`): the named column, by header.
SeriesRead read_yahoo_csv(std::string_view text, std::string_view file, std::string_view column = "Close");
// Yahoo chart JSON (`/v8/finance/chart`): chart.result[0].timestamp + indicators.quote[0].<field>;
// daily bars are stamped with their exchange date; error objects become problems.
SeriesRead read_yahoo_chart_json(std::string_view text, std::string_view file, std::string_view field = "close");
// Stooq CSV (`Date,Open,High,Low,Close,Volume`); its HTTP-200 error bodies (`No data`, the
// daily-limit text, HTML) become problems.
SeriesRead read_stooq_csv(std::string_view text, std::string_view file, std::string_view column = "Close");
// CBOE VIX history (`DATE,OPEN,HIGH,LOW,CLOSE`, dates YYYY-MM-DD or MM/DD/YYYY).
SeriesRead read_cboe_csv(std::string_view text, std::string_view file);
// Binance klines arrays (spot or USDⓈ-M, 12 fields, string prices): close by close time; the
// last bar is dropped while still in progress (close time after `now`). ms or µs times.
SeriesRead read_binance_klines_json(std::string_view text, std::string_view file, engine::Timestamp now);
// Binance `fundingRate` JSON: fundingRate (a fraction per interval) at fundingTime.
SeriesRead read_binance_funding_json(std::string_view text, std::string_view file);
// Binance monthly funding dumps: `calc_time,funding_interval_hours,last_funding_rate`.
SeriesRead read_binance_funding_csv(std::string_view text, std::string_view file);
// Binance `openInterestHist` JSON: `sumOpenInterest` (coins) or `sumOpenInterestValue` (USDT).
SeriesRead read_binance_open_interest_json(std::string_view text, std::string_view file,
                                           std::string_view field = "sumOpenInterest");

// A generic CSV reader for everything else (Investing.com, Coinalyze, exports).
struct CsvMapping {
  std::string date_column = "Date";   // header name, or a 1-based number as text ("1")
  std::string date_format = "%Y-%m-%d";  // %Y %m %d %H %M %S and literal characters; "unix" / "unix_ms"
  std::string value_column = "Close";
  char delimiter = ',';
  bool decimal_comma = false;     // "4,25" means 4.25
  bool thousands_separators = false;  // "7,408.30" (or "7.408,30" with decimal_comma)
  bool percent_suffix = false;    // "1.00%" -> 1.00
  std::size_t skip_lines = 0;     // lines before the header (banners, comments)
  // Some exports have rows out of order; only when the user says so are they sorted (a
  // duplicate time is still an error).
  bool unordered = false;
  // Times without an offset are wall times of this zone (an IANA name, checked by the
  // manifest); "" is UTC. Date-only times are session dates whatever the zone.
  std::string tz;
  std::vector<std::string> missing = {""};  // cells that mean "no observation" (FRED's `.`)
  bool header = true;  // false: no header line; columns are given by number ("1", "2")
};
SeriesRead read_generic_csv(std::string_view text, std::string_view file, const CsvMapping& mapping);

}  // namespace riskoff::adapters
