#include "engine/batch.hpp"

#include "engine/batch_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace riskoff::engine {
namespace {

using batch::Bits;
using batch::comparison_index;
using batch::kFalse;
using batch::kTrue;
using batch::kUnknownBits;

// A result that is not a finite number is unknown (x/0, overflow), as in evaluate().
inline double finite_or_nan(double value) { return value - value == 0 ? value : kNaN; }

}  // namespace

std::unique_ptr<BatchEvaluator> BatchEvaluator::create(std::shared_ptr<const Plan> plan, std::uint32_t profile,
                                                       const std::vector<ParamOverride>& overrides, std::string& error,
                                                       KernelChoice kernels) {
  if (profile >= plan->profiles().size()) {
    error = "no such profile";
    return nullptr;
  }
  for (const auto& node : plan->nodes()) {
    if (node.op == NodeOp::kWindow) {
      error = "the ruleset uses window functions, which need each input's history; batch rows carry one value per input";
      return nullptr;
    }
  }
  auto evaluator = std::unique_ptr<BatchEvaluator>(new BatchEvaluator());
  BatchEvaluator& e = *evaluator;
  e.plan_ = std::move(plan);
  e.profile_ = profile;
  e.kernels_ = kernels == KernelChoice::kPortable ? &batch::portable_kernels()
               : kernels == KernelChoice::kAvx2   ? batch::avx2_kernels()
               : kernels == KernelChoice::kAvx512 ? batch::avx512_kernels()
                                                  : &batch::best_kernels();
  if (e.kernels_ == nullptr) {
    error = "this CPU cannot run the chosen batch row loops";
    return nullptr;
  }
  const Plan& p = *e.plan_;
  for (const auto& param : p.params()) e.params_.push_back(param.default_value);
  for (const auto& [slot, value] : p.profiles()[profile].overrides) e.params_[slot] = value;
  for (const auto& override : overrides) e.params_[override.slot] = override.value;
  const std::size_t count = p.nodes().size();
  e.target_.resize(count);
  e.kind_.resize(count);
  e.constant_.assign(count, 0);
  e.trace_slot_.assign(count, -1);
  for (std::uint32_t index = 0; index < count; ++index) {
    const PlanNode& node = p.nodes()[index];
    e.target_[index] = node.op == NodeOp::kRef ? e.target_[node.a] : index;
    if (node.op == NodeOp::kRef) {
      e.kind_[index] = e.kind_[node.a];
      continue;
    }
    if (node.op == NodeOp::kConst || node.op == NodeOp::kParam) {
      e.kind_[index] = Kind::kConstant;
      e.constant_[index] = node.op == NodeOp::kConst ? node.constant : e.params_[node.a];
      continue;
    }
    if (node.op == NodeOp::kInput) {
      e.kind_[index] = Kind::kColumn;
      continue;
    }
    // Only count and score produce ranges; negation and `if` pass them on.
    const bool ranged = node.op == NodeOp::kCount || node.op == NodeOp::kScore ||
                        ((node.op == NodeOp::kNeg || node.op == NodeOp::kIf) &&
                         (e.kind_[node.a] == Kind::kRanged || (node.op == NodeOp::kIf && (e.kind_[node.b] == Kind::kRanged ||
                                                                                          e.kind_[node.c] == Kind::kRanged))));
    e.kind_[index] = node.is_condition ? Kind::kCondition : ranged ? Kind::kRanged : Kind::kNumber;
    if (e.kind_[index] == Kind::kCondition) e.trace_slot_[index] = static_cast<std::int64_t>(e.trace_conditions_++);
    else {
      e.trace_slot_[index] = static_cast<std::int64_t>(e.trace_numbers_++);
      if (e.kind_[index] == Kind::kRanged) ++e.trace_ranged_;
    }
  }
  return evaluator;
}

