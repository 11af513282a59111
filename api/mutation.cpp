// mutate_rules(): the ruleset's tests against every mutant of its plan (engine/mutants.hpp), on
// worker threads. Each mutant is a Ruleset handle over a mutated copy of the plan, so its tests
// decide through decide() exactly as the rules' own tests do. Results are stored by the mutant's
// position in the list, never in completion order: the report does not depend on the threads.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "api/mutant_suggestion.hpp"
#include "riskoff/coverage.hpp"
#include "support/json_writer.hpp"

namespace riskoff {
namespace {

std::string where(const RuleTestOutcome& test) { return test.file + ":" + std::to_string(test.line) + ": test \"" + test.name + "\""; }

// The first test (file order) that fails on the mutant, or "" when every test passes.
std::string first_failure(const Ruleset& mutant, const std::vector<PreparedRuleTest>& tests) {
  for (const auto& test : tests) {
    const RuleTestOutcome outcome = run_prepared_rule_test(mutant, test, nullptr, AfterFailure::kStop);
    if (!outcome.passed()) return where(outcome);
  }
  return "";
}

MutantOutcome describe(const engine::Plan& plan, const engine::Mutant& mutant) {
  const SourceFile& file = plan.ruleset().sources.file(mutant.source);
  const LineCol at = file.line_col(mutant.span.begin);
  return {.kind = std::string(engine::mutant_kind_name(mutant.kind)), .file = std::string(file.name()),
          .line = at.line, .column = at.column, .from = mutant.from, .to = mutant.to, .context = mutant.context,
          .owner = mutant.owner};
}

std::string score_text(double score) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", score);
  return text;
}

std::string indented(const std::string& text) {
  std::string out = "    ";
  for (const char ch : text) {
    out += ch;
    if (ch == '\n') out += "    ";
  }
  return out + "\n";
}

std::string render_text(const MutationReport& report) {
  const std::size_t survived = report.mutants.size() - report.killed();
  std::string out = "mutation testing of " + report.ruleset + ": " + std::to_string(report.tests.size()) + " tests, " +
                    std::to_string(report.mutants.size()) + " mutants, " + std::to_string(report.killed()) + " killed, " +
                    std::to_string(survived) + " survived: score " + score_text(report.score()) + "\n";
  if (survived == 0) return out + "every mutant was killed by a test\n";
  out += "survivors:\n";
  for (const auto& mutant : report.mutants) {
    if (mutant.killed) continue;
    out += mutant.file + ":" + std::to_string(mutant.line) + ":" + std::to_string(mutant.column) + ": " + mutant.kind +
           " `" + mutant.from + "` -> `" + mutant.to + "` in `" + mutant.context + "` (" + mutant.owner + ")\n";
    out += indented(mutant.suggestion);
  }
  return out;
}

std::string render_json(const MutationReport& report) {
  support::JsonWriter json;
  json.begin_object();
  json.field("ruleset", report.ruleset);
  json.key("totals").begin_object(support::JsonLayout::kSpaced);
  json.field_integer("tests", static_cast<std::int64_t>(report.tests.size()));
  json.field_integer("mutants", static_cast<std::int64_t>(report.mutants.size()));
  json.field_integer("killed", static_cast<std::int64_t>(report.killed()));
  json.field_integer("survived", static_cast<std::int64_t>(report.mutants.size() - report.killed()));
  json.field_number("score", std::round(report.score() * 10) / 10).end_object();
  json.key("mutants").begin_array();
  for (const auto& mutant : report.mutants) {
    json.begin_object(support::JsonLayout::kSpaced);
    json.field("kind", mutant.kind).field("file", mutant.file);
    json.field_integer("line", mutant.line).field_integer("column", mutant.column);
    json.field("from", mutant.from).field("to", mutant.to).field("context", mutant.context).field("owner", mutant.owner);
    json.field_bool("killed", mutant.killed);
    if (mutant.killed) json.field("killed_by", mutant.killed_by);
    else json.field("suggestion", mutant.suggestion);
    json.end_object();
  }
  json.end_array().end_object();
  return json.take() + "\n";
}

}  // namespace

std::size_t MutationReport::killed() const {
  return static_cast<std::size_t>(
      std::count_if(mutants.begin(), mutants.end(), [](const MutantOutcome& mutant) { return mutant.killed; }));
}

double MutationReport::score() const {
  return mutants.empty() ? 100.0 : 100.0 * static_cast<double>(killed()) / static_cast<double>(mutants.size());
}

std::string MutationReport::render(TestReportFormat format) const {
  return format == TestReportFormat::kJson ? render_json(*this) : render_text(*this);
}

Result<MutationReport> mutate_rules(const Ruleset& ruleset, const MutationOptions& options) {
  const std::shared_ptr<const Ruleset::Impl>& rules = ApiAccess::shared(ruleset);
  const engine::Plan& plan = *rules->plan;
  const auto tests = prepare_rule_tests(ruleset);
  MutationReport report;
  report.ruleset = std::string(plan.ruleset().sources.file(plan.ruleset().root().source).name());
  OriginalRun original(plan);
  std::vector<std::string> failing;
  for (std::size_t test = 0; test < tests.size(); ++test) {
    const EvaluationWatcher watcher = [&original, test](std::int64_t, const engine::Evaluation& evaluation) {
      original.record(test, evaluation);
    };
    report.tests.push_back(run_prepared_rule_test(ruleset, tests[test], &watcher));
    if (!report.tests.back().passed()) failing.push_back(where(report.tests.back()) + " fails");
  }
  if (!failing.empty()) {
    failing.insert(failing.begin(), "mutation testing needs tests that pass on the rules as written");
    return Error(ErrorKind::kRuleset, std::move(failing));
  }

  const auto mutants = engine::list_mutants(plan);
  report.mutants.resize(mutants.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t index = next++; index < mutants.size(); index = next++) {
      auto impl = std::make_shared<Ruleset::Impl>(*rules);
      impl->plan = engine::apply_mutant(plan, mutants[index]);
      const Ruleset mutant = ApiAccess::make_ruleset(std::move(impl));
      MutantOutcome outcome = describe(plan, mutants[index]);
      outcome.killed_by = first_failure(mutant, tests);
      outcome.killed = !outcome.killed_by.empty();
      if (!outcome.killed) outcome.suggestion = suggest_test(mutants[index], original, tests, ruleset, mutant);
      report.mutants[index] = std::move(outcome);  // each slot written by one thread only
    }
  };
  const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
  const auto jobs = static_cast<std::size_t>(options.jobs == 0 ? hardware : options.jobs);
  std::vector<std::jthread> workers;
  for (std::size_t job = 1; job < std::min(jobs, mutants.size()); ++job) workers.emplace_back(work);
  work();
  workers.clear();  // joins
  return report;
}

}  // namespace riskoff
