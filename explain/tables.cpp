// The group tables, the closest-to-flipping list and the inputs table of an explanation.
#include "explain/tables.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

namespace riskoff::explain::detail {
namespace {

using engine::NodeOp;
using engine::NodeValue;
using engine::PlanNode;
using engine::SymbolKind;

// The true comparisons under a true group, as "dxy_move 1.64% > dollar_jump 1.00%": why it is on.
void collect_why(const Reason& reason, GroupRow& row, std::unordered_set<std::string>& seen) {
  if (reason.truth != Truth::kTrue) return;
  if (reason.kind == ReasonKind::kComparison) {
    std::string text = reason.text;
    if (const auto margin = text.find(", margin"); margin != std::string::npos) text.resize(margin);
    if (seen.insert(text).second) row.why.push_back(std::move(text));  // by hash: a group may have 10,000 members
    if (!reason.children.empty()) return;  // a count: its members are named by the comparison
  }
  for (const auto& child : reason.children) collect_why(child, row, seen);
}

void collect_members(const Reason& reason, GroupRow& row) {
  if (reason.kind == ReasonKind::kSignal || reason.kind == ReasonKind::kDriver || reason.kind == ReasonKind::kCheck ||
      reason.kind == ReasonKind::kRegime || reason.kind == ReasonKind::kGroup) {
    if (reason.truth == Truth::kTrue) row.members_on.push_back(reason.subject);
    else if (reason.truth == Truth::kUnknown) row.members_unknown.push_back(reason.subject);
    return;
  }
  if (reason.kind == ReasonKind::kComparison && reason.children.empty()) {
    if (reason.truth == Truth::kTrue) row.members_on.push_back(reason.text);
    else if (reason.truth == Truth::kUnknown) row.members_unknown.push_back(reason.subject);
    return;
  }
  for (const auto& child : reason.children) collect_members(child, row);
}

// Per input slot, the signals and groups left unknown by that input when it is missing or
// stale (empty for inputs that are fine). One pass over the plan carrying, per node, the
// not-ok inputs it reads (sorted, usually none or one), so the cost follows the plan's size
// and the answer's, not inputs x nodes.
std::vector<std::vector<std::string>> touched_by_slot(const NodeView& view) {
  const auto& plan = view.plan();
  const auto& nodes = plan.nodes();
  const auto& rs = view.ruleset();
  const auto& status = view.snapshot().status;
  std::vector<std::vector<std::string>> touched(plan.inputs().size());
  const auto not_ok = [&](std::uint32_t slot) { return status[slot] != engine::InputStatus::kOk; };
  if (std::none_of(status.begin(), status.end(), [](auto s) { return s != engine::InputStatus::kOk; })) return touched;
  std::vector<std::vector<std::uint32_t>> taint(nodes.size());
  const auto add = [](std::vector<std::uint32_t>& into, std::uint32_t slot) {
    const auto at = std::lower_bound(into.begin(), into.end(), slot);
    if (at == into.end() || *at != slot) into.insert(at, slot);
  };
  for (std::size_t index = 0; index < nodes.size(); ++index) {
    const PlanNode& node = nodes[index];
    auto& own = taint[index];
    if ((node.op == NodeOp::kInput || node.op == NodeOp::kWindow) && not_ok(node.a)) add(own, node.a);
    if (node.op == NodeOp::kWindow && engine::builtins()[node.fn].shape == engine::BuiltinShape::kPairWindow &&
        not_ok(node.c)) {
      add(own, node.c);
    }
    // Every child, references and score weights included: an unknown weight leaves the score unknown.
    engine::for_each_child(plan, node, [&](std::uint32_t child, engine::ChildRole) {
      for (const std::uint32_t slot : taint[child]) add(own, slot);
    });
  }
  for (std::size_t symbol = 0; symbol < rs.symbols.size(); ++symbol) {
    const auto root = plan.symbol_nodes()[symbol];
    const auto kind = rs.symbols[symbol].kind;
    if (root < 0 || (kind != SymbolKind::kSignal && kind != SymbolKind::kGroup)) continue;
    if (view.value(static_cast<std::size_t>(root)).truth != Truth::kUnknown) continue;
    for (const std::uint32_t slot : taint[static_cast<std::size_t>(root)]) touched[slot].push_back(rs.symbols[symbol].name);
  }
  return touched;
}

}  // namespace

GroupTables group_tables(const NodeView& view, const ReasonBuilder& reasons) {
  GroupTables out;
  const auto& rs = view.ruleset();
  for (std::size_t symbol = 0; symbol < rs.symbols.size(); ++symbol) {
    const auto& sym = rs.symbols[symbol];
    if (sym.kind != SymbolKind::kGroup) continue;
    const auto* decl = static_cast<const dsl::GroupDecl*>(sym.decl);
    const auto node = static_cast<std::uint32_t>(view.plan().symbol_nodes()[symbol]);
    GroupRow row;
    row.name = sym.name;
    row.title = decl->title.value;
    row.status = view.value(node).truth;
    row.step = decl->order.value_or(0);
    row.minutes = decl->minutes.value_or(0);
    if (decl->because) row.because = view.render_template(decl->because->value, view.module_of(static_cast<std::int64_t>(symbol)));
    for (const auto& meta : decl->meta) row.meta.emplace_back(meta.key, meta.value.value);
    for (const auto& reason : reasons.reasons(node, kMaxDepth - 1)) collect_members(reason, row);
    if (row.status == Truth::kTrue) {
      std::unordered_set<std::string> seen;
      for (const auto& reason : reasons.reasons(node, 0)) collect_why(reason, row, seen);
    }
    if (decl->kind == dsl::GroupKind::kCheck) out.checklist.push_back(std::move(row));
    else if (decl->kind == dsl::GroupKind::kDriver) out.drivers.push_back(std::move(row));
    else if (decl->kind == dsl::GroupKind::kRegime) out.regimes.push_back(std::move(row));
  }
  std::stable_sort(out.checklist.begin(), out.checklist.end(),
                   [](const GroupRow& a, const GroupRow& b) { return a.step < b.step; });
  return out;
}

std::vector<InputRow> input_rows(const NodeView& view) {
  std::vector<InputRow> out;
  const auto& snapshot = view.snapshot();
  auto touched = touched_by_slot(view);
  for (std::size_t slot = 0; slot < view.plan().inputs().size(); ++slot) {
    const auto& input = view.plan().inputs()[slot];
    const auto& data = snapshot.inputs[slot];
    InputRow row;
    row.name = input.name;
    const auto status = snapshot.status[slot];
    row.status = status == engine::InputStatus::kOk      ? InputStatus::kOk
               : status == engine::InputStatus::kStale ? InputStatus::kStale
                                                       : InputStatus::kMissing;
    if (data.data != nullptr && !data.times.empty()) {
      row.source = data.data->source;
      row.last_time = engine::format_timestamp(data.times.back());
      // Age from when the last observation became known, not from its own date.
      row.age_hours = static_cast<double>(snapshot.as_of - data.data->known(data.times.size() - 1)) / 3600.0;
      row.last_value = format_figure(data.values.back(), input.unit);
    }
    if (status != engine::InputStatus::kOk) row.touched = std::move(touched[slot]);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace riskoff::explain::detail