void BatchEvaluator::run(const BatchInputs& inputs, std::int32_t* decisions, BatchTrace* trace) const {
  const Plan& plan = *plan_;
  const auto& nodes = plan.nodes();
  const auto& args = plan.args();
  const auto& weights = plan.weights();
  const std::size_t node_count = nodes.size();
  // Buffers per node, one block each; constants are filled once and never rewritten.
  std::vector<double> numbers(node_count * kBlock, kNaN);
  std::vector<double> uppers(node_count * kBlock, kNaN);
  std::vector<Bits> bits_buffer(node_count * kBlock, kUnknownBits);
  const std::vector<double> missing(kBlock, kNaN);
  for (std::size_t index = 0; index < node_count; ++index) {
    if (kind_[index] != Kind::kConstant || nodes[index].op == NodeOp::kRef) continue;
    std::fill_n(&numbers[index * kBlock], kBlock, constant_[index]);
    std::fill_n(&bits_buffer[index * kBlock], kBlock, constant_[index] != 0 ? kTrue : kFalse);
  }
  // Where each node's values are read from in the current block.
  std::vector<const double*> num(node_count);
  std::vector<const double*> up(node_count);
  std::vector<const Bits*> bits(node_count);
  std::vector<const Bits*> member_bits;  // count()'s members in the current block
  member_bits.reserve(plan.args().size());
  if (trace != nullptr) {
    trace->rows = inputs.rows;
    trace->truth.resize(trace_conditions_ * inputs.rows);
    trace->number.resize(trace_numbers_ * inputs.rows);
    trace->upper.resize(trace_numbers_ * inputs.rows);
  }
  const auto& clauses = plan.profiles()[profile_].clauses;

  for (std::size_t start = 0; start < inputs.rows; start += kBlock) {
    const std::size_t count = std::min(kBlock, inputs.rows - start);
    const std::size_t ahead = start + kBlock < inputs.rows ? std::min(kBlock, inputs.rows - start - kBlock) : 0;
    for (std::size_t index = 0; index < node_count; ++index) {
      const PlanNode& node = nodes[index];
      double* out_num = &numbers[index * kBlock];
      double* out_up = &uppers[index * kBlock];
      if (trace != nullptr && (kind_[index] == Kind::kNumber || kind_[index] == Kind::kRanged)) {
        // Kept numbers are computed straight into the trace: no block copy afterwards.
        const std::size_t at = static_cast<std::size_t>(trace_slot_[index]) * inputs.rows + start;
        out_num = &trace->number[at];
        out_up = &trace->upper[at];
      }
      Bits* out_bits = &bits_buffer[index * kBlock];
      num[index] = out_num;
      up[index] = kind_[index] == Kind::kRanged ? out_up : out_num;
      bits[index] = out_bits;
      switch (node.op) {
        case NodeOp::kConst:
        case NodeOp::kParam:
          up[index] = out_num;
          break;
        case NodeOp::kInput: {
          const double* column = inputs.columns[node.a];
          num[index] = up[index] = column != nullptr ? column + start : missing.data();
          if (column != nullptr) {
            for (std::size_t r = 0; r < ahead; r += 8) __builtin_prefetch(column + start + kBlock + r);
          }
          break;
        }
        case NodeOp::kRef:
          num[index] = num[node.a];
          up[index] = up[node.a];
          bits[index] = bits[node.a];
          break;
        case NodeOp::kNeg:
          for (std::size_t r = 0; r < count; ++r) out_num[r] = -up[node.a][r];
          if (kind_[index] == Kind::kRanged) {
            for (std::size_t r = 0; r < count; ++r) out_up[r] = -num[node.a][r];
          }
          break;
        case NodeOp::kNot: {
          const Bits* a = bits[node.a];
          for (std::size_t r = 0; r < count; ++r) out_bits[r] = static_cast<Bits>(((a[r] & 1) << 1) | ((a[r] & 2) >> 1));
          break;
        }
        case NodeOp::kAnd: {
          const Bits* a = bits[node.a];
          const Bits* b = bits[node.b];
          for (std::size_t r = 0; r < count; ++r) out_bits[r] = static_cast<Bits>((a[r] & b[r] & 1) | ((a[r] | b[r]) & 2));
          break;
        }
        case NodeOp::kOr: {
          const Bits* a = bits[node.a];
          const Bits* b = bits[node.b];
          for (std::size_t r = 0; r < count; ++r) out_bits[r] = static_cast<Bits>(((a[r] | b[r]) & 1) | (a[r] & b[r] & 2));
          break;
        }
        case NodeOp::kAdd:
        case NodeOp::kSub:
        case NodeOp::kMul:
        case NodeOp::kDiv: {
          const double* a = num[node.a];
          const double* b = num[node.b];
          const double* a_up = up[node.a];
          const double* b_up = up[node.b];
          const bool any_range = kind_[node.a] == Kind::kRanged || kind_[node.b] == Kind::kRanged;
          switch (node.op) {
            case NodeOp::kAdd: for (std::size_t r = 0; r < count; ++r) out_num[r] = finite_or_nan(a[r] + b[r]); break;
            case NodeOp::kSub: for (std::size_t r = 0; r < count; ++r) out_num[r] = finite_or_nan(a[r] - b[r]); break;
            case NodeOp::kMul: for (std::size_t r = 0; r < count; ++r) out_num[r] = finite_or_nan(a[r] * b[r]); break;
            default: for (std::size_t r = 0; r < count; ++r) out_num[r] = b[r] != 0 ? finite_or_nan(a[r] / b[r]) : kNaN; break;
          }
          if (any_range) {
            // Arithmetic on a range is unknown, as in evaluate().
            for (std::size_t r = 0; r < count; ++r) {
              if (a[r] != a_up[r] || b[r] != b_up[r]) out_num[r] = kNaN;
            }
          }
          break;
        }
        case NodeOp::kLt:
        case NodeOp::kLe:
        case NodeOp::kGt:
        case NodeOp::kGe: {
          const bool ranged = kind_[node.a] == Kind::kRanged || kind_[node.b] == Kind::kRanged;
          const double* a = num[node.a];
          const double* b = num[node.b];
          const std::size_t op = comparison_index(node.op);
          if (!ranged && kind_[node.b] == Kind::kConstant) {
            kernels_->compare_with_constant[op](a, constant_[target_[node.b]], out_bits, count);
          } else if (!ranged && kind_[node.a] == Kind::kConstant) {
            kernels_->compare_with_constant[comparison_index(mirrored(node.op))](b, constant_[target_[node.a]], out_bits,
                                                                                  count);
          } else if (!ranged) {
            kernels_->compare_exact[op](a, b, out_bits, count);
          } else {
            kernels_->compare_ranged[op](a, up[node.a], b, up[node.b], out_bits, count);
          }
          break;
        }
        case NodeOp::kEq:
        case NodeOp::kNe:
          for (std::size_t r = 0; r < count; ++r) {
            const bool want_equal = node.op == NodeOp::kEq;
            if (nodes[node.a].is_condition) {
              const Bits a = bits[node.a][r];
              const Bits b = bits[node.b][r];
              out_bits[r] = (a == kUnknownBits || b == kUnknownBits) ? kUnknownBits : ((a == b) == want_equal ? kTrue : kFalse);
            } else {
              const double a = num[node.a][r];
              const double b = num[node.b][r];
              const bool exact = a == up[node.a][r] && b == up[node.b][r];
              out_bits[r] = !exact ? kUnknownBits : ((a == b) == want_equal ? kTrue : kFalse);
            }
          }
          break;
        case NodeOp::kIf:
          for (std::size_t r = 0; r < count; ++r) {
            const Bits condition = bits[node.a][r];
            if (node.is_condition) {
              const Bits then_bits = bits[node.b][r];
              const Bits else_bits = bits[node.c][r];
              out_bits[r] = condition == kTrue    ? then_bits
                            : condition == kFalse ? else_bits
                                                  : (then_bits == else_bits ? then_bits : kUnknownBits);
            } else {
              const double b = num[node.b][r], b_up = up[node.b][r], c = num[node.c][r], c_up = up[node.c][r];
              const bool same = b == b_up && c == c_up && b == c;
              out_num[r] = condition == kTrue ? b : condition == kFalse ? c : (same ? b : kNaN);
              out_up[r] = condition == kTrue ? b_up : condition == kFalse ? c_up : (same ? b_up : kNaN);
            }
          }
          break;
        case NodeOp::kAbs:
        case NodeOp::kScale:
          for (std::size_t r = 0; r < count; ++r) {
            const double a = num[node.a][r];
            const double value = node.op == NodeOp::kAbs ? std::fabs(a) : a * node.constant;
            out_num[r] = a == up[node.a][r] ? value : kNaN;
          }
          break;
        case NodeOp::kClamp:
          for (std::size_t r = 0; r < count; ++r) {
            const double x = num[node.a][r], low = num[node.b][r], high = num[node.c][r];
            const bool exact = x == up[node.a][r] && low == up[node.b][r] && high == up[node.c][r];
            out_num[r] = exact ? std::clamp(x, low, std::max(low, high)) : kNaN;
          }
          break;
        case NodeOp::kMin:
        case NodeOp::kMax:
          for (std::size_t r = 0; r < count; ++r) {
            double value = node.op == NodeOp::kMin ? std::numeric_limits<double>::infinity()
                                                   : -std::numeric_limits<double>::infinity();
            bool exact = true;
            for (std::uint32_t k = 0; k < node.args_count(); ++k) {
              const std::uint32_t member = args[node.args_begin() + k];
              const double v = num[member][r];
              exact = exact && v == up[member][r];
              value = node.op == NodeOp::kMin ? std::min(value, v) : std::max(value, v);
            }
            out_num[r] = exact ? value : kNaN;
          }
          break;
        case NodeOp::kAny:
        case NodeOp::kAll:
          std::fill_n(out_bits, count, node.op == NodeOp::kAny ? kFalse : kTrue);
          for (std::uint32_t k = 0; k < node.args_count(); ++k) {
            const Bits* member = bits[args[node.args_begin() + k]];
            if (node.op == NodeOp::kAny) {
              for (std::size_t r = 0; r < count; ++r) out_bits[r] = static_cast<Bits>(((out_bits[r] | member[r]) & 1) | (out_bits[r] & member[r] & 2));
            } else {
              for (std::size_t r = 0; r < count; ++r) out_bits[r] = static_cast<Bits>((out_bits[r] & member[r] & 1) | ((out_bits[r] | member[r]) & 2));
            }
          }
          break;
        case NodeOp::kCount:
        case NodeOp::kAtLeast:
        case NodeOp::kScore:
          std::fill_n(out_num, count, 0.0);
          std::fill_n(out_up, count, 0.0);
          if (node.op == NodeOp::kScore) {
            for (std::uint32_t k = 0; k < node.args_count(); ++k) {
              const Bits* member = bits[args[node.args_begin() + k]];
              const double* weight = num[weights[node.args_begin() + k]];
              for (std::size_t r = 0; r < count; ++r) {
                const bool sure = member[r] == kTrue;
                const bool maybe = member[r] == kUnknownBits;
                out_num[r] += sure ? weight[r] : maybe ? std::min(weight[r], 0.0) : 0.0;
                out_up[r] += sure ? weight[r] : maybe ? std::max(weight[r], 0.0) : 0.0;
              }
            }
          } else {
            member_bits.clear();
            for (std::uint32_t k = 0; k < node.args_count(); ++k) member_bits.push_back(bits[args[node.args_begin() + k]]);
            kernels_->count_members(member_bits.data(), node.args_count(), out_num, out_up, count);
          }
          if (node.op == NodeOp::kAtLeast) {
            const double* n = num[node.a];
            for (std::size_t r = 0; r < count; ++r) {
              out_bits[r] = n[r] != n[r] ? kUnknownBits
                                         : static_cast<Bits>((out_up[r] >= n[r] ? kTrue : 0) | (out_num[r] >= n[r] ? 0 : kFalse));
            }
          }
          break;
        case NodeOp::kWindow:
          break;  // excluded by create()
      }
    }
    // Decisions: the first clause that is surely true; `otherwise` when none is.
    for (std::size_t r = 0; r < count; ++r) decisions[start + r] = -1;
    for (std::size_t c = clauses.size(); c-- > 0;) {
      // Walk clauses bottom-up so the first true one wins without a per-row search.
      if (clauses[c].node < 0) {
        for (std::size_t r = 0; r < count; ++r) decisions[start + r] = static_cast<std::int32_t>(c);
        continue;
      }
      kernels_->choose_where_true(bits[static_cast<std::size_t>(clauses[c].node)], static_cast<std::int32_t>(c), decisions + start,
                        count);
    }
    if (trace != nullptr) {
      for (std::size_t index = 0; index < node_count; ++index) {
        if (kind_[index] != Kind::kCondition || trace_slot_[index] < 0) continue;
        kernels_->bits_to_truths(bits[index], &trace->truth[static_cast<std::size_t>(trace_slot_[index]) * inputs.rows + start], count);
      }
    }
  }
}

