// The history store: every source's whole history in one SQLite file, so snapshots and
// backtests for any date read it instead of the raw files (`riskoff data import|list|show`,
// a manifest source with `"reader": "store"`, `riskoff replay --db`; docs/sources.md).
//
//   auto store = riskoff::HistoryStore::open("history.sqlite", riskoff::OpenMode::kCreate);
//   if (!store) return print(store.error());
//   auto imported = store->import(*riskoff::Sources::load("examples/sources-local.json"));
//   auto us10y = store->read("us10y", riskoff::parse_time("2026-01-01"));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "riskoff/export.h"
#include "riskoff/result.hpp"
#include "riskoff/sources.hpp"
#include "riskoff/values.hpp"

namespace riskoff {

// One stored series as `riskoff data list` shows it. A plain value.
struct SeriesInfo {
  std::string name;         // the ruleset input it feeds
  Unit unit = Unit::kNumber;
  std::string source;       // the manifest's label ("FRED:DGS10")
  std::string reader;       // the reader it was imported with
  std::string imported_at;  // "YYYY-MM-DDTHH:MM:SSZ"
  std::uint64_t count = 0;  // observations
  std::int64_t first = 0;   // first and last observation (UTC seconds); 0 when count is 0
  std::int64_t last = 0;
};

// Observations of one series, oldest first. A plain value.
struct Series {
  std::string name;
  Unit unit = Unit::kNumber;
  std::string source;
  std::vector<std::int64_t> times;
  std::vector<double> values;
  std::vector<std::int64_t> known_at;  // when each became known (UTC seconds; docs/sources.md "Clocks")
};

// An open history store. Move-only handle (pimpl) owning one SQLite connection, closed when
// the handle goes.
//
// Threads: one HistoryStore per thread, as SQLite connections are not to be shared; open the
// same file from as many threads and processes as needed. An import is one transaction: it is
// either fully in or absent, and a failed import leaves the previous data as it was.
//
// Errors are values: ErrorKind::kIo when the file cannot be opened, read or written;
// ErrorKind::kStore when it is not a riskoff history store, is damaged or was written by a
// newer riskoff; ErrorKind::kData for sources that do not read.
// Messages name the file. The functions below throw only std::bad_alloc.
class RISKOFF_API HistoryStore {
 public:
  static Result<HistoryStore> open(const std::string& path, OpenMode mode = OpenMode::kExisting);
  HistoryStore(HistoryStore&& other) noexcept;
  HistoryStore& operator=(HistoryStore&& other) noexcept;
  ~HistoryStore();

  const std::string& path() const;

  // Reads every source of the manifest whole and replaces those series, all or nothing: when
  // one source does not read, nothing is written and the error (kData) lists every one that
  // did not, with its reasons. Returns what was imported, by name.
  Result<std::vector<SeriesInfo>> import(const Sources& sources);
  // Every stored series, by name.
  Result<std::vector<SeriesInfo>> list() const;
  // The observations of one series between `from` and `to` (UTC seconds, both inclusive; none:
  // unbounded); nullopt when the store has no series of that name. A series holding something
  // else than finite numbers (edited by hand) is kStore. `source` is the label snapshots built
  // from the store show: the manifest's, then " (history store)".
  Result<std::optional<Series>> read(const std::string& name, std::optional<std::int64_t> from = std::nullopt,
                      std::optional<std::int64_t> to = std::nullopt) const;

  struct Impl;

 private:
  friend struct ApiAccess;
  explicit HistoryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace riskoff
