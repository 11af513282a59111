// The public audit and registry API (riskoff/audit.hpp, riskoff/registry.hpp), linked as
// consumers link it. Tampering row by row is tests/unit/audit's; here the public calls, and one
// store whose bytes were edited behind SQLite's back.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "riskoff/audit.hpp"
#include "riskoff/registry.hpp"
#include "riskoff/riskoff.hpp"

namespace {

namespace fs = std::filesystem;
const std::string kRoot = RISKOFF_SOURCE_DIR;

// A fresh folder under the build tree, removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) : path(fs::path(RISKOFF_BINARY_DIR) / ("audit_api_" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

riskoff::Ruleset compiled(std::string_view text) {
  auto result = riskoff::Ruleset::compile(text, "small.rules");
  INFO((result.problems.empty() ? std::string() : result.problems.front().text));
  REQUIRE(result.ok());
  return *result.ruleset;
}

constexpr std::string_view kSmall = R"(ruleset small version "1.2.3"

input vix: series 1d index

param calm = 20

signal stressed "Volatility is high" = vix > calm

profile desk "Desk" {
  decide
    reduce when stressed
    wait otherwise
}
)";

// Records the shipped ruleset's decisions on two example days; returns the store's path.
std::string record_two(const TempDir& dir) {
  auto loaded = riskoff::Ruleset::load(kRoot + "/rulesets/riskoff.rules");
  REQUIRE(loaded.ok());
  auto log = riskoff::AuditLog::open(dir.file("audit.sqlite"), riskoff::OpenMode::kCreate);
  REQUIRE(log.ok());
  for (const char* day : {"2026-02-04", "2020-03-16"}) {
    auto snapshot = riskoff::Snapshot::load(kRoot + "/examples/snapshots/" + day + ".json");
    REQUIRE(snapshot.ok());
    auto decision = riskoff::decide(*loaded.ruleset, *snapshot.snapshot, {.profile = "swing", .overrides = {}});
    REQUIRE(decision.ok());
    auto id = log->record(*decision, snapshot.text);
    REQUIRE(id.ok());
  }
  return log->path();
}

}  // namespace

TEST_CASE("decisions are recorded, listed, read back and rechecked through the public API", "[api][audit]") {
  const TempDir dir("record");
  const std::string path = record_two(dir);
  auto log = riskoff::AuditLog::open(path);
  REQUIRE(log.ok());
  CHECK(log->schema_version() >= 2);

  auto all = log->list();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].id == 1);
  CHECK((*all)[0].as_of == "2026-02-04T21:00:00Z");
  CHECK((*all)[0].ruleset_name == "riskoff");
  CHECK((*all)[1].action == "hedge");
  auto march = log->list({.from = riskoff::parse_time("2020-03-01"), .to = riskoff::parse_time("2020-03-31")});
  REQUIRE(march.ok());
  REQUIRE(march->size() == 1);
  CHECK(march->front().id == 2);

  auto record = log->get(1);
  REQUIRE(record.ok());
  CHECK_FALSE(record->tampered);
  CHECK(record->profile == "swing");
  CHECK(record->explanation_json == read_file(kRoot + "/tests/golden/explain/2026-02-04.swing.json.stdout"));
  CHECK(record->engine_version == riskoff::library_version());

  auto missing = log->get(9);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == riskoff::ErrorKind::kStore);
  CHECK(missing.error().messages.front() == "no decision 9 in " + path + " (ids 1..2)");

  auto recheck = log->recheck(2);
  REQUIRE(recheck.ok());
  CHECK(recheck->ok());
  CHECK(recheck->same_action);
  CHECK(recheck->action == "hedge");
  CHECK(recheck->trace_differences.empty());
  CHECK(recheck->node_values > 0);

  auto verified = log->verify();
  REQUIRE(verified.ok());
  CHECK(verified->ok());
  CHECK(verified->records == 2);
  CHECK(verified->head_hash == (*all)[1].record_hash);
  auto anchored = log->verify((*all)[0].record_hash);
  REQUIRE(anchored.ok());
  CHECK(anchored->ok());
  auto unknown_head = log->verify(std::string(64, 'a'));
  REQUIRE(unknown_head.ok());
  CHECK_FALSE(unknown_head->ok());
  auto malformed_head = log->verify("abc");
  REQUIRE_FALSE(malformed_head.ok());
  CHECK(malformed_head.error().kind == riskoff::ErrorKind::kUsage);

  auto diff = log->diff(1, 2);
  REQUIRE(diff.ok());
  // Record 1 is the swing decision of 4 Feb 2026 (reduce), record 2 the March 2020 one (hedge).
  CHECK(diff->action.before == "reduce");
  CHECK(diff->action.after == "hedge");
  CHECK(diff->action.changed());
  CHECK(render(*diff).find("reduce") != std::string::npos);

  std::ostringstream exported;
  auto written = log->export_jsonl(exported);
  REQUIRE(written.ok());
  CHECK(*written == 2);
  CHECK(exported.str().rfind("{\"id\":1,", 0) == 0);
}

