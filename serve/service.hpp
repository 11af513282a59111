// The state one `riskoff serve` process shares between its request threads: the ruleset being
// served (swapped whole on reload), the one audit writer, the token and the metrics. No HTTP
// here: routes.cpp turns requests into calls on a Service.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "riskoff/audit.hpp"
#include "riskoff/registry.hpp"
#include "riskoff/riskoff.hpp"
#include "riskoff/sources.hpp"
#include "serve/alerts.hpp"
#include "serve/metrics.hpp"
#include "serve/server.hpp"

namespace riskoff::serve {

// One loaded version of the ruleset. Immutable once made; requests hold it by shared_ptr, so a
// reload never changes the ruleset under a request that started before it.
struct ServedRuleset {
  Ruleset ruleset;
  std::string source;           // the rule file, or "REGISTRY:NAME@VERSION"
  std::uint64_t generation = 0; // 1 for the first load, +1 per reload
};

// What a write needs: the token check's outcome.
enum class Authorisation : std::uint8_t { kGranted, kMissing, kWrong, kWritesDisabled };

class Service {
 public:
  // Loads the ruleset, opens (or creates) the audit store and reads the token. Errors are the
  // library's: kUsage for options, kRuleset for rule text that does not check, kIo, kStore.
  static Result<std::unique_ptr<Service>> start(const ServeOptions& options);

  const ServeOptions& options() const { return options_; }
  // The version requests started now decide on. Never null after start().
  std::shared_ptr<const ServedRuleset> current() const { return current_.load(); }
  // Loads the ruleset again from where it came from and swaps it in; on error the old one stays,
  // and its messages are kept for /readyz until a reload succeeds.
  Result<std::shared_ptr<const ServedRuleset>> reload();
  // The messages of the last reload when it failed (POST /v1/reload or --watch-rules); empty
  // when it succeeded or none was tried.
  std::vector<std::string> reload_problems() const;

  // Checks an Authorization header value against the write token (constant time in its length).
  Authorisation authorise(const std::string& authorization_header) const;
  // The same for a read: granted when no read token is configured; otherwise the read token or
  // the write token (whoever may write may read). Never kWritesDisabled.
  Authorisation authorise_read(const std::string& authorization_header) const;

  bool has_store() const { return writer_.has_value(); }
  // Appends a decision through the one writer, so parallel requests lose nothing and the chain
  // stays linear. The record is prepared (rendered, hashed) on the calling thread; then the
  // records of concurrent calls are appended together, one transaction per batch (group
  // commit), and each call returns only once its batch has committed. Precondition:
  // has_store(). When its action differs from the previous recorded decision of its profile
  // (compared under the writer's lock, so parallel records are compared in chain order), the
  // change is returned and, when an alerter is set, queued for it.
  struct Recorded {
    std::int64_t id = 0;
    std::optional<ActionChange> change;
  };
  Result<Recorded> record(const Decision& decision, std::string_view snapshot_bytes);
  // Alerts on a change of action go to `alerter` from now on (server.cpp sets it at start);
  // it is stopped, delivering what is queued, when the service goes.
  void set_alerter(std::unique_ptr<Alerter> alerter);
  Result<VerifyReport> verify();
  // Reads go through a read-only connection of the calling thread, opened on its first read and
  // kept (at most one per worker thread: --threads), so a read never waits for the writer and a
  // request opens no connection of its own. close_readers() closes them (the drain does).
  Result<std::vector<DecisionEntry>> list(const DecisionFilter& filter) const;
  Result<DecisionRecord> get(std::int64_t id) const;
  // What changed between two recorded decisions (AuditLog::diff).
  Result<RecordDiff> diff(std::int64_t first, std::int64_t second) const;

  // Registry reads (only when serving a registry; otherwise ErrorKind::kUsage).
  Result<std::vector<PublishedRuleset>> published() const;
  Result<std::optional<PublishedRuleset>> find(const std::string& reference) const;
  Result<std::vector<RulesetFileText>> files(const PublishedRuleset& published) const;
  Result<Ruleset> load_published(const PublishedRuleset& published) const;

