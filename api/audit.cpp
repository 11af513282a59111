// AuditLog: the decision log behind the public API (riskoff/audit.hpp). Recording, reading,
// verifying and rechecking are library operations; `riskoff eval --record` and `riskoff audit`
// only print what these return.
#include <algorithm>
#include <charconv>
#include <optional>
#include <ostream>
#include <streambuf>

#include "api/audit_store.hpp"
#include "api/impl.hpp"
#include "audit/decision_diff.hpp"
#include "audit/ruleset_text.hpp"
#include "audit/trace.hpp"
#include "audit/transfer.hpp"

namespace riskoff {
namespace {

// The most trace differences a recheck reports: enough to see what moved, short enough to read.
constexpr std::size_t kTraceDifferenceLimit = 40;

DecisionEntry entry_of(const audit::DecisionRow& row) {
  return {row.id,           row.recorded_at,     row.as_of,         row.profile,
          row.action,       row.ruleset_name,    row.ruleset_version, row.ruleset_hash,
          row.snapshot_hash, row.overrides,      row.engine_version, row.record_hash,
          !row.tampered.empty(), row.tampered};
}

DecisionRecord record_of(const audit::DecisionRecord& stored) {
  DecisionRecord record;
  static_cast<DecisionEntry&>(record) = entry_of(stored);
  record.explanation_text = stored.explanation_text;
  record.explanation_markdown = stored.explanation_markdown;
  record.explanation_json = stored.explanation_json;
  record.trace = stored.trace;
  return record;
}

VerifyReport public_report(const audit::VerifyReport& checked) {
  return {checked.records,  checked.head_id,   checked.head_hash, checked.first_bad,
          checked.problems, checked.wal_bytes, checked.wal_folded};
}

bool is_record_hash(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The stored decision, checked (audit/records.cpp): the one way a decision is read back here.
// A tampered one is refused, never passed off as the record; one not there is named with the
// ids the store holds.
Result<audit::DecisionRecord> stored_decision(const audit::AuditStore& store, std::int64_t id) {
  auto record = store.get(id);
  if (record && !record->tampered.empty()) return Error(ErrorKind::kStore, store.path() + ": " + record->tampered);
  if (record) return std::move(*record);
  const auto [first, last] = store.id_range();
  std::string message = "no decision " + std::to_string(id) + " in " + store.path();
  message += last == 0 ? " (the store is empty)" : " (ids " + std::to_string(first) + ".." + std::to_string(last) + ")";
  return Error(ErrorKind::kStore, std::move(message));
}

// An anchored head as given to verify: "ID:HASH", or the HASH alone (id 0: any record).
struct AnchoredHead {
  std::int64_t id = 0;
  std::string hash;
};

std::optional<AnchoredHead> parse_anchored_head(std::string_view text) {
  AnchoredHead head;
  const auto colon = text.find(':');
  if (colon != std::string_view::npos) {
    const auto digits = text.substr(0, colon);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), head.id);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || head.id <= 0 ||
        digits.front() == '+') {
      return std::nullopt;
    }
    text.remove_prefix(colon + 1);
  }
  if (!is_record_hash(text)) return std::nullopt;
  head.hash = std::string(text);
  return head;
}

// The recorded ruleset closure compiled again, checked to be the one recorded byte for byte.
Result<Ruleset> stored_ruleset(const audit::AuditStore& store, const audit::DecisionRecord& record,
                               const std::string& where) {
  const auto files = store.ruleset_files(record.ruleset_hash);
  if (audit::closure_hash(files) != record.ruleset_hash) {
    return Error(ErrorKind::kStore, where + "its ruleset " + record.ruleset_hash.substr(0, 12) +
                                        " is missing or was edited in the store (`riskoff audit verify`)");
  }
  std::string error;
  auto plan = audit::compile_stored(files, error);
  if (!plan) return Error(ErrorKind::kStore, where + error);
  Ruleset ruleset = ruleset_from_plan(std::move(plan));
  if (ruleset.content_hash() != record.ruleset_hash) {
    return Error(ErrorKind::kStore, where + "the stored ruleset rebuilds to sha256 " +
                                        ruleset.content_hash().substr(0, 12) + ", not " +
                                        record.ruleset_hash.substr(0, 12));
  }
  return ruleset;
}

