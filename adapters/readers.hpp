// Readers for the formats market-data providers publish (docs/data-formats in the adapters
// issue; ../shared/domain/data-and-formulas.md part A). Each turns one file's text into a time
// series, or into problems that name the file, line, column and what was expected. None of
// them guesses: a missing value (FRED's `.`, Yahoo's `null`, an empty cell) is left out, never
// read as 0, and a row that cannot be read is an error, not a skip.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
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

// The lines a windowed read (ReadWindow) stepped over without numbering them: counted only when a
// message names a row after them, so that a read of decades touches only the pages it reads.
// `owner` keeps the text they are in (a mapped file) for as long as a number may be asked for.
class SkippedLines {
 public:
  SkippedLines() = default;
  explicit SkippedLines(std::string_view text) : text_(text) {}
  // The first owner given is the text's own (a zip member's, before the file it came from).
  void keep(std::shared_ptr<const void> owner) {
    if (!owner_) owner_ = std::move(owner);
  }
  // Counts now and lets the text go: a small file read into memory is freed at once (its
  // count costs little), so the next file's read reuses the same heap pages.
  void settle() {
    count();
    text_ = {};
    owner_.reset();
  }
  std::size_t count() const;  // counted once, on the first call
  // The line number of a row numbered as if nothing was skipped (0, the whole file, stays 0).
  std::size_t shift(std::size_t line) const { return line == 0 ? line : line + count(); }

 private:
  std::string_view text_;
  std::shared_ptr<const void> owner_;
  mutable std::optional<std::size_t> count_;
};

struct SeriesRead {
  std::vector<engine::Timestamp> times;  // ascending, unique
  std::vector<double> values;
  // Where each observation was read: its CSV line, or JSON element number; after a windowed
  // read, less the lines it skipped: line(k) gives the number to show.
  std::vector<std::size_t> lines;
  SkippedLines skipped;
  std::size_t line(std::size_t k) const { return k < lines.size() ? skipped.shift(lines[k]) : 0; }
  std::vector<double> opens;  // the bar's open beside each value, when the file has them (NaN where not)
  std::size_t missing = 0;  // observations the provider marked missing (left out)
  std::vector<ReadProblem> problems;
  // Set when no observations is the provider's honest answer (Yahoo's empty range): not a
  // problem of the file, but the reason to give if the input ends up with nothing.
  std::string empty_because;
  bool session_dates = false;  // times are local session dates at 00:00Z, not instants
  // What each value is a rate per ("8h"), when the reader knows it (funding dumps): files of
  // one input that differ are refused rather than joined into a series that means two things.
  std::string per;
  bool ok() const { return problems.empty(); }
};

// The rows a decision as of an instant can need (build_snapshot): the CSV readers below, given
// one, read a file whose rows are sorted oldest first from its end, back to `reach` seconds
// before the last row dated at or before `anchor_by`, plus the two rows before those (a
// window's reference observation, and the row its order is checked against). Earlier rows are
// not read, so a fault in them is not reported: they cannot change that decision (replay and
// everything else that reads whole histories read them all). Files that cannot be dated that
// far back from their end are read whole; so are unordered files (a row can be anywhere), which
// are then sorted and keep the same rows as the file in order would. Times are the file's own,
// before any shift. One file of several (an input's monthly dumps) counts back from
// `anchor_at_least` when it is later than its own last row dated by `anchor_by`: another file
// has a row that late, so a month before the window gives only its last two rows.
struct ReadWindow {
  engine::Timestamp anchor_by = 0;
  double reach = 0;
  engine::Timestamp anchor_at_least = std::numeric_limits<engine::Timestamp>::min();
};

// FRED fredgraph.csv: `DATE,<ID>` or `observation_date,<ID>`; `.` and empty cells are missing.
SeriesRead read_fred_csv(std::string_view text, std::string_view file,
                         const std::optional<ReadWindow>& window = std::nullopt);
// FRED API JSON (`file_type=json`): `observations[].date` and string `value`, `"."` missing.
SeriesRead read_fred_json(std::string_view text, std::string_view file);
// Yahoo CSV download (`Date,Open,High,Low,Close,Adj Close,Volume`, `null` rows) and the flattened
// yfinance layout (`Date,Close,High,...`): the named column, by header; reading `Close`, also the
// `Open` column beside it when the file has one (SeriesRead::opens).
SeriesRead read_yahoo_csv(std::string_view text, std::string_view file, std::string_view column = "Close",
                          const std::optional<ReadWindow>& window = std::nullopt);
