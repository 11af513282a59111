// Evaluation -> Explanation (data). Rendering is in render.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "explain/explanation.hpp"

namespace riskoff::explain {
namespace {

using engine::NodeOp;
using engine::NodeValue;
using engine::PlanNode;
using engine::SymbolKind;
using engine::Unit;

ReasonKind group_reason(dsl::GroupKind kind) {
  switch (kind) {
    case dsl::GroupKind::kDriver: return ReasonKind::kDriver;
    case dsl::GroupKind::kCheck: return ReasonKind::kCheck;
    case dsl::GroupKind::kRegime: return ReasonKind::kRegime;
    case dsl::GroupKind::kGroup: return ReasonKind::kGroup;
  }
  return ReasonKind::kGroup;
}

constexpr int kMaxDepth = 6;  // signals within groups within clauses: deeper chains are cut

bool known(const NodeValue& value) { return !std::isnan(value.number); }

std::string truth_word(Truth truth) {
  return truth == Truth::kTrue ? "true" : truth == Truth::kFalse ? "false" : "unknown";
}

bool is_comparison(NodeOp op) {
  return op == NodeOp::kLt || op == NodeOp::kLe || op == NodeOp::kGt || op == NodeOp::kGe || op == NodeOp::kEq ||
         op == NodeOp::kNe;
}

class Builder {
 public:
  Builder(const engine::Plan& plan, const engine::BoundSnapshot& snapshot, const engine::Evaluation& evaluation)
      : plan_(plan), rs_(plan.ruleset()), snapshot_(snapshot), eval_(evaluation), values_(evaluation.values) {
    // Which symbol owns each node: a symbol's nodes end at its root, in compile order.
    owner_.assign(plan.nodes().size(), -1);
    std::vector<std::pair<std::int64_t, std::int64_t>> roots;  // root node, symbol
    for (std::size_t symbol = 0; symbol < plan.symbol_nodes().size(); ++symbol) {
      if (plan.symbol_nodes()[symbol] >= 0) roots.emplace_back(plan.symbol_nodes()[symbol], symbol);
    }
    std::sort(roots.begin(), roots.end());
    std::size_t next = 0;
    for (std::size_t node = 0; node < plan.nodes().size(); ++node) {
      while (next < roots.size() && roots[next].first < static_cast<std::int64_t>(node)) ++next;
      if (next < roots.size()) owner_[node] = roots[next].second;
    }
  }

  Explanation build(std::string content_hash) {
    Explanation out;
    const auto& root = rs_.root();
    if (root.header) {
      out.ruleset = root.header->name;
      out.version = root.header->version.value;
    }
    out.content_hash = std::move(content_hash);
    const auto& profile = plan_.profiles()[eval_.profile];
    out.profile = profile.name;
    if (profile.decl->title) out.profile_title = profile.decl->title->value;
    out.as_of = engine::format_timestamp(snapshot_.as_of);
    out.depends_on_unknown = eval_.depends_on_unknown();
    if (eval_.chosen >= 0) {
      const auto& clause = profile.clauses[static_cast<std::size_t>(eval_.chosen)];
      out.action = clause.clause->action;
      out.because = clause_explanation(clause);
      out.regime = out.because.regime;
      out.advice = out.because.advice;
      for (std::int64_t index = 0; index < eval_.chosen; ++index) {
        out.why_not.push_back(clause_explanation(profile.clauses[static_cast<std::size_t>(index)], Detail::kFirstFailure));
      }
    }
    groups(out);
    if (out.regime.empty()) {
      for (const auto& regime : out.regimes) {
        if (regime.status == Truth::kTrue) {
          out.regime = regime.title;
          break;
        }
      }
    }
    closest(out);
    inputs(out);
    return out;
  }

 private:
  Unit unit_of(const dsl::Expr* expr) const {
    if (expr == nullptr) return Unit::kNumber;
    const auto it = rs_.types.find(expr);
    return it == rs_.types.end() ? Unit::kNumber : it->second.unit;
  }

  bool untyped(const dsl::Expr* expr) const {
    if (expr == nullptr) return true;
    const auto it = rs_.types.find(expr);
    return it == rs_.types.end() || it->second.untyped;
  }

  // Moves (bp and % computed from data) show their sign; thresholds and levels do not.
  Figure signed_figure(const NodeValue& value, Unit unit, const PlanNode& node) const {
    Figure out = figure(value, unit);
    const bool computed = node.op != NodeOp::kConst && node.op != NodeOp::kParam && node.op != NodeOp::kInput;
    if (out.known && computed && unit == Unit::kBp && value.number > 0) out.text = "+" + out.text;
    return out;
  }

