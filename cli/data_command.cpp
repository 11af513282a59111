#include <CLI/CLI.hpp>
#include <chrono>
#include <iomanip>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "cli/sources.hpp"
#include "riskoff/history.hpp"
#include "riskoff/sources.hpp"

namespace riskoff::cli {
namespace {

struct DataOptions {
  std::string db;
  bool create = false;
  std::string sources;
  std::string sources_root;
  std::string name;
  std::string from;
  std::string to;
};

int run_import(const DataOptions& options) {
  const auto sources = Sources::load(options.sources, {.root = options.sources_root});
  if (!sources) return report_error("riskoff data import", sources.error());
  const auto started = std::chrono::steady_clock::now();
  auto store = HistoryStore::open(options.db, options.create ? OpenMode::kCreateInEmptyFile : OpenMode::kCreate);
  if (!store) return report_error("riskoff data import", store.error());
  const auto imported = store->import(*sources);
  if (!imported) {
    if (imported.error().kind != ErrorKind::kData) return report_error("riskoff data import", imported.error());
    const auto& problems = imported.error().messages;
    std::cerr << "riskoff data import: nothing written; " << problems.size() << " source"
              << (problems.size() == 1 ? "" : "s") << " could not be read:\n";
    for (const auto& problem : problems) std::cerr << "  " << problem << '\n';
    return kExitProblems;
  }
  std::uint64_t observations = 0;
  for (const auto& series : *imported) observations += series.count;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << options.db << ": imported " << imported->size() << " series, " << observations << " observations in "
            << std::fixed << std::setprecision(2) << seconds << " s\n";
  return kExitOk;
}

int run_list(const DataOptions& options) {
  const auto store = HistoryStore::open(options.db, OpenMode::kReadOnly);
  if (!store) return report_error("riskoff data list", store.error());
  const auto stored = store->list();
  if (!stored) return report_error("riskoff data list", stored.error());
  for (const auto& series : *stored) {
    std::cout << std::left << std::setw(16) << series.name << std::setw(9) << unit_name(series.unit) << std::right
              << std::setw(8) << series.count << "  " << format_time(series.first).substr(0, 10) << " .. "
              << format_time(series.last).substr(0, 10) << "  " << series.source << '\n';
  }
  return kExitOk;
}

int run_show(const DataOptions& options) {
  std::optional<std::int64_t> from, to;
  // --to a date alone means through the end of that day, as --as-of does.
  for (const auto& [text, target] : {std::pair{options.from, &from}, std::pair{options.to, &to}}) {
    if (text.empty()) continue;
    *target = target == &to ? parse_as_of(text) : parse_time(text);
    if (!*target) {
      std::cerr << "riskoff data show: `" << text << "` is not a UTC time such as 2026-02-04\n";
      return kExitUsage;
    }
  }
  const auto store = HistoryStore::open(options.db, OpenMode::kReadOnly);
  if (!store) return report_error("riskoff data show", store.error());
  const auto data = store->read(options.name, from, to);
  if (!data) return report_error("riskoff data show", data.error());
  if (!*data) {
    std::cerr << "riskoff data show: no series `" << options.name << "` in " << options.db << '\n';
    return kExitProblems;
  }
  const Series& series = **data;
  std::cout << "time," << options.name << " (" << unit_name(series.unit) << ")\n";
  for (std::size_t k = 0; k < series.times.size(); ++k) {
    std::cout << format_time(series.times[k]) << ',' << std::setprecision(12) << series.values[k] << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_data_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DataOptions>();
  auto* data = app.add_subcommand("data", "The history store: every source's full history in one SQLite file");
  data->require_subcommand(1);
  // Its own examples: a subcommand without a footer would print the top-level one.
  data->footer(
      "Examples:\n"
      "  riskoff data import --db history.sqlite --sources examples/sources-local.json\n"
      "  riskoff data list --db history.sqlite\n"
      "  riskoff data show --db history.sqlite us10y --from 2026-01-01 --to 2026-02-04\n"
      "See docs/sources.md (the history store).");
  auto* import = data->add_subcommand("import", "Read every source of a manifest into the store (all or nothing)");
  import->footer("Example:\n  riskoff data import --db history.sqlite --sources examples/sources-local.json");
  import->add_option("--db", options->db, "Store file (created if absent)")->required();
  import->add_option("--sources", options->sources, "Sources manifest")->required();
  import->add_option("--sources-root", options->sources_root, kSourcesRootHelp)->check(CLI::ExistingDirectory);
  import->add_flag("--create", options->create, "Import into an existing empty file as a new store");
  import->callback([options, &exit_code] { exit_code = run_import(*options); });
  auto* list = data->add_subcommand("list", "List the stored series");
  list->footer("Example:\n  riskoff data list --db history.sqlite");
  list->add_option("--db", options->db, "Store file")->required();
  list->callback([options, &exit_code] { exit_code = run_list(*options); });
  auto* show = data->add_subcommand("show", "Print one series as CSV");
  show->footer("Example:\n  riskoff data show --db history.sqlite us10y --from 2026-01-01");
  show->add_option("--db", options->db, "Store file")->required();
  show->add_option("name", options->name, "Series (the ruleset input's name)")->required();
  show->add_option("--from", options->from, "First time (UTC)");
  show->add_option("--to", options->to, "Last time (UTC)");
  show->callback([options, &exit_code] { exit_code = run_show(*options); });
}

}  // namespace riskoff::cli
