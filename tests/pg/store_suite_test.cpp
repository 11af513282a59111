// The audit store's behaviour, the same on both backends: one suite run on an SQLite file and on
// a PostgreSQL database (a real server, tests/support/pg_server.hpp). Then what only PostgreSQL
// needs: a tampered row found, the connection URI kept secret, migrations applied once.
#include <pqxx/pqxx>

#include <sstream>

#include "pg_support.hpp"
#include "audit/pg_store.hpp"
#include "tests/support/files.hpp"

using namespace riskoff;
using riskoff::testing::decision_input;

namespace {

template <typename Work>
std::string error_of(Work&& work) {
  try {
    work();
  } catch (const audit::AuditError& e) {
    return e.what();
  }
  return "no error";
}

// The suite: recording, reading back (list with each filter, get, ids), the stored documents,
// verify, export, the registry (publish once, conflicts, the highest version), read-only opens.
void store_suite(const std::string& location) {
  INFO(location);
  const auto a = decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto b = decision_input("examples/snapshots/2020-03-16.json", "short_term");
  {
    const auto store = audit::AuditStore::open(location, OpenMode::kCreate);
    // Version 3 (attempt tokens) is PostgreSQL's alone.
    CHECK(store->schema_version() == (audit::is_postgres_uri(location) ? audit::AuditStore::kSchemaVersion
                                                                       : audit::AuditStore::kSqliteSchemaVersion));
    CHECK(store->writable());
    for (int k = 0; k < 4; ++k) REQUIRE(store->record(k % 2 == 0 ? a.input : b.input) == k + 1);
  }
  const auto store = audit::AuditStore::open(location, OpenMode::kReadOnly);
  const auto all = store->list({});
  REQUIRE(all.size() == 4);
  for (const auto& row : all) CHECK(row.tampered.empty());
  CHECK(all[0].prev_hash == audit::AuditStore::kGenesisHash);
  CHECK(all[1].prev_hash == all[0].record_hash);
  CHECK(all[0].ruleset_name == a.text.name);
  CHECK(all[1].as_of == b.input.as_of);
  CHECK(store->list({.from = "", .to = "", .action = a.input.action, .ruleset = ""}).size() ==
        (a.input.action == b.input.action ? 4u : 2u));
  CHECK(store->list({.from = a.input.as_of, .to = a.input.as_of, .action = "", .ruleset = ""}).size() == 2);
  CHECK(store->list({.from = "", .to = "", .action = "", .ruleset = a.text.name}).size() == 4);
  CHECK(store->list({.from = "", .to = "", .action = "", .ruleset = a.text.hash.substr(0, 8)}).size() == 4);
  CHECK(store->list({.from = "", .to = "", .action = "", .ruleset = "nosuch"}).empty());
  const auto second = store->get(2);
  REQUIRE(second);
  CHECK(second->trace == b.input.trace);
  CHECK(second->explanation_markdown == b.input.explanation_markdown);
  CHECK_FALSE(store->get(5));
  CHECK_FALSE(store->get(0));
  CHECK(store->id_range() == std::pair<std::int64_t, std::int64_t>{1, 4});
  CHECK(store->snapshot_json(second->snapshot_hash) == b.input.snapshot_json);
  CHECK(store->ruleset_files(a.text.hash).size() == a.text.files.size());
  const auto report = store->verify();
  CHECK(report.ok());
  CHECK(report.records == 4);
  CHECK(report.head_id == 4);
  CHECK(report.head_hash == all[3].record_hash);
  std::ostringstream exported;
  CHECK(store->export_jsonl(exported) == 0);
  const std::string lines = exported.str();
  CHECK(std::count(lines.begin(), lines.end(), '\n') == 4);
  CHECK(error_of([&] { store->record(a.input); }).find("cannot be written") != std::string::npos);

  const auto registry = audit::AuditStore::open(location, OpenMode::kExisting);
  std::string existing;
  CHECK(registry->publish(a.text, existing) == audit::PublishOutcome::kPublished);
  CHECK(registry->publish(a.text, existing) == audit::PublishOutcome::kAlreadyPublished);
  CHECK(existing == a.text.hash);
  audit::RulesetText other = a.text;
  other.hash = std::string(64, 'f');
  CHECK(registry->publish(other, existing) == audit::PublishOutcome::kConflict);
  audit::RulesetText newer = a.text;
  newer.version = "10.0.0";
  newer.hash = std::string(64, 'e');
  newer.files[0].text = "ruleset " + newer.name + " version \"10.0.0\"\n";
  newer.hash = engine::closure_hash(newer.files);
  CHECK(registry->publish(newer, existing) == audit::PublishOutcome::kPublished);
  REQUIRE(registry->published().size() == 2);
  CHECK(registry->published()[1].version == "10.0.0");
  CHECK(registry->find_published(a.text.name, "")->version == "10.0.0");
  CHECK(registry->find_published(a.text.name, a.text.version)->hash == a.text.hash);
  CHECK_FALSE(registry->find_published("nosuch", ""));
  CHECK(registry->verify().ok());
}

}  // namespace