  Figure figure(const NodeValue& value, Unit unit) const {
    Figure out;
    out.unit = unit;
    out.known = known(value);
    if (!out.known) {
      out.text = "unknown";
      return out;
    }
    out.value = value.number;
    out.upper = value.upper;
    out.text = format_figure(value.number, unit);
    if (value.upper != value.number) out.text += "-" + format_figure(value.upper, unit);
    return out;
  }

  std::string source(const PlanNode& node) const { return node.expr != nullptr ? dsl::to_source(*node.expr) : ""; }

  // `{name}` -> the named value as shown; `{{` -> `{`.
  std::string render_template(const std::string& text, std::size_t module) const {
    std::string out;
    for (std::size_t at = 0; at < text.size(); ++at) {
      if (text[at] == '{' && at + 1 < text.size() && text[at + 1] == '{') {
        out += '{';
        ++at;
        continue;
      }
      const std::size_t close = text[at] == '{' ? text.find('}', at) : std::string::npos;
      if (close == std::string::npos) {
        out += text[at];
        continue;
      }
      out += symbol_value_text(rs_.prefixes[module] + text.substr(at + 1, close - at - 1));
      at = close;
    }
    return out;
  }

  std::string symbol_value_text(const std::string& name) const {
    const auto it = rs_.by_name.find(name);
    if (it == rs_.by_name.end()) return "{" + name + "}";
    const auto& symbol = rs_.symbols[it->second];
    switch (symbol.kind) {
      case SymbolKind::kInput: {
        const auto slot = plan_.find_input(name);
        const auto& data = snapshot_.inputs[static_cast<std::size_t>(slot)];
        if (data.data == nullptr || snapshot_.status[static_cast<std::size_t>(slot)] != engine::InputStatus::kOk) return "unknown";
        return format_figure(data.values.back(), symbol.type.unit);
      }
      case SymbolKind::kParam: {
        const auto slot = static_cast<std::size_t>(plan_.find_param(name));
        const double value = eval_.params[slot];
        if (symbol.type.kind == engine::TypeKind::kBool) return value != 0 ? "true" : "false";
        if (const auto window = window_text(value, symbol.type.kind)) return *window;
        return format_figure(value, symbol.type.unit);
      }
      default: {
        const auto node = plan_.symbol_nodes()[it->second];
        if (node < 0) return "unknown";
        const NodeValue& value = values_[static_cast<std::size_t>(node)];
        if (symbol.type.kind == engine::TypeKind::kBool) return truth_word(value.truth);
        if (const auto window = window_text(value.number, symbol.type.kind); window && known(value)) return *window;
        return signed_figure(value, symbol.type.unit, plan_.nodes()[static_cast<std::size_t>(node)]).text;
      }
    }
  }

  // Durations are held in seconds and shown as days or hours; bar counts say "bars".
  static std::optional<std::string> window_text(double value, engine::TypeKind kind) {
    if (kind == engine::TypeKind::kDuration) {
      return std::fmod(value, 86400) == 0 ? format_figure(value / 86400, Unit::kNumber) + "d"
                                          : format_figure(value / 3600, Unit::kNumber) + "h";
    }
    if (kind == engine::TypeKind::kBars) return format_figure(value, Unit::kNumber) + " bars";
    return std::nullopt;
  }

  std::size_t module_of(std::int64_t symbol) const {
    const SourceId source = rs_.symbols[static_cast<std::size_t>(symbol)].source;
    for (std::size_t module = 0; module < rs_.modules.size(); ++module) {
      if (rs_.modules[module]->source == source) return module;
    }
    return 0;
  }

  // Because-chains show everything that made a clause true; why-not shows the first condition
  // that failed (or could not be decided), which is what the reader has to change.
  enum class Detail : std::uint8_t { kFull, kFirstFailure };

  ClauseExplanation clause_explanation(const engine::ClausePlan& clause, Detail detail = Detail::kFull) const {
    ClauseExplanation out;
    out.action = clause.clause->action;
    if (clause.clause->regime) out.regime = clause.clause->regime->value;
    if (clause.clause->advice) out.advice = clause.clause->advice->value;
    if (clause.node < 0) {
      out.condition = "otherwise";
      out.truth = Truth::kTrue;
      return out;
    }
    const auto node = static_cast<std::uint32_t>(clause.node);
    out.condition = source(plan_.nodes()[node]);
    out.truth = values_[node].truth;
    out.reasons = detail == Detail::kFull ? reasons(node, 0) : first_failure(node, 0);
    return out;
  }

