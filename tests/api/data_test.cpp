// The public data and backtest API (riskoff/sources.hpp, history.hpp, backtest.hpp), linked as
// consumers link it: only public headers. What `riskoff replay` prints, Backtest renders.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "riskoff/backtest.hpp"
#include "riskoff/history.hpp"
#include "riskoff/sources.hpp"

namespace {

const std::string kRoot = RISKOFF_SOURCE_DIR;
const std::string kReplay = kRoot + "/tests/golden/replay";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

riskoff::Ruleset load(const std::string& path) {
  auto compiled = riskoff::Ruleset::load(path);
  INFO((compiled.problems.empty() ? std::string() : compiled.problems.front().text));
  REQUIRE(compiled.ok());
  return *compiled.ruleset;
}

riskoff::Sources fixture_sources() {
  auto sources = riskoff::Sources::load(kReplay + "/data/sources.json");
  INFO((sources ? std::string() : sources.error().messages.front()));
  REQUIRE(sources.ok());
  return *sources;
}

std::int64_t at(const char* text) { return *riskoff::parse_time(text); }

// A scratch folder removed at the end of the test.
struct Scratch {
  std::filesystem::path root;
  Scratch() {
    root = std::filesystem::temp_directory_path() / ("riskoff-data-api-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
  }
  ~Scratch() { std::filesystem::remove_all(root); }
};

// tests/golden/replay/against_json.args, as options.
riskoff::BacktestOptions against_options() {
  riskoff::BacktestOptions options;
  options.from = at("2022-04-01");
  options.to = at("2022-05-31") + 86399;  // a date alone is the whole day
  options.episode_threshold = 0.03;
  options.against = load(kReplay + "/old.rules");
  return options;
}

}  // namespace

TEST_CASE("a snapshot is built from a sources manifest as of an instant, for a ruleset", "[api][data]") {
  const auto sources = fixture_sources();
  REQUIRE(sources.inputs().size() == 2);
  CHECK(sources.inputs()[0].input == "dxy");  // by name
  CHECK(sources.inputs()[1].input == "spx");
  CHECK(sources.inputs()[1].unit == riskoff::Unit::kIndex);
  CHECK(sources.inputs()[1].reader == "csv");

  const auto ruleset = load(kReplay + "/new.rules");
  // These date-only files have the default clock of `csv`: a day is known at 24:00 UTC, so as of
  // 10 May 00:00Z the 9 May closes are in and the 10 May ones are not.
  auto built = riskoff::build_snapshot(sources, {.as_of = at("2022-05-10"), .ruleset = ruleset});
  REQUIRE(built.ok());
  CHECK(built->skipped.empty());
  CHECK(built->snapshot.as_of() == at("2022-05-10"));
  CHECK(built->snapshot.input_count() == 2);
  const std::string json = built->snapshot.to_json();
  CHECK(json.find("\"2022-05-09T00:00:00Z\"") != std::string::npos);
  CHECK(json.find("2022-05-11") == std::string::npos);  // the 10 May closes would be known then
  const auto decision = riskoff::decide(ruleset, built->snapshot, {.profile = "swing"});
  REQUIRE(decision.ok());
  CHECK(decision->action() == "reduce");  // the first change of the replay golden
}

TEST_CASE("a manifest's inputs the ruleset does not read are not read, and listed", "[api][data]") {
  const auto sources = fixture_sources();
  auto compiled = riskoff::Ruleset::compile(
      "ruleset only_spx version \"0.1.0\"\ninput spx : series 1d index\nsignal down \"Down\" = spx < 1\n"
      "profile swing {\n  decide\n    reduce when down\n    wait otherwise\n}\n");
  REQUIRE(compiled.ok());
  auto built = riskoff::build_snapshot(sources, {.as_of = at("2022-05-09"), .ruleset = *compiled.ruleset});
  REQUIRE(built.ok());
  CHECK(built->unused == std::vector<std::string>{"dxy"});
  CHECK(built->snapshot.input_count() == 1);
  CHECK(built->snapshot.to_json().find("dxy") == std::string::npos);
  // Without a ruleset every source is read.
  built = riskoff::build_snapshot(sources, {.as_of = at("2022-05-09")});
  REQUIRE(built.ok());
  CHECK(built->unused.empty());
  CHECK(built->snapshot.input_count() == 2);
  // Long after the data: the message says where the file's data ends.
  const auto late = riskoff::build_snapshot(sources, {.as_of = at("2030-01-01"), .ruleset = *compiled.ruleset});
  REQUIRE_FALSE(late.ok());
  INFO(late.error().messages.front());
  CHECK(late.error().messages.front().find("the data of `spx` ends on 2022-") != std::string::npos);
  CHECK(late.error().messages.front().find("days before the as-of") != std::string::npos);
}

TEST_CASE("manifests and sources that do not read are kData errors naming them", "[api][data]") {
  const auto missing = riskoff::Sources::load(kRoot + "/no/such/sources.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == riskoff::ErrorKind::kData);
  CHECK(missing.error().messages.front() == kRoot + "/no/such/sources.json: cannot open file");

  Scratch scratch;
  std::filesystem::create_directories(scratch.root);
  std::ofstream(scratch.root / "sources.json")
      << R"({"format": "riskoff.sources/1", "inputs": {"spx": {"reader": "csv", "unit": "index", "source": "x",)"
      << R"( "path": "absent.csv", "mapping": {"date_column": "date", "value_column": "close"}}}})";
  const auto sources = riskoff::Sources::load((scratch.root / "sources.json").string());
  REQUIRE(sources.ok());
  const auto failed = riskoff::build_snapshot(sources.value(), {.as_of = at("2022-05-09")});
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().kind == riskoff::ErrorKind::kData);
  CHECK(failed.error().messages.front().find("input `spx` (csv): ") == 0);
  const auto partial =
      riskoff::build_snapshot(sources.value(), {.as_of = at("2022-05-09"), .missing = riskoff::MissingInputs::kLeaveOut});
  REQUIRE(partial.ok());
  CHECK(partial->snapshot.input_count() == 0);
  REQUIRE(partial->skipped.size() == 1);
  CHECK(partial->skipped.front().find("input `spx`") == 0);
}

TEST_CASE("the history store imports a manifest, lists and reads it back", "[api][data]") {
  Scratch scratch;
  const std::string path = (scratch.root / "nested" / "history.sqlite").string();
  const auto absent = riskoff::HistoryStore::open(path);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().kind == riskoff::ErrorKind::kIo);

