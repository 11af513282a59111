// `riskoff audit export --format chain` and `riskoff audit import`, run as a user would (the
// shipped binary), moving a chain from SQLite to PostgreSQL and back: the records arrive with
// the same hashes (the same head), verified on arrival; a record edited in the export is refused.
#include <fstream>
#include <sstream>

#include "audit/transfer.hpp"
#include "pg_support.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

using namespace riskoff;
using riskoff::test::run_process;

namespace {

// Records a decision through `riskoff eval --record`; the head it prints ("head ID:HASH\n").
std::string record_into(const std::string& db, const std::string& snapshot) {
  const auto out = run_process(RISKOFF_BINARY, {"eval", "-r", "rulesets/riskoff.rules", "-s", snapshot, "--record", "--db", db});
  INFO(out.stderr_text);
  REQUIRE(out.exit_code == 0);
  return out.stderr_text.substr(out.stderr_text.find("head "));
}

}  // namespace

TEST_CASE("audit export and import move a chain from SQLite to PostgreSQL", "[pg][transfer]") {
  RISKOFF_PG_SERVER(server);
  riskoff::testing::ScratchFolder scratch("pg-transfer-in");
  const std::string sqlite = (scratch.root / "audit.sqlite").string();
  const std::string chain = (scratch.root / "chain.jsonl").string();
  record_into(sqlite, "examples/snapshots/2026-02-04.json");
  const std::string head = record_into(sqlite, "examples/snapshots/2020-03-16.json");
  REQUIRE(run_process(RISKOFF_BINARY, {"audit", "export", "--format", "chain", "--db", sqlite, "-o", chain}).exit_code == 0);
  const std::string pg = server->create_database();
  const auto imported = run_process(RISKOFF_BINARY, {"audit", "import", chain, "--db", pg});
  INFO(imported.stdout_text << imported.stderr_text);
  CHECK(imported.exit_code == 0);
  // The same records: the same head hash, verified on arrival.
  CHECK(imported.stdout_text == pg.substr(0, pg.find('?')) + "?host=" + server->folder() +
                                    "&user=riskoff: imported 2 records; 2 records, chain intact\n" + head);
  // Run again: nothing doubled.
  const auto again = run_process(RISKOFF_BINARY, {"audit", "import", chain, "--db", pg});
  CHECK(again.exit_code == 0);
  CHECK(again.stdout_text.find("imported 0 records (2 already there); 2 records, chain intact") != std::string::npos);
}

TEST_CASE("audit export and import move a chain from PostgreSQL to SQLite", "[pg][transfer]") {
  RISKOFF_PG_SERVER(server);
  riskoff::testing::ScratchFolder scratch("pg-transfer-out");
  const std::string pg = server->create_database();
  record_into(pg, "examples/snapshots/2026-02-04.json");
  const std::string head = record_into(pg, "examples/snapshots/2020-03-16.json");
  const std::string back = (scratch.root / "back.sqlite").string();
  // Piped, as one would between machines.
  const auto moved = run_process("/bin/bash", {"-c", std::string(RISKOFF_BINARY) + " audit export --format chain --db '" + pg +
                                                    "' | " + RISKOFF_BINARY + " audit import - --db " + back});
  INFO(moved.stdout_text << moved.stderr_text);
  CHECK(moved.exit_code == 0);
  CHECK(moved.stdout_text == back + ": imported 2 records; 2 records, chain intact\n" + head);
  // Decided again from the SQLite copy alone: the same decision.
  CHECK(run_process(RISKOFF_BINARY, {"audit", "recheck", "2", "--db", back}).exit_code == 0);
}

TEST_CASE("audit import refuses an edited record and a file that is not an export", "[pg][transfer]") {
  RISKOFF_PG_SERVER(server);
  riskoff::testing::ScratchFolder scratch("pg-transfer-bad");
  const auto input = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
  std::ostringstream exported;
  {
    const auto source = audit::AuditStore::open((scratch.root / "source.sqlite").string(), OpenMode::kCreate);
    for (int k = 0; k < 3; ++k) source->record(input.input);
    REQUIRE(audit::write_chain(*source, exported) == 3);
  }
  std::string text = exported.str();
  const auto at = text.find("\"action\":\"", text.find("{\"record\":{\"id\":2"));
  REQUIRE(at != std::string::npos);
  text.replace(at, 10, "\"action\":\"x");
  const std::string edited = scratch.write("edited.jsonl", text);
  const std::string pg = server->create_database();
  const auto refused = run_process(RISKOFF_BINARY, {"audit", "import", edited, "--db", pg});
  CHECK(refused.exit_code == 1);
  CHECK(refused.stderr_text.find(": record 2 not imported: its hash does not match its content (edited after export?); "
                                 "nothing imported\n") != std::string::npos);
  // Record 1 came before it, and is not written either: the file goes in whole or not at all.
  CHECK(audit::AuditStore::open(pg, OpenMode::kReadOnly)->verify().records == 0);
  const std::string junk = scratch.write("junk.jsonl", "{\"id\":1}\n");
  const auto bad = run_process(RISKOFF_BINARY, {"audit", "import", junk, "--db", pg});
  CHECK(bad.exit_code == 1);
  CHECK(bad.stderr_text == "riskoff audit import: " + junk + " line 1: expected the header {\"format\":\"riskoff.audit-chain/1\"} "
                           "(write one with `riskoff audit export --format chain`); nothing imported\n");
}
