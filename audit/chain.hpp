// The hash chain, shared by both store backends (SQLite, PostgreSQL): what a record's hash
// covers, how records link, how a record read back is checked against its neighbours, and the
// walk `audit verify` makes over the whole chain. Keeping this in one place is what makes a
// record the same bytes, and a verification the same verdict, in either backend.
// Never installed, never included outside audit/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/store.hpp"

namespace riskoff::audit {

// Now, as the store writes times: "YYYY-MM-DDTHH:MM:SSZ".
std::string now_text();
// A decision id or the head's id as stored text: digits only, no sign, within int64
// (0 is the empty chain's head). nullopt for anything else.
std::optional<std::int64_t> parse_record_id(const std::string& text);
// NAME and VERSION from a canonical rule file's header line.
std::pair<std::string, std::string> header_of(const std::string& text);
// What a record's hash covers, and the chain link over it (docs/audit.md).
std::string content_hash(std::int64_t id, const DecisionRow& row, const std::string& trace, const std::string& text,
                         const std::string& markdown, const std::string& json);
// The same from the documents' sha256 (DecisionInput::Digests), hashed beforehand.
std::string content_hash_of_digests(std::int64_t id, const DecisionRow& row, const DecisionInput::Digests& digests);
std::string chain_hash(const std::string& prev, const std::string& content);
std::string overrides_json(const std::vector<std::string>& overrides);
std::vector<std::string> parse_overrides(const std::string& text);

// What a record's neighbours say about it, read in the same statement (or snapshot) as the record.
struct Links {
  std::optional<std::string> before;  // the record_hash of record id-1; nullopt: no such record
  std::optional<std::string> after;   // the prev_hash of record id+1; nullopt: no such record
  std::string head_id;                // the store's head, as stored
  std::string head_hash;
};
// Why `record` read back cannot be trusted, or empty (DecisionRow::tampered).
std::string problem_of(const DecisionRecord& record, const Links& links);

// The next id after the stored head, checked against the last record actually stored: a chain is
// never continued from a head that was edited or that lost its records. `where` names the store
// in messages. Throws AuditError(kDamaged).
std::int64_t next_record_id(const std::string& where, const std::string& head_text, const std::string& head_hash,
                            std::optional<std::pair<std::int64_t, std::string>> last);

// A decision ready to append: its row completed (id, time, hashes) over `input` and `prev_hash`.
DecisionRow chained_row(const DecisionInput& input, std::int64_t id, const std::string& prev_hash);

// A record exported from another store may be appended verbatim (`audit import`) only as the
// next link of this chain (id `next_id`, prev_hash `head_hash`), with hashes that verify over its
// content and a ruleset and snapshot that hash to the keys it names. Throws AuditError(kDamaged).
void check_verbatim(const std::string& where, const DecisionRecord& record, std::int64_t next_id,
                    const std::string& head_hash, const RulesetText& ruleset, const std::string& snapshot_json);

// A stored ruleset is intact when its files hash to its key and its stored name and version are
// those its root file's header declares (and those a listing or publication claims).
bool ruleset_intact(const std::string& hash, const std::vector<RulesetFile>& files, const std::string& stored_name,
                    const std::string& stored_version, const std::string& name, const std::string& version);

// The walk `audit verify` makes: every record in id order against its hash, its predecessor and
// its stored snapshot and ruleset, then the head. The backend reads; this judges.
class ChainCheck {
 public:
  explicit ChainCheck(VerifyReport& report) : report_(report) {}
  // The next record by id, its documents, and whether its snapshot and ruleset verify (asked once
  // per hash through the callbacks).
  template <typename SnapshotOk, typename RulesetOk>
  void step(const DecisionRecord& record, SnapshotOk&& snapshot_ok, RulesetOk&& ruleset_ok) {
    if (!walk(record)) return;
    if (auto [it, fresh] = snapshots_ok_.try_emplace(record.snapshot_hash, false); fresh) it->second = snapshot_ok();
    if (!snapshots_ok_[record.snapshot_hash]) {
      fail(record.id, where(record) + "its snapshot " + record.snapshot_hash.substr(0, 12) + " is missing or was edited");
    }
    if (auto [it, fresh] = rulesets_ok_.try_emplace(record.ruleset_hash, false); fresh) it->second = ruleset_ok();
    if (!rulesets_ok_[record.ruleset_hash]) {
      fail(record.id, where(record) + "its ruleset " + record.ruleset_hash.substr(0, 12) + " is missing or was edited");
    }
    done(record);
  }
  // A published NAME@VERSION whose ruleset no longer matches.
  void published_broken(const std::string& name, const std::string& version, const std::string& hash);
  // After the last record: the stored head must be that record.
  void finish(const std::string& head_id, const std::string& head_hash);

 private:
  static std::string where(const DecisionRecord& record) { return "record " + std::to_string(record.id) + ": "; }
  bool walk(const DecisionRecord& record);
  void done(const DecisionRecord& record);
  void fail(std::int64_t id, std::string problem);

  VerifyReport& report_;
  std::string prev_{AuditStore::kGenesisHash};
  std::int64_t last_id_ = 0;  // the last record walked; ids are checked positive before any arithmetic
  std::map<std::string, bool> snapshots_ok_;
  std::map<std::string, bool> rulesets_ok_;
};

// One decision as `audit export` writes it: a JSON object on one line.
std::string export_line(const DecisionRecord& record);

}  // namespace riskoff::audit
