#include <CLI/CLI.hpp>
#include <chrono>
#include <iomanip>
#include <iostream>

#include "adapters/history_store.hpp"
#include "cli/commands.hpp"

namespace riskoff::cli {
namespace {

struct DataOptions {
  std::string db;
  std::string sources;
  std::string name;
  std::string from;
  std::string to;
};

int run_import(const DataOptions& options) {
  const auto manifest = adapters::read_manifest(options.sources);
  if (!manifest.ok()) {
    for (const auto& problem : manifest.problems) std::cerr << "riskoff data import: " << problem << '\n';
    return kExitProblems;
  }
  const auto started = std::chrono::steady_clock::now();
  try {
    const auto store = adapters::HistoryStore::open(options.db, true);
    const auto report = store->import(manifest);
    if (!report.ok()) {
      std::cerr << "riskoff data import: nothing written; " << report.problems.size() << " source"
                << (report.problems.size() == 1 ? "" : "s") << " could not be read:\n";
      for (const auto& problem : report.problems) std::cerr << "  " << problem << '\n';
      return kExitProblems;
    }
    std::size_t observations = 0;
    for (const auto& series : report.imported) observations += series.count;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << options.db << ": imported " << report.imported.size() << " series, " << observations
              << " observations in " << std::fixed << std::setprecision(2) << seconds << " s\n";
  } catch (const adapters::StoreError& e) {
    std::cerr << "riskoff data import: " << e.what() << '\n';
    return kExitUsage;
  }
  return kExitOk;
}

int run_list(const DataOptions& options) {
  try {
    const auto store = adapters::HistoryStore::open(options.db, false);
    for (const auto& series : store->list()) {
      std::cout << std::left << std::setw(16) << series.name << std::setw(9) << engine::unit_name(series.unit)
                << std::right << std::setw(8) << series.count << "  " << engine::format_timestamp(series.first).substr(0, 10)
                << " .. " << engine::format_timestamp(series.last).substr(0, 10) << "  " << series.source << '\n';
    }
  } catch (const adapters::StoreError& e) {
    std::cerr << "riskoff data list: " << e.what() << '\n';
    return kExitUsage;
  }
  return kExitOk;
}

int run_show(const DataOptions& options) {
  engine::Timestamp from = std::numeric_limits<engine::Timestamp>::min() / 2;
  engine::Timestamp to = std::numeric_limits<engine::Timestamp>::max() / 2;
  for (const auto& [text, target] : {std::pair{options.from, &from}, std::pair{options.to, &to}}) {
    if (text.empty()) continue;
    const auto parsed = engine::parse_timestamp(text);
    if (!parsed) {
      std::cerr << "riskoff data show: `" << text << "` is not a UTC time such as 2026-02-04\n";
      return kExitUsage;
    }
    *target = *parsed;
  }
  try {
    const auto store = adapters::HistoryStore::open(options.db, false);
    const auto data = store->read(options.name, from, to);
    if (data.source.empty()) {
      std::cerr << "riskoff data show: no series `" << options.name << "` in " << options.db << '\n';
      return kExitProblems;
    }
    std::cout << "time," << options.name << " (" << engine::unit_name(data.unit) << ")\n";
    for (std::size_t k = 0; k < data.times.size(); ++k) {
      std::cout << engine::format_timestamp(data.times[k]) << ',' << std::setprecision(12) << data.values[k] << '\n';
    }
  } catch (const adapters::StoreError& e) {
    std::cerr << "riskoff data show: " << e.what() << '\n';
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void add_data_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DataOptions>();
  auto* data = app.add_subcommand("data", "The history store: every source's full history in one SQLite file");
  data->require_subcommand(1);
  auto* import = data->add_subcommand("import", "Read every source of a manifest into the store (all or nothing)");
  import->footer("Example:\n  riskoff data import --db history.sqlite --sources examples/sources-local.json");
  import->add_option("--db", options->db, "Store file (created if absent)")->required();
  import->add_option("--sources", options->sources, "Sources manifest")->required();
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