// Yahoo chart JSON (`/v8/finance/chart`): chart.result[0].timestamp + indicators.quote[0].<field>;
// daily bars are stamped with their exchange date; error objects become problems.
SeriesRead read_yahoo_chart_json(std::string_view text, std::string_view file, std::string_view field = "close");
// Stooq CSV (`Date,Open,High,Low,Close,Volume`); its HTTP-200 error bodies (`No data`, the
// daily-limit text, HTML) become problems.
SeriesRead read_stooq_csv(std::string_view text, std::string_view file, std::string_view column = "Close",
                          const std::optional<ReadWindow>& window = std::nullopt);
// CBOE VIX history (`DATE,OPEN,HIGH,LOW,CLOSE`, dates YYYY-MM-DD or MM/DD/YYYY).
SeriesRead read_cboe_csv(std::string_view text, std::string_view file,
                         const std::optional<ReadWindow>& window = std::nullopt);
// Binance klines arrays (spot or USDⓈ-M, 12 fields, string prices): close by close time; the
// last bar is dropped while still in progress (close time after `now`). ms or µs times.
SeriesRead read_binance_klines_json(std::string_view text, std::string_view file, engine::Timestamp now);
// Binance `fundingRate` JSON: fundingRate (a fraction per interval) at fundingTime.
SeriesRead read_binance_funding_json(std::string_view text, std::string_view file);
// Binance funding dumps: `calc_time,funding_interval_hours,last_funding_rate`. A symbol's
// interval changes over time (8h, then 4h, then 1h): with `per_hours` every rate is scaled to
// that interval (a 1h rate of 0.01% is 0.08% per 8h); without it, rows of different intervals
// are an error naming the rows, since one series must mean one thing (binance_dumps.cpp). Given
// a window, only the rows it needs are read, as by the CSV readers above.
SeriesRead read_binance_funding_csv(std::string_view text, std::string_view file,
                                    std::optional<double> per_hours = std::nullopt,
                                    const std::optional<ReadWindow>& window = std::nullopt);
// data.binance.vision klines dumps (`.csv`, or the `.zip` they come in, see read_zip_member):
// headerless (spot, old futures) or with the `open_time,...,close_time,...` header; ms or µs
// times. The close at the bar's close time rounded up to the whole second (hh:mm:59.999 ->
// hh:mm+1:00, as the JSON reader stamps it); a bar still open at `now` is left out.
SeriesRead read_binance_klines_csv(std::string_view text, std::string_view file, engine::Timestamp now);
// The futures `metrics` dump (`create_time,symbol,sum_open_interest,sum_open_interest_value,...`):
// `sum_open_interest` (coins, the default) or `sum_open_interest_value` (USDT) at create_time (UTC).
SeriesRead read_binance_metrics_csv(std::string_view text, std::string_view file,
                                    std::string_view column = "sum_open_interest");

// JSON answers of market-data APIs (market_json_readers.cpp), each validated against its schema
// and with the provider's error and rate-limit answers named as such.
// CoinGecko `/coins/{id}/market_chart`: `prices` (default), `market_caps` or `total_volumes`,
// pairs of [ms, value]; each value is the one at its instant (the last is the live price).
SeriesRead read_coingecko_market_chart_json(std::string_view text, std::string_view file,
                                            std::string_view field = "prices");
// Alpha Vantage TIME_SERIES_DAILY(_ADJUSTED) and TIME_SERIES_INTRADAY: `4. close` by default
// (`column` names another field, with or without its number: `5. adjusted close`, `open`).
// Daily: session dates. Intraday: the bar's local start time in Meta Data's time zone
// (US/Eastern), plus its interval: the UTC instant the bar closed.
SeriesRead read_alphavantage_json(std::string_view text, std::string_view file, std::string_view field = "close");
// Tiingo `/tiingo/daily/<ticker>/prices`: `close` (default) or `adjClose`... by session date.
SeriesRead read_tiingo_json(std::string_view text, std::string_view file, std::string_view field = "close");
// Polygon aggregates (`/v2/aggs/ticker/.../range/...`): `results[].t` (ms, the bar's start) and
// `c` (default) or another field. `bar_seconds` is the bar length of the request: daily bars
// of an exchange (t at New York midnight) are session dates; bars on UTC boundaries close at
// t + bar_seconds.
SeriesRead read_polygon_aggs_json(std::string_view text, std::string_view file, std::string_view field = "c",
                                  std::int64_t bar_seconds = 86400);
// Deribit `public/get_volatility_index_data` (DVOL): `result.data` rows [ms, open, high, low,
// close], each the start of a bar of `bar_seconds` (the request's resolution): the close at
// t + bar_seconds.
SeriesRead read_deribit_dvol_json(std::string_view text, std::string_view file, std::int64_t bar_seconds = 86400);
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
  bool operator==(const CsvMapping&) const = default;
};
SeriesRead read_generic_csv(std::string_view text, std::string_view file, const CsvMapping& mapping,
                            const std::optional<ReadWindow>& window = std::nullopt);

}  // namespace riskoff::adapters
