// The chain on PostgreSQL under many writers: eight processes at once, writers killed (SIGKILL)
// in the middle of their transactions, and the server restarted under running writers. In every
// case the chain verifies, ids run 1..N without gaps, and every id a writer was told was recorded
// is there; with the restart, nothing is recorded twice.
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "pg_support.hpp"

using namespace riskoff;
using riskoff::testing::decision_input;
using riskoff::testing::finish_writer;
using riskoff::testing::read_acks;
using riskoff::testing::start_writer;
using riskoff::testing::Writer;

namespace {

std::string problems_of(const audit::VerifyReport& report) {
  std::string out;
  for (const auto& problem : report.problems) out += problem + "\n";
  return out;
}

// Every acknowledged id is distinct and in the verified chain 1..records.
void check_chain(const std::string& uri, const std::vector<std::int64_t>& acked, std::int64_t at_least) {
  const auto report = audit::AuditStore::open(uri, OpenMode::kReadOnly)->verify();
  INFO(problems_of(report));
  CHECK(report.ok());
  CHECK(report.records >= at_least);
  CHECK(report.head_id == report.records);
  const std::set<std::int64_t> distinct(acked.begin(), acked.end());
  CHECK(distinct.size() == acked.size());
  if (!acked.empty()) {
    CHECK(*distinct.begin() >= 1);
    CHECK(*distinct.rbegin() <= report.records);
  }
}

// Rounds first..first+9 of 30: two writers each, one killed at a moment that moves through the
// append (a little later each round, after an acknowledgement: inside the next transaction); the
// other finishes its five. Three tests of ten rounds keep each well under the time limit.
void kill_rounds(int first) {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  audit::AuditStore::open(uri, OpenMode::kCreate);
  std::vector<std::int64_t> acked;
  for (int round = first; round < first + 10; ++round) {
    Writer victim = start_writer(uri, input, 0);
    Writer survivor = start_writer(uri, input, 5);
    std::vector<std::int64_t> victim_acks;
    while (victim_acks.size() < 2 && read_acks(victim, victim_acks)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100 + 97 * round));
    ::kill(victim.pid, SIGKILL);
    CHECK(finish_writer(victim, victim_acks) == 128 + SIGKILL);
    CHECK(finish_writer(survivor, acked) == 0);
    acked.insert(acked.end(), victim_acks.begin(), victim_acks.end());
  }
  // A killed writer's transaction is rolled back and its lock released with its session: the
  // chain goes on, and nothing acknowledged is lost.
  check_chain(uri, acked, static_cast<std::int64_t>(acked.size()));
}

}  // namespace

TEST_CASE("8 processes x 200 records on PostgreSQL make one linear chain", "[pg][concurrency]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  audit::AuditStore::open(uri, OpenMode::kCreate);  // created once, before the race
  std::vector<Writer> writers;
  for (int k = 0; k < 8; ++k) writers.push_back(start_writer(uri, input, 200));
  std::vector<std::int64_t> acked;
  for (auto& writer : writers) CHECK(finish_writer(writer, acked) == 0);
  CHECK(acked.size() == 1600);
  check_chain(uri, acked, 1600);
  CHECK(audit::AuditStore::open(uri, OpenMode::kReadOnly)->id_range() == std::pair<std::int64_t, std::int64_t>{1, 1600});
}

TEST_CASE("writers SIGKILLed mid-transaction on PostgreSQL lose nothing acknowledged - rounds 0 to 9", "[pg][concurrency]") {
  kill_rounds(0);
}

TEST_CASE("writers SIGKILLed mid-transaction on PostgreSQL lose nothing acknowledged - rounds 10 to 19", "[pg][concurrency]") {
  kill_rounds(10);
}

TEST_CASE("writers SIGKILLed mid-transaction on PostgreSQL lose nothing acknowledged - rounds 20 to 29", "[pg][concurrency]") {
  kill_rounds(20);
}

TEST_CASE("the PostgreSQL server restarted under running writers - they reconnect and nothing is lost or doubled",
          "[pg][concurrency]") {
  RISKOFF_PG_SERVER(server);
  const std::string uri = server->create_database();
  const auto input = decision_input("examples/snapshots/2026-02-04.json", "swing");
  audit::AuditStore::open(uri, OpenMode::kCreate);
  std::vector<Writer> writers;
  for (int k = 0; k < 4; ++k) writers.push_back(start_writer(uri, input, 60));
  std::vector<std::int64_t> acked;
  // Restart once the writers are under way: a fast shutdown (transactions rolled back, sessions
  // ended), then an immediate one (as a crash: recovery from the WAL at start).
  for (const bool immediate : {false, true}) {
    const std::size_t until = acked.size() + 20;
    while (acked.size() < until && read_acks(writers[0], acked)) {
    }
    server->stop(immediate);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    server->start_again();
  }
  for (auto& writer : writers) CHECK(finish_writer(writer, acked) == 0);
  CHECK(acked.size() == 240);
  check_chain(uri, acked, 240);
  // Exactly: a writer whose commit's outcome was unknown found its record, and did not add it again.
  CHECK(audit::AuditStore::open(uri, OpenMode::kReadOnly)->verify().records == 240);
}
