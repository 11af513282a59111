// The public C++ API (include/riskoff/riskoff.hpp), linked as consumers link it: only
// riskoff::riskoff_static, only public headers. What the CLI prints, the API returns.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "riskoff/riskoff.hpp"

namespace {

const std::string kRoot = RISKOFF_SOURCE_DIR;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

riskoff::Ruleset default_ruleset() {
  auto compiled = riskoff::Ruleset::load(kRoot + "/rulesets/riskoff.rules");
  INFO((compiled.problems.empty() ? std::string() : compiled.problems.front().text));
  REQUIRE(compiled.ok());
  return *compiled.ruleset;
}

riskoff::Snapshot example(const std::string& day) {
  auto read = riskoff::Snapshot::load(kRoot + "/examples/snapshots/" + day + ".json");
  REQUIRE(read.ok());
  return *read.snapshot;
}

// A ruleset small enough to reason about by hand.
constexpr std::string_view kSmall = R"(ruleset small version "1.2.3"

input vix: series 1d index
input funding: scalar percent optional

param calm = 20
param hot = 0.05%

signal stressed "Volatility is high" = vix > calm
signal crowded "Longs pay to stay long" = funding > hot
group storm "Storm" = all(stressed, crowded)

profile desk "Desk" {
  decide
    hedge when storm
    reduce when stressed
    wait otherwise
}
)";

riskoff::Ruleset small() {
  auto compiled = riskoff::Ruleset::compile(kSmall, "small.rules");
  INFO((compiled.problems.empty() ? std::string() : compiled.problems.front().text));
  REQUIRE(compiled.ok());
  return *compiled.ruleset;
}

}  // namespace

TEST_CASE("the default ruleset decides as the CLI does, with the same JSON byte for byte", "[api]") {
  const auto ruleset = default_ruleset();
  CHECK(ruleset.name() == "riskoff");
  CHECK(ruleset.profiles() == std::vector<std::string>{"short_term", "swing", "long_term"});
  CHECK(ruleset.content_hash().size() == 64);
  const struct {
    const char* day;
    const char* profile;
    const char* action;
  } cases[] = {{"2026-02-04", "swing", "reduce"}, {"2026-02-04", "long_term", "wait"}, {"2020-03-16", "short_term", "hedge"},
               {"2019-11-15", "swing", "wait"}};
  for (const auto& c : cases) {
    const auto result = riskoff::decide(ruleset, example(c.day), {.profile = c.profile});
    REQUIRE(result.ok());
    const auto& decision = *result;
    INFO(c.day << " " << c.profile);
    CHECK(decision.action() == c.action);
    CHECK(decision.profile() == c.profile);
    // The golden files are what `riskoff eval` printed (tests/golden/cli_golden_test.cpp).
    const std::string golden = kRoot + "/tests/golden/explain/" + c.day + "." + c.profile;
    CHECK(decision.render(riskoff::Format::kJson) == read_file(golden + ".json.stdout"));
    CHECK(decision.render(riskoff::Format::kMarkdown) == read_file(golden + ".markdown.stdout"));
    CHECK(decision.render(riskoff::Format::kText) == read_file(golden + ".text.stdout"));
    CHECK(decision.explanation().action == c.action);
  }
}

TEST_CASE("a ruleset with errors gives problems as data, never a ruleset", "[api]") {
  const auto compiled = riskoff::Ruleset::compile("ruleset bad version \"1.0.0\"\n\nsignal s \"S\" = vix > 20\n", "bad.rules");
  REQUIRE_FALSE(compiled.ok());
  REQUIRE_FALSE(compiled.problems.empty());
  const auto& problem = compiled.problems.front();
  CHECK(problem.code == "E0201");
  CHECK(problem.is_error);
  CHECK(problem.file == "bad.rules");
  CHECK(problem.line == 3);
  CHECK(problem.column == 16);
  CHECK(problem.message.find("`vix`") != std::string::npos);
  CHECK(problem.text.find("bad.rules:3:16: error[E0201]") == 0);
  CHECK(problem.text.find("signal s \"S\" = vix > 20") != std::string::npos);
  CHECK(problem.text.find('^') != std::string::npos);

  // Binary garbage is a problem too, not a crash.
  const std::string garbage("\x00\xff\xfe garbage", 12);
  const auto binary = riskoff::Ruleset::compile(garbage, "garbage.rules");
  REQUIRE_FALSE(binary.ok());
  CHECK_FALSE(binary.problems.empty());
}

