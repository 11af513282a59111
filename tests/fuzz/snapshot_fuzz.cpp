// libFuzzer target for snapshot JSON (docs/snapshot.md): reading untrusted bytes, and for every
// snapshot that reads, the writer's promise: its output reads back to a snapshot that writes
// byte-identically (canonical form), in both layouts. Differential too: the fast reader
// (simdjson) must accept only documents the checked reader (nlohmann and the schema) accepts,
// and read each to the same snapshot, bit for bit.
#include <cstring>

#include "adapters/snapshot_json.hpp"
#include "fuzz_support.hpp"

namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

bool same(const riskoff::engine::Snapshot& a, const riskoff::engine::Snapshot& b) {
  if (a.as_of != b.as_of || a.inputs.size() != b.inputs.size()) return false;
  for (std::size_t k = 0; k < a.inputs.size(); ++k) {
    const auto& x = a.inputs[k];
    const auto& y = b.inputs[k];
    if (x.name != y.name || x.unit != y.unit || x.source != y.source || x.is_series != y.is_series ||
        x.times != y.times || x.known_at != y.known_at || !same_bits(x.values, y.values)) {
      return false;
    }
  }
  return true;
}

bool has_control(const riskoff::engine::Snapshot& snapshot) {
  auto control = [](const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20; });
  };
  return std::any_of(snapshot.inputs.begin(), snapshot.inputs.end(),
                     [&](const auto& input) { return control(input.name) || control(input.source); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace riskoff::adapters;
  const std::string_view text = riskoff::fuzz::bytes(data, size);
  const auto read = read_snapshot_json(text, "fuzz.json");
  if (!read.ok()) {
    for (const auto& error : read.errors) {
      if (error.empty()) riskoff::fuzz::finding();
    }
  }
  std::string padded;
  padded.reserve(size + 64);
  padded.assign(text);
  const auto fast = read_snapshot_fast(padded, padded.capacity());
  const auto checked = read_snapshot_checked(text, "fuzz.json");
  if (fast && (!checked.ok() || !same(*fast, checked.snapshot))) riskoff::fuzz::finding();
  if (read.ok() != checked.ok() || (read.ok() && !same(read.snapshot, checked.snapshot))) riskoff::fuzz::finding();
  if (!read.ok()) return 0;
  for (const auto layout : {JsonLayout::kIndented, JsonLayout::kCompact}) {
    const std::string written = write_snapshot_json(read.snapshot, layout);
    const auto again = read_snapshot_json(written, "written.json");
    if (!again.ok()) riskoff::fuzz::finding();
    if (write_snapshot_json(again.snapshot, layout) != written) riskoff::fuzz::finding();
    // What the writer writes, the fast reader reads (the checked one is for other files), unless
    // a name or source holds a control character, which the fast reader leaves to the other.
    std::string copy;
    copy.reserve(written.size() + 64);
    copy.assign(written);
    if (!has_control(read.snapshot) && !read_snapshot_fast(copy, copy.capacity())) riskoff::fuzz::finding();
  }
  return 0;
}
