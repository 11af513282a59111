// `riskoff audit list|show|recheck|verify|diff|export|import`: reading the decision log, and moving
// it between stores.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <tuple>

#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "riskoff/audit.hpp"
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
  std::string export_format = "jsonl";
  std::string input;
};

// Reading commands never write (an archived store on read-only media lists and verifies);
// verify opens for writing when it can, to fold the WAL in.
Result<AuditLog> open_log(const AuditOptions& options, OpenMode mode = OpenMode::kReadOnly) {
  return AuditLog::open(options.db.empty() ? default_audit_path() : options.db, mode);
}

int run_list(const AuditOptions& options) {
  DecisionFilter filter;
  filter.action = options.action;
  filter.ruleset = options.ruleset;
  for (const auto& [text, target, end_of_day] :
       {std::tuple{options.from, &filter.from, false}, std::tuple{options.to, &filter.to, true}}) {
    if (text.empty()) continue;
    const auto parsed = parse_time(text);
    if (!parsed) {
      std::cerr << "riskoff audit list: `" << text << "` is not a UTC time such as 2026-02-04 or 2026-02-04T21:00:00Z\n";
      return kExitUsage;
    }
    // A bare date as --to means the whole day.
    *target = *parsed + (end_of_day && text.size() == 10 ? 86399 : 0);
  }
  const auto log = open_log(options);
  if (!log) return report_error("riskoff audit list", log.error());
  const auto rows = log->list(filter);
  if (!rows) return report_error("riskoff audit list", rows.error());
  std::cout << std::left << std::setw(6) << "id" << std::setw(22) << "as-of" << std::setw(12) << "profile"
            << std::setw(8) << "action" << std::setw(28) << "ruleset" << std::setw(22) << "recorded" << "check\n";
  std::size_t tampered = 0;
  for (const auto& row : *rows) {
    const std::string ruleset = row.ruleset_name + "@" + row.ruleset_version + " " + row.ruleset_hash.substr(0, 8);
    // A tampered record is listed, flagged: hiding it would hide the edit.
    std::cout << std::left << std::setw(5) << row.id << ' ' << std::setw(22) << row.as_of << std::setw(12) << row.profile
              << std::setw(8) << row.action << std::setw(28) << ruleset << std::setw(22) << row.recorded_at
              << (row.tampered ? "TAMPERED" : "ok") << '\n';
    if (row.tampered) {
      std::cerr << "riskoff audit list: " << row.problem << '\n';
      ++tampered;
    }
  }
  std::cerr << rows->size() << (rows->size() == 1 ? " decision" : " decisions");
  if (tampered > 0) std::cerr << ", " << tampered << " tampered (`riskoff audit verify` checks the whole chain)";
  std::cerr << '\n';
  return kExitOk;
}

int run_show(const AuditOptions& options) {
  const auto log = open_log(options);
  if (!log) return report_error("riskoff audit show", log.error());
  const auto record = log->get(options.id);
  if (!record) return report_error("riskoff audit show", record.error());
  // Exactly what `eval` printed when it was recorded (uncoloured); a tampered record was refused
  // by get(): what the store holds now is never passed off as the record (`audit export` shows it).
  std::cout << (options.format == "json"       ? record->explanation_json
                : options.format == "markdown" ? record->explanation_markdown
                                               : record->explanation_text);
  return kExitOk;
}

// The library decides again from the store alone (AuditLog::recheck); this prints its report.
int run_recheck(const AuditOptions& options) {
  const auto log = open_log(options);
  if (!log) return report_error("riskoff audit recheck", log.error());
  const auto rechecked = log->recheck(options.id);
  if (!rechecked) return report_error("riskoff audit recheck", rechecked.error());
  const DecisionEntry& recorded = rechecked->recorded;
  std::cout << "decision " << recorded.id << ": " << recorded.profile << " as of " << recorded.as_of << ", ruleset "
            << recorded.ruleset_name << ' ' << recorded.ruleset_version << " (sha256 " << recorded.ruleset_hash.substr(0, 12)
            << "), snapshot " << recorded.snapshot_hash.substr(0, 12) << '\n';
  std::cout << "  recorded with riskoff " << recorded.engine_version << ", rechecked with riskoff " << library_version()
            << '\n';
  if (rechecked->ok()) {
    std::cout << "  same decision: " << rechecked->action << "; trace byte-identical (" << rechecked->trace_bytes
              << " bytes, " << rechecked->node_values << " node values); explanation identical\n";
    return kExitOk;
  }
  std::cout << "  recorded " << recorded.action << ", rechecked " << rechecked->action
            << (rechecked->same_action ? " (same action)" : " (DIFFERENT action)") << '\n';
  if (rechecked->trace_identical) {
    std::cout << "  trace byte-identical, but the explanation differs (a change in the explanation builder)\n";
  } else {
    std::cout << "  trace differs:\n";
    for (const auto& line : rechecked->trace_differences) std::cout << "    " << line << '\n';
  }
  return kExitProblems;
}

int run_verify(const AuditOptions& options) {
  const auto log = open_log(options, OpenMode::kExisting);
  if (!log) return report_error("riskoff audit verify", log.error());
  // A malformed --expect-head is a usage error (the library says so before reading anything).
  const auto verified = log->verify(options.head);
  if (!verified) return report_error("riskoff audit verify", verified.error());
  if (verified->wal_bytes > 0) {
    // A copy of the main file alone would lack the records in the WAL, and would verify.
    std::cerr << "riskoff audit verify: " << log->path() << "-wal held the newest records ("
              << verified->wal_bytes << " bytes); "
              << (verified->wal_folded ? "folded into " + log->path() + ", which is now the whole store\n"
                                       : "not folded (the store cannot be written here): a copy must include " +
                                             log->path() + "-wal\n");
  }
  if (verified->ok()) {
    std::cout << log->path() << ": " << verified->records << (verified->records == 1 ? " record" : " records")
              << ", chain intact (schema " << log->schema_version() << ")"
              << (options.head.empty() ? "" : ", anchored head " + options.head + " in the chain") << "\nhead "
              << verified->head_id << ':' << verified->head_hash << '\n';
    return kExitOk;
  }
  for (const auto& problem : verified->problems) std::cout << log->path() << ": " << problem << '\n';
  if (verified->first_bad != 0) std::cout << "first bad record: " << verified->first_bad << '\n';
  return kExitProblems;
}

