// Checked integer arithmetic: the sum, difference or product, or nullopt when it does not fit.
// Times, shifts and record ids come from files, HTTP bodies and stored records, so any of them
// can be INT64_MAX; a plain `+` there is undefined behaviour, not a wrong number.
//
//   const auto shifted = support::checked_add(time, shift);
//   if (!shifted) return problem("time + shift is out of range");
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <optional>

namespace riskoff::support {

template <std::integral T>
constexpr std::optional<T> checked_add(T lhs, T rhs) {
  T out{};
  if (__builtin_add_overflow(lhs, rhs, &out)) return std::nullopt;
  return out;
}

template <std::integral T>
constexpr std::optional<T> checked_sub(T lhs, T rhs) {
  T out{};
  if (__builtin_sub_overflow(lhs, rhs, &out)) return std::nullopt;
  return out;
}

template <std::integral T>
constexpr std::optional<T> checked_mul(T lhs, T rhs) {
  T out{};
  if (__builtin_mul_overflow(lhs, rhs, &out)) return std::nullopt;
  return out;
}

// A double as a whole int64 (truncated toward zero), or nullopt when it is not finite or does not
// fit: converting such a double with static_cast is undefined behaviour.
inline std::optional<std::int64_t> checked_int64(double value) {
  // 2^63 is exactly representable; every double below it (and >= -2^63) converts.
  if (!std::isfinite(value) || value >= 9223372036854775808.0 || value < -9223372036854775808.0) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

}  // namespace riskoff::support
