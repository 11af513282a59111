// JSON answers of market-data APIs users bring after the big three: CoinGecko, Alpha Vantage,
// Tiingo, Polygon and Deribit. As in json_readers.cpp each answer passes its schema first
// (unknown keys allowed, every field read typed), and each provider's own error and rate-limit
// answers (which come with HTTP 200 or are saved to files) are named as such, not as a bad shape.
//
// Times: daily bars of an exchange are session dates (SeriesRead::session_dates); bars of a
// market that never closes are stamped at the instant they closed, their start plus their length.
#include <cmath>

#include "adapters/clock.hpp"
#include "adapters/json_support.hpp"
#include "adapters/readers.hpp"

namespace riskoff::adapters {
namespace {

using detail::backticked;
using detail::Builder;
using detail::json_number;
using detail::json_time_ms;
using detail::load_json;
using nlohmann::json;
using schema::Member;
using schema::Node;
using schema::OtherKeys;
using schema::kNoMaximum;
using schema::kNoMinimum;

constexpr Node kNumberOrNull{schema::kNumber | schema::kNull};
constexpr Node kNumberOrText{schema::kNumber | schema::kString};
constexpr Node kAnyObjectOrText{schema::kObject | schema::kString};
constexpr Node kPoint{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kNumberOrNull};
constexpr Node kPoints{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kPoint};

// CoinGecko: {"prices": [[ms, v], ...], "market_caps": ..., "total_volumes": ...}; errors are
// {"error": "coin not found"} or {"status": {"error_code": 429, "error_message": ...}}.
constexpr Member kCoinGeckoMembers[] = {{"prices", &kPoints},       {"market_caps", &kPoints}, {"total_volumes", &kPoints},
                                        {"status", &schema::kAny}, {"error", &schema::kAny}};
constexpr Node kCoinGecko{schema::kObject, {}, kNoMinimum, kNoMaximum, kCoinGeckoMembers, OtherKeys::kAllowed};

// Alpha Vantage: {"Meta Data": {"1. Information": ...}, "Time Series (Daily)": {"2024-01-05":
// {"1. open": "159.1000", ...}}}; the series key varies, so its shape is checked on its own.
constexpr Node kAlphaMeta{schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kEntries, &schema::kText, "field"};
constexpr Member kAlphaMembers[] = {{"Meta Data", &kAlphaMeta}};
constexpr Node kAlpha{schema::kObject, {}, kNoMinimum, kNoMaximum, kAlphaMembers, OtherKeys::kAllowed};
constexpr Node kAlphaBar{schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kEntries, &kNumberOrText, "field"};
constexpr Node kAlphaSeries{schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kEntries, &kAlphaBar, "bar"};

// Tiingo daily prices: [{"date": "2019-01-02T00:00:00.000Z", "close": 157.92, ...}]; errors
// are {"detail": "..."}.
constexpr Member kTiingoBarMembers[] = {{"date", &schema::kText, schema::Presence::kRequired}};
constexpr Node kTiingoBar{schema::kObject, {}, kNoMinimum, kNoMaximum, kTiingoBarMembers, OtherKeys::kAllowed};
constexpr Node kTiingo{schema::kArray | schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kTiingoBar};

// Polygon aggregates: {"status": "OK", "results": [{"t": ms, "c": ..., ...}]}; errors carry
// "status": "ERROR" or "NOT_AUTHORIZED" and an "error" or "message".
constexpr Node kTimeMs{schema::kInteger};
constexpr Member kPolygonBarMembers[] = {{"t", &kTimeMs, schema::Presence::kRequired}};
constexpr Node kPolygonBar{schema::kObject, {}, kNoMinimum, kNoMaximum, kPolygonBarMembers, OtherKeys::kAllowed};
constexpr Node kPolygonBars{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kPolygonBar};
constexpr Member kPolygonMembers[] = {
    {"results", &kPolygonBars}, {"status", &schema::kText}, {"error", &kAnyObjectOrText}, {"message", &kAnyObjectOrText}};
constexpr Node kPolygon{schema::kObject, {}, kNoMinimum, kNoMaximum, kPolygonMembers, OtherKeys::kAllowed};

// Deribit: {"jsonrpc": "2.0", "result": {"data": [[ms, open, high, low, close], ...]}} or
// {"error": {"code": ..., "message": ...}}.
constexpr Member kDeribitResultMembers[] = {{"data", &kPoints}};
constexpr Node kDeribitResult{schema::kObject, {}, kNoMinimum, kNoMaximum, kDeribitResultMembers, OtherKeys::kAllowed};
constexpr Member kDeribitMembers[] = {{"result", &kDeribitResult}, {"error", &schema::kAny}};
constexpr Node kDeribit{schema::kObject, {}, kNoMinimum, kNoMaximum, kDeribitMembers, OtherKeys::kAllowed};

// A provider's error answer, cut for a message.
std::string shown(const json& value) {
  const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  return text.size() > 300 ? text.substr(0, 300) + "..." : text;
}

// Bars that start `bar_seconds` apart at least: closer bars mean the request's resolution is
// not the `bar` the manifest declares, and every close would be stamped late or early.
bool spacing_fits(const json& rows, std::int64_t bar_seconds, Builder& builder, const char* key) {
  engine::Timestamp previous = 0;
  for (std::size_t index = 0; index < rows.size(); ++index) {
    engine::Timestamp time = 0;
    const json& row = rows[index];
    if (row.is_array() ? row.empty() || !json_time_ms(row.front(), time) : !json_time_ms(row[key], time)) continue;
    if (index > 0 && time > previous && time - previous < bar_seconds) {
      builder.problem(0, 0, "bars " + std::to_string(index - 1) + " and " + std::to_string(index) + " start " +
                                std::to_string(time - previous) + " s apart but `bar` is " + std::to_string(bar_seconds) +
                                " s: declare the bar length the request asked for");
      return false;
    }
    previous = time;
  }
  return true;
}

// [ms, value...] rows: the value at `column`, stamped at t + `add` seconds.
void read_points(const json& points, std::size_t column, engine::Timestamp add, Builder& builder, const std::string& what) {
  for (std::size_t index = 0; index < points.size(); ++index) {
    const json& point = points[index];
    engine::Timestamp time = 0;
    if (point.size() <= column || !json_time_ms(point[0], time)) {
      builder.problem(0, 0, what + "[" + std::to_string(index) + "]: expected [time in ms, ...] with at least " +
                                std::to_string(column + 1) + " numbers, found " + shown(point));
      continue;
    }
    if (point[column].is_null()) {
      builder.missing();
      continue;
    }
    builder.add(time + add, point[column].get<double>(), index + 1);
  }
}

// "close" names "4. close"; the full key names itself.
const json* alpha_field(const json& bar, std::string_view field) {
  for (const auto& [key, value] : bar.items()) {
    if (key == field) return &value;
    const auto dot = key.find(". ");
    if (dot != std::string::npos && std::string_view(key).substr(dot + 2) == field) return &value;
  }
  return nullptr;
}

// The Meta Data value whose key ends in `suffix` ("5. Time Zone", "6. Time Zone").
std::string alpha_meta(const json& meta, std::string_view suffix) {
  for (const auto& [key, value] : meta.items()) {
    if (std::string_view(key).ends_with(suffix)) return value.get<std::string>();
  }
  return {};
}

}  // namespace

SeriesRead read_coingecko_market_chart_json(std::string_view text, std::string_view file, std::string_view field) {
  Builder builder(file);
  const auto loaded = load_json(text, kCoinGecko, builder);
  if (!loaded) return builder.finish();
  const json& document = *loaded;
  if (const auto status = document.find("status"); status != document.end() && status->is_object()) {
    // Compared as a number: read as an int, a code of 1e300 would be undefined behaviour.
    const json code = status->value("error_code", json());
    const bool limited = code.is_number() && code.get<double>() == 429;
    builder.problem(0, 0, std::string(limited ? "CoinGecko's rate limit was hit (429)" : "CoinGecko answered with an error") +
                              ": " + shown(status->value("error_message", json(*status))));
    return builder.finish();
  }
  if (const auto error = document.find("error"); error != document.end()) {
    builder.problem(0, 0, "CoinGecko answered with an error: " + shown(*error));
    return builder.finish();
  }
  const auto points = document.find(std::string(field));
  if (points == document.end()) {
    builder.problem(0, 0, "expected " + backticked(field) + " (an array of [ms, value]); is this a `market_chart` answer?");
    return builder.finish();
  }
  if (points->empty()) builder.empty_because("CoinGecko has no " + std::string(field) + " in the requested range");
  read_points(*points, 1, 0, builder, std::string(field));
  return builder.finish();
}

SeriesRead read_alphavantage_json(std::string_view text, std::string_view file, std::string_view field) {
  Builder builder(file);
  const auto loaded = load_json(text, kAlpha, builder);
  if (!loaded) return builder.finish();
  const json& document = *loaded;
  // Errors and limits come as 200 with one key: "Error Message", "Note" (the per-minute limit),
  // or "Information" (the daily limit, a premium endpoint).
  for (const char* key : {"Error Message", "Note", "Information"}) {
    if (const auto found = document.find(key); found != document.end() && !document.contains("Meta Data")) {
      builder.problem(0, 0, std::string("Alpha Vantage answered with ") +
                                (std::string_view(key) == "Error Message" ? "an error" : "a notice instead of data (a rate limit?)") +
                                ": " + shown(*found));
      return builder.finish();
    }
  }
  const json* series = nullptr;
  for (const auto& [key, value] : document.items()) {
    if (key.find("Time Series") != std::string::npos) series = &value;
  }
  const auto meta = document.find("Meta Data");
  if (series == nullptr || meta == document.end()) {
    builder.problem(0, 0, "expected `Meta Data` and a `Time Series (...)` object; is this a TIME_SERIES_* answer?");
    return builder.finish();
  }
  if (const auto problems = schema::validate(*series, kAlphaSeries); !problems.empty()) {
    for (const auto& problem : problems) builder.problem(0, 0, "Time Series: " + problem);
    return builder.finish();
  }
  const std::string interval = alpha_meta(*meta, "Interval");
  const std::string zone = alpha_meta(*meta, "Time Zone");
  const std::int64_t bar = interval.empty() ? 0 : parse_bar_length(interval).value_or(0);
  if (!interval.empty() && bar == 0) {
    builder.problem(0, 0, "Meta Data: expected an interval like `5min`, found " + backticked(interval));
    return builder.finish();
  }
  if (bar != 0 && zone.empty()) {
    builder.problem(0, 0, "Meta Data: intraday bars need the `Time Zone` their times are written in");
    return builder.finish();
  }
  const auto time_zone = bar != 0 ? TimeZone::find(zone) : TimeZone::utc();
  if (!time_zone) {
    builder.problem(0, 0, "Meta Data: unknown time zone " + backticked(zone.substr(0, 60)) +
                              " (expected a name of the tz database, like `America/New_York`)");
    return builder.finish();
  }
  // Keys are dates or local times; the parsed object holds them in order.
  std::size_t index = 0;
  for (const auto& [stamp, values] : series->items()) {
    ++index;
    engine::Timestamp time = 0;
    if (!detail::parse_time(stamp, bar != 0 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d", time)) {
      builder.problem(0, 0, "Time Series: expected " + std::string(bar != 0 ? "`YYYY-MM-DD hh:mm:ss`" : "`YYYY-MM-DD`") +
                                ", found " + backticked(stamp));
      continue;
    }
    if (bar != 0) {
      // Local bar start in the exchange's zone; the bar closes one interval later.
      std::string why;
      const auto utc = time_zone->to_utc_exactly(time, why);
      if (!utc) {
        builder.problem(0, 0, "Time Series: " + backticked(stamp) + ": " + why);
        continue;
      }
      time = *utc + bar;
    }
    const json* value = alpha_field(values, field);
    double number = 0;
    if (value == nullptr || !json_number(*value, number)) {
      builder.problem(0, 0, "Time Series " + backticked(stamp) + ": expected " + backticked(field) + " as a number" +
                                (value == nullptr ? ", there is none" : ", found " + schema::describe(*value)));
      continue;
    }
    builder.add(time, number, index);
  }
  SeriesRead read = builder.finish();
  read.session_dates = bar == 0;
  return read;
}

SeriesRead read_tiingo_json(std::string_view text, std::string_view file, std::string_view field) {
  Builder builder(file);
  const auto loaded = load_json(text, kTiingo, builder);
  if (!loaded) return builder.finish();
  const json& document = *loaded;
  if (document.is_object()) {
    const auto detail = document.find("detail");
    builder.problem(0, 0, detail != document.end() ? "Tiingo answered with an error: " + shown(*detail)
                                                   : "expected an array of daily prices");
    return builder.finish();
  }
  if (document.empty()) builder.empty_because("Tiingo has no prices in the requested range");
  for (std::size_t index = 0; index < document.size(); ++index) {
    const json& bar = document[index];
    const std::string& date = bar["date"].get_ref<const std::string&>();
    engine::Timestamp time = 0;
    // Daily prices are dated at midnight UTC of the session's date; IEX intraday answers are not.
    if (date.size() < 19 || !detail::parse_time(std::string_view(date).substr(0, 10), "%Y-%m-%d", time) ||
        std::string_view(date).substr(10, 9) != "T00:00:00") {
      builder.problem(0, 0, "[" + std::to_string(index) + "].date: expected a daily date like `2019-01-02T00:00:00.000Z`, found " +
                                backticked(date));
      continue;
    }
    const auto value = bar.find(std::string(field));
    if (value == bar.end() || value->is_null()) {
      builder.missing();
      continue;
    }
    double number = 0;
    if (!json_number(*value, number)) {
      builder.problem(0, 0, "[" + std::to_string(index) + "]." + std::string(field) + ": expected a number, found " +
                                schema::describe(*value));
      continue;
    }
    builder.add(time, number, index + 1);
  }
  SeriesRead read = builder.finish();
  read.session_dates = true;
  return read;
}

SeriesRead read_polygon_aggs_json(std::string_view text, std::string_view file, std::string_view field,
                                  std::int64_t bar_seconds) {
  Builder builder(file);
  const auto loaded = load_json(text, kPolygon, builder);
  if (!loaded) return builder.finish();
  const json& document = *loaded;
  const std::string status = document.value("status", "");
  if (status != "OK" && status != "DELAYED" && !status.empty()) {
    const auto error = document.contains("error") ? document.find("error") : document.find("message");
    builder.problem(0, 0, "Polygon answered with status " + backticked(status) +
                              (error != document.end() ? ": " + shown(*error) : std::string()));
    return builder.finish();
  }
  const auto results = document.find("results");
  if (results == document.end() || results->empty()) {
    builder.empty_because("Polygon has no bars in the requested range (no `results`)");
    return builder.finish();
  }
  if (!spacing_fits(*results, bar_seconds, builder, "t")) return builder.finish();
  // Daily bars of a US exchange start at New York midnight of the session's date; a crypto or
  // forex bar starts on a UTC boundary and closes one bar later.
  bool session_dates = false;
  const auto new_york = TimeZone::find("America/New_York");
  const std::string key(field);
  for (std::size_t index = 0; index < results->size(); ++index) {
    const json& bar = (*results)[index];
    engine::Timestamp start = 0;
    if (!json_time_ms(bar["t"], start)) {
      builder.problem(0, 0, "results[" + std::to_string(index) + "].t: expected a time in ms");
      continue;
    }
    const engine::Timestamp local = new_york ? new_york->to_local(start) : start;
    const bool new_york_midnight = bar_seconds == 86400 && new_york && local % 86400 == 0;
    if (index == 0) session_dates = new_york_midnight;
    if (new_york_midnight != session_dates || (!session_dates && bar_seconds >= 86400 && start % 86400 != 0)) {
      builder.problem(0, 0, "results[" + std::to_string(index) + "].t: " + engine::format_timestamp(start) +
                                " is not on a day boundary like the bars before it (New York or UTC midnight)");
      continue;
    }
    const auto value = bar.find(key);
    double number = 0;
    if (value == bar.end() || !json_number(*value, number)) {
      builder.problem(0, 0, "results[" + std::to_string(index) + "]: expected " + backticked(key) + " as a number" +
                                (value == bar.end() ? ", there is none" : ", found " + schema::describe(*value)));
      continue;
    }
    builder.add(session_dates ? local : start + bar_seconds, number, index + 1);
  }
  SeriesRead read = builder.finish();
  read.session_dates = session_dates;
  return read;
}

SeriesRead read_deribit_dvol_json(std::string_view text, std::string_view file, std::int64_t bar_seconds) {
  Builder builder(file);
  const auto loaded = load_json(text, kDeribit, builder);
  if (!loaded) return builder.finish();
  const json& document = *loaded;
  if (const auto error = document.find("error"); error != document.end()) {
    builder.problem(0, 0, "Deribit answered with an error: " + shown(*error));
    return builder.finish();
  }
  const auto result = document.find("result");
  if (result == document.end() || !result->contains("data")) {
    builder.problem(0, 0, "expected `result.data` (rows of [ms, open, high, low, close]); is this get_volatility_index_data?");
    return builder.finish();
  }
  const json& rows = (*result)["data"];
  if (rows.empty()) builder.empty_because("Deribit has no DVOL bars in the requested range");
  if (!spacing_fits(rows, bar_seconds, builder, "")) return builder.finish();
  read_points(rows, 4, bar_seconds, builder, "result.data");
  return builder.finish();
}

}  // namespace riskoff::adapters
