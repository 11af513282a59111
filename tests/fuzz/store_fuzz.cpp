// libFuzzer target for the history store reader (adapters/history_store.hpp): the bytes are an
// SQLite file as `riskoff data import` writes it, which a manifest's `"reader": "store"` opens
// read-only; its records are not trusted (docs/security.md). Each input is written to ONE temp
// file (reused, in a private folder under $TMPDIR, removed at exit), opened read-only, listed,
// and every series read whole. A refusal is a StoreError; anything else escaping is a finding.
// SQLite is the system's (not instrumented): the fuzzer sees our side only, so the seeds are
// real stores (corpora.sh writes them with the schema of history_store.cpp, at 512-byte pages).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "adapters/history_store.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace riskoff::adapters;
using riskoff::engine::Timestamp;

// The folder and the file every input is written to; removed at exit.
struct Scratch {
  std::filesystem::path folder;
  std::string file;
  Scratch() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/riskoff-fuzz-store-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("riskoff_fuzz_store: mkdtemp");
      std::abort();
    }
    folder = pattern;
    file = (folder / "history.sqlite").string();
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
  }
};

Scratch& scratch() {
  static Scratch instance;
  return instance;
}

// A stored series as read(): one time, value and known_at each, times strictly ascending,
// values finite, known_at never going backwards (what a snapshot built from it relies on).
void check_stored(const riskoff::engine::InputData& data) {
  if (data.values.size() != data.times.size() || data.known_at.size() != data.times.size()) riskoff::fuzz::finding();
  for (std::size_t k = 0; k < data.times.size(); ++k) {
    if (!std::isfinite(data.values[k])) riskoff::fuzz::finding();
    if (k > 0 && (data.times[k] <= data.times[k - 1] || data.known_at[k] < data.known_at[k - 1])) riskoff::fuzz::finding();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Scratch& where = scratch();
  {
    std::ofstream out(where.file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();  // the host, not the input
  }
  try {
    const auto store = HistoryStore::open(where.file, riskoff::OpenMode::kReadOnly);
    for (const StoredSeries& series : store->list()) {
      // A snapshot reads [as_of - lookback, as_of]: here the whole range a manifest can ask.
      // Both clocks: the observation's own time and the moment it became known.
      for (const HistoryStore::UpTo up_to : {HistoryStore::UpTo::kOwnTime, HistoryStore::UpTo::kKnownAt}) {
        check_stored(store->read(series.name, std::numeric_limits<Timestamp>::min() / 2,
                                 std::numeric_limits<Timestamp>::max() / 2, up_to));
        check_stored(store->read(series.name, riskoff::support::kFirstUtc, riskoff::support::kLastUtc, up_to));
      }
    }
    check_stored(store->read("no such series", 0, 0, HistoryStore::UpTo::kKnownAt));
  } catch (const StoreError& e) {
    if (std::string_view(e.what()).empty()) riskoff::fuzz::finding();
  }
  // A file in WAL mode opened read-only may leave its -shm (or -wal) beside it: removed, so that
  // no input is read with the next one's journal.
  std::error_code ec;
  std::filesystem::remove(where.file + "-wal", ec);
  std::filesystem::remove(where.file + "-shm", ec);
  std::filesystem::remove(where.file + "-journal", ec);
  return 0;
}