TEST_CASE("a ruleset compiles with its imports given as text, nothing read from disk", "[api]") {
  const std::string root =
      "ruleset main version \"1.0.0\"\n"
      "import \"lib/macro.rules\" as macro\n"
      "signal both \"Both\" = macro.rates_up\n"
      "profile p { decide hedge when both wait otherwise }\n";
  const std::string macro =
      "ruleset macro version \"1.0.0\"\n"
      "import \"../common.rules\" as common\n"
      "param jump = 15bp \"why\"\n"
      "signal rates_up \"Up\" = change(common.us10y, 5d) > jump\n";
  const std::string common = "ruleset common version \"1.0.0\"\ninput us10y : series 1d percent \"y\"\n";
  const auto compiled = riskoff::Ruleset::compile(root, "rules/main.rules",
                                                  {{"lib/macro.rules", macro}, {"common.rules", common}});
  INFO((compiled.problems.empty() ? std::string() : compiled.problems.front().text));
  REQUIRE(compiled.ok());
  CHECK(compiled.ruleset->inputs().front().name == "macro.common.us10y");
  CHECK(compiled.ruleset->profiles() == std::vector<std::string>{"p"});

  // A missing import is a problem at the import line, named as the loader resolved it.
  const auto missing = riskoff::Ruleset::compile(root, "rules/main.rules", {{"common.rules", common}});
  REQUIRE_FALSE(missing.ok());
  REQUIRE_FALSE(missing.problems.empty());
  CHECK(missing.problems.front().line == 2);
  CHECK(missing.problems.front().message == "cannot import `lib/macro.rules`: no such file among the given sources");
}

TEST_CASE("a file that cannot be read is a host failure: IoError", "[api]") {
  CHECK_THROWS_AS(riskoff::Ruleset::load(kRoot + "/no/such/file.rules"), riskoff::IoError);
  CHECK_THROWS_AS(riskoff::Snapshot::load(kRoot + "/no/such/snapshot.json"), riskoff::IoError);
}

TEST_CASE("a snapshot built in code is evaluated, and every named value can be read", "[api]") {
  const auto ruleset = small();
  REQUIRE(ruleset.inputs().size() == 2);
  CHECK(ruleset.inputs()[0].name == "vix");
  CHECK(ruleset.inputs()[1].optional);
  REQUIRE(ruleset.parameters().size() == 2);
  CHECK(ruleset.parameters()[1].default_text == "0.05%");
  CHECK(ruleset.parameters()[1].unit == riskoff::Unit::kPercent);

  const auto day = *riskoff::parse_time("2026-02-04");
  riskoff::Snapshot snapshot(day);
  CHECK(snapshot.add_series("vix", riskoff::Unit::kIndex, {day - 86400, day}, {18.0, 24.5}).empty());
  auto result = ruleset.evaluate(snapshot);
  REQUIRE(result.ok());
  // funding is missing and optional: `storm` is unknown, so REDUCE depends on unknown data.
  CHECK(result.decision->action() == "reduce");
  CHECK(result.decision->depends_on_unknown());
  const auto vix = result.decision->value("vix");
  REQUIRE(vix);
  CHECK(vix->kind == riskoff::SymbolKind::kInput);
  CHECK(std::string(riskoff::symbol_kind_name(vix->kind)) == "input");
  CHECK(vix->number == 24.5);
  const auto storm = result.decision->value("storm");
  REQUIRE(storm);
  CHECK(storm->kind == riskoff::SymbolKind::kGroup);
  CHECK(storm->truth == riskoff::Truth::kUnknown);
  CHECK(std::isnan(result.decision->value("funding")->number));
  CHECK_FALSE(result.decision->value("nothing"));

  CHECK(snapshot.add_scalar("funding", riskoff::Unit::kPercent, day, 0.08).empty());
  const auto later = ruleset.evaluate(snapshot);
  REQUIRE(later.ok());
  CHECK(later.decision->action() == "hedge");
  CHECK_FALSE(later.decision->depends_on_unknown());
  // The earlier decision kept the snapshot it read: adding an input did not change it.
  CHECK(result.decision->action() == "reduce");
  CHECK(result.decision->explanation().inputs.at(1).status == riskoff::InputStatus::kMissing);
}