TEST_CASE("a decision without a trace is not recorded, and a missing store is an I/O error", "[api][audit]") {
  const TempDir dir("errors");
  const auto ruleset = compiled(kSmall);
  riskoff::Snapshot snapshot(*riskoff::parse_time("2026-02-04"));
  REQUIRE(snapshot.add_scalar("vix", riskoff::Unit::kIndex, snapshot.as_of(), 25).empty());
  auto decision = riskoff::decide(ruleset, snapshot, {.node_values = riskoff::NodeValues::kDrop});
  REQUIRE(decision.ok());
  auto log = riskoff::AuditLog::open(dir.file("audit.sqlite"), riskoff::OpenMode::kCreate);
  REQUIRE(log.ok());
  auto id = log->record(*decision, snapshot.to_json());
  REQUIRE_FALSE(id.ok());
  CHECK(id.error().kind == riskoff::ErrorKind::kUsage);

  auto absent = riskoff::AuditLog::open(dir.file("absent/audit.sqlite"));
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().kind == riskoff::ErrorKind::kIo);
  CHECK(absent.error().messages.front().find("absent/audit.sqlite") != std::string::npos);
}

TEST_CASE("a store whose bytes were edited no longer verifies", "[api][audit]") {
  const TempDir dir("tamper");
  const std::string path = record_two(dir);
  {
    auto log = riskoff::AuditLog::open(path);
    REQUIRE(log.ok());
    REQUIRE(log->verify()->ok());  // also folds the WAL into the file edited below
  }
  std::string bytes = read_file(path);
  const auto at = bytes.find("REDUCE");
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 6, "HEDGE!");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;

  auto log = riskoff::AuditLog::open(path);
  REQUIRE(log.ok());
  auto verified = log->verify();
  if (verified.ok()) {
    CHECK_FALSE(verified->ok());
    CHECK(verified->first_bad > 0);
  } else {
    CHECK(verified.error().kind == riskoff::ErrorKind::kStore);
  }
}

TEST_CASE("rulesets are published once per version, found, read back and diffed", "[api][registry]") {
  const TempDir dir("registry");
  auto registry = riskoff::RulesetRegistry::open(dir.file("audit.sqlite"), riskoff::OpenMode::kCreate);
  REQUIRE(registry.ok());
  const auto before = compiled(kSmall);
  auto published = registry->publish(before);
  REQUIRE(published.ok());
  CHECK(published->outcome == riskoff::PublishOutcome::kPublished);
  CHECK(registry->publish(before)->outcome == riskoff::PublishOutcome::kAlreadyPublished);

  // A threshold changed under the same version: a conflict; the diff implies a minor bump.
  std::string edited(kSmall);
  edited.replace(edited.find("= 20"), 4, "= 25");
  const auto after = compiled(edited);
  auto conflict = registry->publish(after);
  REQUIRE(conflict.ok());
  CHECK(conflict->outcome == riskoff::PublishOutcome::kConflict);
  CHECK(conflict->existing_hash == before.content_hash());

  auto all = registry->published();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  CHECK(all->front().name == "small");
  auto found = registry->find("small@1.2.3");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->hash == before.content_hash());
  CHECK_FALSE(registry->find("small@9.9.9")->has_value());
  // A version that is not SemVer 2.0.0 is a usage error, not an unpublished version (§9: no
  // leading zeros in numeric identifiers, no empty identifiers, only [0-9A-Za-z-]).
  for (const char* bad : {"small@1.2.3-alpha.01", "small@1.2.3-", "small@1.2.3-a..b", "small@1.2.3-a_b", "small@01.2.3", "small@1.2"}) {
    INFO(bad);
    const auto refused = registry->find(bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == riskoff::ErrorKind::kUsage);
  }
  CHECK_FALSE(registry->find("small@1.2.3-alpha.10")->has_value());  // valid, just not published

  auto files = registry->files(**found);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 1);
  CHECK(files->front().text == before.closure().front().text);
  auto reloaded = registry->load(**found);
  REQUIRE(reloaded.ok());
  CHECK(reloaded->content_hash() == before.content_hash());

  const auto diff = riskoff::diff_rulesets(*reloaded, after);
  REQUIRE(diff.changes.size() == 1);
  CHECK(diff.changes.front().section == "parameters");
  CHECK(diff.implied == riskoff::VersionBump::kMinor);
  CHECK(diff.declared == riskoff::VersionBump::kNone);
  CHECK(diff.declared_too_small());
  const std::string text = riskoff::render(diff, riskoff::ruleset_label("small@1.2.3", **found),
                                           riskoff::ruleset_label("edited.rules", after));
  CHECK(text.find("implied bump: minor") != std::string::npos);
  CHECK(text.find("warning: the declared bump is smaller than the changes imply") != std::string::npos);
  CHECK(riskoff::version_bump_name(riskoff::VersionBump::kMajor) == "major");
}

