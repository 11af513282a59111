// The SQLite backend of the audit store (the embedded default: one file). What its source files
// share: open.cpp (opening, creating, migrating), store.cpp (the log), records.cpp (reading
// back), verify.cpp (the chain check), registry.cpp (published versions). Never installed, never
// included outside audit/ (and its tests).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/chain.hpp"
#include "audit/store.hpp"

namespace riskoff::audit {

class SqliteStore final : public AuditStore {
 public:
  // The connection. The busy timeout is set before anything touches the file: other writers may
  // hold it now. `uri`: what SQLite opens (the path, or a file: URI for an immutable read-only open).
  struct Impl {
    std::string path;
    SQLite::Database db;
    int version = 0;
    bool writable = true;
    // The statements every record runs, prepared once per connection: preparing five per record
    // was a tenth of its CPU. Declared after db, so finalised before it closes.
    std::optional<SQLite::Statement> add_decision, move_head, add_snapshot, head;
    // The ruleset and snapshot the last batch this connection committed stored (or found
    // stored): the next batch of the same skips inserting them again. Rows are never deleted,
    // so a committed one is still there; set only after the commit, never by a rolled-back one.
    std::string committed_ruleset, committed_snapshot;
    // make_commits_durable(): the WAL is fsynced at every commit and folded by its frame count
    // (wal_frames, from SQLite's WAL hook after each commit) into the file in place.
    bool durable = false;
    std::int64_t wal_frames = 0;
    bool fold_due = false;  // the last commit passed the fold size: the next batch folds first
    std::int64_t page_size = 4096;
    // make_commits_durable_on_sync(): the WAL file as sync_commits() flushes it, opened on its
    // first call (reopened should the WAL file be replaced). Shared, so a sync running on one
    // thread keeps its descriptor open while another thread replaces it.
    struct WalFile;
    mutable std::mutex wal_file_mutex;
    mutable std::shared_ptr<const WalFile> wal_file;  // Invariant: under wal_file_mutex
    Impl(const std::string& file, const std::string& uri, int flags) : path(file), db(uri, flags) {
      db.setBusyTimeout(10000);
    }
    // `slot`'s statement, prepared on first use, else reset with its bindings cleared.
    SQLite::Statement& statement(std::optional<SQLite::Statement>& slot, const char* sql) {
      if (!slot) return slot.emplace(db, sql);
      slot->reset();
      slot->clearBindings();
      return *slot;
    }
  };

  static std::unique_ptr<AuditStore> open(const std::string& path, OpenMode mode, int target_version);
  explicit SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
  // A durable writer leaves one self-contained file when it goes (its WAL folded in).
  ~SqliteStore() override;

  int schema_version() const override { return impl_->version; }
  const std::string& path() const override { return impl_->path; }
  bool writable() const override { return impl_->writable; }
  std::int64_t record(const DecisionInput& input) override;
  std::vector<std::int64_t> record_batch(const std::vector<const DecisionInput*>& inputs) override;
  void make_commits_durable() override;
  void make_commits_durable_on_sync() override;
  void sync_commits() const override;
  void append_verbatim(const std::vector<VerbatimRecord>& chain) override;
  std::pair<std::int64_t, std::int64_t> id_range() const override;
  std::optional<std::string> snapshot_json(const std::string& hash) const override;
  std::vector<RulesetFile> ruleset_files(const std::string& hash) const override;
  VerifyReport verify() const override;
  PublishOutcome publish(const RulesetText& ruleset, std::string& existing_hash) override;
  void each_record(const ListFilter& filter, std::int64_t id, const std::function<void(DecisionRecord&&)>& visit) const override;

 protected:
  std::vector<Published> published_unsorted() const override;

 private:
  // The head checked (next_record_id) and `row` inserted after it, inside the caller's transaction.
  void append_row(const DecisionRow& row, const std::string& trace, const std::string& text, const std::string& markdown,
                  const std::string& json);
  // The next id and the hash it chains onto, the head checked against the last record (next_record_id).
  std::pair<std::int64_t, std::string> checked_head();
  void fold_wal_when_large();
  void fold_wal();  // a durable writer's fold, due since its last commit
  void fold_by_frames(const char* synchronous);  // make_commits_durable*'s settings
  std::unique_ptr<Impl> impl_;
};

// An SQLite failure as the AuditError users see: not a store, damaged, or I/O.
AuditError translate(const std::string& path, const SQLite::Exception& e);
// A value of the riskoff_store table ("head_id", "head_hash", "schema_version").
std::string get_meta(SQLite::Database& db, const char* key);
void set_meta(SQLite::Database& db, const char* key, const std::string& value);
// The schema version a store's riskoff_store names, checked (throws AuditError).
int parse_version(const std::string& path, const std::string& text);
// The decision columns every listing selects, in this order; read_row() reads them into a row.
inline constexpr const char* kRowColumns =
    "d.id, d.recorded_at, d.as_of, d.profile, d.action, d.ruleset_hash, coalesce(r.name, ''), coalesce(r.version, ''),"
    " d.snapshot_hash, d.overrides, d.engine_version, d.content_hash, d.prev_hash, d.record_hash";
void read_row(SQLite::Statement& query, DecisionRow& row);

// A ruleset's closure, once per hash: decisions and published versions both refer to it.
void store_ruleset(SQLite::Database& db, const RulesetText& ruleset);

}  // namespace riskoff::audit
