// The providers' JSON answers: FRED API, Yahoo chart, Binance klines, funding and open interest.
// Each answer is validated against its schema (adapters/json_schema.hpp) before it is read:
// providers add fields at will, so unknown keys pass, but every field a reader uses must have
// the type it expects, no key may appear twice, and numbers are finite. A wrong shape is a
// message naming the path (`chart.result[0].indicators.quote`), never an uncaught exception.
#include <charconv>
#include <cmath>
#include <optional>

#include "adapters/json_support.hpp"
#include "adapters/json_schema.hpp"
#include "adapters/read_support.hpp"
#include "adapters/readers.hpp"

namespace riskoff::adapters {
namespace {

using detail::Builder;
using nlohmann::json;
using schema::Member;
using schema::Node;
using schema::OtherKeys;
using schema::Presence;
using schema::kNoMaximum;
using schema::kNoMinimum;

using schema::kAny;
using schema::kText;
// Providers send numbers as numbers or as strings ("0.00010000"); a string is read strictly.
constexpr Node kNumberOrText{schema::kNumber | schema::kString};
constexpr Node kTimeMs{schema::kInteger | schema::kString};

// FRED API (`file_type=json`): observations of a date and a string value ("." when missing).
constexpr Member kFredObservationMembers[] = {{"date", &kText, Presence::kRequired}, {"value", &kNumberOrText}};
constexpr Node kFredObservation{schema::kObject, {}, kNoMinimum, kNoMaximum, kFredObservationMembers, OtherKeys::kAllowed};
constexpr Node kFredObservations{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kFredObservation};
constexpr Member kFredMembers[] = {{"observations", &kFredObservations}, {"error_message", &kAny}};
constexpr Node kFred{schema::kObject, {}, kNoMinimum, kNoMaximum, kFredMembers, OtherKeys::kAllowed};

// Yahoo /v8/finance/chart: chart.result[0].{meta, timestamp, indicators.quote[0].<field>}.
constexpr Node kBar{schema::kNumber | schema::kNull};
constexpr Node kBars{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kBar};
constexpr Node kQuote{schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kEntries, &kBars};
constexpr Node kQuotes{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kQuote};
constexpr Member kIndicatorMembers[] = {{"quote", &kQuotes}};
constexpr Node kIndicators{schema::kObject, {}, kNoMinimum, kNoMaximum, kIndicatorMembers, OtherKeys::kAllowed};
constexpr Node kStamp{schema::kInteger, {}, static_cast<double>(detail::kFirstTime), static_cast<double>(detail::kLastTime)};
constexpr Node kStamps{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kStamp};
constexpr Node kGmtOffset{schema::kInteger, {}, -86400, 86400};
constexpr Member kMetaMembers[] = {{"gmtoffset", &kGmtOffset}, {"dataGranularity", &kText}};
constexpr Node kMeta{schema::kObject, {}, kNoMinimum, kNoMaximum, kMetaMembers, OtherKeys::kAllowed};
constexpr Member kResultMembers[] = {{"meta", &kMeta}, {"timestamp", &kStamps}, {"indicators", &kIndicators}};
constexpr Node kResult{schema::kObject, {}, kNoMinimum, kNoMaximum, kResultMembers, OtherKeys::kAllowed};
constexpr Node kResults{schema::kArray | schema::kNull, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kResult};
constexpr Member kChartMembers[] = {{"result", &kResults}, {"error", &kAny}};
constexpr Node kChart{schema::kObject, {}, kNoMinimum, kNoMaximum, kChartMembers, OtherKeys::kAllowed};
constexpr Member kYahooMembers[] = {{"chart", &kChart}, {"finance", &kAny}};
constexpr Node kYahoo{schema::kObject, {}, kNoMinimum, kNoMaximum, kYahooMembers, OtherKeys::kAllowed};

// Binance: an array of records, or an error object {"code": .., "msg": ..}.
constexpr Node kKlineField{schema::kNumber | schema::kString};
constexpr Node kKline{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kKlineField};
constexpr Node kKlines{schema::kArray | schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kKline};
constexpr Member kFundingMembers[] = {{"fundingTime", &kTimeMs}, {"fundingRate", &kNumberOrText}};
constexpr Node kFundingRecord{schema::kObject, {}, kNoMinimum, kNoMaximum, kFundingMembers, OtherKeys::kAllowed};
constexpr Node kFunding{schema::kArray | schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed, &kFundingRecord};
constexpr Member kOpenInterestMembers[] = {
    {"timestamp", &kTimeMs}, {"sumOpenInterest", &kNumberOrText}, {"sumOpenInterestValue", &kNumberOrText}};
constexpr Node kOpenInterestRecord{schema::kObject, {}, kNoMinimum, kNoMaximum, kOpenInterestMembers, OtherKeys::kAllowed};
constexpr Node kOpenInterest{schema::kArray | schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed,
                             &kOpenInterestRecord};

}  // namespace

namespace detail {

// The validated document, or nothing with every reason given to `builder`: an error page
// (HTML, `No data`) rather than JSON's own message when the text looks like one.
std::optional<json> load_json(std::string_view text, const Node& root, Builder& builder) {
  auto checked = schema::read_document(text, root);
  if (checked.ok()) return std::move(checked.document);
  // Not JSON at all (nothing was parsed): an error page says more than the parser's complaint.
  if (const std::string body = detail::error_body(text); checked.document.is_null() && !body.empty()) {
    builder.problem(0, 0, body);
    return std::nullopt;
  }
  for (const auto& problem : checked.problems) builder.problem(0, 0, problem);
  return std::nullopt;
}

bool json_number(const json& value, double& out) {
  if (value.is_number()) {
    out = value.get<double>();
    return std::isfinite(out);
  }
  return value.is_string() && detail::parse_number(value.get_ref<const std::string&>(), out);
}

bool json_time_ms(const json& value, engine::Timestamp& out) {
  long long raw = 0;
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<unsigned long long>() > 9'000'000'000'000'000'000ULL) return false;
    raw = value.get<long long>();
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), raw);
    if (ec != std::errc() || end != text.data() + text.size()) return false;
  } else {
    return false;
  }
  // 16 digits: microseconds (Binance bulk files since 2025); 13: milliseconds.
  out = raw >= 100000000000000LL ? raw / 1000000 : raw / 1000;
  return detail::in_time_range(out);
}

}  // namespace detail

