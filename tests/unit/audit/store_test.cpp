// The audit store: records chain, verify names the first edited, deleted or reordered record,
// migrations run from every earlier schema, and files that are not audit stores are refused
// with a clear error (never a crash).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <limits>

#include "tests/support/files.hpp"
#include "adapters/history_store.hpp"
#include "audit_support.hpp"

using namespace riskoff;
namespace fs = std::filesystem;
using Scratch = riskoff::testing::ScratchFolder;
using riskoff::testing::tamper;

namespace {

// A store with `count` decisions alternating over the example snapshots.
std::string store_with(const Scratch& scratch, int count, int schema = audit::AuditStore::kSqliteSchemaVersion) {
  const std::string path = (scratch.root / "audit.sqlite").string();
  const auto store = audit::AuditStore::open(path, OpenMode::kCreate, schema);
  const auto a = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto b = riskoff::testing::decision_input("examples/snapshots/2020-03-16.json", "short_term");
  for (int k = 0; k < count; ++k) CHECK(store->record(k % 2 == 0 ? a.input : b.input) == k + 1);
  return path;
}

audit::VerifyReport verify(const std::string& path) { return audit::AuditStore::open(path, OpenMode::kExisting)->verify(); }

std::string all_problems(const audit::VerifyReport& report) {
  std::string out;
  for (const auto& problem : report.problems) out += problem + "\n";
  return out;
}

}  // namespace

TEST_CASE("records chain to their predecessors and the store verifies", "[audit][store]") {
  Scratch scratch("audit-chain");
  const std::string path = store_with(scratch, 3);
  const auto store = audit::AuditStore::open(path, OpenMode::kExisting);
  const auto report = store->verify();
  INFO(all_problems(report));
  CHECK(report.ok());
  CHECK(report.records == 3);
  const auto rows = store->list({});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].prev_hash == audit::AuditStore::kGenesisHash);
  CHECK(rows[1].prev_hash == rows[0].record_hash);
  CHECK(rows[2].prev_hash == rows[1].record_hash);
  CHECK(report.head_hash == rows[2].record_hash);
  CHECK(rows[0].ruleset_name == "riskoff");
  // Snapshots and rulesets are stored once per hash however many decisions use them.
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT count(*) FROM snapshots").getInt() == 2);
  CHECK(db.execAndGet("SELECT count(*) FROM rulesets").getInt() == 1);
  // Filters: by action (any case), by ruleset name@version, by as-of range.
  audit::ListFilter filter;
  filter.action = rows[0].action == "reduce" ? "REDUCE" : rows[0].action;
  CHECK(store->list(filter).size() == 2);
  filter = {};
  filter.ruleset = "riskoff@0.2.0";
  CHECK(store->list(filter).size() == 3);
  filter.ruleset = "riskoff@9.9.9";
  CHECK(store->list(filter).empty());
  filter = {};
  filter.from = "2026-01-01T00:00:00Z";
  CHECK(store->list(filter).size() == 2);
}

TEST_CASE("verify names the first edited, deleted or reordered record", "[audit][store][tamper]") {
  Scratch scratch("audit-tamper");
  SECTION("an edited action") {
    const std::string path = store_with(scratch, 4);
    tamper(path, "UPDATE decisions SET action = 'wait' WHERE id = 2");
    const auto report = verify(path);
    CHECK(report.first_bad == 2);
    CHECK(all_problems(report).find("record 2: content does not match its hash") != std::string::npos);
  }
  SECTION("an edited trace") {
    const std::string path = store_with(scratch, 4);
    tamper(path, "UPDATE decisions SET trace = replace(trace, '\"true\"', '\"false\"') WHERE id = 3");
    CHECK(verify(path).first_bad == 3);
  }
  SECTION("a record deleted in the middle") {
    const std::string path = store_with(scratch, 4);
    tamper(path, "DELETE FROM decisions WHERE id = 2");
    const auto report = verify(path);
    CHECK(report.first_bad == 3);
    CHECK(all_problems(report).find("records 2..2 were deleted") != std::string::npos);
  }
  SECTION("the last record deleted") {
    const std::string path = store_with(scratch, 4);
    tamper(path, "DELETE FROM decisions WHERE id = 4");
    const auto report = verify(path);
    CHECK_FALSE(report.ok());
    CHECK(all_problems(report).find("the last records were deleted") != std::string::npos);
  }
  SECTION("two records swapped") {
    const std::string path = store_with(scratch, 4);
    tamper(path, "UPDATE decisions SET id = -1 WHERE id = 2; UPDATE decisions SET id = 2 WHERE id = 3;"
                 " UPDATE decisions SET id = 3 WHERE id = -1");
    CHECK(verify(path).first_bad == 2);
  }
  SECTION("a stored snapshot edited") {
    const std::string path = store_with(scratch, 4);
    tamper(path, "UPDATE snapshots SET json = json || ' '");
    const auto report = verify(path);
    CHECK(report.first_bad == 1);
    CHECK(all_problems(report).find("snapshot") != std::string::npos);
  }
  SECTION("a stored ruleset edited") {
    const std::string path = store_with(scratch, 2);
    tamper(path, "UPDATE ruleset_files SET text = replace(text, '15bp', '25bp')");
    CHECK(all_problems(verify(path)).find("record 1: its ruleset") != std::string::npos);
  }
}