  // Why `node` has its truth: the children that decided it.
  std::vector<Reason> reasons(std::uint32_t node_index, int depth) const {
    const PlanNode& node = plan_.nodes()[node_index];
    const Truth truth = values_[node_index].truth;
    if (node.op == NodeOp::kAnd || node.op == NodeOp::kOr) {
      std::vector<std::uint32_t> parts;
      flatten(node_index, node.op, parts);
      std::vector<Reason> out;
      // A true `and` / false `or` needs every part; otherwise only the parts that decided.
      const bool every = (node.op == NodeOp::kAnd) == (truth == Truth::kTrue);
      for (const auto part : parts) {
        if (every || values_[part].truth == truth) out.push_back(reason(part, depth));
      }
      return out;
    }
    return {reason(node_index, depth)};
  }

  // The first part of an `and` that is false (else unknown), followed down two levels; an `or`
  // fails only if all its parts do, so each of them is shown.
  std::vector<Reason> first_failure(std::uint32_t node_index, int depth) const {
    const PlanNode& node = plan_.nodes()[node_index];
    if (node.op == NodeOp::kAnd) {
      std::vector<std::uint32_t> parts;
      flatten(node_index, NodeOp::kAnd, parts);
      for (const Truth wanted : {Truth::kFalse, Truth::kUnknown}) {
        for (const auto part : parts) {
          if (values_[part].truth == wanted) return first_failure(part, depth);
        }
      }
      return {};
    }
    Reason out = reason(node_index, kMaxDepth - 2 + depth);
    if (node.op == NodeOp::kRef && depth < 2) {
      const auto symbol = owner_[node.a];
      const auto kind = rs_.symbols[static_cast<std::size_t>(symbol)].kind;
      if (kind == SymbolKind::kSignal || kind == SymbolKind::kGroup) out.children = first_failure(node.a, depth + 1);
    }
    return {out};
  }

  void flatten(std::uint32_t node_index, NodeOp op, std::vector<std::uint32_t>& parts) const {
    const PlanNode& node = plan_.nodes()[node_index];
    if (node.op == op) {
      flatten(node.a, op, parts);
      flatten(node.b, op, parts);
    } else {
      parts.push_back(node_index);
    }
  }

  Reason reason(std::uint32_t node_index, int depth) const {
    const PlanNode& node = plan_.nodes()[node_index];
    Reason out;
    out.truth = values_[node_index].truth;
    out.subject = source(node);
    if (node.op == NodeOp::kRef) {
      const auto symbol = owner_[node.a];
      const auto& sym = rs_.symbols[static_cast<std::size_t>(symbol)];
      out.subject = sym.name;
      const std::size_t module = module_of(symbol);
      if (sym.kind == SymbolKind::kSignal) {
        const auto* decl = static_cast<const dsl::SignalDecl*>(sym.decl);
        out.kind = ReasonKind::kSignal;
        out.title = decl->title.value;
        if (decl->because) out.text = render_template(decl->because->value, module);
      } else if (sym.kind == SymbolKind::kGroup) {
        const auto* decl = static_cast<const dsl::GroupDecl*>(sym.decl);
        out.kind = group_reason(decl->kind);
        out.title = decl->title.value;
        if (decl->because) out.text = render_template(decl->because->value, module);
      } else {
        out.kind = ReasonKind::kValue;
        out.value = figure(values_[node_index], sym.type.unit);
        return out;
      }
      if (depth < kMaxDepth) out.children = reasons(node.a, depth + 1);
      return out;
    }
    if (is_comparison(node.op)) {
      out.kind = ReasonKind::kComparison;
      const PlanNode& lhs = plan_.nodes()[node.a];
      const PlanNode& rhs = plan_.nodes()[node.b];
      const Unit unit = untyped(lhs.expr) ? unit_of(rhs.expr) : unit_of(lhs.expr);
      out.value = signed_figure(values_[node.a], unit, lhs);
      out.threshold = signed_figure(values_[node.b], unit, rhs);
      const std::string op(dsl::operator_text(std::get<dsl::Binary>(node.expr->kind).op));
      out.text = side_text(lhs, *out.value) + " " + op + " " + side_text(rhs, *out.threshold);
      if (out.value->known && out.threshold->known && node.op != NodeOp::kEq && node.op != NodeOp::kNe) {
        const bool greater = node.op == NodeOp::kGt || node.op == NodeOp::kGe;
        const double margin = greater ? out.value->value - out.threshold->value : out.threshold->value - out.value->value;
        Figure m;
        m.known = true;
        m.value = m.upper = margin;
        m.unit = unit;
        m.text = (margin >= 0 ? "+" : "") + format_figure(margin, unit);
        out.margin = m;
        out.text += ", margin " + m.text;
      }
      // A count compared with a threshold: name the members that are on.
      if (lhs.op == NodeOp::kCount || lhs.op == NodeOp::kScore) out.children = members(lhs, depth);
      return out;
    }
    if (node.op == NodeOp::kNot) {
      out.kind = ReasonKind::kNot;
      if (depth < kMaxDepth) out.children = {reason(node.a, depth + 1)};
      return out;
    }
    if (node.op == NodeOp::kAny || node.op == NodeOp::kAll || node.op == NodeOp::kAtLeast) {
      out.kind = node.op == NodeOp::kAny ? ReasonKind::kAny : node.op == NodeOp::kAll ? ReasonKind::kAll : ReasonKind::kAtLeast;
      out.children = members(node, depth);
      return out;
    }
    if (node.op == NodeOp::kAnd || node.op == NodeOp::kOr) {
      out.kind = node.op == NodeOp::kAnd ? ReasonKind::kAll : ReasonKind::kAny;
      out.children = reasons(node_index, depth + 1);
      return out;
    }
    out.kind = ReasonKind::kCondition;
    return out;
  }

