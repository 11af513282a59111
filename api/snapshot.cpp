// Snapshot: built in code or read from JSON; copy-on-write so decisions keep what they read.
#include <algorithm>
#include <cmath>

#include "adapters/snapshot_json.hpp"
#include "api/impl.hpp"
#include "dsl/json_text.hpp"

namespace riskoff {

std::string observation_message(ObservationFault fault, std::string_view name, std::size_t index, std::int64_t time,
                                std::int64_t as_of) {
  const std::string where = "input `" + std::string(name) + "`";
  if (fault == ObservationFault::kTimeOutOfRange) {
    return where + ", index " + std::to_string(index) + ": time " + std::to_string(time) + " is outside the years 0000 to 9999";
  }
  const std::string at = where + ", index " + std::to_string(index) + " (" + engine::format_timestamp(time) + ")";
  switch (fault) {
    case ObservationFault::kNotFinite: return at + ": expected a finite number (leave missing observations out)";
    case ObservationFault::kAfterAsOf:
      return at + ": observation is after as_of " + engine::format_timestamp(as_of) + " (look-ahead)";
    case ObservationFault::kNotAscending: return at + ": times must be strictly increasing (oldest first)";
    default: return {};
  }
}

std::string check_input_name(std::string_view name) {
  if (name.empty()) return "an input needs a name";
  // Names reach JSON, messages and the C API as UTF-8: refuse anything else before echoing it.
  if (dsl::first_invalid_utf8(name) != std::string_view::npos) return "an input name must be UTF-8 text";
  for (const unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7F) return "an input name must not contain control characters";
  }
  return {};
}

std::string as_of_message(std::int64_t as_of) {
  return "the snapshot's as_of (" + std::to_string(as_of) + ") is outside the years 0000 to 9999";
}

// The same promises the JSON reader makes (docs/snapshot.md), for inputs added in code. Nothing
// is formatted unless something is wrong: this runs for every observation added.
std::string check_input(std::int64_t as_of, const engine::InputData& data) {
  if (auto error = check_input_name(data.name); !error.empty()) return error;
  if (!representable(as_of)) return as_of_message(as_of);
  if (data.times.size() != data.values.size()) {
    return "input `" + data.name + "`: " + std::to_string(data.times.size()) + " times but " +
           std::to_string(data.values.size()) + " values";
  }
  for (std::size_t index = 0; index < data.times.size(); ++index) {
    const std::int64_t* previous = index > 0 ? &data.times[index - 1] : nullptr;
    const auto fault = observation_fault(as_of, previous, data.times[index], data.values[index]);
    if (fault != ObservationFault::kNone) return observation_message(fault, data.name, index, data.times[index], as_of);
  }
  return {};
}

namespace {

// Adds a checked input; a decision (or another handle) may share the data, so change a private
// copy then.
// `known_at`, when given: one instant per time, never going back, none after as_of (an
// observation is in a snapshot only once it became known; docs/sources.md "Clocks").
std::string check_known_at(const engine::Snapshot& snapshot, const engine::InputData& data) {
  if (data.known_at.empty()) return {};
  const auto where = [&] { return "input `" + data.name + "`"; };
  if (data.known_at.size() != data.times.size()) {
    return where() + ": " + std::to_string(data.times.size()) + " times but " + std::to_string(data.known_at.size()) +
           " known-at times";
  }
  for (std::size_t index = 0; index < data.known_at.size(); ++index) {
    const auto at = [&] { return where() + ", index " + std::to_string(index); };
    if (!representable(data.known_at[index])) return at() + ": known-at time is outside the years 0000 to 9999";
    if (data.known_at[index] > snapshot.as_of) {
      return at() + ": known at " + engine::format_timestamp(data.known_at[index]) + ", after as_of " +
             engine::format_timestamp(snapshot.as_of) + " (look-ahead)";
    }
    if (index > 0 && data.known_at[index] < data.known_at[index - 1]) return at() + ": known-at times must not go back";
  }
  return {};
}

// The name of an input of `impl`'s snapshot, by slot: what its name index reads.
auto input_name(const Snapshot::Impl& impl) {
  return [&inputs = impl.snapshot.inputs](std::uint32_t slot) -> std::string_view { return inputs[slot].name; };
}

// The duplicate check by hash: adding N inputs costs O(N). The index is (re)built from the
// inputs when it does not cover them all (a snapshot read from JSON or a manifest, a copy).
std::string add_input(std::shared_ptr<Snapshot::Impl>& impl, engine::InputData data) {
  if (auto error = check_input_name(data.name); !error.empty()) return error;
  if (!representable(impl->snapshot.as_of)) return as_of_message(impl->snapshot.as_of);
  if (impl->names.size() != impl->snapshot.inputs.size()) {
    impl->names.reserve(std::max(impl->snapshot.inputs.size() + 1, impl->snapshot.inputs.capacity()));
    impl->names.build(static_cast<std::uint32_t>(impl->snapshot.inputs.size()), input_name(*impl));
  }
  if (impl->names.find(data.name, input_name(*impl)) >= 0) return "input `" + data.name + "` is already in the snapshot";
  if (auto error = check_input(impl->snapshot.as_of, data); !error.empty()) return error;
  if (auto error = check_known_at(impl->snapshot, data); !error.empty()) return error;
  if (impl->shared.load(std::memory_order_relaxed)) impl = std::make_shared<Snapshot::Impl>(*impl);
  impl->snapshot.inputs.push_back(std::move(data));
  impl->names.add(static_cast<std::uint32_t>(impl->snapshot.inputs.size() - 1), input_name(*impl));
  return {};
}

SnapshotResult wrap(adapters::SnapshotReadResult read) {
  SnapshotResult result;
  if (!read.ok()) {
    result.errors = std::move(read.errors);
    return result;
  }
  Snapshot snapshot(read.snapshot.as_of);
  ApiAccess::of(snapshot)->snapshot = std::move(read.snapshot);
  result.snapshot.emplace(std::move(snapshot));
  return result;
}

}  // namespace

