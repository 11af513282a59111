// The history store: every source's full history in one SQLite file, so snapshots for any
// date can be built without re-reading the raw files (`riskoff data import|list|show`, and a
// manifest source with `"reader": "store"`).
//
// Contract: one HistoryStore per thread (SQLite connections are not shared); failures (cannot
// open, disk full, not a riskoff store) are exceptions of type StoreError, with the file and
// what went wrong, and whether it is the host's (kIo) or the file's (kStore). An import is one
// transaction: a failed import leaves the previous data intact.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/sources.hpp"
#include "riskoff/result.hpp"

namespace riskoff::adapters {

class StoreError : public std::runtime_error {
 public:
  // kIo: the file cannot be opened, read or written. kStore: it is not a riskoff history store,
  // is damaged, was written by a newer riskoff, or holds something else than finite numbers.
  enum class Kind : std::uint8_t { kIo, kStore };
  StoreError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct StoredSeries {
  std::string name;
  engine::Unit unit = engine::Unit::kNumber;
  std::string source;
  std::string reader;
  std::string imported_at;
  std::size_t count = 0;
  engine::Timestamp first = 0;
  engine::Timestamp last = 0;
};

struct ImportReport {
  std::vector<StoredSeries> imported;
  std::vector<std::string> problems;  // non-empty: nothing was written
  bool ok() const { return problems.empty(); }
};

class HistoryStore {
 public:
  static constexpr int kSchemaVersion = 2;

  // Opens a store as `mode` says (riskoff/result.hpp; kReadOnly never writes, not even a
  // migration); throws StoreError. A store of another kind (an audit store), a schema version
  // that is not a number and an existing empty file (unless kCreateInEmptyFile) are kStore.
  static std::unique_ptr<HistoryStore> open(const std::string& path, OpenMode mode);
  ~HistoryStore();

  // Reads every source's whole history and replaces those series, all or nothing.
  ImportReport import(const Manifest& manifest);
  std::vector<StoredSeries> list() const;
  // Observations of one series dated from `from`, up to `to` by their own time (a listing:
  // `data show`, the API) or by when they became known (a snapshot or a replay as of `to`);
  // empty times when the series is unknown.
  enum class UpTo : std::uint8_t { kOwnTime, kKnownAt };
  engine::InputData read(const std::string& name, engine::Timestamp from, engine::Timestamp to, UpTo up_to) const;

 private:
  struct Impl;
  explicit HistoryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace riskoff::adapters
