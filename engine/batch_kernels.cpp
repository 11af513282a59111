#include "engine/batch_kernels.hpp"

#include <algorithm>
#include <cstring>

namespace riskoff::engine::batch {
namespace {

template <NodeOp Op>
inline bool compare(double a, double b) {
  if constexpr (Op == NodeOp::kLt) return a < b;
  if constexpr (Op == NodeOp::kLe) return a <= b;
  if constexpr (Op == NodeOp::kGt) return a > b;
  return a >= b;
}

// NOTE(batch): every loop body is written once, inline, and instantiated by wrappers below for
// the baseline target, for AVX2 (narrowing double masks to bytes is what baseline SSE2 cannot
// vectorise) and for AVX-512 (comparisons land in mask registers: about 8% more rows/s on the
// peer benchmark than AVX2). An explicit table instead of target_clones lets the
// tests run the portable set on a machine that has AVX2, and needs no ifunc resolver, which
// ThreadSanitizer's runtime is not ready for at load time.
#define RISKOFF_INLINE inline __attribute__((always_inline))

template <NodeOp Op>
RISKOFF_INLINE void compare_exact_body(const double* a, const double* b, Bits* out, std::size_t count) {
  for (std::size_t r = 0; r < count; ++r) {
    const bool holds = compare<Op>(a[r], b[r]);
    const bool unknown = (a[r] != a[r]) | (b[r] != b[r]);
    out[r] = static_cast<Bits>((holds | unknown) | ((!holds | unknown) << 1));
  }
}

// NOTE(batch): a comparison with a constant or parameter (most thresholds) reads it as one
// scalar, not as a block-sized buffer of copies: on the peer ruleset that buffer traffic was a
// third of the bytes the comparison kernels read.
template <NodeOp Op>
RISKOFF_INLINE void compare_with_constant_body(const double* a, double b, Bits* out, std::size_t count) {
  for (std::size_t r = 0; r < count; ++r) {
    const bool holds = compare<Op>(a[r], b);
    const bool unknown = a[r] != a[r];
    out[r] = static_cast<Bits>((holds | unknown) | ((!holds | unknown) << 1));
  }
}

template <NodeOp Op>
RISKOFF_INLINE void compare_ranged_body(const double* a, const double* a_up, const double* b, const double* b_up,
                                        Bits* out, std::size_t count) {
  constexpr bool kGreater = Op == NodeOp::kGt || Op == NodeOp::kGe;
  for (std::size_t r = 0; r < count; ++r) {
    const bool may_true = kGreater ? compare<Op>(a_up[r], b[r]) : compare<Op>(a[r], b_up[r]);
    const bool may_false = !(kGreater ? compare<Op>(a[r], b_up[r]) : compare<Op>(a_up[r], b[r]));
    const bool unknown = (a[r] != a[r]) | (b[r] != b[r]);
    out[r] = static_cast<Bits>((may_true | unknown) | ((may_false | unknown) << 1));
  }
}

// Members surely true and possibly true are counted in bytes (32 rows per AVX2 instruction) and
// widened to the node's numbers once, instead of two double additions per member and row.
RISKOFF_INLINE void count_members_body(const Bits* const* members, std::uint32_t member_count, double* sure,
                                       double* possible, std::size_t count) {
  std::uint8_t sure_bytes[256];
  std::uint8_t possible_bytes[256];
  for (std::size_t start = 0; start < count; start += 256) {
    const std::size_t n = std::min<std::size_t>(256, count - start);
    std::memset(sure_bytes, 0, n);
    std::memset(possible_bytes, 0, n);
    // At most 255 members per pass keeps the byte counters exact; more are summed in doubles.
    for (std::uint32_t k = 0; k < member_count; ++k) {
      const Bits* member = members[k] + start;
      for (std::size_t r = 0; r < n; ++r) {
        sure_bytes[r] = static_cast<std::uint8_t>(sure_bytes[r] + (member[r] == kTrue));
        possible_bytes[r] = static_cast<std::uint8_t>(possible_bytes[r] + (member[r] & 1));
      }
      if ((k + 1) % 255 == 0 || k + 1 == member_count) {
        for (std::size_t r = 0; r < n; ++r) {
          sure[start + r] += sure_bytes[r];
          possible[start + r] += possible_bytes[r];
        }
        std::memset(sure_bytes, 0, n);
        std::memset(possible_bytes, 0, n);
      }
    }
  }
}

// Without a branch per row: true 1 -> kTrue (1), false 2 -> kFalse (0), unknown 3 -> kUnknown
// (2), i.e. bit 0 plus (bit 0 and bit 1).
RISKOFF_INLINE void bits_to_truths_body(const Bits* bits, Truth* out, std::size_t count) {
  static_assert(static_cast<int>(Truth::kFalse) == 0 && static_cast<int>(Truth::kTrue) == 1 &&
                static_cast<int>(Truth::kUnknown) == 2);
  auto* bytes = reinterpret_cast<std::uint8_t*>(out);
  for (std::size_t r = 0; r < count; ++r) bytes[r] = static_cast<std::uint8_t>((bits[r] & 1) + (bits[r] & (bits[r] >> 1) & 1));
}

// NOTE(batch): a clause's rows are chosen with a select, not a branch: whether a clause holds
// is data, and the branch version mispredicted on a fifth of the peer benchmark's time.
RISKOFF_INLINE void choose_where_true_body(const Bits* condition, std::int32_t clause, std::int32_t* decisions,
                                           std::size_t count) {
  for (std::size_t r = 0; r < count; ++r) decisions[r] = condition[r] == kTrue ? clause : decisions[r];
}

// One set of wrappers per target; `Target` is the attribute the wrappers are built with.
#define RISKOFF_BATCH_KERNEL_SET(Suffix, Target)                                                                   \
  template <NodeOp Op>                                                                                            \
  Target void compare_exact_##Suffix(const double* a, const double* b, Bits* out, std::size_t count) {            \
    compare_exact_body<Op>(a, b, out, count);                                                                     \
  }                                                                                                               \
  template <NodeOp Op>                                                                                            \
  Target void compare_with_constant_##Suffix(const double* a, double b, Bits* out, std::size_t count) {           \
    compare_with_constant_body<Op>(a, b, out, count);                                                             \
  }                                                                                                               \
  template <NodeOp Op>                                                                                            \
  Target void compare_ranged_##Suffix(const double* a, const double* a_up, const double* b, const double* b_up,   \
                                      Bits* out, std::size_t count) {                                             \
    compare_ranged_body<Op>(a, a_up, b, b_up, out, count);                                                        \
  }                                                                                                               \
  Target void count_members_##Suffix(const Bits* const* members, std::uint32_t member_count, double* sure,         \
                                     double* possible, std::size_t count) {                                       \
    count_members_body(members, member_count, sure, possible, count);                                             \
  }                                                                                                               \
  Target void bits_to_truths_##Suffix(const Bits* bits, Truth* out, std::size_t count) {                          \
    bits_to_truths_body(bits, out, count);                                                                        \
  }                                                                                                               \
  Target void choose_where_true_##Suffix(const Bits* condition, std::int32_t clause, std::int32_t* decisions,     \
                                         std::size_t count) {                                                     \
    choose_where_true_body(condition, clause, decisions, count);                                                  \
  }                                                                                                               \
  const Kernels kKernels_##Suffix = {                                                                             \
      #Suffix,                                                                                                    \
      {compare_exact_##Suffix<NodeOp::kLt>, compare_exact_##Suffix<NodeOp::kLe>,                                  \
       compare_exact_##Suffix<NodeOp::kGt>, compare_exact_##Suffix<NodeOp::kGe>},                                 \
      {compare_with_constant_##Suffix<NodeOp::kLt>, compare_with_constant_##Suffix<NodeOp::kLe>,                  \
       compare_with_constant_##Suffix<NodeOp::kGt>, compare_with_constant_##Suffix<NodeOp::kGe>},                 \
      {compare_ranged_##Suffix<NodeOp::kLt>, compare_ranged_##Suffix<NodeOp::kLe>,                                \
       compare_ranged_##Suffix<NodeOp::kGt>, compare_ranged_##Suffix<NodeOp::kGe>},                               \
      count_members_##Suffix,                                                                                     \
      bits_to_truths_##Suffix,                                                                                    \
      choose_where_true_##Suffix,                                                                                 \
  };

static_assert(comparison_index(NodeOp::kLe) == 1 && comparison_index(NodeOp::kGt) == 2 &&
              comparison_index(NodeOp::kGe) == 3);

RISKOFF_BATCH_KERNEL_SET(portable, )
#if defined(__x86_64__) && defined(__GNUC__)
#define RISKOFF_HAS_WIDE_KERNELS 1
RISKOFF_BATCH_KERNEL_SET(avx2, __attribute__((target("avx2"))))
RISKOFF_BATCH_KERNEL_SET(avx512, __attribute__((target("avx512f,avx512bw,avx512vl,avx2"))))
#endif

}  // namespace

const Kernels& portable_kernels() { return kKernels_portable; }

const Kernels* avx2_kernels() {
#if defined(RISKOFF_HAS_WIDE_KERNELS)
  static const bool runs = __builtin_cpu_supports("avx2");
  if (runs) return &kKernels_avx2;
#endif
  return nullptr;
}

const Kernels* avx512_kernels() {
#if defined(RISKOFF_HAS_WIDE_KERNELS)
  static const bool runs = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f") &&
                           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  if (runs) return &kKernels_avx512;
#endif
  return nullptr;
}

const Kernels& best_kernels() {
  if (const Kernels* wide = avx512_kernels()) return *wide;
  if (const Kernels* wide = avx2_kernels()) return *wide;
  return kKernels_portable;
}

}  // namespace riskoff::engine::batch
