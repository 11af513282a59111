// Heap accounting for the scaling benchmark and the linearity test: replaces the global
// operator new/delete of the program that includes it, counting allocations and the live
// bytes (usable sizes, through malloc). Include it in exactly ONE translation unit per program.
#pragma once

#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "support/huge_pages.hpp"

namespace riskoff::bench::heap {

inline std::atomic<std::int64_t> allocations{0};
inline std::atomic<std::int64_t> live{0};
inline std::atomic<std::int64_t> peak{0};
// Off while a benchmark times a stage: malloc_usable_size on every free reads the block's header,
// a cache miss that grows with the working set and made large rulesets look superlinear. The
// peak is then measured in a run of its own. Frees while off are not subtracted, so turn
// counting back on only at a point where the blocks allocated since are gone (or stay alive).
inline std::atomic<bool> counting{true};

// Live bytes now, and the peak restarted from here: what a stage adds is peak - start.
inline std::int64_t restart_peak() {
  const std::int64_t now = live.load();
  peak.store(now);
  return now;
}

inline void add_live(std::int64_t bytes) {
  const std::int64_t now = live.fetch_add(bytes) + bytes;
  std::int64_t seen = peak.load(std::memory_order_relaxed);
  while (now > seen && !peak.compare_exchange_weak(seen, now)) {
  }
}

inline void* counted(std::size_t size) {
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer == nullptr) throw std::bad_alloc();
  if (!counting.load(std::memory_order_relaxed)) return pointer;
  allocations.fetch_add(1, std::memory_order_relaxed);
  add_live(static_cast<std::int64_t>(malloc_usable_size(pointer)));
  return pointer;
}

// Big arrays are mappings of their own (support/huge_pages.hpp), not operator new's: counted as
// heap all the same, so a stage's peak holds them.
inline void count_mapping(std::int64_t delta) {
  if (!counting.load(std::memory_order_relaxed)) return;
  if (delta > 0) allocations.fetch_add(1, std::memory_order_relaxed);
  add_live(delta);
}
inline const bool mappings_counted = (support::set_large_block_observer(&count_mapping), true);

inline void release(void* pointer) noexcept {
  if (pointer == nullptr) return;
  if (!counting.load(std::memory_order_relaxed)) {
    std::free(pointer);
    return;
  }
  live.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(pointer)));
  std::free(pointer);
}

}  // namespace riskoff::bench::heap

void* operator new(std::size_t size) { return riskoff::bench::heap::counted(size); }
void* operator new[](std::size_t size) { return riskoff::bench::heap::counted(size); }
void operator delete(void* pointer) noexcept { riskoff::bench::heap::release(pointer); }
void operator delete[](void* pointer) noexcept { riskoff::bench::heap::release(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { riskoff::bench::heap::release(pointer); }
void operator delete[](void* pointer, std::size_t) noexcept { riskoff::bench::heap::release(pointer); }
// The nothrow forms too (std::stable_sort's buffer uses them), so every block is counted once
// and freed by the matching function.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return riskoff::bench::heap::counted(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return riskoff::bench::heap::counted(size);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* pointer, const std::nothrow_t&) noexcept { riskoff::bench::heap::release(pointer); }
void operator delete[](void* pointer, const std::nothrow_t&) noexcept { riskoff::bench::heap::release(pointer); }
