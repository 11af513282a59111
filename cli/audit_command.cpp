// `riskoff audit list|show|recheck|verify|diff|export`: reading the decision log.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "adapters/snapshot_json.hpp"
#include "audit/decision_diff.hpp"
#include "audit/store.hpp"
#include "audit/trace.hpp"
#include "cli/commands.hpp"
#include "api/impl.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::cli {
namespace {

struct AuditOptions {
  std::string db;
  std::int64_t id = 0;
  std::int64_t second_id = 0;
  std::string from;
  std::string to;
  std::string action;
  std::string ruleset;
  std::string format = "text";
  std::string output;
  std::string head;
};

std::string store_path(const AuditOptions& options) {
  return options.db.empty() ? audit::default_store_path() : options.db;
}

// A store that cannot be opened is an I/O problem (2); one that is not an audit store, damaged or
// too new is a finding about the user's file (1).
int store_error(const char* command, const audit::AuditError& e) {
  std::cerr << "riskoff audit " << command << ": " << e.what() << '\n';
  return e.kind() == audit::AuditError::Kind::kIo ? kExitUsage : kExitProblems;
}

std::optional<audit::DecisionRecord> find_decision(const audit::AuditStore& store, std::int64_t id, const char* command) {
  auto record = store.get(id);
  if (!record) {
    const auto all = store.list({});
    std::cerr << "riskoff audit " << command << ": no decision " << id << " in " << store.path();
    if (all.empty()) {
      std::cerr << " (the store is empty)\n";
    } else {
      std::cerr << " (ids " << all.front().id << ".." << all.back().id << ")\n";
    }
  }
  return record;
}

int run_list(const AuditOptions& options) {
  audit::ListFilter filter;
  filter.action = options.action;
  filter.ruleset = options.ruleset;
  for (const auto& [text, target, end_of_day] :
       {std::tuple{options.from, &filter.from, false}, std::tuple{options.to, &filter.to, true}}) {
    if (text.empty()) continue;
    const auto parsed = engine::parse_timestamp(text);
    if (!parsed) {
      std::cerr << "riskoff audit list: `" << text << "` is not a UTC time such as 2026-02-04 or 2026-02-04T21:00:00Z\n";
      return kExitUsage;
    }
    // A bare date as --to means the whole day.
    *target = engine::format_timestamp(*parsed + (end_of_day && text.size() == 10 ? 86399 : 0));
  }
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    const auto rows = store->list(filter);
    std::cout << std::left << std::setw(6) << "id" << std::setw(22) << "as-of" << std::setw(12) << "profile"
              << std::setw(8) << "action" << std::setw(28) << "ruleset" << "recorded\n";
    for (const auto& row : rows) {
      const std::string ruleset = row.ruleset_name + "@" + row.ruleset_version + " " + row.ruleset_hash.substr(0, 8);
      std::cout << std::left << std::setw(6) << row.id << std::setw(22) << row.as_of << std::setw(12) << row.profile
                << std::setw(8) << row.action << std::setw(28) << ruleset << row.recorded_at << '\n';
    }
    std::cerr << rows.size() << (rows.size() == 1 ? " decision\n" : " decisions\n");
  } catch (const audit::AuditError& e) {
    return store_error("list", e);
  }
  return kExitOk;
}

int run_show(const AuditOptions& options) {
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    const auto record = find_decision(*store, options.id, "show");
    if (!record) return kExitProblems;
    // Exactly what `eval` printed when it was recorded (uncoloured).
    std::cout << (options.format == "json"       ? record->explanation_json
                  : options.format == "markdown" ? record->explanation_markdown
                                                 : record->explanation_text);
    if (!record->intact) {
      // Shown, since it is what the store holds, but never passed off as the record.
      std::cerr << "riskoff audit show: decision " << record->id
                << " does not match its hash: it was edited after it was recorded (`riskoff audit verify`)\n";
      return kExitProblems;
    }
  } catch (const audit::AuditError& e) {
    return store_error("show", e);
  }
  return kExitOk;
}

