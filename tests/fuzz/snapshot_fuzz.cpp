// libFuzzer target for snapshot JSON (docs/snapshot.md): reading untrusted bytes, and for every
// snapshot that reads, the writer's promise: its output reads back to a snapshot that writes
// byte-identically (canonical form), in both layouts.
#include "adapters/snapshot_json.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace riskoff::adapters;
  const auto read = read_snapshot_json(riskoff::fuzz::bytes(data, size), "fuzz.json");
  if (!read.ok()) {
    for (const auto& error : read.errors) {
      if (error.empty()) riskoff::fuzz::finding();
    }
    return 0;
  }
  for (const auto layout : {JsonLayout::kIndented, JsonLayout::kCompact}) {
    const std::string written = write_snapshot_json(read.snapshot, layout);
    const auto again = read_snapshot_json(written, "written.json");
    if (!again.ok()) riskoff::fuzz::finding();
    if (write_snapshot_json(again.snapshot, layout) != written) riskoff::fuzz::finding();
  }
  return 0;
}