TEST_CASE("inputs added in code are checked like snapshot JSON", "[api]") {
  const auto day = *riskoff::parse_time("2026-02-04");
  riskoff::Snapshot snapshot(day);
  CHECK(snapshot.add_series("vix", riskoff::Unit::kIndex, {day, day - 1}, {1, 2}).find("strictly increasing") !=
        std::string::npos);
  CHECK(snapshot.add_series("vix", riskoff::Unit::kIndex, {day + 60}, {1}).find("after as_of") != std::string::npos);
  CHECK(snapshot.add_series("vix", riskoff::Unit::kIndex, {day}, {std::nan("")}).find("finite") != std::string::npos);
  CHECK(snapshot.add_series("vix", riskoff::Unit::kIndex, {day}, {1, 2}).find("1 times but 2 values") !=
        std::string::npos);
  CHECK(snapshot.input_count() == 0);
  CHECK(snapshot.add_scalar("vix", riskoff::Unit::kIndex, day, 20).empty());
  CHECK(snapshot.add_scalar("vix", riskoff::Unit::kIndex, day, 20).find("already") != std::string::npos);
  CHECK(snapshot.input_count() == 1);
}

TEST_CASE("problems with the options or the snapshot are values that say which", "[api]") {
  const auto ruleset = small();
  const auto day = *riskoff::parse_time("2026-02-04");
  riskoff::Snapshot snapshot(day);
  REQUIRE(snapshot.add_series("vix", riskoff::Unit::kIndex, {day}, {30}).empty());

  riskoff::EvaluateOptions options;
  options.profile = "nobody";
  auto result = ruleset.evaluate(snapshot, options);
  CHECK_FALSE(result.ok());
  CHECK(result.problem == riskoff::EvaluateResult::Problem::kOptions);
  CHECK(result.errors.at(0) == "unknown profile `nobody`; profiles are: desk");

  options = {};
  options.overrides = {"calm=40", "hot=5bp"};
  result = ruleset.evaluate(snapshot, options);
  CHECK(result.problem == riskoff::EvaluateResult::Problem::kOptions);
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].find("override `hot=5bp`") == 0);
  options.overrides = {"calm=40"};
  result = ruleset.evaluate(snapshot, options);
  REQUIRE(result.ok());
  CHECK(result.decision->action() == "wait");

  riskoff::Snapshot wrong_unit(day);
  REQUIRE(wrong_unit.add_series("vix", riskoff::Unit::kBp, {day}, {30}).empty());
  result = ruleset.evaluate(wrong_unit);
  CHECK(result.problem == riskoff::EvaluateResult::Problem::kSnapshot);
  CHECK(result.errors.at(0) == "input `vix` is in bp but the ruleset declares it in index");
  result = ruleset.evaluate(riskoff::Snapshot(day));
  CHECK(result.errors.at(0) == "required input `vix` is missing from the snapshot");
}

