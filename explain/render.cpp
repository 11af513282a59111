// The three renderings of an Explanation. Text fits 100 columns; markdown suits a PR comment;
// JSON follows docs/explanation.md and is byte-identical for the same input.
#include <cmath>
#include <cstdio>

#include "explain/explanation.hpp"
#include "support/json_writer.hpp"

namespace riskoff::explain {
namespace {

constexpr std::size_t kWidth = 100;

std::string upper(std::string text) {
  for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return text;
}

// A comparison, condition or value: shown as its own text, no heading.
bool is_leaf(ReasonKind kind) {
  return kind == ReasonKind::kComparison || kind == ReasonKind::kCondition || kind == ReasonKind::kValue;
}

bool is_combination(ReasonKind kind) {
  return kind == ReasonKind::kNot || kind == ReasonKind::kAny || kind == ReasonKind::kAll || kind == ReasonKind::kAtLeast;
}

std::string status_word(Truth truth, const char* on, const char* off) {
  return truth == Truth::kTrue ? on : truth == Truth::kFalse ? off : "unknown";
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char ch : text) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++width;
  }
  return width;
}

// Word-wraps `text` to the width, the first line after `first`, the rest indented by `indent`.
std::string wrap(const std::string& first, const std::string& text, std::size_t indent) {
  std::string out = first;
  std::size_t column = display_width(first);
  std::size_t at = 0;
  bool line_start = true;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    if (!line_start && column + 1 + display_width(word) > kWidth) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += display_width(word);
    line_start = false;
    at = end + 1;
  }
  return out + "\n";
}

class Text {
 public:
  explicit Text(Colour colour) : colour_(colour == Colour::kAlways) {}

  std::string paint(const std::string& text, const char* code) const {
    return colour_ ? std::string("\x1b[") + code + "m" + text + "\x1b[0m" : text;
  }
  std::string mark(Truth truth) const {
    if (truth == Truth::kTrue) return paint("[x]", "32");
    if (truth == Truth::kFalse) return paint("[ ]", "2");
    return paint("[?]", "33");
  }

  void reasons(std::string& out, const std::vector<Reason>& list, std::size_t indent) const {
    for (const auto& reason : list) {
      std::string head = std::string(indent, ' ') + mark(reason.truth) + " ";
      std::string body;
      if (is_leaf(reason.kind)) {
        body = reason.text.empty() ? reason.subject : reason.text;
        if (reason.kind == ReasonKind::kValue && reason.value) body = reason.subject + " = " + reason.value->text;
      } else if (is_combination(reason.kind)) {
        body = reason.kind == ReasonKind::kNot ? "not:" : reason.subject;
      } else {
        body = reason_kind_name(reason.kind) + (" " + reason.subject) + ": " + reason.title;
        if (!reason.text.empty()) body += " — " + reason.text;
      }
      out += wrap(head, body, indent + 4);
      reasons(out, reason.children, indent + 4);
    }
  }

 private:
  bool colour_;
};

// Pads to a display width (UTF-8 aware) for simple tables.
std::string pad(const std::string& text, std::size_t width) {
  const std::size_t shown = display_width(text);
  return shown >= width ? text : text + std::string(width - shown, ' ');
}

std::string clip(const std::string& text, std::size_t width) {
  if (display_width(text) <= width) return text;
  std::string out;
  std::size_t shown = 0;
  for (std::size_t at = 0; at < text.size() && shown + 1 < width; ++at) {
    if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80) ++shown;
    out += text[at];
  }
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80) != 0) out.pop_back();
  return out + "…";
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string meta_value(const GroupRow& row, const char* key) {
  for (const auto& [name, value] : row.meta) {
    if (name == key) return value;
  }
  return "";
}

std::size_t count_status(const Explanation& e, InputStatus status) {
  std::size_t count = 0;
  for (const auto& input : e.inputs) count += input.status == status ? 1 : 0;
  return count;
}

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
    json.end_object();
  }
  json.end_array();
}

// An empty string is absent: null in JSON.
void json_optional(JsonWriter& json, std::string_view text) {
  if (text.empty()) json.null();
  else json.string(text);
}

}  // namespace

