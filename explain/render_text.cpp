// The verbose text form (`riskoff eval --verbose`): every reason down to the numbers, why not
// each action ranked above, the checklist, the drivers table (cells wrap, nothing is cut), the
// comparisons closest to changing the decision and the inputs that were missing or stale.
#include <algorithm>
#include <cstdio>
#include <string>

#include "explain/explanation.hpp"
#include "explain/text_layout.hpp"

namespace riskoff::explain {
namespace {

using namespace detail;  // NOLINT: the layout helpers of this folder

void reasons(const Painter& painter, std::string& out, const std::vector<Reason>& list, std::size_t indent) {
  for (const auto& reason : list) {
    const std::string head = std::string(indent, ' ') + painter.mark(reason.truth) + " ";
    std::string body;
    if (is_leaf(reason.kind)) {
      body = reason.text.empty() ? reason.subject : reason.text;
      if (reason.kind == ReasonKind::kValue && reason.value) body = reason.subject + " = " + reason.value->text;
    } else if (is_combination(reason.kind)) {
      // A `not` cut at the depth limit has no children to follow "not:": its source stands in.
      body = reason.kind != ReasonKind::kNot ? reason.subject : reason.children.empty() ? reason.subject : "not:";
    } else {
      body = reason_kind_name(reason.kind) + (" " + reason.subject) + ": " + reason.title;
      if (!reason.text.empty()) body += " — " + reason.text;
    }
    out += wrap(head, body, indent + 4);
    reasons(painter, out, reason.children, indent + 4);
  }
}

// Columns of fixed width whose cells wrap onto as many lines as the longest needs.
std::string table_row(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
  std::vector<std::vector<std::string>> wrapped;
  std::size_t height = 1;
  for (std::size_t column = 0; column < cells.size(); ++column) {
    wrapped.push_back(wrap_cell(cells[column], widths[column] - 1));
    height = std::max(height, wrapped.back().size());
  }
  std::string out;
  for (std::size_t line = 0; line < height; ++line) {
    std::string text = "  ";
    for (std::size_t column = 0; column < cells.size(); ++column) {
      const std::string cell = line < wrapped[column].size() ? wrapped[column][line] : "";
      text += column + 1 < cells.size() ? pad(cell, widths[column]) : cell;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  return out;
}

}  // namespace

std::string render_text_verbose(const Explanation& e, Colour colour) {
  const Painter painter(colour);
  std::string out;
  out += painter.action(e.action) + "  ·  profile " + e.profile + (e.profile_title.empty() ? "" : " (" + e.profile_title + ")") +
         "  ·  as of " + e.as_of + "\n";
  if (e.depends_on_unknown) {
    out += wrap(painter.paint("depends on unknown data: ", "33"),
                "a higher-ranked decision could not be ruled out (see WHY NOT); it was not treated as false", 4);
  }
  if (!e.regime.empty()) out += "regime: " + e.regime + "\n";
  if (!e.advice.empty()) out += wrap("advice: ", e.advice, 8);
  out += ruleset_lines(e, "inputs ok");

  out += "\n" + painter.paint("BECAUSE", "1") + "\n";
  out += wrap("  " + e.because.action + " ", because_clause(e.because.condition), 6);
  reasons(painter, out, e.because.reasons, 4);

  out += "\n" + painter.paint("WHY NOT", "1") + "\n";
  if (e.why_not.empty()) out += "  nothing ranks above " + e.action + "\n";
  for (const auto& clause : e.why_not) {
    out += wrap("  " + painter.mark(clause.truth) + " " + clause.action + " ", "when " + clause.condition, 6);
    reasons(painter, out, clause.reasons, 6);
  }

  if (!e.checklist.empty()) {
    out += "\n" + painter.paint("CHECKLIST", "1") + "\n";
    for (const auto& row : e.checklist) {
      const std::string status = status_word(row.status, "RISK-OFF", "clear");
      const std::string line = "  " + pad(std::to_string(row.step) + ". " + row.title, 34) +
                               pad(row.minutes ? std::to_string(row.minutes) + " min" : "", 8) + pad(status, 10);
      std::string figures = row.because;
      if (figures.empty()) figures = join(row.members_on, ", ");
      if (!row.why.empty()) figures += (figures.empty() ? "" : "; on because ") + join(row.why, "; ");
      if (!row.members_unknown.empty()) figures += (figures.empty() ? "" : "; ") + ("unknown: " + join(row.members_unknown, ", "));
      out += wrap(line, figures, 56);
    }
  }

  if (!e.drivers.empty()) {
    out += "\n" + painter.paint("DRIVERS", "1") + "\n";
    const std::vector<std::size_t> widths = {24, 9, 22, 22, 21};
    out += table_row({"driver", "status", "equities", "crypto", "watch"}, widths);
    for (const auto& row : e.drivers) {
      out += table_row({row.title, status_word(row.status, "ON", "off"), meta_value(row, "equities"), meta_value(row, "crypto"),
                        meta_value(row, "watch")},
                       widths);
    }
  }

  if (!e.closest.empty()) {
    out += "\n" + painter.paint("CLOSEST TO CHANGING THE DECISION", "1") + "\n";
    for (const auto& flip : e.closest) {
      out += wrap("  " + painter.mark(flip.truth) + " " + flip.subject + ": ", flip.text + " — " + flip_consequence(flip), 8);
    }
  }

  if (has_bad_inputs(e)) {
    out += "\n" + painter.paint("UNKNOWN OR STALE INPUTS", "1") + "\n";
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

}  // namespace riskoff::explain