namespace {

using detail::json_number;
using detail::json_time_ms;
using detail::load_json;

// Binance's record arrays: a millisecond time and a value (a number or a numeric string) per object.
SeriesRead read_json_records(std::string_view text, std::string_view file, const Node& root, const std::string& what,
                             const std::string& time_key, const std::string& value_key) {
  Builder builder(file);
  const auto loaded = load_json(text, root, builder);
  if (!loaded) return builder.finish();
  const json& document = *loaded;
  if (!document.is_array()) {
    builder.problem(0, 0, "expected an array of " + what + " records" +
                              (document.contains("msg") ? "; Binance answered with an error: " + document.dump().substr(0, 300) : ""));
    return builder.finish();
  }
  for (std::size_t index = 0; index < document.size(); ++index) {
    const json& row = document[index];
    engine::Timestamp time = 0;
    double value = 0;
    const auto stamp = row.find(time_key);
    const auto field = row.find(value_key);
    if (stamp == row.end() || !json_time_ms(*stamp, time) || field == row.end() || !json_number(*field, value)) {
      builder.problem(0, 0, "record " + std::to_string(index) + ": expected `" + time_key + "` (ms) and `" + value_key +
                                "` (a number)" + (field != row.end() ? ", found " + schema::describe(*field) : ""));
      continue;
    }
    builder.add(time, value, index + 1);
  }
  return builder.finish();
}

}  // namespace

SeriesRead read_fred_json(std::string_view text, std::string_view file) {
  Builder failed(file);
  const auto loaded = load_json(text, kFred, failed);
  if (!loaded) return failed.finish();
  const json& document = *loaded;
  const auto observations = document.find("observations");
  if (observations == document.end()) {
    const auto message = document.find("error_message");
    failed.problem(0, 0, message != document.end() ? "FRED answered with an error: " + message->dump()
                                                   : "expected `observations` (an array); is `file_type=json` set?");
    return failed.finish();
  }
  // The API may be asked for newest first (`sort_order=desc`): accept either order.
  Builder ordered(file, true);
  for (std::size_t index = 0; index < observations->size(); ++index) {
    const json& row = (*observations)[index];
    const auto& date = row["date"].get_ref<const std::string&>();
    const auto value = row.find("value");
    engine::Timestamp time = 0;
    if (!detail::parse_time(date, "%Y-%m-%d", time)) {
      ordered.problem(0, 0, "observations[" + std::to_string(index) + "]: expected `date` as YYYY-MM-DD, found " +
                                detail::backticked(date));
      continue;
    }
    if (value == row.end() || (value->is_string() && value->get_ref<const std::string&>() == ".")) {
      ordered.missing();
      continue;
    }
    double number = 0;
    if (!json_number(*value, number)) {
      ordered.problem(0, 0, "observations[" + std::to_string(index) + "] (" + date +
                                "): expected a number as a string, found " + schema::describe(*value));
      continue;
    }
    ordered.add(time, number, index + 1);
  }
  SeriesRead out = ordered.finish();
  out.session_dates = true;
  return out;
}