  auto store = riskoff::HistoryStore::open(path, riskoff::OpenMode::kCreate);
  REQUIRE(store.ok());
  CHECK(store->path() == path);
  const auto imported = store->import(fixture_sources());
  REQUIRE(imported.ok());
  REQUIRE(imported->size() == 2);

  // Another handle on the same file sees what was committed.
  const auto reader = riskoff::HistoryStore::open(path);
  REQUIRE(reader.ok());
  const auto listed = reader->list();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK(listed->at(0).name == "dxy");
  CHECK(listed->at(1).name == "spx");
  CHECK(listed->at(1).unit == riskoff::Unit::kIndex);
  CHECK(listed->at(1).count == imported->at(1).count);
  CHECK(listed->at(1).first == at("2022-04-04"));

  const auto spx = reader->read("spx", at("2022-04-05"), at("2022-04-06"));
  REQUIRE(spx.ok());
  REQUIRE(spx->has_value());
  const riskoff::Series& series = **spx;
  CHECK(series.times == std::vector<std::int64_t>{at("2022-04-05"), at("2022-04-06")});
  CHECK(series.values == std::vector<double>{4510.0, 4500.0});
  CHECK(series.unit == riskoff::Unit::kIndex);
  const auto nothing = reader->read("nope");
  REQUIRE(nothing.ok());
  CHECK_FALSE(nothing->has_value());