TEST_CASE("decide() reports every problem with a typed kind and keeps the renderings asked for", "[api]") {
  const auto ruleset = small();
  const auto day = *riskoff::parse_time("2026-02-04");
  riskoff::Snapshot snapshot(day);
  REQUIRE(snapshot.add_series("vix", riskoff::Unit::kIndex, {day}, {30}).empty());

  auto decided = riskoff::decide(ruleset, snapshot, {.profile = "nobody"});
  REQUIRE_FALSE(decided.ok());
  CHECK(decided.error().kind == riskoff::ErrorKind::kUsage);
  CHECK(decided.error().messages.at(0) == "unknown profile `nobody`; profiles are: desk");
  // Every malformed override is named, not only the first.
  decided = riskoff::decide(ruleset, snapshot, {.overrides = {"hot=5bp", "calm=x", "calm=40"}});
  REQUIRE_FALSE(decided.ok());
  CHECK(decided.error().kind == riskoff::ErrorKind::kUsage);
  CHECK(decided.error().messages.size() == 2);
  decided = riskoff::decide(ruleset, riskoff::Snapshot(day));
  REQUIRE_FALSE(decided.ok());
  CHECK(decided.error().kind == riskoff::ErrorKind::kSnapshot);
  CHECK(std::string(riskoff::error_kind_name(decided.error().kind)) == "snapshot");
  CHECK_THROWS_AS(decided.value(), std::logic_error);

  decided = riskoff::decide(ruleset, snapshot, {.renderings = {riskoff::Format::kJson, riskoff::Format::kTextColour}});
  REQUIRE(decided.ok());
  CHECK(decided->action() == "reduce");
  CHECK(decided->render(riskoff::Format::kJson) == riskoff::render(decided->explanation(), riskoff::Format::kJson));
  const std::string coloured = decided->render(riskoff::Format::kTextColour);
  CHECK(coloured.find("\x1b[") != std::string::npos);
  CHECK(coloured != decided->render(riskoff::Format::kText));

  const auto dropped = riskoff::decide(ruleset, snapshot, {.node_values = riskoff::NodeValues::kDrop});
  REQUIRE(dropped.ok());
  CHECK(dropped->action() == "reduce");
  CHECK_FALSE(dropped->has_trace());

  const auto no_profiles = riskoff::Ruleset::compile("ruleset bare version \"1.0.0\"\ninput vix: series 1d index\n");
  REQUIRE(no_profiles.ok());
  decided = riskoff::decide(*no_profiles.ruleset, snapshot);
  REQUIRE_FALSE(decided.ok());
  CHECK(decided.error().kind == riskoff::ErrorKind::kRuleset);
}

TEST_CASE("snapshot JSON errors name the snapshot, the input and what was expected", "[api]") {
  auto read = riskoff::Snapshot::from_json("{\"format\": \"riskoff.snapshot/1\"", "today.json");
  REQUIRE_FALSE(read.ok());
  CHECK(read.errors.at(0).find("today.json") == 0);
  read = riskoff::Snapshot::from_json(
      R"({"format": "riskoff.snapshot/1", "as_of": "2026-02-04", "inputs": {"vix": {"unit": "index", "times": ["2026-02-04"], "values": [null]}}})",
      "today.json");
  REQUIRE_FALSE(read.ok());
  CHECK(read.errors.at(0).find("input `vix`, index 0") != std::string::npos);
  // Round trip: the canonical JSON of a snapshot reads back to the same decision.
  const auto original = example("2020-03-16");
  const auto again = riskoff::Snapshot::from_json(original.to_json(), "again.json");
  REQUIRE(again.ok());
  CHECK(again.snapshot->to_json() == original.to_json());
}

TEST_CASE("without a trace a decision keeps only its action", "[api]") {
  riskoff::EvaluateOptions options;
  options.keep_trace = false;
  const auto result = default_ruleset().evaluate(example("2020-03-16"), options);
  REQUIRE(result.ok());
  CHECK(result.decision->action() == "hedge");
  CHECK(result.decision->as_of() == "2020-03-16T21:00:00Z");
  CHECK_FALSE(result.decision->has_trace());
  CHECK_THROWS_AS(result.decision->explanation(), std::logic_error);
  CHECK_THROWS_AS(result.decision->values(), std::logic_error);
}