const char* BatchEvaluator::kernel_name() const { return kernels_->name; }

NodeValue BatchEvaluator::value(const BatchInputs& inputs, const BatchTrace& trace, std::uint32_t node,
                                std::size_t row) const {
  const std::uint32_t source = target_[node];
  const PlanNode& plan_node = plan_->nodes()[source];
  NodeValue value;
  switch (kind_[source]) {
    case Kind::kConstant:
      if (plan_node.is_condition) value.truth = constant_[source] != 0 ? Truth::kTrue : Truth::kFalse;
      else value.number = value.upper = constant_[source];
      break;
    case Kind::kColumn: {
      const double* column = inputs.columns[plan_node.a];
      value.number = value.upper = column != nullptr ? column[row] : kNaN;
      break;
    }
    case Kind::kCondition:
      value.truth = trace.truth[static_cast<std::size_t>(trace_slot_[source]) * trace.rows + row];
      break;
    case Kind::kNumber:
      value.number = value.upper = trace.number[static_cast<std::size_t>(trace_slot_[source]) * trace.rows + row];
      break;
    case Kind::kRanged:
      value.number = trace.number[static_cast<std::size_t>(trace_slot_[source]) * trace.rows + row];
      value.upper = trace.upper[static_cast<std::size_t>(trace_slot_[source]) * trace.rows + row];
      break;
  }
  return value;
}

}  // namespace riskoff::engine
