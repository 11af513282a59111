// Snapshot JSON (docs/snapshot.md, docs/snapshot.schema.json) <-> engine::Snapshot.
// Reading never throws for bad input: every problem names the file, the input, the index or
// timestamp, and what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/snapshot.hpp"

namespace riskoff::adapters {

inline constexpr std::string_view kSnapshotFormat = "riskoff.snapshot/1";
inline constexpr std::size_t kMaxSnapshotBytes = 256u << 20;

struct SnapshotReadResult {
  engine::Snapshot snapshot;
  std::vector<std::string> errors;  // "file: input `us10y`, index 3 (2026-01-06): ..."
  bool io_error = false;            // the file could not be read at all (a host failure)
  std::string text;                 // read_snapshot_file: the bytes read (the audit store keeps them)
  bool ok() const { return errors.empty(); }
};

SnapshotReadResult read_snapshot_json(std::string_view text, std::string_view file_name);
// The two readers behind it (the differential fuzz target and the snapshot-size benchmark call
// them apart). The checked one parses into a tree (nlohmann), validates it against the schema
// table and names every problem. The fast one (simdjson, snapshot_simdjson.cpp) reads in place
// and returns the same snapshot for every document the checked one accepts, and nothing for
// any other; `text` must have `capacity` >= size + 64 bytes readable (kReadPadding).
SnapshotReadResult read_snapshot_checked(std::string_view text, std::string_view file_name);
std::optional<engine::Snapshot> read_snapshot_fast(std::string_view text, std::size_t capacity);
namespace schema {
struct Node;
}
// The table read_snapshot_json validates against (docs/snapshot.schema.json is tested to agree).
const schema::Node& snapshot_schema();
// Reads a file (or standard input for "-"); I/O failures are reported in errors too.
SnapshotReadResult read_snapshot_file(const std::string& path);
// Canonical JSON: keys sorted, times as ISO strings; byte-identical for equal snapshots.
// kIndented for files people read; kCompact (one line, no spaces) where it is only stored and
// hashed (the audit store: a third of the bytes to hash and write).
enum class JsonLayout : std::uint8_t { kIndented, kCompact };
std::string write_snapshot_json(const engine::Snapshot& snapshot, JsonLayout layout = JsonLayout::kIndented);

}  // namespace riskoff::adapters