  std::string side_text(const PlanNode& side, const Figure& value) const {
    const std::string text = source(side);
    if (side.op == NodeOp::kConst || text.empty()) return value.text;
    return text + " " + value.text;
  }

  // The members of an aggregate that decided it: those that are on (or, when it is false, all).
  std::vector<Reason> members(const PlanNode& node, int depth) const {
    std::vector<Reason> out;
    if (depth >= kMaxDepth) return out;
    for (std::uint32_t k = 0; k < node.args_count; ++k) {
      const std::uint32_t member = plan_.args()[node.args_begin + k];
      if (values_[member].truth == Truth::kFalse) continue;
      // Set members are symbol roots, not references: describe them by their symbol.
      const auto symbol = owner_[member];
      if (symbol >= 0 && plan_.symbol_nodes()[static_cast<std::size_t>(symbol)] == static_cast<std::int64_t>(member)) {
        out.push_back(symbol_reason(static_cast<std::size_t>(symbol), depth + 1));
      } else {
        out.push_back(reason(member, depth + 1));
      }
    }
    return out;
  }

  Reason symbol_reason(std::size_t symbol, int depth) const {
    const auto& sym = rs_.symbols[symbol];
    const auto node = static_cast<std::uint32_t>(plan_.symbol_nodes()[symbol]);
    Reason out;
    out.subject = sym.name;
    out.truth = values_[node].truth;
    const std::size_t module = module_of(static_cast<std::int64_t>(symbol));
    if (sym.kind == SymbolKind::kGroup) {
      const auto* decl = static_cast<const dsl::GroupDecl*>(sym.decl);
      out.kind = group_reason(decl->kind);
      out.title = decl->title.value;
      if (decl->because) out.text = render_template(decl->because->value, module);
    } else if (sym.kind == SymbolKind::kSignal) {
      const auto* decl = static_cast<const dsl::SignalDecl*>(sym.decl);
      out.kind = ReasonKind::kSignal;
      out.title = decl->title.value;
      if (decl->because) out.text = render_template(decl->because->value, module);
    }
    if (depth < kMaxDepth) out.children = reasons(node, depth + 1);
    return out;
  }

