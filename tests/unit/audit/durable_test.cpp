// A durable writer (AuditStore::make_commits_durable, what `riskoff serve` records through): every
// commit is fsynced before it returns, a batch is one commit, the WAL is folded in place and the
// store is one file again once the writer goes; or, made durable on sync (`riskoff serve`), each
// commit written and the WAL fsynced by sync_commits, on any thread. The fsyncs are counted by a VFS that wraps
// SQLite's own (every call passed on), so what is checked is what reaches the operating system.
#include <sqlite3.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "tests/support/files.hpp"
#include "audit_support.hpp"

using namespace riskoff;
namespace fs = std::filesystem;

namespace {

// The fsyncs asked of SQLite's VFS since the counting VFS was installed, by file.
std::atomic<int> durable_wal_syncs{0};
std::atomic<int> durable_main_syncs{0};
std::atomic<int> durable_wal_writes{0};
// The same in order, 'w' for the WAL and 'm' for the main file (tests on one thread only).
std::string durable_sync_order;

// A file of the counting VFS: the real one lives just after it, in the same allocation.
struct CountedFile {
  sqlite3_file base;
  sqlite3_file* real;
  bool is_wal;
};

sqlite3_vfs* durable_real_vfs = nullptr;
sqlite3_vfs durable_counting_vfs{};
sqlite3_io_methods durable_counted_methods{};

sqlite3_file* real_of(sqlite3_file* file) { return reinterpret_cast<CountedFile*>(file)->real; }

int counted_sync(sqlite3_file* file, int flags) {
  const bool wal = reinterpret_cast<CountedFile*>(file)->is_wal;
  (wal ? durable_wal_syncs : durable_main_syncs)++;
  durable_sync_order += wal ? 'w' : 'm';
  return real_of(file)->pMethods->xSync(real_of(file), flags);
}

int counted_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* counted = reinterpret_cast<CountedFile*>(file);
  counted->real = reinterpret_cast<sqlite3_file*>(counted + 1);
  counted->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  const int rc = durable_real_vfs->xOpen(durable_real_vfs, name, counted->real, flags, out_flags);
  counted->base.pMethods = counted->real->pMethods == nullptr ? nullptr : &durable_counted_methods;
  return rc;
}

// Every method passed on to the real file; only xSync counts.
void install_counting_vfs() {
  if (durable_real_vfs != nullptr) return;
  durable_real_vfs = sqlite3_vfs_find(nullptr);
  durable_counting_vfs = *durable_real_vfs;
  durable_counting_vfs.zName = "riskoff-test-counting";
  durable_counting_vfs.szOsFile = static_cast<int>(sizeof(CountedFile)) + durable_real_vfs->szOsFile;
  durable_counting_vfs.xOpen = counted_open;
  auto& m = durable_counted_methods;
  m.iVersion = 3;
  m.xClose = [](sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); };
  m.xRead = [](sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return real_of(f)->pMethods->xRead(real_of(f), b, n, o); };
  m.xWrite = [](sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
    if (reinterpret_cast<CountedFile*>(f)->is_wal) ++durable_wal_writes;
    return real_of(f)->pMethods->xWrite(real_of(f), b, n, o);
  };
  m.xTruncate = [](sqlite3_file* f, sqlite3_int64 s) { return real_of(f)->pMethods->xTruncate(real_of(f), s); };
  m.xSync = counted_sync;
  m.xFileSize = [](sqlite3_file* f, sqlite3_int64* s) { return real_of(f)->pMethods->xFileSize(real_of(f), s); };
  m.xLock = [](sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); };
  m.xUnlock = [](sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); };
  m.xCheckReservedLock = [](sqlite3_file* f, int* r) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), r); };
  m.xFileControl = [](sqlite3_file* f, int op, void* a) { return real_of(f)->pMethods->xFileControl(real_of(f), op, a); };
  m.xSectorSize = [](sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); };
  m.xDeviceCharacteristics = [](sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); };
  m.xShmMap = [](sqlite3_file* f, int p, int s, int e, void volatile** mapped) {
    return real_of(f)->pMethods->xShmMap(real_of(f), p, s, e, mapped);
  };
  m.xShmLock = [](sqlite3_file* f, int o, int n, int l) { return real_of(f)->pMethods->xShmLock(real_of(f), o, n, l); };
  m.xShmBarrier = [](sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); };
  m.xShmUnmap = [](sqlite3_file* f, int d) { return real_of(f)->pMethods->xShmUnmap(real_of(f), d); };
  m.xFetch = [](sqlite3_file* f, sqlite3_int64 o, int n, void** p) { return real_of(f)->pMethods->xFetch(real_of(f), o, n, p); };
  m.xUnfetch = [](sqlite3_file* f, sqlite3_int64 o, void* p) { return real_of(f)->pMethods->xUnfetch(real_of(f), o, p); };
  REQUIRE(durable_real_vfs->iVersion >= 1);
  REQUIRE(sqlite3_vfs_register(&durable_counting_vfs, 1) == SQLITE_OK);  // the default from now on
}