TEST_CASE("the store suite on SQLite", "[pg][suite]") {
  riskoff::testing::ScratchFolder scratch("pg-suite-sqlite");
  store_suite((scratch.root / "audit.sqlite").string());
}

TEST_CASE("the store suite on PostgreSQL - a tampered row is found - the URI stays secret", "[pg][suite]") {
  RISKOFF_PG_SERVER(server);
  SECTION("the suite") { store_suite(server->create_database()); }
  SECTION("a database without a store is not opened for reading, and is created only when asked") {
    const std::string uri = server->create_database();
    CHECK(error_of([&] { audit::AuditStore::open(uri, OpenMode::kExisting); }).find("no audit store in this database") !=
          std::string::npos);
    CHECK(audit::AuditStore::open(uri, OpenMode::kCreate)->schema_version() == audit::AuditStore::kSchemaVersion);
    // Opened again: migrations are not applied twice.
    CHECK(audit::AuditStore::open(uri, OpenMode::kExisting)->schema_version() == audit::AuditStore::kSchemaVersion);
  }
  SECTION("an old schema is migrated on open") {
    const std::string uri = server->create_database();
    CHECK(audit::AuditStore::open(uri, OpenMode::kCreate, 1)->schema_version() == 1);
    CHECK(audit::AuditStore::open(uri, OpenMode::kReadOnly)->schema_version() == 1);
    CHECK(audit::AuditStore::open(uri, OpenMode::kExisting)->schema_version() == audit::AuditStore::kSchemaVersion);
  }
  SECTION("verify finds a tampered row, and reading back flags it") {
    const std::string uri = server->create_database();
    const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
    const auto store = audit::AuditStore::open(uri, OpenMode::kCreate);
    for (int k = 0; k < 3; ++k) store->record(input.input);
    REQUIRE(store->verify().ok());
    {
      pqxx::connection raw(uri);
      pqxx::work work(raw);
      work.exec0("UPDATE decisions SET action = 'none' WHERE id = 2");
      work.commit();
    }
    const auto report = store->verify();
    CHECK_FALSE(report.ok());
    CHECK(report.first_bad == 2);
    REQUIRE_FALSE(report.problems.empty());
    CHECK(report.problems[0] == "record 2: content does not match its hash: edited after it was recorded");
    CHECK(store->get(2)->tampered == "record 2 was edited after it was written: its hash does not match");
    CHECK(store->get(1)->tampered.empty());
    // The chain is not continued from a head that does not match the last record.
    {
      pqxx::connection raw(uri);
      pqxx::work work(raw);
      work.exec0("DELETE FROM decisions WHERE id = 3");
      work.commit();
    }
    CHECK(error_of([&] { store->record(input.input); }).find("is not the last record") != std::string::npos);
    CHECK(store->verify().problems.back().find("the last records were deleted") != std::string::npos);
  }
  SECTION("the connection URI's password never appears in messages") {
    const std::string uri = "postgresql://riskoff:s3cret-pass@/nosuchdb?host=" + server->folder();
    const std::string message = error_of([&] { audit::AuditStore::open(uri, OpenMode::kCreate); });
    CHECK(message.find("s3cret-pass") == std::string::npos);
    CHECK(message.find("postgresql://riskoff:***@/nosuchdb") != std::string::npos);
    CHECK(message.find("cannot connect to PostgreSQL") != std::string::npos);
    const auto store = audit::AuditStore::open(server->uri() + "&password=s3cret-pass", OpenMode::kCreate);
    CHECK(store->path().find("s3cret-pass") == std::string::npos);
    CHECK(store->path().find("password=***") != std::string::npos);
  }
}

TEST_CASE("a PostgreSQL URI shown in messages has no password", "[pg]") {
  CHECK(audit::redact_dsn("postgresql://alice:pw@db.example:5432/audit") == "postgresql://alice:***@db.example:5432/audit");
  CHECK(audit::redact_dsn("postgres://alice@db/audit?password=pw&sslmode=require") ==
        "postgres://alice@db/audit?password=***&sslmode=require");
  CHECK(audit::redact_dsn("postgresql://a:b:c@h/d") == "postgresql://a:***@h/d");
  CHECK(audit::redact_dsn("postgresql:///audit?host=/tmp/x") == "postgresql:///audit?host=/tmp/x");
  CHECK(audit::scrub("postgresql://a:longsecret@h/d", "bad longsecret here") == "bad *** here");
  CHECK(audit::is_postgres_uri("postgres://h/d"));
  CHECK_FALSE(audit::is_postgres_uri("audit.sqlite"));
}
