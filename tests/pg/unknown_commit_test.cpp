// A commit whose outcome the writer cannot know (the connection broke during COMMIT), driven
// deterministically through PgStore's commit hook: the reply of a commit that was made is lost,
// the server dies before it makes one, and a crashed server hands the lost attempt's transaction
// id to another writer. In each case the attempt token (schema 3) tells whether the decision was
// recorded: acknowledged once, stored once, never another writer's record taken for this one's.
#include <pqxx/pqxx>

#include <chrono>
#include <sstream>
#include <thread>

#include "audit/pg_store.hpp"
#include "audit/transfer.hpp"
#include "pg_support.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

using namespace riskoff;
using riskoff::testing::decision_input;
using Stage = audit::PgStore::CommitStage;

namespace {

std::unique_ptr<audit::AuditStore> open_store(const std::string& uri, int target = audit::AuditStore::kSchemaVersion) {
  return audit::AuditStore::open(uri, OpenMode::kCreate, target);
}

audit::PgStore& pg_of(audit::AuditStore& store) {
  auto* pg_store = dynamic_cast<audit::PgStore*>(&store);
  REQUIRE(pg_store != nullptr);
  return *pg_store;
}

std::int64_t count_of(const std::string& uri, const std::string& query) {
  pqxx::connection raw(uri);
  pqxx::read_transaction reading(raw);
  return reading.exec(query)[0][0].as<std::int64_t>();
}

// Ends the session `pid` from another connection, and waits until the server has let it go.
void terminate_backend(const std::string& uri, int pid) {
  pqxx::connection raw(uri);
  pqxx::nontransaction session(raw);
  session.exec_params("SELECT pg_terminate_backend($1)", pid);
  for (int k = 0; k < 500 && !session.exec_params("SELECT 1 FROM pg_stat_activity WHERE pid = $1", pid).empty(); ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Every commit of `store` is made, and its reply lost with the connection: the outcome unknown
// to the writer (libpqxx's in_doubt_error).
void lose_every_commit_reply(audit::AuditStore& store) {
  pg_of(store).set_commit_hook([](Stage stage, pqxx::work& work) {
    if (stage != Stage::kAfterCommit) return;
    work.conn().disconnect();
    throw pqxx::in_doubt_error("connection lost while committing");
  });
}

// The message of the AuditError `write` throws; empty when it throws none.
template <typename Write>
std::string audit_error_of(Write write) {
  try {
    write();
  } catch (const audit::AuditError& e) {
    return e.what();
  }
  return {};
}

// publish() through a session the server ended before COMMIT: libpqxx 6.4 leaks the PGresult
// of that COMMIT (as in the test of record() below), not ours to free.
audit::PublishOutcome publish_past_ended_session(audit::AuditStore& store, const engine::RulesetText& text, std::string& existing) {
#if defined(__SANITIZE_ADDRESS__)
  __lsan::ScopedDisabler libpqxx_leak;
#endif
  return store.publish(text, existing);
}

}  // namespace

TEST_CASE("a commit whose reply was lost is found by its token - acknowledged and stored once", "[pg][unknown-commit]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto store = open_store(uri);
  int commits = 0;
  pg_of(*store).set_commit_hook([&](Stage stage, pqxx::work& work) {
    if (stage != Stage::kAfterCommit || ++commits > 1) return;
    // The commit was made; the writer never hears so: the connection goes with the reply.
    work.conn().disconnect();
    throw pqxx::in_doubt_error("connection lost while committing");
  });
  CHECK(store->record(input.input) == 1);
  CHECK(commits == 1);  // the retry found the record: it did not commit again
  CHECK(count_of(uri, "SELECT count(*) FROM decisions") == 1);
  CHECK(count_of(uri, "SELECT count(*) FROM decisions WHERE attempt_token IS NOT NULL") == 1);
  CHECK(store->record(input.input) == 2);
  CHECK(count_of(uri, "SELECT count(DISTINCT attempt_token) FROM decisions") == 2);
  CHECK(store->verify().ok());
}

TEST_CASE("a commit the server never made is not taken for one - the retry records the decision", "[pg][unknown-commit]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto store = open_store(uri);
  CHECK(store->record(input.input) == 1);
  int attempts = 0;
  pg_of(*store).set_commit_hook([&](Stage stage, pqxx::work& work) {
    if (stage != Stage::kBeforeCommit || ++attempts > 1) return;
    // The session ends (its transaction rolled back) before COMMIT reaches it: libpqxx cannot
    // tell whether the commit was made (in_doubt_error).
    terminate_backend(uri, work.conn().backendpid());
  });
  std::int64_t id = 0;
  {
#if defined(__SANITIZE_ADDRESS__)
    // libpqxx 6.4 leaks the PGresult (about 2 KiB) of any statement after which libpq finds the
    // session gone, here the COMMIT: connection_base::make_result asks for the client encoding
    // before it wraps the PGresult, and that throws broken_connection on a dead connection, so
    // the raw result is dropped (fixed in libpqxx 7.7). Every libpqxx 6.4 way to run a statement
    // (exec, exec_params, prepared, pipeline) goes through it, and the PGconn is not ours to call
    // libpq on, so our code cannot avoid it without losing libpqxx's in-doubt detection; a writer
    // pays it once per broken connection. Debian 12 ships no later libpqxx.
    __lsan::ScopedDisabler libpqxx_leak;
#endif
    id = store->record(input.input);
  }
  CHECK(id == 2);
  CHECK(attempts == 2);
  CHECK(count_of(uri, "SELECT count(*) FROM decisions") == 2);
  const auto report = store->verify();
  CHECK(report.ok());
  CHECK(report.records == 2);
}

TEST_CASE("after a crash mid-commit, the lost attempt's transaction id reads as committed - the token is not fooled",
          "[pg][unknown-commit]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  {
    // WAL the commits did not flush stays in the server's buffers until the crash, so the lost
    // attempt's transaction id is not in the WAL that recovery replays, and is handed out again.
    pqxx::connection raw(server->uri());
    pqxx::nontransaction session(raw);
    session.exec0("ALTER SYSTEM SET wal_writer_delay = '10s'");
    session.exec("SELECT pg_reload_conf()");
  }
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto other_input = decision_input("examples/snapshots/2020-03-16.json", "short_term");
  const auto writer = open_store(uri);
  int reused = 0;
  std::int64_t records = 0;
  for (int round = 0; round < 5; ++round) {
    INFO("round " << round);
    std::int64_t other_id = 0;
    std::string lost_status;
    bool crashed = false;
    pg_of(*writer).set_commit_hook([&](Stage stage, pqxx::work& work) {
      if (stage != Stage::kBeforeCommit || crashed) return;
      crashed = true;
      const auto lost = work.exec("SELECT txid_current()")[0][0].as<std::int64_t>();
      server->stop(true);  // a crash: this attempt's COMMIT is sent to a server that is gone
      server->start_again();
      // Another writer records meanwhile, on the restarted server.
      other_id = open_store(uri)->record(other_input.input);
      pqxx::connection raw(uri);
      pqxx::nontransaction session(raw);
      lost_status = session.exec_params("SELECT txid_status($1)", lost)[0][0].as<std::string>();
    });
    const std::int64_t id = writer->record(input.input);
    records += 2;
    REQUIRE(crashed);
    CHECK(id != other_id);
    CHECK(count_of(uri, "SELECT count(*) FROM decisions") == records);
    CHECK(writer->get(id)->profile == "swing");
    CHECK(writer->get(other_id)->profile == "short_term");
    // "committed": the id was given again, and a look-up by transaction id would have taken the
    // other writer's commit for this attempt's (one id acknowledged twice, one decision lost).
    if (lost_status == "committed") ++reused;
  }
  const auto report = writer->verify();
  CHECK(report.ok());
  CHECK(report.records == records);
  CHECK(reused > 0);

}

TEST_CASE("a store of schema 2 gets attempt tokens on open - its records and their hashes unchanged", "[pg][unknown-commit]") {
  RISKOFF_PG_SERVER(server);
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  for (const int from : {1, 2}) {
    INFO("from schema " << from);
    const std::string uri = server->create_database();
    std::ostringstream chain_before;
    {
      const auto old = open_store(uri, from);
      REQUIRE(old->schema_version() == from);
      for (int k = 0; k < 3; ++k) REQUIRE(old->record(input.input) == k + 1);
      CHECK(count_of(uri, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'attempt_token'") == 0);
      audit::write_chain(*old, chain_before);
    }
    const auto store = audit::AuditStore::open(uri, OpenMode::kExisting);
    CHECK(store->schema_version() == audit::AuditStore::kSchemaVersion);
    CHECK(count_of(uri, "SELECT count(*) FROM decisions WHERE attempt_token IS NULL") == 3);
    // The token is not part of a record: the exported chain (every field, every hash) is the same bytes.
    std::ostringstream chain_after;
    audit::write_chain(*store, chain_after);
    CHECK(chain_after.str() == chain_before.str());
    CHECK(store->verify().ok());
    CHECK(store->record(input.input) == 4);
    CHECK(count_of(uri, "SELECT count(*) FROM decisions WHERE attempt_token IS NOT NULL") == 1);
    CHECK(store->verify().ok());
    // Opened again: the migration is not applied twice.
    CHECK(audit::AuditStore::open(uri, OpenMode::kExisting)->schema_version() == audit::AuditStore::kSchemaVersion);
  }
}

TEST_CASE("an unknown commit on a store opened at schema 2 is an error, never a guess", "[pg][unknown-commit]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto store = open_store(uri, 2);
  lose_every_commit_reply(*store);
  const std::string message = audit_error_of([&] { store->record(input.input); });
  CHECK(message.find("keeps no attempt tokens") != std::string::npos);
  CHECK(count_of(uri, "SELECT count(*) FROM decisions") == 1);
}

// publish() after a commit of unknown outcome: the token in its row (schema 4) tells its own
// publication from an earlier one, so `ruleset publish` never says "already published" for the
// version it has just published itself.
TEST_CASE("a publication whose reply was lost is this call's - published, one row", "[pg][unknown-commit][publish]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto store = open_store(uri);
  int commits = 0;
  pg_of(*store).set_commit_hook([&](Stage stage, pqxx::work& work) {
    if (stage != Stage::kAfterCommit || ++commits > 1) return;
    work.conn().disconnect();
    throw pqxx::in_doubt_error("connection lost while committing");
  });
  std::string existing;
  CHECK(store->publish(input.text, existing) == audit::PublishOutcome::kPublished);
  CHECK(commits == 1);  // the retry found its own row: it did not commit again
  CHECK(count_of(uri, "SELECT count(*) FROM published") == 1);
  CHECK(count_of(uri, "SELECT count(*) FROM published WHERE attempt_token IS NOT NULL") == 1);
  // Another call is another publication: this one was made before it.
  CHECK(store->publish(input.text, existing) == audit::PublishOutcome::kAlreadyPublished);
  CHECK(existing == input.text.hash);
  CHECK(store->verify().ok());
}

TEST_CASE("a publication the server never committed is made by the retry", "[pg][unknown-commit][publish]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto store = open_store(uri);
  int attempts = 0;
  pg_of(*store).set_commit_hook([&](Stage stage, pqxx::work& work) {
    if (stage != Stage::kBeforeCommit || ++attempts > 1) return;
    terminate_backend(uri, work.conn().backendpid());
  });
  std::string existing;
  const audit::PublishOutcome outcome = publish_past_ended_session(*store, input.text, existing);
  CHECK(outcome == audit::PublishOutcome::kPublished);
  CHECK(attempts == 2);
  CHECK(count_of(uri, "SELECT count(*) FROM published") == 1);
}

TEST_CASE("an unknown publication commit on a store opened at schema 3 is an error, never a guess", "[pg][unknown-commit][publish]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto store = open_store(uri, 3);
  lose_every_commit_reply(*store);
  std::string existing;
  const std::string message = audit_error_of([&] { store->publish(input.text, existing); });
  CHECK(message.find("keeps no publication tokens") != std::string::npos);
  CHECK(count_of(uri, "SELECT count(*) FROM published") == 1);
}

TEST_CASE("another's publication made while this call's commit was in doubt is already published",
          "[pg][unknown-commit][publish]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto store = open_store(uri);
  audit::PublishOutcome other = audit::PublishOutcome::kConflict;
  int attempts = 0;
  pg_of(*store).set_commit_hook([&](Stage stage, pqxx::work& work) {
    if (stage != Stage::kBeforeCommit || ++attempts > 1) return;
    // This attempt's session ends uncommitted (its lock released), and another process publishes
    // the same version before the retry: the row the retry finds is not this call's.
    terminate_backend(uri, work.conn().backendpid());
    std::string ignored;
    other = open_store(uri)->publish(input.text, ignored);
  });
  std::string existing;
  const audit::PublishOutcome outcome = publish_past_ended_session(*store, input.text, existing);
  CHECK(other == audit::PublishOutcome::kPublished);
  CHECK(outcome == audit::PublishOutcome::kAlreadyPublished);
  CHECK(existing == input.text.hash);
  CHECK(attempts == 1);  // the retry found the other's row before committing anything
  CHECK(count_of(uri, "SELECT count(*) FROM published") == 1);
}

TEST_CASE("a store of schema 3 gets publication tokens on open and loses the record_hash index", "[pg][unknown-commit][publish]") {
  RISKOFF_PG_SERVER(server);
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const std::string index = "SELECT count(*) FROM pg_indexes WHERE indexname = 'decisions_record_hash'";
  const std::string uri = server->create_database();
  std::string existing;
  {
    const auto old = open_store(uri, 3);
    REQUIRE(old->schema_version() == 3);
    REQUIRE(old->record(input.input) == 1);
    REQUIRE(old->publish(input.text, existing) == audit::PublishOutcome::kPublished);
    CHECK(count_of(uri, index) == 1);
  }
  {
    // Read-only: nothing is migrated (dropping the index is a write).
    const auto reader = audit::AuditStore::open(uri, OpenMode::kReadOnly);
    CHECK(reader->schema_version() == 3);
    CHECK(reader->verify().ok());
    CHECK(count_of(uri, index) == 1);
  }
  const auto store = audit::AuditStore::open(uri, OpenMode::kExisting);
  CHECK(store->schema_version() == audit::AuditStore::kSchemaVersion);
  CHECK(count_of(uri, index) == 0);
  CHECK(count_of(uri, "SELECT count(*) FROM published WHERE attempt_token IS NULL") == 1);
  // The version published before has no token: it is an earlier publication, whatever this call's.
  CHECK(store->publish(input.text, existing) == audit::PublishOutcome::kAlreadyPublished);
  CHECK(store->record(input.input) == 2);
  CHECK(store->verify().ok());
  // A new store never has the index either (created by migration 2, dropped by 4 in the same transaction).
  const std::string fresh = server->create_database();
  CHECK(open_store(fresh)->schema_version() == audit::AuditStore::kSchemaVersion);
  CHECK(count_of(fresh, index) == 0);
}