int run_diff(const AuditOptions& options) {
  const auto log = open_log(options);
  if (!log) return report_error("riskoff audit diff", log.error());
  const auto diff = log->diff(options.id, options.second_id);
  if (!diff) return report_error("riskoff audit diff", diff.error());
  std::cout << render(*diff);
  return kExitOk;
}

int run_export(const AuditOptions& options) {
  const auto log = open_log(options);
  if (!log) return report_error("riskoff audit export", log.error());
  auto write = [&](std::ostream& out) {
    return options.export_format == "chain" ? log->export_chain(out) : log->export_jsonl(out);
  };
  if (options.output.empty() || options.output == "-") {
    const auto written = write(std::cout);
    return written ? kExitOk : report_error("riskoff audit export", written.error());
  }
  std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
  const auto written = write(out);
  if (!written) return report_error("riskoff audit export", written.error());
  if (!out) {
    std::cerr << "riskoff audit export: " << options.output << ": cannot write\n";
    return kExitUsage;
  }
  return kExitOk;
}

// Appends an exported chain to the store (created if absent), then prints what the verification
// on arrival found: the chain intact (and its head), or its problems (exit 1).
int run_import(const AuditOptions& options) {
  std::ifstream file;
  if (options.input != "-") {
    file.open(options.input, std::ios::binary);
    if (!file) {
      std::cerr << "riskoff audit import: " << options.input << ": cannot read\n";
      return kExitUsage;
    }
  }
  auto log = open_log(options, OpenMode::kCreate);
  if (!log) return report_error("riskoff audit import", log.error());
  const auto imported = log->import_chain(options.input == "-" ? std::cin : file,
                                          options.input == "-" ? "standard input" : options.input);
  if (!imported) return report_error("riskoff audit import", imported.error());
  const VerifyReport& verified = imported->verified;
  std::cout << log->path() << ": imported " << imported->imported << (imported->imported == 1 ? " record" : " records");
  if (imported->present > 0) std::cout << " (" << imported->present << " already there)";
  if (!verified.ok()) {
    std::cout << "; the chain does NOT verify:\n";
    for (const auto& problem : verified.problems) std::cout << "  " << problem << '\n';
    return kExitProblems;
  }
  std::cout << "; " << verified.records << (verified.records == 1 ? " record" : " records")
            << ", chain intact\nhead " << verified.head_id << ':' << verified.head_hash << '\n';
  return kExitOk;
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AuditOptions>();
  auto* audit = app.add_subcommand("audit", "The decision log: what was decided, from which data, under which rules");
  audit->require_subcommand(1);
  audit->footer("Examples:\n"
                "  riskoff eval -r rulesets/riskoff.rules -s examples/snapshots/2026-02-04.json --record --db audit.sqlite\n"
                "  riskoff audit list --db audit.sqlite\n"
                "  riskoff audit recheck 1 --db audit.sqlite\n"
                "  riskoff audit verify --db audit.sqlite\n"
                "Exit codes: 0 ok, 1 a finding (a bad record, a recheck that differs) or a file that is not a\n"
                "riskoff audit store, 2 usage or I/O error. See docs/audit.md.");
  const std::string db_help =
      "Audit store: a file, or a postgresql:// URI (default: $RISKOFF_DB, else $XDG_DATA_HOME/riskoff/audit.sqlite)";
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
  verify->footer("Example:\n  riskoff audit verify --db audit.sqlite --expect-head 41:9f2c...\n"
                 "Prints the head as ID:HASH: keep it elsewhere (a ticket, a signed note) and give it back with\n"
                 "--expect-head: that finds a copy that lost its newest records and a rewritten chain, which\n"
                 "the store alone cannot show.");
  add_db(verify);
  verify->add_option("--expect-head,--head", options->head,
                     "ID:HASH printed by an earlier verify or eval --record: record ID must still be in the chain "
                     "with that hash (a HASH alone: anywhere in the chain)");
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
  exported->add_option("--format,-f", options->export_format,
                       "jsonl: each decision for reading (default); chain: every stored field, rulesets and "
                       "snapshots, for `audit import`")
      ->check(CLI::IsMember({"jsonl", "chain"}));
  exported->callback([options, &exit_code] { exit_code = run_export(*options); });

  auto* imported = audit->add_subcommand(
      "import", "Append a chain exported with `export --format chain` (SQLite <-> PostgreSQL), verified on arrival");
  imported->footer("Example:\n  riskoff audit export --format chain --db audit.sqlite -o chain.jsonl\n"
                   "  riskoff audit import chain.jsonl --db postgresql://riskoff@db.example/audit\n"
                   "Each record arrives as it was (same id, time and hashes), only as the next link of the\n"
                   "destination's chain; records already there and the same are skipped (run it again after an\n"
                   "interruption). Exit 1 when a record does not verify or the chain does not verify after.");
  add_db(imported);
  imported->add_option("file", options->input, "The export (- for standard input)")->required();
  imported->callback([options, &exit_code] { exit_code = run_import(*options); });
}

}  // namespace riskoff::cli
