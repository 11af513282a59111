// Hostile `riskoff audit import` (the class "audit import" of tests/hostile/README.md; here
// because each case needs a fresh store): chain files edited, reordered, duplicated, truncated,
// with a malformed hash, an oversized line, a foreign genesis, and a store already holding
// another chain. Each is refused by the shipped binary with exit 1 and a message naming the line
// and what was expected, and nothing is written: the destination keeps exactly what it held.
// Run against SQLite and against a real PostgreSQL server.
#include <functional>
#include <sstream>

#include "audit/chain.hpp"
#include "audit/transfer.hpp"
#include "pg_support.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

using namespace riskoff;
using riskoff::test::run_process;

namespace {

struct Exported {
  std::vector<std::string> lines;  // without their newlines
  std::string text() const {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
  }
  // The index of record `id`'s line; its line number is index + 1.
  std::size_t record(std::int64_t id) const {
    const std::string start = "{\"record\":{\"id\":" + std::to_string(id) + ",";
    for (std::size_t k = 0; k < lines.size(); ++k) {
      if (lines[k].rfind(start, 0) == 0) return k;
    }
    FAIL("no line for record " << id);
    return 0;
  }
};

// `count` decisions recorded into a new SQLite store from `snapshot`, exported as a chain.
Exported export_of(const riskoff::testing::ScratchFolder& scratch, const std::string& name, const std::string& snapshot,
                   int count) {
  const auto input = riskoff::testing::decision_input(snapshot, "swing");
  const auto store = audit::AuditStore::open((scratch.root / name).string(), OpenMode::kCreate);
  for (int k = 0; k < count; ++k) store->record(input.input);
  std::ostringstream out;
  REQUIRE(audit::write_chain(*store, out) == count);
  Exported exported;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) exported.lines.push_back(line);
  return exported;
}

// Replaces the value of "key" (a string) in `line`.
void set_field(std::string& line, const std::string& key, const std::string& value) {
  const std::string start = "\"" + key + "\":\"";
  const auto at = line.find(start);
  REQUIRE(at != std::string::npos);
  const auto end = line.find('"', at + start.size());
  line.replace(at + start.size(), end - at - start.size(), value);
}

std::string field(const std::string& line, const std::string& key) {
  const std::string start = "\"" + key + "\":\"";
  const auto at = line.find(start) + start.size();
  return line.substr(at, line.find('"', at) - at);
}

struct HostileCase {
  const char* name;
  std::function<std::string(Exported)> file;  // the chain file's text
  std::function<std::string(const std::string&)> message;  // the expected stderr, given the file's path
};

std::vector<HostileCase> hostile_cases(const Exported& three) {
  const std::string prefix = "riskoff audit import: ";
  auto line_message = [prefix](std::size_t line, const std::string& what) {
    return [prefix, line, what](const std::string& path) {
      return prefix + path + " line " + std::to_string(line) + ": " + what + "; nothing imported\n";
    };
  };
  std::vector<HostileCase> cases;
  cases.push_back({"an edited record", [](Exported e) {
                     std::string& line = e.lines[e.record(3)];
                     set_field(line, "action", field(line, "action") + "x");
                     return e.text();
                   },
                   line_message(three.record(3) + 1, "record 3 not imported: its hash does not match its content (edited after export?)")});
  cases.push_back({"a reordered line", [](Exported e) {
                     std::swap(e.lines[e.record(2)], e.lines[e.record(3)]);
                     return e.text();
                   },
                   line_message(three.record(2) + 1, "record 3 where record 2 was expected: a record moved, missing or out of order")});
  cases.push_back({"a duplicated id", [](Exported e) {
                     e.lines.insert(e.lines.begin() + static_cast<long>(e.record(2)) + 1, e.lines[e.record(2)]);
                     return e.text();
                   },
                   line_message(three.record(2) + 2, "record 2 again (first on line " + std::to_string(three.record(2) + 1) +
                                                         "): a duplicated id")});
  cases.push_back({"a truncated last line", [](Exported e) {
                     const std::string text = e.text();
                     return text.substr(0, text.size() - 40);
                   },
                   line_message(three.lines.size(), "cut short (no newline at its end, as every exported line has): the file is truncated")});
  cases.push_back({"a hash of the wrong length", [](Exported e) {
                     std::string& line = e.lines[e.record(2)];
                     set_field(line, "record_hash", field(line, "record_hash").substr(1));
                     return e.text();
                   },
                   line_message(three.record(2) + 1, "expected \"record_hash\" as 64 lowercase hex digits (SHA-256), got 63 hex digits")});
  cases.push_back({"a line of 10 MB", [](Exported e) {
                     e.lines.insert(e.lines.begin() + 1, "{\"snapshot\":{\"hash\":\"" + std::string(64, 'a') + "\",\"json\":\"" +
                                                             std::string(10u << 20, 'x') + "\"}}");
                     return e.text();
                   },
                   line_message(2, "longer than 8 MiB (no export writes such a line)")});
  // Another store's chain whose record 1 chains onto something else than the genesis hash: its
  // hashes made consistent, so only the genesis gives it away.
  cases.push_back({"a foreign chain", [](Exported e) {
                     std::string& line = e.lines[e.record(1)];
                     const std::string foreign(64, 'f');
                     set_field(line, "prev_hash", foreign);
                     set_field(line, "record_hash", audit::chain_hash(foreign, field(line, "content_hash")));
                     e.lines.resize(e.record(1) + 1);
                     return e.text();
                   },
                   line_message(three.record(1) + 1, "record 1 does not start from the genesis hash (64 zeros) but from "
                                                     "ffffffffffff…: a foreign chain")});
  return cases;
}

