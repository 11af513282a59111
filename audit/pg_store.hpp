// The PostgreSQL backend of the audit store (`--db postgresql://…`): one database shared by many
// processes and machines (serve replicas, scheduled jobs, notebooks). The chain and its checks
// are chain.hpp's, as for SQLite; what differs is how the head is taken: appending locks it
// with a transaction-level advisory lock (kChainLock), so the chain stays linear across
// machines, and a writer whose connection breaks (the server restarting) reconnects with
// backoff and never records a decision twice nor takes another's for its own (it looks up the
// token it wrote with the record it may have committed; publish() does the same with its row).
// pg_open.cpp: connecting, the DSN kept secret, migrations; pg_store.cpp: the log, reading
// back, verify, the registry. Built into libriskoff-pg.so only (pg_backend.hpp: loaded on first
// use); never installed, never included outside audit/ (and its tests).
#pragma once

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <thread>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "audit/chain.hpp"
#include "audit/pg_backend.hpp"
#include "audit/store.hpp"

namespace riskoff::audit {

// The advisory lock key every append and migration takes ("riskoff" in ASCII).
inline constexpr std::int64_t kChainLock = 0x7269736b6f6666;
// Decision rows per statement when reading the chain back (list, export, verify).
inline constexpr std::int64_t kReadBatchRows = 500;
// How long a writer keeps reconnecting after the connection broke before it gives up.
inline constexpr std::chrono::seconds kReconnectWindow{30};

class PgStore final : public AuditStore {
 public:
  static std::unique_ptr<AuditStore> open(const std::string& uri, OpenMode mode, int target_version);
  PgStore(std::string uri, std::unique_ptr<pqxx::connection> connection, bool writable);
  ~PgStore() override;

  int schema_version() const override { return version_; }
  const std::string& path() const override { return shown_; }
  bool writable() const override { return writable_; }
  std::int64_t record(const DecisionInput& input) override;
  void append_verbatim(const std::vector<VerbatimRecord>& chain) override;
  std::pair<std::int64_t, std::int64_t> id_range() const override;
  std::optional<std::string> snapshot_json(const std::string& hash) const override;
  std::vector<RulesetFile> ruleset_files(const std::string& hash) const override;
  VerifyReport verify() const override;
  PublishOutcome publish(const RulesetText& ruleset, std::string& existing_hash) override;
  void each_record(const ListFilter& filter, std::int64_t id, const std::function<void(DecisionRecord&&)>& visit) const override;
  // How many decision rows each statement of each_record and verify reads (default
  // kReadBatchRows): memory stays bounded by one batch's documents whatever the chain's length.
  void set_read_batch(std::int64_t rows) { batch_rows_ = rows < 1 ? 1 : rows; }
  // How many such batch statements this handle ran: the tests check a long chain is read in batches.
  std::int64_t batches_read() const { return batches_read_; }

  // Where record() and publish() call the commit hook: in the attempt's transaction just before
  // COMMIT, or just after COMMIT returned (the transaction is over; its connection is still the handle's).
  enum class CommitStage : std::uint8_t { kBeforeCommit, kAfterCommit };
  // Tests only: a hook record() and publish() call at both stages of every attempt. What it throws is handled
  // as the same failure from libpqxx would be: the tests break the connection there (a server
  // killed, a reply lost) to drive the unknown-commit path deterministically.
  void set_commit_hook(std::function<void(CommitStage, pqxx::work&)> hook) { commit_hook_ = std::move(hook); }

 protected:
  std::vector<Published> published_unsorted() const override;