  void groups(Explanation& out) const {
    for (std::size_t symbol = 0; symbol < rs_.symbols.size(); ++symbol) {
      const auto& sym = rs_.symbols[symbol];
      if (sym.kind != SymbolKind::kGroup) continue;
      const auto* decl = static_cast<const dsl::GroupDecl*>(sym.decl);
      const auto node = static_cast<std::uint32_t>(plan_.symbol_nodes()[symbol]);
      GroupRow row;
      row.name = sym.name;
      row.title = decl->title.value;
      row.status = values_[node].truth;
      row.step = decl->order.value_or(0);
      row.minutes = decl->minutes.value_or(0);
      if (decl->because) row.because = render_template(decl->because->value, module_of(static_cast<std::int64_t>(symbol)));
      for (const auto& meta : decl->meta) row.meta.emplace_back(meta.key, meta.value.value);
      for (const auto& reason : reasons(node, kMaxDepth - 1)) collect_members(reason, row);
      if (decl->kind == dsl::GroupKind::kCheck) out.checklist.push_back(std::move(row));
      else if (decl->kind == dsl::GroupKind::kDriver) out.drivers.push_back(std::move(row));
      else if (decl->kind == dsl::GroupKind::kRegime) out.regimes.push_back(std::move(row));
    }
    std::stable_sort(out.checklist.begin(), out.checklist.end(),
                     [](const GroupRow& a, const GroupRow& b) { return a.step < b.step; });
  }