SeriesRead read_yahoo_chart_json(std::string_view text, std::string_view file, std::string_view field) {
  Builder builder(file);
  const auto loaded = load_json(text, kYahoo, builder);
  if (!loaded) return builder.finish();
  const json& document = *loaded;
  const auto chart = document.find("chart");
  if (chart == document.end()) {
    if (const auto finance = document.find("finance"); finance != document.end()) {
      builder.problem(0, 0, "Yahoo answered with an error: " + finance->dump().substr(0, 300) +
                                " (the CSV download endpoint needs a login since 2024; use /v8/finance/chart)");
    } else {
      builder.problem(0, 0, "expected `chart.result[0]`");
    }
    return builder.finish();
  }
  if (const auto error = chart->find("error"); error != chart->end() && !error->is_null()) {
    builder.problem(0, 0, "Yahoo answered with an error: " + error->dump().substr(0, 300));
    return builder.finish();
  }
  const auto results = chart->find("result");
  if (results == chart->end() || results->is_null() || results->empty()) {
    builder.problem(0, 0, "expected `chart.result[0]`");
    return builder.finish();
  }
  const json& result = results->front();
  // A valid range with no trading days (a holiday week, a new listing) has no `timestamp` at
  // all: an empty series, not a broken file.
  const auto stamps = result.find("timestamp");
  if (stamps == result.end()) {
    builder.empty_because("Yahoo has no bars in the requested range: the answer has no `timestamp`");
    return builder.finish();
  }
  const std::string key(field);
  const json* values = nullptr;
  if (const auto indicators = result.find("indicators"); indicators != result.end()) {
    if (const auto quotes = indicators->find("quote"); quotes != indicators->end() && !quotes->empty()) {
      if (const auto bars = quotes->front().find(key); bars != quotes->front().end()) values = &*bars;
    }
  }
  if (values == nullptr || values->size() != stamps->size()) {
    builder.problem(0, 0, "expected `timestamp` and `indicators.quote[0]." + key + "` arrays of equal length" +
                              (values == nullptr ? "; there is no `" + key + "`"
                                                 : "; found " + std::to_string(stamps->size()) + " and " +
                                                       std::to_string(values->size())));
    return builder.finish();
  }
  // Daily bars are stamped at the session open; the exchange's UTC offset gives their date.
  long long offset = 0;
  bool daily = false;
  if (const auto meta = result.find("meta"); meta != result.end()) {
    offset = meta->value("gmtoffset", 0LL);
    const std::string granularity = meta->value("dataGranularity", "");
    daily = granularity == "1d" || granularity == "5d" || granularity == "1wk" || granularity == "1mo";
  }
  for (std::size_t index = 0; index < stamps->size(); ++index) {
    engine::Timestamp time = (*stamps)[index].get<long long>();
    // The local session date, floored (a bar before 1970 is negative).
    if (daily) time = (time + offset) - (((time + offset) % 86400) + 86400) % 86400;
    const json& value = (*values)[index];
    if (value.is_null()) {
      builder.missing();
      continue;
    }
    builder.add(time, value.get<double>(), index + 1);
  }
  SeriesRead out = builder.finish();
  out.session_dates = daily;
  return out;
}

SeriesRead read_binance_klines_json(std::string_view text, std::string_view file, engine::Timestamp now) {
  Builder builder(file);
  const auto loaded = load_json(text, kKlines, builder);
  if (!loaded) return builder.finish();
  const json& document = *loaded;
  if (!document.is_array()) {
    builder.problem(0, 0, document.contains("msg") ? "Binance answered with an error: " + document.dump().substr(0, 300)
                                                   : "expected an array of klines");
    return builder.finish();
  }
  for (std::size_t index = 0; index < document.size(); ++index) {
    const json& bar = document[index];
    engine::Timestamp close_time = 0;
    double close = 0;
    if (bar.size() != 12 || !json_time_ms(bar[6], close_time) || !json_number(bar[4], close)) {
      builder.problem(0, 0, "kline " + std::to_string(index) + ": expected 12 fields with the close at 4 and close time at 6");
      continue;
    }
    // The close time is the bar's last millisecond; stamp the close at the bar's end.
    const engine::Timestamp end = close_time + 1;
    if (end > now) continue;  // the bar still in progress: its close is only the latest price
    builder.add(end, close, index + 1);
  }
  return builder.finish();
}

SeriesRead read_binance_funding_json(std::string_view text, std::string_view file) {
  return read_json_records(text, file, kFunding, "funding", "fundingTime", "fundingRate");
}

SeriesRead read_binance_open_interest_json(std::string_view text, std::string_view file, std::string_view field) {
  return read_json_records(text, file, kOpenInterest, "open-interest", "timestamp", std::string(field));
}

}  // namespace riskoff::adapters