 private:
  // Runs `work(connection)`; when the connection broke, a transaction was rolled back by a
  // serialization failure or deadlock, or the server is shutting down or starting, reconnects
  // and runs it again, waiting longer each time (up to kReconnectWindow in all). Any other
  // failure is an AuditError naming the store.
  template <typename Work>
  auto retrying(Work&& work) const -> decltype(work(std::declval<pqxx::connection&>()));
  // Connects (again) when there is no connection. Throws pqxx::broken_connection.
  pqxx::connection& connection() const;
  // The head taken under kChainLock, checked against the last record (next_record_id): the
  // next id and the hash it chains onto. Inside the caller's transaction.
  std::pair<std::int64_t, std::string> locked_head(pqxx::work& work) const;
  // `token`: the record() call's attempt token, or empty for none (imported records).
  void append_row(pqxx::work& work, const DecisionRow& row, const std::string& trace, const std::string& text,
                  const std::string& markdown, const std::string& json, const std::string& token) const;
  // The ruleset closure and the snapshot a record names, in a transaction of their own.
  void store_documents(const RulesetText& ruleset, const std::string& snapshot_hash, const std::string& snapshot_json) const;
  void require_writable() const;
  // A failure that is not worth retrying, as users see it.
  [[noreturn]] void fail(const std::exception& e) const;
  // Creates the store's tables when the database has none and applies the missing migrations,
  // under kChainLock (another process may be doing the same).
  int migrate(pqxx::connection& connection, int target_version);

  std::string uri_;    // the secret: only ever handed to libpq
  std::string shown_;  // redact_dsn(uri_)
  int version_ = 0;
  bool writable_ = true;
  mutable std::unique_ptr<pqxx::connection> connection_;
  // Hashes of rulesets and snapshots this handle stored (store_documents): not sent again.
  mutable std::set<std::string> stored_;
  std::int64_t batch_rows_ = kReadBatchRows;
  mutable std::int64_t batches_read_ = 0;
  std::function<void(CommitStage, pqxx::work&)> commit_hook_;
};

// A new attempt token: 128 bits from the kernel's random source (getrandom), as a version 4 UUID
// (122 of them random). Throws AuditError when the source fails.
std::string new_attempt_token();

// A ruleset's closure, once per hash (as store_ruleset does for SQLite).
void store_ruleset(pqxx::work& work, const RulesetText& ruleset);
// A new connection: notices kept off standard error, and read-only sessions when `writable` is false.
std::unique_ptr<pqxx::connection> connect_pg(const std::string& uri, bool writable);
// SQLSTATEs after which the same work may succeed on a new connection: connection failures
// (class 08) and the server shutting down or starting (57P01..57P03).
bool transient_state(const std::string& sqlstate);

template <typename Work>
auto PgStore::retrying(Work&& work) const -> decltype(work(std::declval<pqxx::connection&>())) {
  const auto deadline = std::chrono::steady_clock::now() + kReconnectWindow;
  auto wait = std::chrono::milliseconds(10);
  for (unsigned attempt = 0;; ++attempt) {
    try {
      return work(connection());
    } catch (const AuditError&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const pqxx::broken_connection& e) {
      connection_.reset();
      if (std::chrono::steady_clock::now() >= deadline) fail(e);
    } catch (const pqxx::in_doubt_error& e) {
      // The commit's outcome is unknown: the work looks for what it may have committed.
      connection_.reset();
      if (std::chrono::steady_clock::now() >= deadline) fail(e);
    } catch (const pqxx::transaction_rollback& e) {
      if (std::chrono::steady_clock::now() >= deadline) fail(e);
    } catch (const pqxx::sql_error& e) {
      // A server that goes away mid-statement can surface as an sql_error with no SQLSTATE
      // ("server closed the connection unexpectedly"), on a connection libpqxx may still call
      // open (a COMMIT sent to a crashed server: seen with libpqxx 6.4). Every error the server
      // sends has a SQLSTATE; one without is libpq's about the connection: a broken connection,
      // whatever libpqxx called it.
      const bool gone = (connection_ && !connection_->is_open()) || e.sqlstate().empty();
      if ((!gone && !transient_state(e.sqlstate())) || std::chrono::steady_clock::now() >= deadline) fail(e);
      connection_.reset();
    } catch (const std::exception& e) {
      fail(e);
    }
    // Backoff with jitter, so that writers woken by the same restart do not come back in step.
    thread_local std::minstd_rand jitter_source{std::random_device{}()};
    const auto jitter = std::chrono::milliseconds(jitter_source() % (10 + attempt));
    std::this_thread::sleep_for(wait + jitter);
    wait = std::min<std::chrono::milliseconds>(wait * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace riskoff::audit
