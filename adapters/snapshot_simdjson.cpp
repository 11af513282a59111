// The fast reader of snapshot JSON (simdjson On Demand): one pass over the bytes in place, no
// document tree, so a 1e6-observation snapshot costs its file plus the observations read. It
// accepts only what the checked reader (snapshot_json.cpp, nlohmann and the schema table) accepts,
// and gives up on anything else (a syntax error, an unknown or repeated key, a wrong type, times
// out of order, an escape where none is expected): the checked reader then reads the document
// again and names the problem with its file, input, index and time. So the messages are the
// checked reader's, and this file never has to say what is wrong, only that something is.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <simdjson.h>

#include "adapters/snapshot_json.hpp"
#include "support/time.hpp"

namespace riskoff::adapters {
namespace {

namespace od = simdjson::ondemand;

// Every string this reader takes is checked here: no control character (the checked parser
// refuses one written raw; one written as an escape is legal but no snapshot has it, so giving
// up is only slower) and valid UTF-8 after unescaping (an escaped lone surrogate would not be).
bool plain_text(std::string_view text) {
  for (const char ch : text) {
    if (static_cast<unsigned char>(ch) < 0x20) return false;
  }
  return simdjson::validate_utf8(text.data(), text.size());
}

bool take_string(od::value value, std::string_view& out) {
  return !value.get_string().get(out) && plain_text(out);
}

// `count` decimal digits at `at` as a number; false on anything else.
bool fixed_digits(const char* at, int count, unsigned& value) {
  value = 0;
  for (int k = 0; k < count; ++k) {
    const unsigned digit = static_cast<unsigned>(at[k]) - '0';
    if (digit > 9) return false;
    value = value * 10 + digit;
  }
  return true;
}

// A time in place: the raw string up to its closing quote, with no escape in it (a time has
// none; "2026-02-04T21:00:00Z" is 20 characters). NOTE(perf): the times are most of a
// snapshot's values, and finding the quote and calling the general parser was a third of the
// parse: the usual spelling is read here at fixed positions (the document's padding makes the
// 21 bytes readable), anything else by engine::parse_timestamp. Both end in utc_from_civil.
bool take_time(od::value value, engine::Timestamp& out) {
  od::raw_json_string raw;
  if (value.get_raw_json_string().get(raw)) return false;
  const char* start = raw.raw();
  support::CivilTime civil;
  unsigned year = 0;
  const bool date = start[4] == '-' && start[7] == '-' && fixed_digits(start, 4, year) &&
                    fixed_digits(start + 5, 2, civil.month) && fixed_digits(start + 8, 2, civil.day);
  const bool date_alone = date && start[10] == '"';
  if (date_alone || (date && start[20] == '"' && start[10] == 'T' && start[13] == ':' && start[16] == ':' && start[19] == 'Z' &&
                     fixed_digits(start + 11, 2, civil.hour) && fixed_digits(start + 14, 2, civil.minute) &&
                     fixed_digits(start + 17, 2, civil.second))) {
    civil.year = year;
    const auto time = support::utc_from_civil(civil);
    if (!time) return false;
    out = *time;
    return true;
  }
  std::size_t length = 0;
  while (length <= 20 && start[length] != '"') {
    if (start[length] == '\\') return false;
    ++length;
  }
  if (length > 20) return false;
  const auto parsed = engine::parse_timestamp(std::string_view(start, length));
  if (!parsed) return false;
  out = *parsed;
  return true;
}

// A number as the checked reader gets it: integers as 64-bit integers converted (so `-0` is 0),
// anything else as the nearest double. Both parsers round correctly, so the doubles agree, and
// an integer converted to double rounds to the nearest too, so every number but a negative zero
// is its nearest double: read as one. NOTE(perf): asking for the double alone, not the number's
// kind first, was a sixth of the parse. A negative zero (`-0` is 0 to the checked reader,
// `-0.0` is not) is left to it.
bool take_number(od::value value, double& out) {
  if (value.get_double().get(out)) return false;
  return std::isfinite(out) && !(out == 0 && std::signbit(out));
}

// Room for the whole array at once: a vector grown by doubling copies itself ~20 times for a
// series of 1e6 and briefly holds twice its size. Counting walks the structural index only
// (simdjson rewinds the array after it); an array it cannot count is read without the reserve.
template <typename T>
void reserve_for(od::array& array, std::vector<T>& out) {
  std::size_t count = 0;
  if (!array.count_elements().get(count)) out.reserve(out.size() + count);
}

bool take_times(od::value value, std::vector<engine::Timestamp>& out) {
  od::array array;
  if (value.get_array().get(array)) return false;
  reserve_for(array, out);
  for (auto item : array) {
    od::value element;
    engine::Timestamp time = 0;
    if (std::move(item).get(element) || !take_time(element, time)) return false;
    out.push_back(time);
  }
  return true;
}

bool take_values(od::value value, std::vector<double>& out) {
  od::array array;
  if (value.get_array().get(array)) return false;
  reserve_for(array, out);
  for (auto item : array) {
    od::value element;
    double number = 0;
    if (std::move(item).get(element) || !take_number(element, number)) return false;
    out.push_back(number);
  }
  return true;
}

// The members an input may have, as bits: a repeated one is refused by the checked reader.
enum Field : unsigned { kUnitField = 1, kSourceField = 2, kTimes = 4, kValues = 8, kTime = 16, kValue = 32, kKnown = 64 };

bool field_of(std::string_view key, Field& field) {
  static constexpr std::pair<std::string_view, Field> kFields[] = {
      {"unit", kUnitField}, {"source", kSourceField}, {"times", kTimes}, {"values", kValues},
      {"time", kTime},      {"value", kValue},         {"known_at", kKnown}};
  for (const auto& [name, bit] : kFields) {
    if (key == name) {
      field = bit;
      return true;
    }
  }
  return false;
}

bool take_input(od::value value, engine::InputData& data) {
  od::object object;
  if (value.get_object().get(object)) return false;
  unsigned seen = 0;
  bool known_scalar = false;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    Field which{};
    if (std::move(member).get(field) || field.unescaped_key().get(key) || !field_of(key, which) || (seen & which) != 0) return false;
    seen |= which;
    od::value item = field.value();
    std::string_view text;
    switch (which) {
      case kUnitField:
        if (!take_string(item, text) || !engine::parse_unit(text, data.unit)) return false;
        break;
      case kSourceField:
        if (!take_string(item, text)) return false;
        data.source = std::string(text);
        break;
      case kTimes:
        if (!take_times(item, data.times)) return false;
        break;
      case kValues:
        if (!take_values(item, data.values)) return false;
        break;
      case kTime: {
        engine::Timestamp time = 0;
        if (!take_time(item, time)) return false;
        data.times.assign(1, time);
        break;
      }
      case kValue: {
        double number = 0;
        if (!take_number(item, number)) return false;
        data.values.assign(1, number);
        break;
      }
      case kKnown: {
        // An array for a series, a string for a scalar; which one it must be is known only
        // once every member is read.
        od::json_type type;
        if (item.type().get(type)) return false;
        known_scalar = type == od::json_type::string;
        if (known_scalar) {
          engine::Timestamp time = 0;
          if (!take_time(item, time)) return false;
          data.known_at.assign(1, time);
        } else if (!take_times(item, data.known_at)) {
          return false;
        }
        break;
      }
    }
  }
  if ((seen & kUnitField) == 0) return false;
  const bool scalar = (seen & (kTime | kValue)) != 0;
  if (scalar) {
    data.is_series = false;
    if ((seen & (kTimes | kValues)) != 0 || (seen & (kTime | kValue)) != (kTime | kValue)) return false;
    if ((seen & kKnown) != 0 && !known_scalar) return false;
  } else {
    if ((seen & (kTimes | kValues)) != (kTimes | kValues) || data.times.size() != data.values.size()) return false;
    if ((seen & kKnown) != 0 && (known_scalar || data.known_at.size() != data.times.size())) return false;
  }
  // The order the checked reader demands: times strictly increasing, known-at times never
  // decreasing.
  for (std::size_t k = 1; k < data.times.size(); ++k) {
    if (data.times[k] <= data.times[k - 1]) return false;
  }
  for (std::size_t k = 1; k < data.known_at.size(); ++k) {
    if (data.known_at[k] < data.known_at[k - 1]) return false;
  }
  return true;
}

bool take_inputs(od::value value, std::vector<engine::InputData>& inputs) {
  od::object object;
  if (value.get_object().get(object)) return false;
  for (auto member : object) {
    od::field field;
    std::string_view name;
    if (std::move(member).get(field) || field.unescaped_key().get(name) || !plain_text(name)) return false;
    engine::InputData& data = inputs.emplace_back();
    data.name = std::string(name);
    if (!take_input(field.value(), data)) return false;
  }
  // The checked reader's object keeps its keys sorted, and a name given twice is refused.
  std::sort(inputs.begin(), inputs.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return std::adjacent_find(inputs.begin(), inputs.end(), [](const auto& a, const auto& b) { return a.name == b.name; }) ==
         inputs.end();
}

}  // namespace

std::optional<engine::Snapshot> read_snapshot_fast(std::string_view text, std::size_t capacity) {
  // The checked reader refuses a NUL byte anywhere, even where simdjson would stop reading.
  if (capacity < text.size() + simdjson::SIMDJSON_PADDING || std::memchr(text.data(), 0, text.size()) != nullptr) {
    return std::nullopt;
  }
  od::parser parser;
  od::document document;
  od::object top;
  if (parser.iterate(text, capacity).get(document) || document.get_object().get(top)) return std::nullopt;
  engine::Snapshot snapshot;
  unsigned seen = 0;  // format, as_of, inputs: each once
  for (auto member : top) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) return std::nullopt;
    const unsigned bit = key == "format" ? 1 : key == "as_of" ? 2 : key == "inputs" ? 4 : 0;
    if (bit == 0 || (seen & bit) != 0) return std::nullopt;
    seen |= bit;
    std::string_view text_value;
    if (bit == 1 && (!take_string(field.value(), text_value) || text_value != kSnapshotFormat)) return std::nullopt;
    if (bit == 2) {
      // `as_of` may be a date alone, as the checked reader allows; it has no escape either.
      if (!take_string(field.value(), text_value)) return std::nullopt;
      const auto as_of = engine::parse_timestamp(text_value);
      if (!as_of) return std::nullopt;
      snapshot.as_of = *as_of;
    }
    if (bit == 4 && !take_inputs(field.value(), snapshot.inputs)) return std::nullopt;
  }
  // Nothing after the object: 3.0 has no at_end(), but a location past the end is an error.
  if (seen != 7 || document.current_location().error() != simdjson::OUT_OF_BOUNDS) return std::nullopt;
  // Nothing after as_of (the document may name `inputs` before `as_of`, so checked last).
  for (const auto& input : snapshot.inputs) {
    if (!input.times.empty() && input.times.back() > snapshot.as_of) return std::nullopt;
    if (!input.known_at.empty() && input.known_at.back() > snapshot.as_of) return std::nullopt;
  }
  return snapshot;
}

}  // namespace riskoff::adapters