TEST_CASE("migrations run forward from every earlier schema version", "[audit][store][migration]") {
  for (int from = 1; from < audit::AuditStore::kSqliteSchemaVersion; ++from) {
    Scratch scratch("audit-migrate-" + std::to_string(from));
    const std::string path = store_with(scratch, 3, from);
    {
      SQLite::Database db(path, SQLite::OPEN_READONLY);
      CHECK(db.execAndGet("SELECT value FROM riskoff_store WHERE key = 'schema_version'").getString() == std::to_string(from));
      CHECK_FALSE(db.tableExists("published"));
    }
    const auto store = audit::AuditStore::open(path, OpenMode::kExisting);
    CHECK(store->schema_version() == audit::AuditStore::kSqliteSchemaVersion);
    const auto report = store->verify();
    INFO(all_problems(report));
    CHECK(report.ok());
    CHECK(report.records == 3);
    // What the new version added works on the migrated store, and the chain continues.
    const auto input = riskoff::testing::decision_input("examples/snapshots/2019-11-15.json", "long_term");
    std::string existing;
    CHECK(store->publish(input.text, existing) == audit::PublishOutcome::kPublished);
    CHECK(store->record(input.input) == 4);
    CHECK(store->verify().ok());
  }
}

TEST_CASE("files that are not audit stores are refused clearly", "[audit][store]") {
  Scratch scratch("audit-not-a-store");
  auto kind_of = [](const std::string& path, bool create) -> std::pair<audit::AuditError::Kind, std::string> {
    const OpenMode mode = create ? OpenMode::kCreate : OpenMode::kExisting;
    try {
      audit::AuditStore::open(path, mode)->verify();
    } catch (const audit::AuditError& e) {
      return {e.kind(), e.what()};
    }
    return {audit::AuditError::Kind::kIo, "opened"};
  };
  const auto text = kind_of(scratch.write("notes.txt", std::string(5000, 'x')), false);
  CHECK(text.first == audit::AuditError::Kind::kNotAStore);
  CHECK(text.second.find("not an SQLite database") != std::string::npos);
  const auto empty = kind_of(scratch.write("empty.sqlite", ""), false);
  CHECK(empty.first == audit::AuditError::Kind::kNotAStore);
  const auto missing = kind_of((scratch.root / "absent.sqlite").string(), false);
  CHECK(missing.first == audit::AuditError::Kind::kIo);
  CHECK(missing.second.find("no audit store here") != std::string::npos);

  const std::string history = (scratch.root / "history.sqlite").string();
  adapters::HistoryStore::open(history, OpenMode::kCreate);
  const auto other = kind_of(history, true);
  CHECK(other.first == audit::AuditError::Kind::kNotAStore);
  CHECK(other.second.find("not an audit store") != std::string::npos);

  const std::string foreign = (scratch.root / "foreign.sqlite").string();
  {
    SQLite::Database db(foreign, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x)");
  }
  CHECK(kind_of(foreign, true).second.find("no riskoff_store table") != std::string::npos);

  const std::string newer = store_with(scratch, 1);
  tamper(newer, "UPDATE riskoff_store SET value = '99' WHERE key = 'schema_version'");
  CHECK(kind_of(newer, false).first == audit::AuditError::Kind::kNewer);
}