TEST_CASE("one Ruleset and one Decision shared by 8 threads give the single-threaded answers", "[api][threads]") {
  const auto ruleset = default_ruleset();
  const auto snapshot = example("2026-02-04");
  const auto reference = ruleset.evaluate(snapshot).decision->render(riskoff::Format::kJson);
  const auto shared = ruleset.evaluate(snapshot);  // its explanation is built by whichever thread asks first
  REQUIRE(shared.ok());
  constexpr int kThreads = 8;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      if (shared.decision->render(riskoff::Format::kJson) != reference) ++mismatches[static_cast<std::size_t>(t)];
      for (int round = 0; round < 5; ++round) {
        const auto result = ruleset.evaluate(snapshot);
        if (!result.ok() || result.decision->render(riskoff::Format::kJson) != reference) {
          ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == std::vector<int>(kThreads, 0));
}

TEST_CASE("the run-time version is the compiled one", "[api]") {
  CHECK(riskoff::library_version() == RISKOFF_VERSION_STRING);
  CHECK(riskoff::format_time(*riskoff::parse_time("2026-02-04")) == "2026-02-04T00:00:00Z");
  CHECK(riskoff::parse_unit("%") == riskoff::Unit::kPercent);
  CHECK(riskoff::unit_name(riskoff::Unit::kBp) == "bp");
  CHECK_FALSE(riskoff::parse_unit("furlong"));
}

TEST_CASE("the content hash covers imported files, as the CLI's explanations and the audit store do", "[api]") {
  const std::string folder = std::string(RISKOFF_BINARY_DIR) + "/api-closure";
  std::filesystem::create_directories(folder);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(folder + "/" + name, std::ios::binary) << text;
  };
  const std::string macro =
      "ruleset macro version \"1.0.0\"\n"
      "input us10y : series 1d percent \"yield\"\n"
      "param jump = 15bp \"shock\"\n"
      "signal rates_up \"Rates up\" = change(us10y, 5d) > jump\n";
  write("macro.rules", macro);
  write("root.rules",
        "ruleset root version \"1.0.0\"\n"
        "import \"macro.rules\" as macro\n"
        "profile p \"P\" {\n  decide\n    hedge when macro.rates_up\n    wait otherwise\n}\n");
  const auto first = riskoff::Ruleset::load(folder + "/root.rules");
  REQUIRE(first.ok());
  std::string changed = macro;
  changed.replace(changed.find("15bp"), 4, "20bp");
  write("macro.rules", changed);
  const auto second = riskoff::Ruleset::load(folder + "/root.rules");
  REQUIRE(second.ok());
  // Same root file, different import: a different ruleset.
  CHECK(first.ruleset->content_hash() != second.ruleset->content_hash());
  // Without imports the hash is the one every golden explanation shows.
  CHECK(default_ruleset().content_hash() == "491b6f3d7b13ee9035ae3e0600f26084211670d9c020e90c57b68ee9b03df02b");
}

TEST_CASE("times outside the years 0000-9999, non-UTF-8 names and NUL bytes are refused as values", "[api]") {
  const auto day = *riskoff::parse_time("2026-02-04");
  riskoff::Snapshot snapshot(day);
  const std::int64_t far = std::numeric_limits<std::int64_t>::max();
  CHECK(snapshot.add_scalar("vix", riskoff::Unit::kIndex, -far, 30).find("outside the years 0000 to 9999") !=
        std::string::npos);
  CHECK(snapshot.add_scalar("bad\xff", riskoff::Unit::kIndex, day, 30) == "an input name must be UTF-8 text");
  CHECK(snapshot.add_scalar("tab\there", riskoff::Unit::kIndex, day, 30) ==
        "an input name must not contain control characters");
  CHECK(snapshot.input_count() == 0);
  CHECK(snapshot.to_json().find("inputs") != std::string::npos);  // still writable: nothing bad got in

  // An as_of no snapshot JSON can hold: refused when inputs are added and when evaluated.
  riskoff::Snapshot distant(far);
  CHECK(distant.add_scalar("vix", riskoff::Unit::kIndex, 0, 30).find("as_of") != std::string::npos);
  const auto result = small().evaluate(distant);
  CHECK(result.problem == riskoff::EvaluateResult::Problem::kSnapshot);
  CHECK(result.errors.at(0).find("outside the years 0000 to 9999") != std::string::npos);

  const std::string with_nul = std::string(example("2020-03-16").to_json()) + std::string("\0junk", 5);
  const auto read = riskoff::Snapshot::from_json(with_nul, "nul.json");
  REQUIRE_FALSE(read.ok());
  CHECK(read.errors.at(0).find("nul.json: byte ") == 0);
}

TEST_CASE("a snapshot changed after a decision read it on another thread never races (threads)", "[api][threads]") {
  // The decision is read and released on another thread; the owner then adds an input. The
  // change must go to a private copy (ThreadSanitizer checks this under `make tsan`).
  const auto ruleset = small();
  const auto day = *riskoff::parse_time("2026-02-04");
  riskoff::Snapshot snapshot(day);
  REQUIRE(snapshot.add_series("vix", riskoff::Unit::kIndex, {day - 86400, day}, {18.0, 24.5}).empty());
  auto result = ruleset.evaluate(snapshot);
  REQUIRE(result.ok());
  std::size_t seen = 0;
  // The thread's copy of the lambda (and the decision in it) is destroyed on that thread.
  std::thread reader([decision = *result.decision, &seen] { seen = decision.values().size(); });
  result = {};
  reader.join();
  CHECK(seen == 5);
  CHECK(snapshot.add_scalar("funding", riskoff::Unit::kPercent, day, 0.08).empty());
  CHECK(ruleset.evaluate(snapshot).decision->action() == "hedge");
}