// Re-decides a recorded decision from the store alone (its ruleset closure, snapshot, profile
// and overrides) through the library's one decision entry point, and compares the trace and
// the explanation byte for byte. Everything it reads comes from the store, so whatever does not
// rebuild or decide is a finding about the store (exit 1), never a usage error.
int run_recheck(const AuditOptions& options) {
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    const auto record = find_decision(*store, options.id, "recheck");
    if (!record) return kExitProblems;
    const std::string where = "riskoff audit recheck: decision " + std::to_string(record->id) + ": ";
    const auto files = store->ruleset_files(record->ruleset_hash);
    if (audit::closure_hash(files) != record->ruleset_hash) {
      std::cerr << where << "its ruleset " << record->ruleset_hash.substr(0, 12)
                << " is missing or was edited in the store (`riskoff audit verify`)\n";
      return kExitProblems;
    }
    std::string error;
    const auto plan = audit::compile_stored(files, error);
    if (!plan) {
      std::cerr << where << error << '\n';
      return kExitProblems;
    }
    // The closure rebuilt from the stored files must be the one recorded, byte for byte.
    if (const auto rebuilt = audit::ruleset_text(plan->ruleset()); rebuilt.hash != record->ruleset_hash) {
      std::cerr << where << "the stored ruleset rebuilds to sha256 " << rebuilt.hash.substr(0, 12) << ", not "
                << record->ruleset_hash.substr(0, 12) << '\n';
      return kExitProblems;
    }
    const auto json = store->snapshot_json(record->snapshot_hash);
    if (!json) {
      std::cerr << where << "its snapshot " << record->snapshot_hash.substr(0, 12) << " is missing from the store\n";
      return kExitProblems;
    }
    const auto snapshot = Snapshot::from_json(*json, "stored snapshot " + record->snapshot_hash.substr(0, 12));
    if (!snapshot.ok()) {
      std::cerr << where << snapshot.errors.front() << '\n';
      return kExitProblems;
    }
    const auto decision = decide(ruleset_from_plan(plan), *snapshot.snapshot,
                                 {.profile = record->profile, .overrides = record->overrides, .renderings = {Format::kJson}});
    if (!decision) {
      std::cerr << where << decision.error().messages.front() << '\n';
      return kExitProblems;
    }
    const auto& evaluation = ApiAccess::of(*decision).evaluation;
    const std::string trace = audit::serialize_trace(*plan, evaluation, decision->action());
    const bool same_explanation = decision->render(Format::kJson) == record->explanation_json;
    std::cout << "decision " << record->id << ": " << record->profile << " as of " << record->as_of << ", ruleset "
              << record->ruleset_name << ' ' << record->ruleset_version << " (sha256 " << record->ruleset_hash.substr(0, 12)
              << "), snapshot " << record->snapshot_hash.substr(0, 12) << '\n';
    std::cout << "  recorded with riskoff " << record->engine_version << ", rechecked with riskoff " RISKOFF_VERSION "\n";
    const auto differences = audit::compare_traces(record->trace, trace, 40);
    if (differences.empty() && same_explanation) {
      std::cout << "  same decision: " << decision->action() << "; trace byte-identical (" << trace.size()
                << " bytes, " << evaluation.values.size() << " node values); explanation identical\n";
      return kExitOk;
    }
    std::cout << "  recorded " << record->action << ", rechecked " << decision->action()
              << (record->action == decision->action() ? " (same action)" : " (DIFFERENT action)") << '\n';
    if (differences.empty()) {
      std::cout << "  trace byte-identical, but the explanation differs (a change in the explanation builder)\n";
    } else {
      std::cout << "  trace differs:\n";
      for (const auto& line : differences) std::cout << "    " << line << '\n';
    }
    return kExitProblems;
  } catch (const audit::AuditError& e) {
    return store_error("recheck", e);
  }
}

int run_verify(const AuditOptions& options) {
  if (!options.head.empty() && (options.head.size() != 64 ||
                                options.head.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    std::cerr << "riskoff audit verify: --head `" << options.head
              << "` is not a record hash (64 lowercase hex digits, as verify prints it)\n";
    return kExitUsage;
  }
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    auto report = store->verify();
    if (!options.head.empty()) {
      // A head kept elsewhere must still be in the chain: a chain rewritten from before it, with
      // every hash recomputed, verifies on its own but has lost that record hash.
      const auto rows = store->list({});
      const bool found = std::any_of(rows.begin(), rows.end(), [&](const auto& row) { return row.record_hash == options.head; });
      if (!found) report.problems.push_back("the anchored head " + options.head + " is not in the chain: it was rewritten");
    }
    if (report.ok()) {
      std::cout << store->path() << ": " << report.records << (report.records == 1 ? " record" : " records")
                << ", chain intact (schema " << store->schema_version() << ")\nhead " << report.head_hash << '\n';
      return kExitOk;
    }
    for (const auto& problem : report.problems) std::cout << store->path() << ": " << problem << '\n';
    if (report.first_bad > 0) std::cout << "first bad record: " << report.first_bad << '\n';
    return kExitProblems;
  } catch (const audit::AuditError& e) {
    return store_error("verify", e);
  }
}

