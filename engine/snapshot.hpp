// What the market looked like at one instant: the engine's input. Built by adapters (the JSON
// reader in adapters/snapshot_json.cpp, the test runner, later the data adapters) and bound to a
// compiled ruleset before evaluation. Plain data; no JSON types here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/types.hpp"
#include "support/time.hpp"

namespace riskoff::engine {

// UTC seconds since 1970-01-01 (support/time.hpp).
using Timestamp = support::UtcSeconds;

struct InputData {
  std::string name;
  Unit unit = Unit::kNumber;
  std::string source;  // "FRED:DGS10", a file path, a URL
  // Observations oldest first, strictly ascending, none after the snapshot's as_of. A scalar
  // input has exactly one (its time says how fresh it is).
  std::vector<Timestamp> times;
  std::vector<double> values;
  bool is_series = true;
  // When each observation became known (adapters/clock.hpp), non-decreasing, none after as_of;
  // empty: at its time (an instant, or a snapshot written before known-at times existed).
  // `times` keep the bar's own date: windows and joins read them; selection and ages read this.
  std::vector<Timestamp> known_at;
  // The bar's open beside each value, when the source has opens (a Yahoo file's `Open`); empty
  // when it has none, NaN on a row without one. Only `replay --execution next-open` reads them.
  std::vector<double> opens;

  Timestamp known(std::size_t index) const { return known_at.empty() ? times[index] : known_at[index]; }
};

// The observations of one input known at an instant: all of an InputData's series, or a prefix
// of it. Evaluation reads inputs only through views, so a replay binds growing prefixes of one
// in-memory history instead of copying it at every step (engine/replay.hpp).
struct SeriesView {
  const InputData* data = nullptr;  // name, unit, source; null when the input is absent
  std::span<const Timestamp> times;
  std::span<const double> values;

  static SeriesView of(const InputData& input) { return prefix(input, input.times.size()); }
  // The first `count` observations (count <= size).
  static SeriesView prefix(const InputData& input, std::size_t count) {
    return {&input, std::span<const Timestamp>(input.times.data(), count), std::span<const double>(input.values.data(), count)};
  }
};

struct Snapshot {
  Timestamp as_of = 0;
  std::vector<InputData> inputs;
};

// The engine's names for support::parse_utc and support::format_utc, which new code may call
// directly: "2026-02-04T21:00:00Z" or "2026-02-04" (midnight UTC), nullopt when not such a
// time; written back always as "YYYY-MM-DDTHH:MM:SSZ".
std::optional<Timestamp> parse_timestamp(std::string_view text);
std::string format_timestamp(Timestamp time);

}  // namespace riskoff::engine