Result<Snapshot> stored_snapshot(const audit::AuditStore& store, const audit::DecisionRecord& record,
                                 const std::string& where) {
  const auto json = store.snapshot_json(record.snapshot_hash);
  if (!json) {
    return Error(ErrorKind::kStore,
                 where + "its snapshot " + record.snapshot_hash.substr(0, 12) + " is missing from the store");
  }
  auto snapshot = Snapshot::from_json(*json, "stored snapshot " + record.snapshot_hash.substr(0, 12));
  if (!snapshot.ok()) return Error(ErrorKind::kStore, where + snapshot.errors.front());
  return std::move(*snapshot.snapshot);
}

// The decision's trace (`riskoff.trace/1`), what a record keeps and a recheck compares.
std::string trace_of(const Decision& decision) {
  const Decision::Impl& made = ApiAccess::of(decision);
  return audit::serialize_trace(*made.ruleset->plan, made.evaluation, decision.action());
}

// Passes characters on to another stream buffer, counting the lines: export_jsonl's count.
class LineCounter : public std::streambuf {
 public:
  explicit LineCounter(std::streambuf* target) : target_(target) {}
  std::int64_t lines() const { return lines_; }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    if (traits_type::to_char_type(c) == '\n') ++lines_;
    return target_->sputc(traits_type::to_char_type(c));
  }
  std::streamsize xsputn(const char* text, std::streamsize count) override {
    lines_ += std::count(text, text + count, '\n');
    return target_->sputn(text, count);
  }
  int sync() override { return target_->pubsync(); }

 private:
  std::streambuf* target_;
  std::int64_t lines_ = 0;
};

}  // namespace

std::string default_audit_path() { return audit::default_store_path(); }

Result<AuditLog> AuditLog::open(const std::string& path, OpenMode mode) {
  auto store = open_store(path, mode);
  if (!store) return store.error();
  auto impl = std::make_unique<Impl>();
  impl->store = std::move(*store);
  return AuditLog(std::move(impl));
}

AuditLog::AuditLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AuditLog::AuditLog(AuditLog&& other) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&& other) noexcept = default;
AuditLog::~AuditLog() = default;

const std::string& AuditLog::path() const { return impl_->store->path(); }
int AuditLog::schema_version() const { return impl_->store->schema_version(); }

struct PreparedRecord::Impl {
  Decision decision;  // keeps the ruleset closure that input.ruleset points into alive
  audit::DecisionInput input;
};