// Runs every case against a fresh store from `new_store`, and the re-import into a store that
// holds another chain; each refused with exit 1, the store left as it was.
// The exports every case starts from: recorded once per test process (Catch runs a test case
// once per SECTION).
const Exported& three_records() {
  static const Exported three = [] {
    riskoff::testing::ScratchFolder scratch("import-hostile-source");
    return export_of(scratch, "three.sqlite", "examples/snapshots/2026-02-04.json", 3);
  }();
  return three;
}

const Exported& another_chain() {
  static const Exported other = [] {
    riskoff::testing::ScratchFolder scratch("import-hostile-other");
    return export_of(scratch, "other.sqlite", "examples/snapshots/2020-03-16.json", 2);
  }();
  return other;
}

// Cases [from, to) of hostile_cases, each into a fresh store from `new_store`; with
// `reimport`, also the re-import into a store that holds another chain. Each refused with exit
// 1, the store left as it was.
void refuses_hostile_imports(const std::function<std::string()>& new_store, std::size_t from, std::size_t to,
                             bool reimport) {
  riskoff::testing::ScratchFolder scratch("import-hostile");
  const Exported& three = three_records();
  const auto cases = hostile_cases(three);
  for (std::size_t k = from; k < to && k < cases.size(); ++k) {
    const auto& hostile = cases[k];
    DYNAMIC_SECTION(hostile.name) {
      const std::string path = scratch.write("chain.jsonl", hostile.file(three));
      const std::string db = new_store();
      const auto refused = run_process(RISKOFF_BINARY, {"audit", "import", path, "--db", db});
      CHECK(refused.exit_code == 1);
      CHECK(refused.stderr_text == hostile.message(path));
      CHECK(refused.stdout_text.empty());
      // Nothing partially written: the records before the refused line are not in either.
      CHECK(audit::AuditStore::open(db, OpenMode::kReadOnly)->verify().records == 0);
    }
  }
  if (!reimport) return;
  SECTION("a re-import into a store that holds another chain") {
    const Exported& other = another_chain();
    const std::string db = new_store();
    const auto first = run_process(RISKOFF_BINARY, {"audit", "import", scratch.write("other.jsonl", other.text()), "--db", db});
    REQUIRE(first.exit_code == 0);
    const auto before = audit::AuditStore::open(db, OpenMode::kReadOnly)->verify();
    REQUIRE(before.records == 2);
    const std::string path = scratch.write("chain.jsonl", three.text());
    const auto refused = run_process(RISKOFF_BINARY, {"audit", "import", path, "--db", db});
    CHECK(refused.exit_code == 1);
    CHECK(refused.stderr_text.find(": record 1 differs from " + path + "'s (line " + std::to_string(three.record(1) + 1) +
                                   "): this store holds another chain; nothing imported\n") != std::string::npos);
    const auto after = audit::AuditStore::open(db, OpenMode::kReadOnly)->verify();
    CHECK(after.records == 2);
    CHECK(after.head_hash == before.head_hash);
  }
}

}  // namespace

TEST_CASE("audit import refuses hostile chain files into SQLite, writing nothing - edits and order", "[pg][transfer][hostile]") {
  riskoff::testing::ScratchFolder stores("import-hostile-stores");
  int made = 0;
  refuses_hostile_imports([&] { return (stores.root / ("dest" + std::to_string(++made) + ".sqlite")).string(); }, 0, 4, false);
}

TEST_CASE("audit import refuses hostile chain files into SQLite, writing nothing - malformed and foreign", "[pg][transfer][hostile]") {
  riskoff::testing::ScratchFolder stores("import-hostile-stores");
  int made = 0;
  refuses_hostile_imports([&] { return (stores.root / ("dest" + std::to_string(++made) + ".sqlite")).string(); }, 4, 7, true);
}

TEST_CASE("audit import refuses hostile chain files into PostgreSQL, writing nothing - edits and order", "[pg][transfer][hostile]") {
  RISKOFF_PG_SERVER(server);
  refuses_hostile_imports([&] { return server->create_database(); }, 0, 4, false);
}

TEST_CASE("audit import refuses hostile chain files into PostgreSQL, writing nothing - malformed and foreign", "[pg][transfer][hostile]") {
  RISKOFF_PG_SERVER(server);
  refuses_hostile_imports([&] { return server->create_database(); }, 4, 7, true);
}