TEST_CASE("an edited record is refused by get, recheck and diff, and flagged by list and export", "[api][audit][tamper]") {
  const TempDir dir("edited");
  const std::string path = record_two(dir);
  {
    auto log = riskoff::AuditLog::open(path);
    REQUIRE(log.ok());
    REQUIRE(log->verify()->ok());  // folds the WAL into the file edited below
  }
  // Decision 2's text rendering (HEDGE on 2020-03-16), edited behind SQLite's back.
  std::string bytes = read_file(path);
  const auto at = bytes.find("HEDGE  \xc2\xb7  profile swing");
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 5, "WAIT!");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;

  auto log = riskoff::AuditLog::open(path, riskoff::OpenMode::kReadOnly);
  REQUIRE(log.ok());
  const std::string edited = path + ": record 2 was edited after it was written: its hash does not match";
  auto record = log->get(2);
  REQUIRE_FALSE(record.ok());
  CHECK(record.error().kind == riskoff::ErrorKind::kStore);
  CHECK(record.error().messages.front() == edited);
  auto recheck = log->recheck(2);
  REQUIRE_FALSE(recheck.ok());
  CHECK(recheck.error().messages.front() == edited);
  auto diff = log->diff(1, 2);
  REQUIRE_FALSE(diff.ok());
  CHECK(diff.error().messages.front() == edited);
  CHECK(log->get(1).ok());

  auto all = log->list();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK_FALSE((*all)[0].tampered);
  CHECK((*all)[1].tampered);
  CHECK((*all)[1].problem == "record 2 was edited after it was written: its hash does not match");
  std::ostringstream exported;
  REQUIRE(log->export_jsonl(exported).ok());
  CHECK(exported.str().find("\"tampered\":true,\"problem\":\"record 2 was edited") != std::string::npos);
}

TEST_CASE("open modes: an existing empty file needs kCreateInEmptyFile; kReadOnly never writes", "[api][audit]") {
  const TempDir dir("modes");
  std::ofstream(dir.file("empty.sqlite")).close();
  auto refused = riskoff::AuditLog::open(dir.file("empty.sqlite"), riskoff::OpenMode::kCreate);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == riskoff::ErrorKind::kStore);
  CHECK(refused.error().messages.front().find("empty file, not a riskoff audit store") != std::string::npos);
  CHECK(fs::file_size(dir.file("empty.sqlite")) == 0);
  CHECK(riskoff::AuditLog::open(dir.file("empty.sqlite"), riskoff::OpenMode::kCreateInEmptyFile).ok());

  const std::string path = record_two(dir);
  auto reader = riskoff::AuditLog::open(path, riskoff::OpenMode::kReadOnly);
  REQUIRE(reader.ok());
  const auto ruleset = compiled(kSmall);
  riskoff::Snapshot snapshot(*riskoff::parse_time("2026-02-04"));
  REQUIRE(snapshot.add_scalar("vix", riskoff::Unit::kIndex, snapshot.as_of(), 25).empty());
  auto decision = riskoff::decide(ruleset, snapshot);
  REQUIRE(decision.ok());
  auto id = reader->record(*decision, snapshot.to_json());
  REQUIRE_FALSE(id.ok());
  CHECK(id.error().kind == riskoff::ErrorKind::kIo);
}

TEST_CASE("verify against an anchored head ID:HASH finds records lost since it was kept", "[api][audit]") {
  const TempDir dir("anchor");
  const std::string path = record_two(dir);
  auto log = riskoff::AuditLog::open(path);
  REQUIRE(log.ok());
  const auto verified = log->verify();
  REQUIRE(verified.ok());
  CHECK(verified->head_id == 2);
  const std::string head = "2:" + verified->head_hash;
  CHECK(log->verify(head)->ok());
  const auto ahead = log->verify("3:" + verified->head_hash);
  REQUIRE(ahead.ok());
  REQUIRE_FALSE(ahead->ok());
  CHECK(ahead->problems.back().find("is record 3, but the store ends at record 2: records 3..3 are missing") !=
        std::string::npos);
  const auto rewritten = log->verify("1:" + verified->head_hash);
  REQUIRE(rewritten.ok());
  CHECK(rewritten->problems.back().find("record 1 has another hash: the chain was rewritten") != std::string::npos);
  for (const char* malformed : {"0:", "-1:abc", "x:y"}) {
    const auto bad = log->verify(std::string(malformed) + verified->head_hash);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().kind == riskoff::ErrorKind::kUsage);
  }
}