TEST_CASE("a truncated store gives an error or a failed verification, never a crash", "[audit][store]") {
  Scratch scratch("audit-truncated");
  const std::string path = store_with(scratch, 6);
  {
    // Fold the WAL into the main file first, so truncating the file loses real pages.
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  const auto size = fs::file_size(path);
  for (const auto keep : {size / 2, size / 3, std::uintmax_t{4096}, std::uintmax_t{100}}) {
    const std::string copy = (scratch.root / ("cut-" + std::to_string(keep) + ".sqlite")).string();
    fs::copy_file(path, copy);
    fs::resize_file(copy, keep);
    INFO("kept " << keep << " of " << size << " bytes");
    try {
      const auto report = audit::AuditStore::open(copy, OpenMode::kExisting)->verify();
      CHECK_FALSE(report.ok());
    } catch (const audit::AuditError& e) {
      CHECK(std::string(e.what()).find(copy) == 0);
    }
  }
}

TEST_CASE("a published version never changes; the highest version is found by semver", "[audit][registry]") {
  Scratch scratch("audit-registry");
  const std::string path = (scratch.root / "audit.sqlite").string();
  const auto store = audit::AuditStore::open(path, OpenMode::kCreate);
  audit::RulesetText text;
  text.name = "r";
  text.version = "0.2.0";
  text.files = {{"r.rules", "ruleset r version \"0.2.0\"\n"}};
  text.hash = audit::closure_hash(text.files);
  std::string existing;
  CHECK(store->publish(text, existing) == audit::PublishOutcome::kPublished);
  CHECK(store->publish(text, existing) == audit::PublishOutcome::kAlreadyPublished);
  audit::RulesetText changed = text;
  changed.files[0].text += "# changed\n";
  changed.hash = audit::closure_hash(changed.files);
  CHECK(store->publish(changed, existing) == audit::PublishOutcome::kConflict);
  CHECK(existing == text.hash);
  for (const std::string version : {"0.10.0", "0.9.1", "0.10.0-rc1"}) {
    audit::RulesetText other = text;
    other.version = version;
    CHECK(store->publish(other, existing) == audit::PublishOutcome::kPublished);
  }
  CHECK(store->find_published("r", "")->version == "0.10.0");
  CHECK(store->find_published("r", "0.9.1")->version == "0.9.1");
  CHECK_FALSE(store->find_published("r", "1.0.0"));
}

TEST_CASE("the registry ranks pre-releases by SemVer: 1.0.0-rc.10 above 1.0.0-rc.2", "[audit][registry]") {
  // Failed before support/semver: pre-release suffixes compared as whole strings, so "rc.10"
  // ranked below "rc.2" and find_published picked rc.2 as the highest.
  Scratch scratch("audit-registry-pre");
  const auto store = audit::AuditStore::open((scratch.root / "audit.sqlite").string(), OpenMode::kCreate);
  std::string existing;
  for (const std::string version : {"1.0.0-rc.10", "1.0.0-rc.2", "1.0.0-beta.11", "1.0.0-alpha"}) {
    audit::RulesetText text;
    text.name = "r";
    text.version = version;
    text.files = {{"r.rules", "ruleset r version \"" + version + "\"\n"}};
    text.hash = audit::closure_hash(text.files);
    REQUIRE(store->publish(text, existing) == audit::PublishOutcome::kPublished);
  }
  CHECK(store->find_published("r", "")->version == "1.0.0-rc.10");
  std::vector<std::string> order;
  for (const auto& entry : store->published()) order.push_back(entry.version);
  CHECK(order == std::vector<std::string>{"1.0.0-alpha", "1.0.0-beta.11", "1.0.0-rc.2", "1.0.0-rc.10"});
}

TEST_CASE("the WAL is folded into the store as records accumulate and stays near 1 MiB", "[audit][store]") {
  // A small WAL is what keeps opening cheap (every process that opens the store re-reads it);
  // the size is asserted here, not the time. Records are committed without checkpoints and folded once the WAL passes 1 MiB; a read left
  // open inside record() once kept every checkpoint from truncating, and the WAL (re-read by
  // every process that opens the store) grew by each record's size forever.
  Scratch scratch("audit-wal");
  const std::string path = store_with(scratch, 80);
  std::error_code ec;
  const auto wal = fs::file_size(path + "-wal", ec);
  INFO("WAL " << wal << " bytes, store " << fs::file_size(path, ec) << " bytes after 80 records");
  CHECK(wal < (1u << 20) + (256u << 10));
  CHECK(fs::file_size(path, ec) > (1u << 20));  // the records live in the database file
  CHECK(verify(path).records == 80);
}

TEST_CASE("ids at INT64_MAX and INT64_MIN are refused or reported, never overflowed", "[audit][store][tamper]") {
  // Run under UBSan (the dev build): `head + 1` and `id + 1` on these were undefined behaviour.
  Scratch scratch("audit-int64");
  SECTION("a head at INT64_MAX: recording refuses, nothing is written") {
    const std::string path = store_with(scratch, 1);
    tamper(path, "UPDATE riskoff_store SET value = '9223372036854775807' WHERE key = 'head_id'");
    const auto store = audit::AuditStore::open(path, riskoff::OpenMode::kExisting);
    const auto next = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
    CHECK_THROWS_WITH(store->record(next.input), Catch::Contains("the chain head in riskoff_store (record 9223372036854775807)"));
    CHECK(store->list({}).size() == 1);
  }
  SECTION("a record moved to id INT64_MAX") {
    const std::string path = store_with(scratch, 2);
    tamper(path, "UPDATE decisions SET id = 9223372036854775807 WHERE id = 2");
    const auto report = verify(path);
    CHECK_FALSE(report.ok());
    CHECK(all_problems(report).find("records 2..9223372036854775806 were deleted") != std::string::npos);
  }
  SECTION("a record moved to id INT64_MIN") {
    const std::string path = store_with(scratch, 2);
    tamper(path, "UPDATE decisions SET id = -9223372036854775808 WHERE id = 1");
    const auto report = verify(path);
    CHECK(report.first_bad == std::numeric_limits<std::int64_t>::min());
    CHECK(all_problems(report).find("an id that is not positive (ids count from 1)") != std::string::npos);
  }
}