TEST_CASE("inputs the ruleset does not declare are ignored and listed once as not used", "[api]") {
  const auto ruleset = small();
  const auto day = *riskoff::parse_time("2026-02-04");
  riskoff::Snapshot snapshot(day);
  REQUIRE(snapshot.add_series("breadth50", riskoff::Unit::kPercent, {day}, {45}).empty());
  REQUIRE(snapshot.add_series("vix", riskoff::Unit::kIndex, {day}, {30}).empty());
  REQUIRE(snapshot.add_series("spx", riskoff::Unit::kIndex, {day}, {5000}).empty());
  const auto decided = riskoff::decide(ruleset, snapshot);
  REQUIRE(decided.ok());
  CHECK(decided->action() == "reduce");
  CHECK(decided->unused_inputs() == std::vector<std::string>{"breadth50", "spx"});
  CHECK(decided->explanation().unused_inputs == std::vector<std::string>{"breadth50", "spx"});
  const std::string text = decided->render(riskoff::Format::kText);
  CHECK(text.find("not used: breadth50, spx (the ruleset does not read them)\n") != std::string::npos);
  CHECK(decided->render(riskoff::Format::kJson).find(R"("unused_inputs": ["breadth50", "spx"])") != std::string::npos);
  // Without a trace too, and through the 0.1 entry point.
  const auto dropped = riskoff::decide(ruleset, snapshot, {.node_values = riskoff::NodeValues::kDrop});
  REQUIRE(dropped.ok());
  CHECK(dropped->unused_inputs().size() == 2);
  CHECK(ruleset.evaluate(snapshot).ok());
  // Nothing unused: no line, no JSON field.
  riskoff::Snapshot exact(day);
  REQUIRE(exact.add_series("vix", riskoff::Unit::kIndex, {day}, {30}).empty());
  const auto plain = riskoff::decide(ruleset, exact);
  REQUIRE(plain.ok());
  CHECK(plain->unused_inputs().empty());
  CHECK(plain->render(riskoff::Format::kText).find("not used") == std::string::npos);
  CHECK(plain->render(riskoff::Format::kJson).find("unused_inputs") == std::string::npos);
}

TEST_CASE("a date alone as an as-of is the end of that UTC day; a timestamp keeps its meaning", "[api]") {
  CHECK(riskoff::parse_as_of("2026-02-04") == *riskoff::parse_time("2026-02-04T23:59:59Z"));
  CHECK(riskoff::format_time(*riskoff::parse_as_of("2026-02-04")) == "2026-02-04T23:59:59Z");
  CHECK(riskoff::parse_as_of("2026-02-04T00:00:00Z") == *riskoff::parse_time("2026-02-04T00:00:00Z"));
  CHECK(riskoff::parse_as_of("2026-12-31") == *riskoff::parse_time("2027-01-01T00:00:00Z") - 1);
  CHECK_FALSE(riskoff::parse_as_of("2026-02-30").has_value());
  CHECK_FALSE(riskoff::parse_as_of("04/02/2026").has_value());
  CHECK_FALSE(riskoff::parse_as_of("").has_value());
}

TEST_CASE("an unknown profile or parameter gets the closest name", "[api]") {
  const auto ruleset = default_ruleset();
  const auto snapshot = example("2026-02-04");
  auto decided = riskoff::decide(ruleset, snapshot, {.profile = "swnig"});
  REQUIRE_FALSE(decided.ok());
  CHECK(decided.error().messages.at(0) ==
        "unknown profile `swnig`; did you mean `swing`? profiles are: short_term, swing, long_term");
  decided = riskoff::decide(ruleset, snapshot, {.overrides = {"yeild_jump=20bp"}});
  REQUIRE_FALSE(decided.ok());
  CHECK(decided.error().messages.at(0) == "override `yeild_jump=20bp`: unknown parameter `yeild_jump`; did you mean `yield_jump`?");
}
