#include "adapters/snapshot_json.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/json_schema.hpp"
#include "support/bounded_read.hpp"
#include "support/json_writer.hpp"

namespace riskoff::adapters {
namespace {

using nlohmann::json;

using schema::Member;
using schema::Node;
using schema::OtherKeys;
using schema::Presence;
using schema::kNoMaximum;
using schema::kNoMinimum;

// The shape docs/snapshot.schema.json describes. Times and values are checked below, with the
// index and time of each observation in the message; the schema checks everything around them.
using schema::kAny;
using schema::kAnything;
using schema::kText;
constexpr std::string_view kUnits[] = {"percent", "bp", "usd", "index", "number"};
constexpr Node kUnit{schema::kString, kUnits};
constexpr Node kList{schema::kArray, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed};
constexpr Member kInputMembers[] = {
    {"unit", &kUnit, Presence::kRequired}, {"source", &kText}, {"times", &kList}, {"values", &kList},
    {"time", &kAny},  {"value", &kAny}, {"known_at", &kAny},
};
constexpr Node kInput{schema::kObject, {}, kNoMinimum, kNoMaximum, kInputMembers};
constexpr Node kInputs{schema::kObject, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kEntries, &kInput, "input"};
constexpr std::string_view kFormats[] = {kSnapshotFormat};
constexpr Node kFormat{schema::kString, kFormats};
constexpr Member kSnapshotMembers[] = {{"format", &kFormat, Presence::kRequired},
                                       {"as_of", &kText, Presence::kRequired},
                                       {"inputs", &kInputs, Presence::kRequired}};
// Any type at the top: a document that is not an object gets the message below, which says
// what a snapshot is.
constexpr Node kSnapshot{kAnything, {}, kNoMinimum, kNoMaximum, kSnapshotMembers};

}  // namespace

const schema::Node& snapshot_schema() { return kSnapshot; }

SnapshotReadResult read_snapshot_checked(std::string_view text, std::string_view file_name) {
  SnapshotReadResult result;
  const std::string file(file_name);
  auto error = [&](const std::string& message) { result.errors.push_back(file + ": " + message); };
  auto checked = schema::read_document(text, kSnapshot);
  if (!checked.ok()) {
    for (const auto& problem : checked.problems) error(problem);
    return result;
  }
  const json& document = checked.document;
  if (!document.is_object()) {
    error("expected a JSON object with `format`, `as_of` and `inputs`, found " + schema::describe(document));
    return result;
  }
  if (const auto format = document.find("format"); format == document.end() || !format->is_string() ||
                                                    format->get<std::string>() != kSnapshotFormat) {
    error("expected `\"format\": \"" + std::string(kSnapshotFormat) + "\"`");
  }
  const auto as_of_field = document.find("as_of");
  std::optional<engine::Timestamp> as_of;
  if (as_of_field == document.end() || !as_of_field->is_string() ||
      !(as_of = engine::parse_timestamp(as_of_field->get<std::string>()))) {
    error("expected `as_of` as a UTC time string such as \"2026-02-04T21:00:00Z\"");
    return result;
  }
  result.snapshot.as_of = *as_of;
  const auto inputs = document.find("inputs");
  if (inputs == document.end() || !inputs->is_object()) {
    error("expected `inputs` to be an object of named inputs");
    return result;
  }
  for (const auto& [name, entry] : inputs->items()) {
    const std::string where = "input `" + name + "`";
    if (!entry.is_object()) {
      error(where + ": expected an object, found " + schema::describe(entry));
      continue;
    }
    engine::InputData data;
    data.name = name;
    engine::parse_unit(entry["unit"].get_ref<const std::string&>(), data.unit);
    if (const auto source = entry.find("source"); source != entry.end()) data.source = source->get<std::string>();
    // One or the other: with both, which one counts would be the reader's guess.
    const bool scalar = entry.contains("value") || entry.contains("time");
    if (scalar && (entry.contains("times") || entry.contains("values"))) {
      error(where + ": has both series fields (`times`, `values`) and scalar fields (`time`, `value`); an input is one or "
                    "the other");
      continue;
    }
    data.is_series = !scalar;
    std::vector<const json*> times;
    std::vector<const json*> values;
    std::vector<const json*> known;  // when each observation became known; absent: at its time
    const auto known_field = entry.find("known_at");
    if (scalar) {
      const auto time = entry.find("time");
      if (time == entry.end()) {
        error(where + ": a scalar needs `time`, when it was observed");
        continue;
      }
      if (!entry.contains("value")) {
        error(where + ": a scalar needs `value`");
        continue;
      }
      times.push_back(&*time);
      values.push_back(&entry.at("value"));
      if (known_field != entry.end()) known.push_back(&*known_field);
    } else {
      const auto t = entry.find("times");
      const auto v = entry.find("values");
      if (t == entry.end() || v == entry.end() || !t->is_array() || !v->is_array()) {
        error(where + ": expected `times` and `values` arrays (a series) or `time` and `value` (a scalar)");
        continue;
      }
      if (t->size() != v->size()) {
        error(where + ": `times` has " + std::to_string(t->size()) + " entries but `values` has " + std::to_string(v->size()));
        continue;
      }
      if (known_field != entry.end() && (!known_field->is_array() || known_field->size() != t->size())) {
        error(where + ": expected `known_at` as an array of " + std::to_string(t->size()) +
              " UTC times, one per entry of `times`, found " + schema::describe(*known_field) +
              (known_field->is_array() ? " of " + std::to_string(known_field->size()) : ""));
        continue;
      }
      for (std::size_t index = 0; index < t->size(); ++index) {
        times.push_back(&(*t)[index]);
        values.push_back(&(*v)[index]);
        if (known_field != entry.end()) known.push_back(&(*known_field)[index]);
      }
    }
    bool ok = true;
    for (std::size_t index = 0; index < times.size() && ok; ++index) {
      const std::string at = scalar ? where : where + ", index " + std::to_string(index);
      const json& time = *times[index];
      const json& value = *values[index];
      std::optional<engine::Timestamp> stamp;
      if (!time.is_string() || !(stamp = engine::parse_timestamp(time.get<std::string>()))) {
        error(at + ": expected a UTC time string such as \"2026-02-04\" or \"2026-02-04T21:00:00Z\", found " +
              (time.is_string() ? "`" + time.get<std::string>() + "`" : schema::describe(time)));
        ok = false;
        break;
      }
      const std::string at_time = at + " (" + time.get<std::string>() + ")";
      if (!value.is_number()) {
        error(at_time + ": expected a number, found " + schema::describe(value) +
              (value.is_null() ? " (leave missing observations out instead)" : ""));
        ok = false;
        break;
      }
      const double number = value.get<double>();
      if (!std::isfinite(number)) {
        error(at_time + ": expected a finite number");
        ok = false;
        break;
      }
      if (*stamp > *as_of) {
        error(at_time + ": observation is after as_of " + as_of_field->get<std::string>() + " (look-ahead)");
        ok = false;
        break;
      }
      if (!data.times.empty() && *stamp <= data.times.back()) {
        error(at_time + ": times must be strictly increasing (oldest first); previous is " +
              engine::format_timestamp(data.times.back()) + (*stamp == data.times.back() ? " (duplicate)" : ""));
        ok = false;
        break;
      }
      if (!known.empty()) {
        const json& when = *known[index];
        std::optional<engine::Timestamp> known_stamp;
        if (!when.is_string() || !(known_stamp = engine::parse_timestamp(when.get<std::string>()))) {
          error(at_time + ": expected `known_at` as a UTC time string such as \"2026-02-04T21:00:00Z\", found " +
                (when.is_string() ? "`" + when.get<std::string>() + "`" : schema::describe(when)));
          ok = false;
          break;
        }
        if (*known_stamp > *as_of) {
          error(at_time + ": known at " + when.get<std::string>() + ", after as_of " + as_of_field->get<std::string>() +
                " (look-ahead)");
          ok = false;
          break;
        }
        if (!data.known_at.empty() && *known_stamp < data.known_at.back()) {
          error(at_time + ": `known_at` must not decrease; previous is " + engine::format_timestamp(data.known_at.back()));
          ok = false;
          break;
        }
        data.known_at.push_back(*known_stamp);
      }
      data.times.push_back(*stamp);
      data.values.push_back(number);
    }
    if (ok) result.snapshot.inputs.push_back(std::move(data));
  }
  return result;
}

namespace {

// The fast reader where it accepts the document, the checked one (which names every problem)
// where it does not. `text` has `capacity` bytes readable (the padding the fast reader needs).
SnapshotReadResult read_padded(std::string_view text, std::size_t capacity, std::string_view file_name) {
  if (auto fast = read_snapshot_fast(text, capacity)) {
    SnapshotReadResult result;
    result.snapshot = std::move(*fast);
    return result;
  }
  return read_snapshot_checked(text, file_name);
}

}  // namespace

SnapshotReadResult read_snapshot_json(std::string_view text, std::string_view file_name) {
  // The caller's bytes may end anywhere: the fast reader reads a padded copy.
  std::string padded;
  padded.reserve(text.size() + support::kReadPadding);
  padded.assign(text);
  return read_padded(padded, padded.capacity(), file_name);
}

SnapshotReadResult read_snapshot_file(const std::string& path) {
  // The limit is checked while reading: /dev/zero, a FIFO or a file that keeps growing is
  // refused, never read until memory runs out.
  const support::ReadLimit limit{.max_bytes = kMaxSnapshotBytes, .what = "snapshots"};
  auto text = path == "-" ? support::read_descriptor_bounded(0, limit) : support::read_file_bounded(path, limit);
  if (!text) {
    SnapshotReadResult result;
    result.errors.push_back((path == "-" ? "<stdin>" : path) + ": " + text.error().messages.front());
    result.io_error = text.error().kind == ErrorKind::kIo;
    return result;
  }
  // Standard input comes in without spare capacity: make room for the padding (a file has it).
  if (text->capacity() < text->size() + support::kReadPadding) text->reserve(text->size() + support::kReadPadding);
  auto result = read_padded(*text, text->capacity(), path == "-" ? "<stdin>" : path);
  result.text = std::move(text).value();
  return result;
}

std::string write_snapshot_json(const engine::Snapshot& snapshot, JsonLayout layout) {
  // Members in sorted order, inputs by name, and integral values as "30.0": the bytes the format
  // has had since it was written through a sorted JSON object, which recorded snapshot hashes
  // depend on.
  std::vector<const engine::InputData*> inputs;
  for (const auto& input : snapshot.inputs) inputs.push_back(&input);
  std::stable_sort(inputs.begin(), inputs.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
  support::JsonWriter json(layout == JsonLayout::kCompact ? support::JsonLayout::kCompact : support::JsonLayout::kPretty,
                           support::JsonFloats::kMarked);
  json.begin_object();
  json.field("as_of", engine::format_timestamp(snapshot.as_of));
  json.field("format", kSnapshotFormat);
  json.key("inputs").begin_object();
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    if (k + 1 < inputs.size() && inputs[k + 1]->name == inputs[k]->name) continue;  // the last of a name, as before
    const auto& input = *inputs[k];
    json.key(input.name).begin_object();
    // Written only when it says something: a series known at its times (instants) keeps the
    // bytes, and the hash, it had before known-at times existed.
    const bool known_differs = !input.known_at.empty() && input.known_at != input.times;
    const bool scalar = !input.is_series && input.values.size() == 1;
    if (known_differs && scalar) {
      json.field("known_at", engine::format_timestamp(input.known_at.front()));
    } else if (known_differs) {
      json.key("known_at").begin_array();
      for (const auto time : input.known_at) json.string(engine::format_timestamp(time));
      json.end_array();
    }
    if (!input.source.empty()) json.field("source", input.source);
    if (scalar) {
      json.field("time", engine::format_timestamp(input.times.front()));
      json.field("unit", engine::unit_name(input.unit));
      json.field_number("value", input.values.front());
    } else {
      json.key("times").begin_array();
      for (const auto time : input.times) json.string(engine::format_timestamp(time));
      json.end_array();
      json.field("unit", engine::unit_name(input.unit));
      json.key("values").begin_array();
      for (const double value : input.values) json.number(value);
      json.end_array();
    }
    json.end_object();
  }
  json.end_object();
  json.end_object();
  return layout == JsonLayout::kCompact ? json.take() : json.take() + "\n";
}

}  // namespace riskoff::adapters