  // A file that is not a riskoff store is the file's problem, not the host's.
  std::ofstream(scratch.root / "notes.txt") << "not a database, not even close: " << std::string(200, 'x');
  const auto not_a_store = riskoff::HistoryStore::open((scratch.root / "notes.txt").string());
  REQUIRE_FALSE(not_a_store.ok());
  CHECK(not_a_store.error().kind == riskoff::ErrorKind::kStore);
}

TEST_CASE("a backtest renders what riskoff replay prints, from files, a store or memory", "[api][backtest]") {
  const auto ruleset = load(kReplay + "/new.rules");
  const auto options = against_options();
  const auto from_files = riskoff::Backtest::run(ruleset, fixture_sources(), options);
  INFO((from_files ? std::string() : from_files.error().messages.front()));
  REQUIRE(from_files.ok());
  // The goldens are what the binary printed (tests/golden/cli_golden_test.cpp).
  CHECK(from_files->render(riskoff::ReportFormat::kJson) == read_file(kReplay + "/against_json.stdout"));
  CHECK(from_files->render(riskoff::ReportFormat::kText) == read_file(kReplay + "/grouped.stdout"));
  CHECK(from_files->unused_inputs().empty());  // both inputs of the manifest are read
  auto with_figures = options;
  with_figures.figures = {"dxy_move", "spx_move"};
  const auto text = riskoff::Backtest::run(ruleset, fixture_sources(), with_figures);
  REQUIRE(text.ok());
  CHECK(text->render(riskoff::ReportFormat::kTextWithSteps) == read_file(kReplay + "/against.stdout"));
  CHECK(text->render(riskoff::ReportFormat::kSvg).find("</svg>") != std::string::npos);

  const auto& report = from_files->report();
  CHECK(report.ruleset == "small");
  CHECK(report.profile == "swing");
  CHECK(report.every == "trading days of spx");
  // 39 trading days: the 31 May close of these date-only files becomes known at 24:00 UTC, after --to.
  REQUIRE(report.steps.size() == 39);
  CHECK(report.changes.size() == 5);
  CHECK(report.changes.front().time == at("2022-05-09"));
  CHECK(report.changes.front().to == "reduce");
  REQUIRE(report.episodes.size() == 1);
  CHECK(report.episodes.front().first_action == "reduce");
  CHECK(report.overlay.overlay_value.size() == 39);
  REQUIRE(from_files->comparison().has_value());
  CHECK(from_files->comparison()->older.steps.size() == 39);
  CHECK_FALSE(from_files->comparison()->diffs.empty());

  // The same history from the store, and as whole series in memory, gives the same bytes.
  Scratch scratch;
  auto store = riskoff::HistoryStore::open((scratch.root / "h.sqlite").string(), riskoff::OpenMode::kCreate);
  REQUIRE(store.ok());
  REQUIRE(store->import(fixture_sources()).ok());
  const auto from_store = riskoff::Backtest::run(ruleset, *store, options);
  REQUIRE(from_store.ok());
  CHECK(from_store->render(riskoff::ReportFormat::kJson) == read_file(kReplay + "/against_json.stdout"));
  riskoff::Snapshot series(at("2022-12-31"));
  for (const auto& name : {"spx", "dxy"}) {
    const auto read = store->read(name);
    REQUIRE(read.ok());
    REQUIRE(read->has_value());
    CHECK(series.add_series(name, (*read)->unit, (*read)->times, (*read)->values, (*read)->known_at).empty());
  }
  const auto from_memory = riskoff::Backtest::run(ruleset, series, options);
  REQUIRE(from_memory.ok());
  CHECK(from_memory->render(riskoff::ReportFormat::kJson) == read_file(kReplay + "/against_json.stdout"));
}

TEST_CASE("a backtest with a mixed reference and costs renders the CSV golden", "[api][backtest]") {
  riskoff::BacktestOptions options;
  options.from = at("2022-04-01");
  options.to = at("2022-05-31") + 86399;
  options.reference = "spx=60,cash=40";
  options.overlay.reduce_to = 0.25;
  options.overlay.cost_bp = 10;
  std::size_t progress = 0;
  options.progress = [&progress](std::size_t done, std::size_t total) {
    CHECK(done <= total);
    progress = done;
  };
  const auto run = riskoff::Backtest::run(load(kReplay + "/old.rules"), fixture_sources(), options);
  REQUIRE(run.ok());
  CHECK(run->render(riskoff::ReportFormat::kCsv) == read_file(kReplay + "/mix_csv.stdout"));
  CHECK(progress == run->report().steps.size());
  CHECK(run->report().reference == "spx 60% + cash 40%");
  CHECK_FALSE(run->comparison().has_value());
}

