// The batch evaluator's row loops over one block (engine/batch.cpp): comparisons fused into
// three-valued masks, counting, clause choice, trace conversion. Each is built for baseline
// x86-64, AVX2 and AVX-512, and one set is chosen at run time (best_kernels());
// tests/unit/engine/batch_test.cpp runs every set the CPU runs against evaluate().
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/plan.hpp"

namespace riskoff::engine::batch {

// NOTE(batch): conditions are two bits here, "may be true" (1) and "may be false" (2): true 1,
// false 2, unknown 3. Kleene and/or/not then become plain bit operations the compiler can
// vectorise: and = (a & b & 1) | ((a | b) & 2), or = ((a | b) & 1) | (a & b & 2).
using Bits = std::uint8_t;
inline constexpr Bits kTrue = 1;
inline constexpr Bits kFalse = 2;
inline constexpr Bits kUnknownBits = 3;

// Index of a comparison in the tables below: kLt, kLe, kGt, kGe.
constexpr std::size_t comparison_index(NodeOp op) {
  return static_cast<std::size_t>(op) - static_cast<std::size_t>(NodeOp::kLt);
}

struct Kernels {
  const char* name;
  // out = a OP b, unknown where either side is NaN.
  void (*compare_exact[4])(const double* a, const double* b, Bits* out, std::size_t count);
  // out = a OP constant (never NaN: a checked ruleset's constant or parameter).
  void (*compare_with_constant[4])(const double* a, double constant, Bits* out, std::size_t count);
  // Ranged operands [a, a_up] OP [b, b_up]: may be true at the favourable extremes, may be
  // false at the others.
  void (*compare_ranged[4])(const double* a, const double* a_up, const double* b, const double* b_up, Bits* out,
                            std::size_t count);
  // count() and at_least(): members surely true added to `sure`, possibly true to `possible`.
  void (*count_members)(const Bits* const* members, std::uint32_t member_count, double* sure, double* possible,
                        std::size_t count);
  // A kept trace's truths from the two-bit form.
  void (*bits_to_truths)(const Bits* bits, Truth* out, std::size_t count);
  // decisions[r] = clause where condition[r] is surely true.
  void (*choose_where_true)(const Bits* condition, std::int32_t clause, std::int32_t* decisions, std::size_t count);
};

// Built for baseline x86-64 (SSE2) or whatever the target's baseline is.
const Kernels& portable_kernels();
// Null when this CPU (or this build's target) cannot run them.
const Kernels* avx2_kernels();
const Kernels* avx512_kernels();  // AVX-512 F, BW and VL
// The widest set this CPU runs, else the portable one.
const Kernels& best_kernels();

}  // namespace riskoff::engine::batch
