// Nothing read from an audit store is trusted: every record read back is checked against its
// hash and its neighbours' links; ids and the head are validated before any arithmetic; an
// empty file is not taken for a new store; a new store appears whole; a store that cannot be
// written is read read-only.
#include <catch2/catch.hpp>
#include <atomic>
#include <filesystem>
#include <limits>
#include <sstream>
#include <thread>

#include "tests/support/files.hpp"
#include "adapters/history_store.hpp"
#include "audit/sqlite_store.hpp"
#include "audit/transfer.hpp"
#include "audit_support.hpp"

using namespace riskoff;
namespace fs = std::filesystem;
using Scratch = riskoff::testing::ScratchFolder;
using riskoff::testing::tamper;

namespace {

std::string store_with(const Scratch& scratch, int count) {
  const std::string path = (scratch.root / "audit.sqlite").string();
  const auto store = audit::AuditStore::open(path, OpenMode::kCreate);
  const auto a = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  const auto b = riskoff::testing::decision_input("examples/snapshots/2020-03-16.json", "short_term");
  for (int k = 0; k < count; ++k) REQUIRE(store->record(k % 2 == 0 ? a.input : b.input) == k + 1);
  return path;
}

std::string problems_of(const audit::VerifyReport& report) {
  std::string out;
  for (const auto& problem : report.problems) out += problem + "\n";
  return out;
}

// The message an AuditError carries, or "no error".
template <typename Work>
std::string error_of(Work&& work) {
  try {
    work();
  } catch (const audit::AuditError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("every record read back is checked: an edited one is flagged by list and get", "[audit][store][tamper]") {
  Scratch scratch("audit-records");
  const std::string path = store_with(scratch, 3);
  SECTION("an intact store: nothing flagged") {
    const auto store = audit::AuditStore::open(path, OpenMode::kReadOnly);
    for (const auto& row : store->list({})) CHECK(row.tampered.empty());
    CHECK(store->get(2)->tampered.empty());
  }
  SECTION("an edited action") {
    tamper(path, "UPDATE decisions SET action = 'wait' WHERE id = 1");
    const auto store = audit::AuditStore::open(path, OpenMode::kReadOnly);
    const auto rows = store->list({});
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].tampered == "record 1 was edited after it was written: its hash does not match");
    CHECK(rows[1].tampered.empty());
    CHECK(store->get(1)->tampered == rows[0].tampered);
  }
  SECTION("an edited explanation") {
    tamper(path, "UPDATE decisions SET explanation_text = 'all is well' WHERE id = 2");
    CHECK(audit::AuditStore::open(path, OpenMode::kReadOnly)->get(2)->tampered ==
          "record 2 was edited after it was written: its hash does not match");
  }
  SECTION("an edit with the record's own hashes recomputed still shows: its successor links elsewhere") {
    // What someone who knows the format does: change the action, recompute content_hash and
    // record_hash of that row alone. The next record's prev_hash still names the old hash.
    const auto store = audit::AuditStore::open(path, OpenMode::kExisting);
    auto record = *store->get(2);
    record.action = record.action == "wait" ? "hedge" : "wait";
    const std::string content = audit::content_hash(record.id, record, record.trace, record.explanation_text,
                                                    record.explanation_markdown, record.explanation_json);
    tamper(path, "UPDATE decisions SET action = '" + record.action + "', content_hash = '" + content +
                     "', record_hash = '" + audit::chain_hash(record.prev_hash, content) + "' WHERE id = 2");
    const auto edited = store->get(2);
    CHECK(edited->tampered.rfind("record 2 was edited after it was written: its hash does not match the chain", 0) == 0);
    CHECK_FALSE(store->get(3)->tampered.empty());  // it no longer follows record 2
  }
  SECTION("the last record deleted: the one before it no longer matches the head") {
    tamper(path, "DELETE FROM decisions WHERE id = 3");
    CHECK(audit::AuditStore::open(path, OpenMode::kReadOnly)->get(2)->tampered.find("not the store's head") !=
          std::string::npos);
  }
}

TEST_CASE("an export flags a tampered record instead of hiding it", "[audit][store][tamper]") {
  Scratch scratch("audit-export-flag");
  const std::string path = store_with(scratch, 2);
  tamper(path, "UPDATE decisions SET action = 'wait' WHERE id = 2");
  std::ostringstream out;
  CHECK(audit::AuditStore::open(path, OpenMode::kReadOnly)->export_jsonl(out) == 1);
  const std::string text = out.str();
  const auto second = text.find("{\"id\":2,");
  REQUIRE(second != std::string::npos);
  CHECK(text.find("\"tampered\":false") < second);
  CHECK(text.find("\"tampered\":true,\"problem\":\"record 2 was edited after it was written", second) != std::string::npos);
}

TEST_CASE("ids and the head are validated before any arithmetic on them", "[audit][store][ids]") {
  Scratch scratch("audit-ids");
  const auto input = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  SECTION("a negative head is refused, not continued as record -4") {
    const std::string path = store_with(scratch, 1);
    tamper(path, "UPDATE riskoff_store SET value = '-5' WHERE key = 'head_id'");
    const auto store = audit::AuditStore::open(path, OpenMode::kExisting);
    CHECK(error_of([&] { store->record(input.input); }).find("the chain head in riskoff_store (`-5`) is not a record id") !=
          std::string::npos);
    CHECK(store->list({}).size() == 1);
  }
  SECTION("a head that is not the last record is refused") {
    const std::string path = store_with(scratch, 2);
    tamper(path, "UPDATE riskoff_store SET value = '7' WHERE key = 'head_id'");
    const auto store = audit::AuditStore::open(path, OpenMode::kExisting);
    CHECK(error_of([&] { store->record(input.input); }).find("is not the last record (record 2)") != std::string::npos);
  }
  SECTION("records at INT64_MAX: record and verify do not overflow") {
    const std::string path = store_with(scratch, 1);
    const std::string top = std::to_string(std::numeric_limits<std::int64_t>::max());
    tamper(path, "UPDATE decisions SET id = " + top + "; UPDATE riskoff_store SET value = '" + top + "' WHERE key = 'head_id'");
    const auto store = audit::AuditStore::open(path, OpenMode::kExisting);
    CHECK(error_of([&] { store->record(input.input); }).find("no record id after " + top) != std::string::npos);
    const auto report = store->verify();
    CHECK_FALSE(report.ok());
    CHECK(problems_of(report).find("records 1.." + std::to_string(std::numeric_limits<std::int64_t>::max() - 1) +
                                   " were deleted") != std::string::npos);
  }
  SECTION("a record with a negative id is named, by verify and by the reader") {
    const std::string path = store_with(scratch, 2);
    tamper(path, "UPDATE decisions SET id = -5 WHERE id = 1");
    const auto store = audit::AuditStore::open(path, OpenMode::kExisting);
    const auto report = store->verify();
    CHECK(report.first_bad == -5);
    CHECK(problems_of(report).find("record -5: an id that is not positive") != std::string::npos);
    CHECK(store->get(-5)->tampered.find("record -5 has an id that is not positive") == 0);
  }
}

TEST_CASE("an existing empty file is not taken for a new store without kCreateInEmptyFile", "[audit][store]") {
  Scratch scratch("audit-empty");
  const std::string empty = scratch.write("empty.sqlite", "");
  CHECK(error_of([&] { audit::AuditStore::open(empty, OpenMode::kCreate); }) ==
        empty + ": empty file, not a riskoff audit store (truncated?); to start a new store in it, give --create");
  CHECK(fs::file_size(empty) == 0);
  const auto store = audit::AuditStore::open(empty, OpenMode::kCreateInEmptyFile);
  const auto input = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  CHECK(store->record(input.input) == 1);
  // A missing file is still created as before, folders included.
  const std::string fresh = (scratch.root / "new" / "audit.sqlite").string();
  CHECK(audit::AuditStore::open(fresh, OpenMode::kCreate)->record(input.input) == 1);
  CHECK(fs::is_empty(scratch.root / "new") == false);
  for (const auto& entry : fs::directory_iterator(scratch.root / "new")) {
    CHECK(entry.path().filename().string().find(".new-") == std::string::npos);  // no leftovers
  }
}

TEST_CASE("threads creating the same new store at once share one chain", "[audit][store]") {
  Scratch scratch("audit-create-race");
  const std::string path = (scratch.root / "audit.sqlite").string();
  const auto input = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int k = 0; k < 4; ++k) {
    writers.emplace_back([&] {
      try {
        audit::AuditStore::open(path, OpenMode::kCreate)->record(input.input);
      } catch (const audit::AuditError&) {
        ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  CHECK(failures == 0);
  const auto report = audit::AuditStore::open(path, OpenMode::kReadOnly)->verify();
  INFO(problems_of(report));
  CHECK(report.ok());
  CHECK(report.records == 4);
}

TEST_CASE("a read-only open never writes: no migration, no fold, no record", "[audit][store]") {
  Scratch scratch("audit-read-only");
  const std::string path = store_with(scratch, 2);
  const auto wal_before = fs::file_size(path + "-wal");
  REQUIRE(wal_before > 0);
  const auto store = audit::AuditStore::open(path, OpenMode::kReadOnly);
  CHECK_FALSE(store->writable());
  const auto report = store->verify();
  CHECK(report.ok());
  CHECK(report.head_id == 2);
  CHECK(report.wal_bytes == wal_before);
  CHECK_FALSE(report.wal_folded);
  CHECK(fs::file_size(path + "-wal") == wal_before);
  const auto input = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  CHECK(error_of([&] { store->record(input.input); }).find("cannot be written") != std::string::npos);
  // Opened for writing, verify folds the WAL in and says so.
  const auto folded = audit::AuditStore::open(path, OpenMode::kExisting)->verify();
  CHECK(folded.wal_folded);
  CHECK(fs::file_size(path + "-wal") == 0);
}

TEST_CASE("a history store rejects a schema_version that is not a number and an audit store, naming the file",
          "[audit][store][history]") {
  Scratch scratch("history-lookalikes");
  const std::string history = (scratch.root / "history.sqlite").string();
  adapters::HistoryStore::open(history, OpenMode::kCreate);
  tamper(history, "UPDATE riskoff_store SET value = 'abc' WHERE key = 'schema_version'");
  auto message = [](const std::string& path) -> std::pair<adapters::StoreError::Kind, std::string> {
    try {
      adapters::HistoryStore::open(path, OpenMode::kReadOnly);
    } catch (const adapters::StoreError& e) {
      return {e.kind(), e.what()};
    }
    return {adapters::StoreError::Kind::kIo, "opened"};
  };
  const auto [kind, text] = message(history);
  CHECK(kind == adapters::StoreError::Kind::kStore);
  CHECK(text == history + ": riskoff_store `schema_version` is `abc`, not a number: the store was edited or is damaged");
  const std::string audit_store = store_with(scratch, 1);
  CHECK(message(audit_store).second == audit_store + ": a riskoff audit store, not a history store (see `riskoff audit`)");
  CHECK(message(audit_store).first == adapters::StoreError::Kind::kStore);
  const std::string empty = scratch.write("empty.sqlite", "");
  CHECK(message(empty).second == empty + ": empty file, not a riskoff history store (truncated?)");
  CHECK(fs::file_size(empty) == 0);
}

TEST_CASE("an import names a file that is not a chain export, whatever its first line holds", "[audit][store][transfer]") {
  // `riskoff audit import FILE` may be given any file: a text file, a JSON array, a header whose
  // `format` is not a string. Each is the one positioned message, never nlohmann's type_error
  // escaping (which ended the process in std::terminate).
  Scratch scratch("import-not-a-chain");
  const std::string path = (scratch.root / "audit.sqlite").string();
  const auto store = audit::AuditStore::open(path, OpenMode::kCreate);
  const std::string expected = "f.jsonl line 1: expected the header {\"format\":\"riskoff.audit-chain/1\"} "
                               "(write one with `riskoff audit export --format chain`); nothing imported";
  for (const std::string first : {"not json at all", "[1, 2]", R"({"format": 5})", R"({"format": null})", "\"text\"", ""}) {
    INFO("first line: " << first);
    std::istringstream in(first + "\n{\"record\":{}}\n");
    CHECK(error_of([&] { audit::read_chain(*store, in, "f.jsonl"); }) == expected);
  }
  // After the header, a line of another shape is named by its number.
  std::istringstream shapes("{\"format\":\"riskoff.audit-chain/1\"}\n[1]\n");
  CHECK(error_of([&] { audit::read_chain(*store, shapes, "f.jsonl"); }) == "f.jsonl line 2: expected one JSON object with one key; nothing imported");
  CHECK(store->verify().records == 0);
}
