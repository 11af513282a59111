// Reading a long chain back from PostgreSQL in batches (PgStore::set_read_batch): verify, list,
// export and the chain export read a bounded number of rows per statement, and give exactly what
// one statement over the whole chain gives — across batch boundaries too, where a tampered record
// and its neighbour's link fall into different batches.
#include <pqxx/pqxx>
#include <sstream>

#include "audit/pg_store.hpp"
#include "audit/transfer.hpp"
#include "pg_support.hpp"

using namespace riskoff;

namespace {

constexpr int kRecords = 23;

std::unique_ptr<audit::AuditStore> open_batched(const std::string& uri, std::int64_t rows) {
  auto store = audit::AuditStore::open(uri, OpenMode::kExisting);
  auto* pg = dynamic_cast<audit::PgStore*>(store.get());
  REQUIRE(pg != nullptr);
  pg->set_read_batch(rows);
  return store;
}

std::int64_t batches_of(const audit::AuditStore& store) { return dynamic_cast<const audit::PgStore&>(store).batches_read(); }

struct Reading {
  audit::VerifyReport verified;
  std::vector<audit::DecisionRow> listed;
  std::string exported;
  std::string chain;
};

Reading read_all(const audit::AuditStore& store) {
  Reading out;
  out.verified = store.verify();
  out.listed = store.list({});
  std::ostringstream exported;
  store.export_jsonl(exported);
  out.exported = exported.str();
  std::ostringstream chain;
  audit::write_chain(store, chain);
  out.chain = chain.str();
  return out;
}

void same_reading(const Reading& batched, const Reading& whole) {
  CHECK(batched.verified.records == whole.verified.records);
  CHECK(batched.verified.head_hash == whole.verified.head_hash);
  CHECK(batched.verified.problems == whole.verified.problems);
  REQUIRE(batched.listed.size() == whole.listed.size());
  for (std::size_t k = 0; k < whole.listed.size(); ++k) {
    CHECK(batched.listed[k].id == whole.listed[k].id);
    CHECK(batched.listed[k].record_hash == whole.listed[k].record_hash);
    CHECK(batched.listed[k].tampered == whole.listed[k].tampered);
  }
  CHECK(batched.exported == whole.exported);
  CHECK(batched.chain == whole.chain);
}

}  // namespace

TEST_CASE("PostgreSQL reads a long chain in batches, the same as in one statement", "[pg][batch]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  {
    const auto input = riskoff::testing::decision_input("examples/snapshots/2026-02-04.json", "swing");
    const auto writer = audit::AuditStore::open(uri, OpenMode::kCreate);
    for (int k = 0; k < kRecords; ++k) writer->record(input.input);
  }
  const auto whole = open_batched(uri, 1000);
  const auto batched = open_batched(uri, 5);
  SECTION("an intact chain") {
    const Reading expected = read_all(*whole);
    REQUIRE(expected.verified.ok());
    REQUIRE(expected.verified.records == kRecords);
    REQUIRE(expected.listed.size() == kRecords);
    const Reading got = read_all(*batched);
    same_reading(got, expected);
    // 23 records in batches of 5: five statements (5, 5, 5, 5, 3) for each of verify, list,
    // export and the chain export.
    CHECK(batches_of(*batched) == 4 * 5);
    CHECK(batches_of(*whole) == 4 * 1);
  }
  SECTION("a record edited at a batch's end, its successor in the next batch") {
    {
      pqxx::connection raw(uri);
      pqxx::work work(raw);
      work.exec0("UPDATE decisions SET action = 'none', record_hash = repeat('0', 64) WHERE id = 10");
      work.commit();
    }
    const Reading expected = read_all(*whole);
    CHECK_FALSE(expected.verified.ok());
    CHECK(expected.verified.first_bad == 10);
    CHECK_FALSE(expected.listed[9].tampered.empty());
    CHECK_FALSE(expected.listed[10].tampered.empty());  // record 11's link no longer matches
    same_reading(read_all(*batched), expected);
  }
  SECTION("batches of one") {
    const auto single = open_batched(uri, 1);
    CHECK(single->verify().records == kRecords);
    // One statement per record, and one that finds no more.
    CHECK(batches_of(*single) == kRecords + 1);
  }
}