std::string render_text(const Explanation& e, Colour colour) {
  const Text text(colour);
  std::string out;
  const std::string action = e.action.empty() ? "NO DECISION" : upper(e.action);
  out += text.paint(action, "1") + "  ·  profile " + e.profile + (e.profile_title.empty() ? "" : " (" + e.profile_title + ")") +
         "  ·  as of " + e.as_of + "\n";
  if (e.depends_on_unknown) {
    out += wrap(text.paint("depends on unknown data: ", "33"),
                "a higher-ranked decision could not be ruled out (see WHY NOT); it was not treated as false", 4);
  }
  if (!e.regime.empty()) out += "regime: " + e.regime + "\n";
  if (!e.advice.empty()) out += wrap("advice: ", e.advice, 8);
  out += "ruleset " + e.ruleset + " " + e.version + " (sha256 " + e.content_hash.substr(0, 12) + ")  ·  data: " +
         std::to_string(count_status(e, InputStatus::kOk)) + " inputs ok, " + std::to_string(count_status(e, InputStatus::kStale)) + " stale, " +
         std::to_string(count_status(e, InputStatus::kMissing)) + " missing\n";
  if (!e.unused_inputs.empty()) out += wrap("not used: ", join(e.unused_inputs, ", ") + " (the ruleset does not read them)", 10);

  out += "\n" + text.paint("BECAUSE", "1") + "\n";
  out += wrap("  " + e.because.action + " ", e.because.condition == "otherwise" ? "otherwise (no decision above it holds)"
                                                                                : "when " + e.because.condition, 6);
  text.reasons(out, e.because.reasons, 4);

  out += "\n" + text.paint("WHY NOT", "1") + "\n";
  if (e.why_not.empty()) out += "  nothing ranks above " + e.action + "\n";
  for (const auto& clause : e.why_not) {
    out += wrap("  " + text.mark(clause.truth) + " " + clause.action + " ", "when " + clause.condition, 6);
    text.reasons(out, clause.reasons, 6);
  }

  if (!e.checklist.empty()) {
    out += "\n" + text.paint("CHECKLIST", "1") + "\n";
    for (const auto& row : e.checklist) {
      const std::string status = status_word(row.status, "RISK-OFF", "clear");
      std::string line = "  " + pad(std::to_string(row.step) + ". " + row.title, 34) +
                         pad(row.minutes ? std::to_string(row.minutes) + " min" : "", 8) + pad(status, 10);
      std::string figures = row.because;
      if (figures.empty()) figures = join(row.members_on, ", ");
      if (!row.members_unknown.empty()) figures += (figures.empty() ? "" : "; ") + ("unknown: " + join(row.members_unknown, ", "));
      out += wrap(line, figures, 56);
    }
  }

  if (!e.drivers.empty()) {
    out += "\n" + text.paint("DRIVERS", "1") + "\n";
    out += "  " + pad("driver", 24) + pad("status", 9) + pad("equities", 22) + pad("crypto", 22) + "watch\n";
    for (const auto& row : e.drivers) {
      out += "  " + pad(clip(row.title, 23), 24) + pad(status_word(row.status, "ON", "off"), 9) +
             pad(clip(meta_value(row, "equities"), 21), 22) + pad(clip(meta_value(row, "crypto"), 21), 22) +
             clip(meta_value(row, "watch"), 21) + "\n";
    }
  }

  if (!e.closest.empty()) {
    out += "\n" + text.paint("CLOSEST TO FLIPPING", "1") + "\n";
    for (const auto& flip : e.closest) {
      char distance[32];
      std::snprintf(distance, sizeof distance, "%5.1f%%", flip.distance * 100);
      out += wrap("  " + std::string(distance) + "  " + text.mark(flip.truth) + " " + flip.subject + ": ", flip.text, 14);
    }
  }

  bool any_bad = false;
  for (const auto& input : e.inputs) any_bad = any_bad || input.status != InputStatus::kOk;
  if (any_bad) {
    out += "\n" + text.paint("UNKNOWN OR STALE INPUTS", "1") + "\n";
    for (const auto& input : e.inputs) {
      if (input.status == InputStatus::kOk) continue;
      std::string line = "  " + input.name + ": " + input_status_name(input.status);
      if (!input.last_time.empty()) {
        char age[32];
        std::snprintf(age, sizeof age, "%.0fh", input.age_hours);
        line += " (last " + input.last_time + ", " + age + " old)";
      }
      out += wrap(line + "; touches: ", input.touched.empty() ? "nothing decisive" : join(input.touched, ", "), 6);
    }
  }
  return out;
}

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
      else if (is_combination(reason.kind)) body = reason.kind == ReasonKind::kNot ? "not" : "`" + reason.subject + "`";
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
    for (const auto& flip : e.closest) {
      char distance[32];
      std::snprintf(distance, sizeof distance, "%.1f%%", flip.distance * 100);
      out += "- " + std::string(distance) + " from flipping — `" + flip.subject + "`: `" + flip.text + "`\n";
    }
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
  return json.take() + "\n";
}

}  // namespace riskoff::explain