int run_diff(const AuditOptions& options) {
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    const auto first = find_decision(*store, options.id, "diff");
    if (!first) return kExitProblems;
    const auto second = find_decision(*store, options.second_id, "diff");
    if (!second) return kExitProblems;
    std::cout << audit::render_decision_diff(*store, *first, *second);
  } catch (const audit::AuditError& e) {
    return store_error("diff", e);
  }
  return kExitOk;
}

int run_export(const AuditOptions& options) {
  try {
    const auto store = audit::AuditStore::open(store_path(options), false);
    if (options.output.empty() || options.output == "-") {
      store->export_jsonl(std::cout);
      return kExitOk;
    }
    std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
    store->export_jsonl(out);
    if (!out) {
      std::cerr << "riskoff audit export: " << options.output << ": cannot write\n";
      return kExitUsage;
    }
  } catch (const audit::AuditError& e) {
    return store_error("export", e);
  }
  return kExitOk;
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AuditOptions>();
  auto* audit = app.add_subcommand("audit", "The decision log: what was decided, from which data, under which rules");
  audit->require_subcommand(1);
  audit->footer("Exit codes: 0 ok, 1 a finding (a bad record, a recheck that differs) or a file that is not a\n"
                "riskoff audit store, 2 usage or I/O error. See docs/audit.md.");
  const std::string db_help = "Audit store (default: $RISKOFF_DB, else $XDG_DATA_HOME/riskoff/audit.sqlite)";
  auto add_db = [&](CLI::App* command) { command->add_option("--db", options->db, db_help); };

  auto* list = audit->add_subcommand("list", "List recorded decisions, oldest first");
  list->footer("Example:\n  riskoff audit list --from 2026-02-01 --to 2026-02-28 --action REDUCE --ruleset riskoff@0.1.0");
  add_db(list);
  list->add_option("--from", options->from, "As-of at or after (UTC date or time)");
  list->add_option("--to", options->to, "As-of at or before (a date means the whole day)");
  list->add_option("--action", options->action, "Only this action (HEDGE, REDUCE, WAIT ...)");
  list->add_option("--ruleset", options->ruleset, "NAME, NAME@VERSION or a prefix of the ruleset's sha256");
  list->callback([options, &exit_code] { exit_code = run_list(*options); });

  auto* show = audit->add_subcommand("show", "Print a decision's explanation as it was when recorded");
  show->footer("Example:\n  riskoff audit show 12 --format markdown");
  add_db(show);
  show->add_option("id", options->id, "Decision id")->required();
  show->add_option("--format,-f", options->format, "Rendering")->check(CLI::IsMember({"text", "markdown", "json"}));
  show->callback([options, &exit_code] { exit_code = run_show(*options); });

  auto* recheck = audit->add_subcommand(
      "recheck", "Decide again from the stored ruleset and snapshot: same action, byte-identical trace?");
  // `audit replay` was this command's first name; kept for one release (`riskoff replay` is the backtest).
  recheck->alias("replay");
  recheck->footer("Example:\n  riskoff audit recheck 12\nExit code 1 when the new decision differs (the difference is printed).\n"
                  "`audit replay` is the old spelling, kept until 0.3.");
  add_db(recheck);
  recheck->add_option("id", options->id, "Decision id")->required();
  recheck->callback([options, &exit_code] { exit_code = run_recheck(*options); });

  auto* verify = audit->add_subcommand("verify", "Check the hash chain: any edit, deletion or reordering is named");
  verify->footer("Example:\n  riskoff audit verify --db audit.sqlite\nPrints the head hash: keep it elsewhere to anchor the chain.");
  add_db(verify);
  verify->add_option("--head", options->head, "A head hash printed by an earlier verify: it must still be in the chain");
  verify->callback([options, &exit_code] { exit_code = run_verify(*options); });

  auto* diff = audit->add_subcommand("diff", "What changed between two decisions: action, inputs, signals, groups");
  diff->footer("Example:\n  riskoff audit diff 11 12");
  add_db(diff);
  diff->add_option("first", options->id, "Earlier decision id")->required();
  diff->add_option("second", options->second_id, "Later decision id")->required();
  diff->callback([options, &exit_code] { exit_code = run_diff(*options); });

  auto* exported = audit->add_subcommand("export", "Every decision as JSON Lines (trace and explanation included)");
  exported->footer("Example:\n  riskoff audit export -o decisions.jsonl");
  add_db(exported);
  exported->add_option("--output,-o", options->output, "File to write (default: standard output)");
  exported->callback([options, &exit_code] { exit_code = run_export(*options); });
}

}  // namespace riskoff::cli