  static void collect_members(const Reason& reason, GroupRow& row) {
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

  // Clause conditions follow all symbols in the plan, profile by profile: label the chosen
  // profile's clause nodes "profile -> action" and mark the other profiles' nodes as foreign.
  std::vector<std::string> clause_labels() const {
    std::vector<std::string> labels(plan_.nodes().size());
    std::int64_t previous = -1;
    for (const auto root : plan_.symbol_nodes()) previous = std::max(previous, root);
    for (std::size_t p = 0; p < plan_.profiles().size(); ++p) {
      const auto& profile = plan_.profiles()[p];
      for (const auto& clause : profile.clauses) {
        if (clause.node < 0) continue;
        for (std::int64_t node = previous + 1; node <= clause.node; ++node) {
          labels[static_cast<std::size_t>(node)] = p == eval_.profile ? profile.name + " -> " + clause.clause->action : "-";
        }
        previous = clause.node;
      }
    }
    return labels;
  }

  void closest(Explanation& out) const {
    const auto& nodes = plan_.nodes();
    const auto labels = clause_labels();
    std::vector<std::string> seen;
    for (std::uint32_t index = 0; index < nodes.size(); ++index) {
      const PlanNode& node = nodes[index];
      if (labels[index] == "-") continue;  // another profile's decision
      if (!is_comparison(node.op) || node.op == NodeOp::kEq || node.op == NodeOp::kNe) continue;
      const NodeValue& lhs = values_[node.a];
      const NodeValue& rhs = values_[node.b];
      if (!known(lhs) || !known(rhs) || lhs.number != lhs.upper) continue;
      const Reason r = reason(index, kMaxDepth);
      if (!r.margin) continue;
      const double scale = std::fabs(rhs.number) > 1e-12 ? std::fabs(rhs.number) : 1.0;
      Flip flip;
      flip.text = r.text;
      flip.truth = r.truth;
      flip.distance = std::fabs(r.margin->value) / scale;
      flip.subject = owner_[index] >= 0 ? rs_.symbols[static_cast<std::size_t>(owner_[index])].name : labels[index];
      // The same comparison written in two clauses is one thing to watch.
      if (std::find(seen.begin(), seen.end(), flip.text) != seen.end()) continue;
      seen.push_back(flip.text);
      out.closest.push_back(std::move(flip));
    }
    std::stable_sort(out.closest.begin(), out.closest.end(),
                     [](const Flip& a, const Flip& b) { return a.distance < b.distance; });
    if (out.closest.size() > 5) out.closest.resize(5);
  }

  void inputs(Explanation& out) const {
    const auto& nodes = plan_.nodes();
    for (std::size_t slot = 0; slot < plan_.inputs().size(); ++slot) {
      const auto& input = plan_.inputs()[slot];
      const auto& data = snapshot_.inputs[slot];
      InputRow row;
      row.name = input.name;
      const auto status = snapshot_.status[slot];
      row.status = status == engine::InputStatus::kOk      ? InputStatus::kOk
                 : status == engine::InputStatus::kStale ? InputStatus::kStale
                                                         : InputStatus::kMissing;
      if (data.data != nullptr && !data.times.empty()) {
        row.source = data.data->source;
        row.last_time = engine::format_timestamp(data.times.back());
        row.age_hours = static_cast<double>(snapshot_.as_of - data.times.back()) / 3600.0;
        row.last_value = format_figure(data.values.back(), input.unit);
      }
      if (status != engine::InputStatus::kOk) {
        // Taint: every node that reads this input, directly or through its children.
        std::vector<bool> tainted(nodes.size(), false);
        for (std::size_t index = 0; index < nodes.size(); ++index) {
          const PlanNode& node = nodes[index];
          bool reads = (node.op == NodeOp::kInput && node.a == slot) ||
                       (node.op == NodeOp::kWindow && (node.a == slot || (node.c == slot && engine::builtins()[node.fn].shape ==
                                                                                            engine::BuiltinShape::kPairWindow)));
          if (!reads) reads = children_tainted(node, tainted);
          tainted[index] = reads;
        }
        for (std::size_t symbol = 0; symbol < rs_.symbols.size(); ++symbol) {
          const auto root = plan_.symbol_nodes()[symbol];
          const auto kind = rs_.symbols[symbol].kind;
          if (root < 0 || (kind != SymbolKind::kSignal && kind != SymbolKind::kGroup)) continue;
          if (tainted[static_cast<std::size_t>(root)] && values_[static_cast<std::size_t>(root)].truth == Truth::kUnknown) {
            row.touched.push_back(rs_.symbols[symbol].name);
          }
        }
      }
      out.inputs.push_back(std::move(row));
    }
  }

  bool children_tainted(const PlanNode& node, const std::vector<bool>& tainted) const {
    switch (node.op) {
      case NodeOp::kConst:
      case NodeOp::kParam:
      case NodeOp::kInput:
        return false;
      case NodeOp::kRef:
      case NodeOp::kNeg:
      case NodeOp::kNot:
      case NodeOp::kAbs:
      case NodeOp::kScale:
        return tainted[node.a];
      case NodeOp::kWindow:
        return tainted[node.b];
      case NodeOp::kIf:
      case NodeOp::kClamp:
        return tainted[node.a] || tainted[node.b] || tainted[node.c];
      case NodeOp::kMin:
      case NodeOp::kMax:
      case NodeOp::kAny:
      case NodeOp::kAll:
      case NodeOp::kCount:
      case NodeOp::kAtLeast:
      case NodeOp::kScore: {
        if (node.op == NodeOp::kAtLeast && tainted[node.a]) return true;
        for (std::uint32_t k = 0; k < node.args_count; ++k) {
          if (tainted[plan_.args()[node.args_begin + k]]) return true;
        }
        return false;
      }
      default:
        return tainted[node.a] || tainted[node.b];
    }
  }

  const engine::Plan& plan_;
  const engine::CheckedRuleset& rs_;
  const engine::BoundSnapshot& snapshot_;
  const engine::Evaluation& eval_;
  const std::vector<NodeValue>& values_;
  std::vector<std::int64_t> owner_;
};

}  // namespace

std::string format_figure(double value, engine::Unit unit) {
  char buffer[64];
  const double magnitude = std::fabs(value);
  switch (unit) {
    case Unit::kBp:
      std::snprintf(buffer, sizeof buffer, "%.1fbp", value);
      break;
    case Unit::kPercent:
      // Funding rates live in thousandths of a percent; levels and returns in tenths.
      std::snprintf(buffer, sizeof buffer, magnitude != 0 && magnitude < 0.1 ? "%.4f%%" : "%.2f%%", value);
      break;
    case Unit::kUsd:
      if (magnitude >= 1e9) std::snprintf(buffer, sizeof buffer, "%.2fB usd", value / 1e9);
      else if (magnitude >= 1e6) std::snprintf(buffer, sizeof buffer, "%.2fM usd", value / 1e6);
      else std::snprintf(buffer, sizeof buffer, "%.2f usd", value);
      break;
    case Unit::kIndex:
      std::snprintf(buffer, sizeof buffer, "%.2f", value);
      break;
    case Unit::kNumber:
      if (value == std::floor(value) && magnitude < 1e9) std::snprintf(buffer, sizeof buffer, "%.0f", value);
      else std::snprintf(buffer, sizeof buffer, "%.2f", value);
      break;
  }
  std::string text = buffer;
  if (text == "-0.00" || text == "-0") text.erase(0, 1);
  if (text == "-0.0bp" || text == "-0.00%") text.erase(0, 1);
  return text;
}

Explanation explain(const engine::Plan& plan, const engine::BoundSnapshot& snapshot, const engine::Evaluation& evaluation,
                    std::string content_hash) {
  return Builder(plan, snapshot, evaluation).build(std::move(content_hash));
}

}  // namespace riskoff::explain