  // The manifest of --sources NAME=FILE, loaded at start; nullptr when no such name.
  const Sources* sources(const std::string& name) const;
  // The names of --sources, sorted (for messages).
  std::string source_names() const;

  void close_readers();

  Metrics& metrics() { return metrics_; }
  // Set on SIGTERM/SIGINT: /readyz answers 503 so a balancer stops sending while requests drain.
  void start_draining() { draining_.store(true); }
  bool draining() const { return draining_.load(); }

 private:
  explicit Service(ServeOptions options) : options_(std::move(options)) {}
  Result<ServedRuleset> load(std::uint64_t generation) const;
  // A record waiting for its batch; `taken` once in a batch, `outcome` set once the batch is
  // committed and on the disk, both under queue_mutex_. `woken` (with queue_mutex_): its outcome
  // is set, or it may write the next batch.
  struct PendingRecord {
    const Decision* decision;
    const PreparedRecord* prepared;
    bool taken;
    std::optional<Result<Recorded>> outcome;
    std::condition_variable woken;
  };
  // Appends a batch in one transaction under writer_mutex_; an outcome per record, in order.
  std::vector<Result<Recorded>> write_batch(const std::vector<PendingRecord*>& batch);
  // The action change a committed record makes (last_action_). Precondition: writer_mutex_ held.
  Recorded note_change(const Decision& decision, std::int64_t id);
  // The calling thread's reader, opened on its first use; when every slot is taken (a thread
  // that is not a worker), `spare` is opened for this call alone.
  Result<const AuditLog*> reader(std::optional<AuditLog>& spare) const;

  ServeOptions options_;
  std::string token_;       // empty: writes disabled
  std::string read_token_;  // empty: reads need no token
  std::atomic<std::shared_ptr<const ServedRuleset>> current_;
  std::mutex reload_mutex_;  // one reload at a time, so generations are never skipped or repeated
  mutable std::mutex problems_mutex_;
  std::vector<std::string> reload_problems_;  // Invariant: used only under problems_mutex_
  std::mutex writer_mutex_;  // Invariant: writer_ is used only under this lock
  std::optional<AuditLog> writer_;
  // The last recorded action and id of each profile. Invariant: used only under writer_mutex_.
  std::map<std::string, std::pair<std::string, std::int64_t>> last_action_;
  std::unique_ptr<Alerter> alerter_;  // declared after writer_: destroyed (drained) first
  std::mutex queue_mutex_;
  std::vector<PendingRecord*> queue_;  // Invariant: used only under queue_mutex_
  bool writing_ = false;               // a batch is being written. Invariant: under queue_mutex_
  // Puts batches 1..batch_number on the disk (AuditLog::sync_commits), at most kMaxSyncs syncs
  // running at once; one sync covers every batch committed before it starts.
  Result<std::monostate> sync_through(std::uint64_t batch_number);
  std::mutex sync_mutex_;
  std::condition_variable sync_finished_;
  // Batches committed and known to be on the disk; syncs running. Invariant: under sync_mutex_.
  std::uint64_t committed_batches_ = 0;
  std::uint64_t synced_batches_ = 0;
  int syncs_running_ = 0;
  // Batches committed whose sync has not returned. Invariant: under queue_mutex_. A new batch
  // waits while kMaxUnsynced are: two in flight (one syncing while the next commits and syncs)
  // kept batches near their old size; allowing eight (a sync per batch of about one record) cost
  // 19% more CPU per record for no more records per second (docs/serve.md).
  int unsynced_batches_ = 0;
  static constexpr int kMaxUnsynced = 2;
  static constexpr int kMaxSyncs = 2;
  std::map<std::string, Sources> sources_;  // immutable after start()
  mutable std::mutex readers_mutex_;
  // Invariant: the map is used only under readers_mutex_; each connection only by its thread.
  mutable std::map<std::thread::id, AuditLog> readers_;
  mutable Metrics metrics_;  // counters, thread-safe: counting a read does not change an answer
  std::atomic<bool> draining_{false};
};

}  // namespace riskoff::serve