// `store` committing `batches` batches of `size` records alternating over two snapshots.
void record_batches(audit::AuditStore& store, int batches, int size, std::int64_t& next_id) {
  static const auto a = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  static const auto b = riskoff::testing::decision_input("examples/snapshots/2020-03-16.json", "short_term");
  for (int batch = 0; batch < batches; ++batch) {
    std::vector<const audit::DecisionInput*> inputs;
    for (int k = 0; k < size; ++k) inputs.push_back(k % 2 == 0 ? &a.input : &b.input);
    const auto ids = store.record_batch(inputs);
    REQUIRE(ids.size() == inputs.size());
    for (const auto id : ids) CHECK(id == next_id++);
  }
}

// A new durable store in a scratch folder, its files counted (install_counting_vfs).
struct CountedStore {
  explicit CountedStore(const char* name) : scratch(name) {
    install_counting_vfs();
    store = audit::AuditStore::open((scratch.root / "audit.sqlite").string(), OpenMode::kCreate);
    store->make_commits_durable();
  }
  riskoff::testing::ScratchFolder scratch;
  std::unique_ptr<audit::AuditStore> store;  // after scratch: closed before its folder goes
};

// The pages of `path` the kernel holds dirty (written, not yet on the disk), from cachestat(2)
// (Linux 6.5); none when the kernel cannot say, or on tmpfs, whose pages never reach a disk.
std::optional<std::uint64_t> dirty_pages(const std::string& path) {
  struct CachestatRange {
    std::uint64_t offset, length;
  } range{0, 0};  // length 0: to the end of the file
  struct Cachestat {
    std::uint64_t cached, dirty, writeback, evicted, recently_evicted;
  } counts{};
  constexpr long kCachestat = 451;
  constexpr long kTmpfsMagic = 0x01021994;
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return std::nullopt;
  struct statfs filesystem {};
  const bool tmpfs = ::fstatfs(descriptor, &filesystem) == 0 && filesystem.f_type == kTmpfsMagic;
  const long rc = tmpfs ? -1 : ::syscall(kCachestat, descriptor, &range, &counts, 0);
  ::close(descriptor);
  if (rc != 0) return std::nullopt;
  return counts.dirty + counts.writeback;
}

}  // namespace

TEST_CASE("a writer durable on sync commits without an fsync, and sync_commits puts the WAL on the disk, beside an append", "[audit][store][durable]") {
  install_counting_vfs();
  riskoff::testing::ScratchFolder scratch("audit-durable-on-sync");
  const std::string path = (scratch.root / "audit.sqlite").string();
  std::int64_t next_id = 1;
  {
    const auto store = audit::AuditStore::open(path, OpenMode::kCreate);
    store->make_commits_durable_on_sync();
    record_batches(*store, 1, 2, next_id);
    store->sync_commits();  // the WAL file opened, its folder synced
    const int before = durable_wal_syncs;
    record_batches(*store, 4, 3, next_id);
    // The commits leave the fsync to sync_commits (synchronous=NORMAL): at most the WAL header's.
    INFO("WAL fsyncs for 4 commits: " << durable_wal_syncs - before);
    CHECK(durable_wal_syncs - before <= 1);
    // What the commits wrote is in the kernel's hands, dirty, until sync_commits flushes it.
    const auto written = dirty_pages(path + "-wal");
    store->sync_commits();
    const auto synced = dirty_pages(path + "-wal");
    if (!written || !synced || *written == 0) {
      WARN("cannot see the WAL's dirty pages here (cachestat, tmpfs, or written back early): not checked");
    } else {
      INFO("WAL pages dirty before sync_commits: " << *written << ", after: " << *synced);
      CHECK(*synced == 0);
    }
    // A sync on another thread while this one appends (what `riskoff serve` does), past a fold:
    // 12 MiB of records, the fold at 8 MiB.
    std::atomic<bool> appending{true};
    std::atomic<int> syncs{0};
    std::thread syncer([&] {
      while (appending) {
        store->sync_commits();
        ++syncs;
      }
    });
    for (int round = 0; round < 60; ++round) record_batches(*store, 1, 7, next_id);
    appending = false;
    syncer.join();
    CHECK(syncs > 0);
    store->sync_commits();
    CHECK(store->verify().records == 434);
    // A WAL file that is gone cannot be synced: an error, never a silent success.
    fs::rename(path + "-wal", path + "-wal.away");
    CHECK_THROWS_AS(store->sync_commits(), audit::AuditError);
    fs::rename(path + "-wal.away", path + "-wal");
    store->sync_commits();
  }
  // Gone: its WAL folded in, as a writer durable at every commit leaves it.
  std::error_code ec;
  CHECK(fs::file_size(path + "-wal", ec) == 0);
  const auto report = audit::AuditStore::open(path, OpenMode::kExisting)->verify();
  CHECK(report.ok());
  CHECK(report.records == 434);
}

