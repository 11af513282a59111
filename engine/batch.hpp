// Evaluates one plan over many rows of scalar inputs at once: a replay over precomputed
// features, a parameter sweep, a benchmark. Each node is computed for a block of rows in one
// tight loop (the interpreter's dispatch is paid once per block, not once per row), with the
// same three-valued semantics as evaluate(): tests/unit/engine/batch_test.cpp holds the two
// to identical decisions and node values.
//
// Contract: the plan must have no window functions (rows carry one value per input, no
// history). A BatchEvaluator is immutable after construction and may be shared by threads,
// each calling run() with its own output buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/evaluate.hpp"

namespace riskoff::engine {
namespace batch {
struct Kernels;
}

// Column-major inputs: for each input slot of the plan, `rows` values, or null when the input
// is absent for every row (then it is unknown, so it must be optional). NaN is unknown.
struct BatchInputs {
  std::size_t rows = 0;
  std::vector<const double*> columns;
};

// The node values of every row, stored compactly: a condition takes one byte per row, a number
// eight (sixteen if it can be a range). Constants, parameters, inputs and references store
// nothing: they are the plan's, the caller's, or another node's. Read with BatchEvaluator::value.
struct BatchTrace {
  std::size_t rows = 0;
  std::vector<Truth> truth;     // [slot * rows + row]
  std::vector<double> number;   // [slot * rows + row]
  std::vector<double> upper;    // [slot * rows + row], ranged numbers only
};

class BatchEvaluator {
 public:
  static constexpr std::size_t kBlock = 256;

  // kBest: the widest row loops this CPU runs; the others force one set, so tests can hold
  // every set to evaluate() on one machine (engine/batch_kernels.hpp).
  enum class KernelChoice : std::uint8_t { kBest, kPortable, kAvx2, kAvx512 };

  // Null (with `error` set) when the plan cannot be evaluated in batch, or when the CPU cannot
  // run the chosen row loops.
  static std::unique_ptr<BatchEvaluator> create(std::shared_ptr<const Plan> plan, std::uint32_t profile,
                                                const std::vector<ParamOverride>& overrides, std::string& error,
                                                KernelChoice kernels = KernelChoice::kBest);

  // The name of the row-loop set run() uses ("avx512", "avx2", "portable").
  const char* kernel_name() const;

  // decisions[row] = index of the clause chosen in the profile. With `trace`, every node value
  // of every row is kept as well (the audit trail of a replay).
  void run(const BatchInputs& inputs, std::int32_t* decisions, BatchTrace* trace = nullptr) const;

  // One node's value in one row of a kept trace, as evaluate() would have produced it.
  NodeValue value(const BatchInputs& inputs, const BatchTrace& trace, std::uint32_t node, std::size_t row) const;

  const Plan& plan() const { return *plan_; }

 private:
  enum class Kind : std::uint8_t { kConstant, kColumn, kCondition, kNumber, kRanged };
  BatchEvaluator() = default;
  std::shared_ptr<const Plan> plan_;
  std::uint32_t profile_ = 0;
  const batch::Kernels* kernels_ = nullptr;
  std::vector<double> params_;
  std::vector<std::uint32_t> target_;  // node -> the node whose value it is (references resolved)
  std::vector<Kind> kind_;
  std::vector<double> constant_;        // kConstant nodes: their value (truth as 0/1)
  std::vector<std::int64_t> trace_slot_;  // computed nodes: row block in the trace arrays
  std::size_t trace_conditions_ = 0, trace_numbers_ = 0, trace_ranged_ = 0;
};

}  // namespace riskoff::engine
