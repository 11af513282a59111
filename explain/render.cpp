// The three renderings of an Explanation. Text fits 100 columns; markdown suits a PR comment;
// JSON follows docs/explanation.md and is byte-identical for the same input.
#include <cmath>
#include <cstdio>

#include "explain/explanation.hpp"
#include "explain/text_layout.hpp"
#include "support/json_writer.hpp"

namespace riskoff::explain {
namespace {

using namespace detail;  // NOLINT: the layout helpers of this folder

// ---- JSON ------------------------------------------------------------------------------------
using support::JsonLayout;
using support::JsonWriter;

void json_list(JsonWriter& json, const std::vector<std::string>& items) {
  json.begin_array(JsonLayout::kSpaced);
  for (const auto& item : items) json.string(item);
  json.end_array();
}

// Unknown is null: a truth of three values in JSON's two booleans.
void json_truth(JsonWriter& json, Truth truth) {
  if (truth == Truth::kUnknown) json.null();
  else json.boolean(truth == Truth::kTrue);
}

void json_figure(JsonWriter& json, const std::optional<Figure>& figure) {
  if (!figure) {
    json.null();
    return;
  }
  json.begin_object(JsonLayout::kSpaced);
  if (!figure->known) {
    json.field_bool("known", false).field("text", "unknown").end_object();
    return;
  }
  json.field_number("value", figure->value);
  if (figure->upper != figure->value) json.field_number("upper", figure->upper);
  json.field("unit", engine::unit_name(figure->unit)).field("text", figure->text).end_object();
}

void json_reasons(JsonWriter& json, const std::vector<Reason>& reasons) {
  json.begin_array();
  for (const auto& reason : reasons) {
    json.begin_object();
    json.field("kind", reason_kind_name(reason.kind));
    json.field("subject", reason.subject);
    if (!reason.title.empty()) json.field("title", reason.title);
    if (!reason.text.empty()) json.field("text", reason.text);
    json_truth(json.key("truth"), reason.truth);
    if (reason.value) json_figure(json.key("value"), reason.value);
    if (reason.threshold) json_figure(json.key("threshold"), reason.threshold);
    if (reason.margin) json_figure(json.key("margin"), reason.margin);
    if (!reason.children.empty()) json_reasons(json.key("because"), reason.children);
    json.end_object();
  }
  json.end_array();
}

void json_clause(JsonWriter& json, const ClauseExplanation& clause) {
  json.begin_object();
  json.field("action", clause.action);
  json.field("condition", clause.condition);
  json_truth(json.key("truth"), clause.truth);
  if (!clause.regime.empty()) json.field("regime", clause.regime);
  if (!clause.advice.empty()) json.field("advice", clause.advice);
  json_reasons(json.key("because"), clause.reasons);
  json.end_object();
}

void json_groups(JsonWriter& json, const std::vector<GroupRow>& rows) {
  json.begin_array();
  for (const auto& row : rows) {
    json.begin_object();
    json.field("name", row.name);
    json.field("title", row.title);
    json_truth(json.key("on"), row.status);
    if (row.step != 0) json.field_integer("step", row.step);
    if (row.minutes != 0) json.field_integer("minutes", row.minutes);
    if (!row.because.empty()) json.field("because", row.because);
    for (const auto& [key, value] : row.meta) json.field(key, value);
    json_list(json.key("members_on"), row.members_on);
    json_list(json.key("members_unknown"), row.members_unknown);
    json_list(json.key("why"), row.why);
    json.end_object();
  }
  json.end_array();
}

// An empty string is absent: null in JSON.
void json_optional(JsonWriter& json, std::string_view text) {
  if (text.empty()) json.null();
  else json.string(text);
}

// The bytes json_reasons writes for `reasons` at `indent` spaces, from a little above: a field
// per line, its key, quotes and indentation, and every text as it is (escapes are rare).
std::size_t json_reasons_size(const std::vector<Reason>& reasons, std::size_t indent) {
  constexpr std::size_t kLine = 16;  // a key, its quotes, ": ", the comma and the newline
  std::size_t bytes = 0;
  for (const auto& reason : reasons) {
    bytes += 8 * (indent + 2 + kLine) + reason.subject.size() + reason.title.size() + reason.text.size();
    for (const auto* figure : {&reason.value, &reason.threshold, &reason.margin}) {
      if (*figure) bytes += indent + 2 + 4 * kLine + (*figure)->text.size();
    }
    bytes += json_reasons_size(reason.children, indent + 4);
  }
  return bytes;
}

std::size_t json_list_size(const std::vector<std::string>& items) {
  std::size_t bytes = 2;
  for (const auto& item : items) bytes += item.size() + 4;
  return bytes;
}

std::size_t json_groups_size(const std::vector<GroupRow>& rows) {
  std::size_t bytes = 0;
  for (const auto& row : rows) {
    bytes += 12 * 24 + row.name.size() + row.title.size() + row.because.size();
    for (const auto& [key, value] : row.meta) bytes += 24 + key.size() + value.size();
    bytes += json_list_size(row.members_on) + json_list_size(row.members_unknown) + json_list_size(row.why);
  }
  return bytes;
}

// About what render_json writes, reserved up front: at 100,000 signals the document is 48 MB
// and grown by doubling it was copied through blocks of 8, 16, 32 and 64 MiB, each past glibc's
// mmap threshold and so faulted in afresh on every render (issue 19).
std::size_t json_size_hint(const Explanation& e) {
  std::size_t bytes = 1024 + e.because.condition.size() + json_reasons_size(e.because.reasons, 6);
  for (const auto& clause : e.why_not) bytes += 256 + clause.condition.size() + json_reasons_size(clause.reasons, 8);
  bytes += json_groups_size(e.checklist) + json_groups_size(e.drivers) + json_groups_size(e.regimes);
  for (const auto& flip : e.closest) bytes += 256 + flip.subject.size() + flip.text.size() + flip.blocker.size();
  for (const auto& input : e.inputs) {
    bytes += 160 + input.name.size() + input.source.size() + input.last_value.size() + json_list_size(input.touched);
  }
  return bytes + json_list_size(e.unused_inputs);
}

}  // namespace

std::string render_markdown(const Explanation& e) {
  std::string out;
  out += "## " + (e.action.empty() ? std::string("NO DECISION") : upper(e.action)) + " — profile `" + e.profile + "`, as of " +
         e.as_of + "\n\n";
  if (e.depends_on_unknown) out += "> **Depends on unknown data**: a higher-ranked decision could not be ruled out.\n\n";
  if (!e.regime.empty()) out += "- **Regime:** " + e.regime + "\n";
  if (!e.advice.empty()) out += "- **Advice:** " + e.advice + "\n";
  out += "- **Ruleset:** `" + e.ruleset + "` " + e.version + " (sha256 `" + e.content_hash.substr(0, 12) + "`)\n";
  out += "- **Data:** " + std::to_string(count_status(e, InputStatus::kOk)) + " inputs ok, " + std::to_string(count_status(e, InputStatus::kStale)) +
 " stale, " + std::to_string(count_status(e, InputStatus::kMissing)) + " missing\n";
  if (!e.unused_inputs.empty()) out += "- **Not used:** `" + join(e.unused_inputs, "`, `") + "` (the ruleset does not read them)\n";
  out += "\n";
  auto reasons = [](std::string& text, const std::vector<Reason>& list, int depth, auto&& self) -> void {
    for (const auto& reason : list) {
      const char* mark = reason.truth == Truth::kTrue ? "✅" : reason.truth == Truth::kFalse ? "❌" : "❔";
      std::string body;
      if (reason.kind == ReasonKind::kComparison || reason.kind == ReasonKind::kCondition)
        body = "`" + (reason.text.empty() ? reason.subject : reason.text) + "`";
      else if (reason.kind == ReasonKind::kValue) body = "`" + reason.subject + "`";
      else if (is_combination(reason.kind))
        body = reason.kind == ReasonKind::kNot && !reason.children.empty() ? "not" : "`" + reason.subject + "`";
      else body = reason_kind_name(reason.kind) + (" `" + reason.subject + "` — ") + reason.title + (reason.text.empty() ? "" : ": " + reason.text);
      text += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "- " + mark + " " + body + "\n";
      self(text, reason.children, depth + 1, self);
    }
  };
  out += "### Because\n\n`" + e.because.action + (e.because.condition == "otherwise" ? " otherwise" : " when " + e.because.condition) +
         "`\n\n";
  reasons(out, e.because.reasons, 0, reasons);
  out += "\n### Why not\n\n";
  if (e.why_not.empty()) out += "Nothing ranks above `" + e.action + "`.\n";
  for (const auto& clause : e.why_not) {
    out += "- `" + clause.action + " when " + clause.condition + "` is " +
           (clause.truth == Truth::kFalse ? std::string("false") : std::string("unknown")) + "\n";
    std::string nested;
    reasons(nested, clause.reasons, 1, reasons);
    out += nested;
  }
  if (!e.checklist.empty()) {
    out += "\n### Checklist\n\n| step | check | minutes | status | figures |\n|---|---|---|---|---|\n";
    for (const auto& row : e.checklist) {
      std::string figures = row.because.empty() ? join(row.members_on, ", ") : row.because;
      if (!row.why.empty()) figures += " (" + join(row.why, "; ") + ")";
      out += "| " + std::to_string(row.step) + " | " + row.title + " | " + std::to_string(row.minutes) + " | " +
             status_word(row.status, "risk-off", "clear") + " | " + figures + " |\n";
    }
  }
  if (!e.drivers.empty()) {
    out += "\n### Drivers\n\n| driver | status | equities impact | crypto impact | what to watch |\n|---|---|---|---|---|\n";
    for (const auto& row : e.drivers) {
      out += "| " + row.title + " | " + status_word(row.status, "**on**", "off") + " | " + meta_value(row, "equities") + " | " +
             meta_value(row, "crypto") + " | " + meta_value(row, "watch") + " |\n";
    }
  }
  if (!e.closest.empty()) {
    out += "\n### Closest to flipping\n\n";
    for (const auto& flip : e.closest) out += "- `" + flip.subject + "`: `" + flip.text + "` — " + flip_consequence(flip) + "\n";
  }
  bool any_bad = false;
  for (const auto& input : e.inputs) any_bad = any_bad || input.status != InputStatus::kOk;
  if (any_bad) {
    out += "\n### Unknown or stale inputs\n\n";
    for (const auto& input : e.inputs) {
      if (input.status == InputStatus::kOk) continue;
      out += "- `" + input.name + "`: " + input_status_name(input.status) + (input.last_time.empty() ? "" : " (last " + input.last_time + ")") +
             "; touches " + (input.touched.empty() ? std::string("nothing decisive") : join(input.touched, ", ")) + "\n";
    }
  }
  return out;
}

std::string render_json(const Explanation& e) {
  JsonWriter json;
  json.reserve(json_size_hint(e));
  json.begin_object();
  json.field("schema", kExplanationSchema);
  json.field("action", e.action);
  json.field("profile", e.profile);
  json.field("as_of", e.as_of);
  json_optional(json.key("regime"), e.regime);
  json_optional(json.key("advice"), e.advice);
  json.field_bool("depends_on_unknown", e.depends_on_unknown);
  json.key("ruleset").begin_object();
  json.field("name", e.ruleset).field("version", e.version).field("sha256", e.content_hash);
  json.end_object();
  json_clause(json.key("because"), e.because);
  json.key("why_not").begin_array();
  for (const auto& clause : e.why_not) json_clause(json, clause);
  json.end_array();
  json_groups(json.key("checklist"), e.checklist);
  json_groups(json.key("drivers"), e.drivers);
  json_groups(json.key("regimes"), e.regimes);
  json.key("closest_to_flipping").begin_array();
  for (const auto& flip : e.closest) {
    json.begin_object(JsonLayout::kSpaced).field("subject", flip.subject).field("text", flip.text);
    json.field_number("distance", flip.distance);
    json.field("gap", flip.gap);
    json_optional(json.key("share"), flip.share);
    json_optional(json.key("changes_to"), flip.changes_to);
    json_optional(json.key("blocker"), flip.blocker);
    json_truth(json.key("truth"), flip.truth);
    json.end_object();
  }
  json.end_array();
  json.key("inputs").begin_array();
  for (const auto& input : e.inputs) {
    json.begin_object(JsonLayout::kSpaced).field("name", input.name).field("status", input_status_name(input.status));
    if (!input.source.empty()) json.field("source", input.source);
    if (!input.last_time.empty()) {
      json.field("last_time", input.last_time).field_number("age_hours", input.age_hours);
      json.field("last_value", input.last_value);
    }
    if (!input.touched.empty()) json_list(json.key("touches"), input.touched);
    json.end_object();
  }
  json.end_array();
  // Present only when the snapshot had inputs the ruleset does not declare.
  if (!e.unused_inputs.empty()) json_list(json.key("unused_inputs"), e.unused_inputs);
  json.end_object();
  // Moved out and extended, not `take() + "\n"`: that copied the whole document (tens of MB at
  // 100,000 signals) while the original was still alive.
  std::string text = json.take();
  text += '\n';
  return text;
}

}  // namespace riskoff::explain