TEST_CASE("a durable writer fsyncs its WAL at every commit, a batch being one commit, and by default at none", "[audit][store][durable]") {
  install_counting_vfs();
  riskoff::testing::ScratchFolder scratch("audit-durable");
  std::int64_t next_id = 1;
  {
    // By default (synchronous=NORMAL) a commit is written, not fsynced: the fold (past 1 MiB,
    // far from these few records) is what syncs, and the WAL's header when it starts.
    const auto store = audit::AuditStore::open((scratch.root / "plain.sqlite").string(), OpenMode::kCreate);
    const int before = durable_wal_syncs;
    record_batches(*store, 4, 2, next_id);
    INFO("WAL fsyncs for 4 commits by default: " << durable_wal_syncs - before);
    CHECK(durable_wal_syncs - before <= 1);
  }
  next_id = 1;
  const std::string path = (scratch.root / "durable.sqlite").string();
  const auto store = audit::AuditStore::open(path, OpenMode::kCreate);
  store->make_commits_durable();
  const int before = durable_wal_syncs;
  record_batches(*store, 4, 3, next_id);  // four commits of three records
  const int synced = durable_wal_syncs - before;
  INFO("WAL fsyncs for 4 commits: " << synced);
  // At least one per commit (the first after the WAL starts also syncs its header), and not one
  // per record: a batch is one commit.
  CHECK(synced >= 4);
  CHECK(synced < 12);
  CHECK(store->verify().records == 12);
}

TEST_CASE("a durable writer folds its WAL in place as batches accumulate and leaves one file when it goes", "[audit][store][durable]") {
  riskoff::testing::ScratchFolder scratch("audit-durable-fold");
  const std::string path = (scratch.root / "audit.sqlite").string();
  std::int64_t next_id = 1;
  std::uintmax_t largest_wal = 0;
  {
    const auto store = audit::AuditStore::open(path, OpenMode::kCreate);
    store->make_commits_durable();
    // About 30 KB a record: 12 MiB of records, past the fold at 8 MiB, in batches of 7 (a fold
    // lands inside a run of batches, and batches after it chain on).
    for (int round = 0; round < 60; ++round) {
      record_batches(*store, 1, 7, next_id);
      std::error_code ec;
      largest_wal = std::max(largest_wal, fs::file_size(path + "-wal", ec));
    }
    INFO("largest WAL " << largest_wal << " bytes; store " << fs::file_size(path) << " bytes");
    // Folded once past 8 MiB and cut back past twice that (journal_size_limit): never more.
    CHECK(largest_wal < (16u << 20) + (1u << 20));
    CHECK(fs::file_size(path) > (4u << 20));  // the fold put records in the file itself
  }
  // Gone: its WAL folded in, the file alone holds every record.
  std::error_code ec;
  CHECK(fs::file_size(path + "-wal", ec) == 0);
  const auto report = audit::AuditStore::open(path, OpenMode::kExisting)->verify();
  CHECK(report.ok());
  CHECK(report.records == 420);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT count(*) FROM snapshots").getInt() == 2);
}

TEST_CASE("a durable writer's fold never delays the batch that made it due: the next batch folds before its commit", "[audit][store][durable]") {
  const CountedStore counted("audit-durable-fold-after");
  audit::AuditStore* store = counted.store.get();
  std::int64_t next_id = 1;
  int folds = 0;
  // About 30 KB a record: 12 MiB in batches of 7, past the fold at 8 MiB once.
  for (int round = 0; round < 60; ++round) {
    const std::size_t before = durable_sync_order.size();
    record_batches(*store, 1, 7, next_id);
    const std::string syncs = durable_sync_order.substr(before);
    if (syncs.find('m') == std::string::npos) continue;  // no fold in this batch
    ++folds;
    // A fold fsyncs the WAL and then the main file; the batch's commit fsyncs the WAL. The call
    // ends with its own commit's fsync: the fold ran before it, not after (when the records
    // committed would have waited for it).
    INFO("batch " << round << ": fsyncs in order " << syncs);
    CHECK(syncs.back() == 'w');
    CHECK(syncs.find_last_of('m') < syncs.find_last_of('w'));
  }
  CHECK(folds >= 1);
  CHECK(store->verify().records == 420);
}

TEST_CASE("a new store's pages hold a record in a few WAL writes", "[audit][store][durable]") {
  const CountedStore counted("audit-durable-writes");
  audit::AuditStore* store = counted.store.get();
  std::int64_t next_id = 1;
  record_batches(*store, 1, 7, next_id);  // the rulesets and snapshots stored: the first batch only
  const int before = durable_wal_writes;
  record_batches(*store, 4, 7, next_id);
  // Each page is two writes to the WAL (its frame header, then the page). A record is about
  // 30 KB: on 4 KiB pages eight pages, sixteen writes; on the 16 KiB pages of a new store two or
  // three pages, plus the pages a batch shares (the table's last leaf, the index, the head).
  const double per_record = (durable_wal_writes - before) / 28.0;
  INFO("WAL writes per record: " << per_record);
  CHECK(per_record < 8);
}