PreparedRecord::PreparedRecord(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PreparedRecord::PreparedRecord(PreparedRecord&& other) noexcept = default;
PreparedRecord& PreparedRecord::operator=(PreparedRecord&& other) noexcept = default;
PreparedRecord::~PreparedRecord() = default;

Result<PreparedRecord> AuditLog::prepare(const Decision& decision, std::string_view snapshot_bytes) {
  if (!decision.has_trace()) {
    return Error(ErrorKind::kUsage, "a decision made with NodeValues::kDrop has no trace to record");
  }
  auto impl = std::make_unique<PreparedRecord::Impl>(PreparedRecord::Impl{decision, {}});
  const Decision::Impl& made = ApiAccess::of(decision);
  audit::DecisionInput& input = impl->input;
  input.as_of = decision.as_of();
  input.profile = decision.profile();
  input.action = decision.action();
  input.ruleset = &made.ruleset->closure;
  input.snapshot_json = std::string(snapshot_bytes);
  input.overrides = made.overrides;
  input.engine_version = RISKOFF_VERSION_STRING;
  input.trace = trace_of(decision);
  input.explanation_json = decision.render(Format::kJson);
  input.explanation_markdown = decision.render(Format::kMarkdown);
  input.explanation_text = decision.render(Format::kText);
  audit::digest_documents(input);
  return PreparedRecord(std::move(impl));
}

Result<std::vector<std::int64_t>> AuditLog::append(const std::vector<const PreparedRecord*>& records) {
  std::vector<const audit::DecisionInput*> inputs;
  inputs.reserve(records.size());
  for (const PreparedRecord* record : records) inputs.push_back(&record->impl_->input);
  return guarded([&]() -> Result<std::vector<std::int64_t>> { return impl_->store->record_batch(inputs); });
}

Result<std::monostate> AuditLog::make_commits_durable() {
  return guarded([&]() -> Result<std::monostate> {
    impl_->store->make_commits_durable();
    return std::monostate{};
  });
}

Result<std::monostate> AuditLog::make_commits_durable_on_sync() {
  return guarded([&]() -> Result<std::monostate> {
    impl_->store->make_commits_durable_on_sync();
    return std::monostate{};
  });
}

Result<std::monostate> AuditLog::sync_commits() const {
  return guarded([&]() -> Result<std::monostate> {
    impl_->store->sync_commits();
    return std::monostate{};
  });
}

Result<std::int64_t> AuditLog::record(const Decision& decision, std::string_view snapshot_bytes) {
  auto prepared = prepare(decision, snapshot_bytes);
  if (!prepared) return prepared.error();
  auto ids = append({&*prepared});
  if (!ids) return ids.error();
  return ids->front();
}

Result<std::vector<DecisionEntry>> AuditLog::list(const DecisionFilter& filter) const {
  audit::ListFilter query;
  query.action = filter.action;
  query.ruleset = filter.ruleset;
  // The store keeps instants as canonical text, which sorts as time does.
  if (filter.from) query.from = format_time(*filter.from);
  if (filter.to) query.to = format_time(*filter.to);
  return guarded([&]() -> Result<std::vector<DecisionEntry>> {
    // Every row checked by the store; tampered ones are flagged, not hidden.
    std::vector<DecisionEntry> entries;
    for (const auto& row : impl_->store->list(query)) entries.push_back(entry_of(row));
    return entries;
  });
}

Result<DecisionRecord> AuditLog::get(std::int64_t id) const {
  return guarded([&]() -> Result<DecisionRecord> {
    auto stored = stored_decision(*impl_->store, id);
    if (!stored) return stored.error();
    return record_of(*stored);
  });
}

// Everything it reads comes from the store, so whatever does not rebuild or decide is a
// finding about the store, never a usage error.
Result<RecheckReport> AuditLog::recheck(std::int64_t id) const {
  return guarded([&]() -> Result<RecheckReport> {
    const audit::AuditStore& store = *impl_->store;
    auto stored = stored_decision(store, id);
    if (!stored) return stored.error();
    const audit::DecisionRecord& recorded = *stored;
    const std::string where = "decision " + std::to_string(recorded.id) + ": ";
    auto ruleset = stored_ruleset(store, recorded, where);
    if (!ruleset) return ruleset.error();
    auto snapshot = stored_snapshot(store, recorded, where);
    if (!snapshot) return snapshot.error();
    // The library's one decision entry point, as when it was recorded.
    auto decision = decide(*ruleset, *snapshot,
                           {.profile = recorded.profile, .overrides = recorded.overrides, .renderings = {Format::kJson}});
    if (!decision) return Error(ErrorKind::kStore, where + decision.error().messages.front());

    RecheckReport report;
    report.recorded = entry_of(recorded);
    report.action = decision->action();
    report.same_action = report.action == recorded.action;
    const std::string trace = trace_of(*decision);
    report.trace_bytes = trace.size();
    report.node_values = ApiAccess::of(*decision).evaluation.values.size();
    report.trace_differences = audit::compare_traces(recorded.trace, trace, kTraceDifferenceLimit);
    report.trace_identical = report.trace_differences.empty();
    report.explanation_identical = decision->render(Format::kJson) == recorded.explanation_json;
    return report;
  });
}

Result<VerifyReport> AuditLog::verify(std::string_view anchored_head) const {
  std::optional<AnchoredHead> anchor;
  if (!anchored_head.empty()) {
    anchor = parse_anchored_head(anchored_head);
    if (!anchor) {
      return Error(ErrorKind::kUsage, "`" + std::string(anchored_head) +
                                          "` is not a head: ID:HASH, a positive id and 64 lowercase hex digits, as verify "
                                          "and eval --record print it");
    }
  }
  return guarded([&]() -> Result<VerifyReport> {
    VerifyReport report = public_report(impl_->store->verify());
    if (!anchor) return report;
    // The store alone cannot tell it lost its newest records (a copy without its -wal file)
    // or was rewritten, every hash recomputed, from before the anchor: both verify on their own.
    // The anchor, kept elsewhere, can.
    const std::string label = anchor->id > 0 ? std::to_string(anchor->id) + ":" + anchor->hash : anchor->hash;
    if (anchor->id > 0) {
      const auto [first, last] = impl_->store->id_range();
      if (anchor->id > last) {
        report.problems.push_back("the anchored head " + label + " is record " + std::to_string(anchor->id) +
                                  ", but the store ends at record " + std::to_string(last) + ": records " +
                                  std::to_string(last + 1) + ".." + std::to_string(anchor->id) +
                                  " are missing (a copy made without its -wal file, or the last records deleted)");
        return report;
      }
      const auto row = impl_->store->get(anchor->id);
      if (!row || row->record_hash != anchor->hash) {
        report.problems.push_back("the anchored head " + label + " is not in the chain: record " +
                                  std::to_string(anchor->id) +
                                  (row ? " has another hash: the chain was rewritten" : " is missing"));
      }
      return report;
    }
    const auto rows = impl_->store->list({});
    const bool found = std::any_of(rows.begin(), rows.end(), [&](const auto& row) { return row.record_hash == anchor->hash; });
    if (!found) {
      report.problems.push_back("the anchored head " + label +
                                " is not in the chain: records were lost (a copy without its -wal file) or rewritten");
    }
    return report;
  });
}

Result<RecordDiff> AuditLog::diff(std::int64_t first, std::int64_t second) const {
  return guarded([&]() -> Result<RecordDiff> {
    const auto before = stored_decision(*impl_->store, first);
    if (!before) return before.error();
    const auto after = stored_decision(*impl_->store, second);
    if (!after) return after.error();
    return audit::diff_decisions(*impl_->store, *before, *after);
  });
}

std::string render(const RecordDiff& diff) { return audit::render_record_diff(diff); }

Result<std::int64_t> AuditLog::export_jsonl(std::ostream& out) const {
  if (out.rdbuf() == nullptr) {
    out.setstate(std::ios::badbit);
    return std::int64_t{0};
  }
  return guarded([&]() -> Result<std::int64_t> {
    LineCounter counter(out.rdbuf());
    std::ostream counted(&counter);
    impl_->store->export_jsonl(counted);  // tampered records flagged in their lines
    counted.flush();
    if (!counted) out.setstate(std::ios::badbit);
    return counter.lines();
  });
}

Result<std::int64_t> AuditLog::export_chain(std::ostream& out) const {
  return guarded([&]() -> Result<std::int64_t> { return audit::write_chain(*impl_->store, out); });
}

Result<ImportReport> AuditLog::import_chain(std::istream& in, std::string_view source) {
  return guarded([&]() -> Result<ImportReport> {
    const auto imported = audit::read_chain(*impl_->store, in, std::string(source));
    return ImportReport{imported.imported, imported.present, public_report(imported.verified)};
  });
}

}  // namespace riskoff