Snapshot::Snapshot(std::int64_t as_of) : impl_(std::make_shared<Impl>()) { impl_->snapshot.as_of = as_of; }

Snapshot::Snapshot(const Snapshot& other) noexcept : impl_(other.impl_) {
  if (impl_) impl_->shared.store(true, std::memory_order_relaxed);
}

Snapshot& Snapshot::operator=(const Snapshot& other) noexcept {
  if (this != &other) {
    impl_ = other.impl_;
    if (impl_) impl_->shared.store(true, std::memory_order_relaxed);
  }
  return *this;
}

SnapshotResult Snapshot::from_json(std::string_view json, std::string name) {
  if (json.size() > adapters::kMaxSnapshotBytes) {
    SnapshotResult result;
    result.errors.push_back(name + ": snapshot is larger than " + std::to_string(adapters::kMaxSnapshotBytes >> 20) +
                            " MiB");
    return result;
  }
  return wrap(adapters::read_snapshot_json(json, name));
}

SnapshotResult Snapshot::load(const std::string& path) {
  auto read = adapters::read_snapshot_file(path);
  if (read.io_error) throw IoError(read.errors.empty() ? path + ": cannot read" : read.errors.front());
  std::string text = std::move(read.text);
  auto result = wrap(std::move(read));
  result.text = std::move(text);
  return result;
}

void Snapshot::reserve(std::size_t inputs) {
  if (inputs <= impl_->snapshot.inputs.capacity()) return;
  // A decision may hold views into the inputs: growing the shared list would move them.
  if (impl_->shared.load(std::memory_order_relaxed)) impl_ = std::make_shared<Impl>(*impl_);
  impl_->snapshot.inputs.reserve(inputs);
  // An index that lags behind is rebuilt by the next add (add_input) with this capacity.
  if (impl_->names.size() == impl_->snapshot.inputs.size()) impl_->names.reserve(inputs);
}

std::int64_t Snapshot::as_of() const { return impl_->snapshot.as_of; }
std::size_t Snapshot::input_count() const { return impl_->snapshot.inputs.size(); }
std::string Snapshot::to_json(JsonLayout layout) const {
  return adapters::write_snapshot_json(impl_->snapshot, layout == JsonLayout::kCompact ? adapters::JsonLayout::kCompact
                                                                                       : adapters::JsonLayout::kIndented);
}

std::string Snapshot::add_series(std::string name, Unit unit, std::vector<std::int64_t> times,
                                 std::vector<double> values, std::vector<std::int64_t> known_at) {
  engine::InputData data;
  data.name = std::move(name);
  data.unit = unit;
  data.times = std::move(times);
  data.values = std::move(values);
  data.known_at = std::move(known_at);
  data.is_series = true;
  return add_input(impl_, std::move(data));
}

std::string Snapshot::add_scalar(std::string name, Unit unit, std::int64_t time, double value) {
  engine::InputData data;
  data.name = std::move(name);
  data.unit = unit;
  data.times = {time};
  data.values = {value};
  data.is_series = false;
  return add_input(impl_, std::move(data));
}

}  // namespace riskoff