TEST_CASE("a backtest does not read the manifest's inputs its ruleset does not declare, and lists them", "[api][backtest]") {
  riskoff::BacktestOptions options;
  options.from = at("2022-05-01");
  // The manifest's dxy source points at a file that does not exist: reading it would fail.
  Scratch scratch;
  std::filesystem::create_directories(scratch.root);
  std::filesystem::copy_file(kReplay + "/data/spx.csv", scratch.root / "spx.csv");
  std::string manifest = read_file(kReplay + "/data/sources.json");
  const auto at_dxy = manifest.find("\"dxy.csv\"");
  REQUIRE(at_dxy != std::string::npos);
  manifest.replace(at_dxy, 9, "\"absent.csv\"");
  std::ofstream(scratch.root / "sources.json", std::ios::binary) << manifest;
  const auto sources = riskoff::Sources::load((scratch.root / "sources.json").string());
  REQUIRE(sources.ok());
  const auto run = riskoff::Backtest::run(load(kReplay + "/spx_only.rules"), *sources, options);
  INFO((run ? std::string() : run.error().messages.front()));
  REQUIRE(run.ok());
  CHECK(run->unused_inputs() == std::vector<std::string>{"dxy"});
  // Read by the reference, an input is used even when the ruleset does not declare it.
  options.reference = "spx=50,dxy=50";
  const auto with_dxy = riskoff::Backtest::run(load(kReplay + "/spx_only.rules"), fixture_sources(), options);
  REQUIRE(with_dxy.ok());
  CHECK(with_dxy->unused_inputs().empty());
}

TEST_CASE("backtest options that do not fit are usage errors, data that does not fit is kData", "[api][backtest]") {
  const auto ruleset = load(kReplay + "/new.rules");
  const auto sources = fixture_sources();
  riskoff::BacktestOptions options;
  options.from = at("2022-04-01");
  const auto expect = [&](const riskoff::BacktestOptions& o, riskoff::ErrorKind kind, const std::string& start) {
    const auto run = riskoff::Backtest::run(ruleset, sources, o);
    REQUIRE_FALSE(run.ok());
    CHECK(run.error().kind == kind);
    CHECK(run.error().messages.front().find(start) == 0);
  };
  auto o = options;
  o.profile = "nope";
  expect(o, riskoff::ErrorKind::kUsage, kReplay + "/new.rules: unknown profile `nope`; profiles are:");
  o = options;
  o.every = "3w";
  expect(o, riskoff::ErrorKind::kUsage, "--every `3w` is not a step");
  o = options;
  o.reference = "spx=x";
  expect(o, riskoff::ErrorKind::kUsage, "--reference `spx=x`");
  o = options;
  o.overlay.hedge_ratio = 30;
  expect(o, riskoff::ErrorKind::kUsage, "--reduce-to takes 0% to 100%");
  o = options;
  o.overrides = {"nothing=1"};
  expect(o, riskoff::ErrorKind::kUsage, "override `nothing=1`: ");  // as decide() says it
  o = options;
  o.figures = {"nope"};
  expect(o, riskoff::ErrorKind::kUsage, "--figures: `nope` is not a `let` or an input of");
  o = options;
  o.from = at("2030-01-01");
  expect(o, riskoff::ErrorKind::kData, "no step between 2030-01-01 and the end of the data");
  riskoff::Snapshot empty(at("2022-12-31"));
  const auto run = riskoff::Backtest::run(ruleset, empty, options);
  REQUIRE_FALSE(run.ok());
  CHECK(run.error().kind == riskoff::ErrorKind::kData);
}
