// Shared by the audit tests: a real decision (the default ruleset on an example snapshot) ready
// to record, and raw SQL on a store file for the tampering tests.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>

#include "adapters/snapshot_json.hpp"
#include "audit/store.hpp"
#include "audit/trace.hpp"
#include "explain/explanation.hpp"

namespace riskoff::testing {

struct RecordedInput {
  std::shared_ptr<const engine::Plan> plan;
  audit::RulesetText text;
  audit::DecisionInput input;
};

inline RecordedInput decision_input(const std::string& snapshot_path, const std::string& profile) {
  RecordedInput out;
  auto checked = engine::check_file("rulesets/riskoff.rules");
  std::shared_ptr<const engine::CheckedRuleset> ruleset = std::move(checked.ruleset);
  out.text = audit::ruleset_text(*ruleset);
  out.plan = engine::Plan::compile(ruleset);
  const auto read = adapters::read_snapshot_file(snapshot_path);
  const auto bound = engine::bind(*out.plan, read.snapshot);
  engine::Evaluation evaluation;
  engine::evaluate(*out.plan, bound.bound, static_cast<std::uint32_t>(out.plan->find_profile(profile)), {}, evaluation);
  const auto explanation = explain::explain(*out.plan, bound.bound, evaluation, out.text.hash);
  out.input.as_of = explanation.as_of;
  out.input.profile = explanation.profile;
  out.input.action = explanation.action;
  out.input.ruleset = &out.text;
  out.input.snapshot_json = adapters::write_snapshot_json(read.snapshot, adapters::JsonLayout::kCompact);
  out.input.engine_version = "test";
  out.input.trace = audit::serialize_trace(*out.plan, evaluation, explanation.action);
  out.input.explanation_text = explain::render_text(explanation, explain::Colour::kNever);
  out.input.explanation_markdown = explain::render_markdown(explanation);
  out.input.explanation_json = explain::render_json(explanation);
  return out;
}

// Raw SQL on the store file, as someone editing it by hand would.
inline void tamper(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec(sql);
}

}  // namespace riskoff::testing
