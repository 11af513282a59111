#include "support/huge_pages.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>

// In an AddressSanitizer build the mapping past the block's end is poisoned: a mapped block has
// no redzone of its own, and without this a read past the end of a big array went unnoticed.
#include "support/sanitizers.hpp"
// LeakSanitizer (with ASan) looks for pointers to live blocks in the heap, not in mappings of our
// own: a mapping is a root region to it, or the strings and vectors that symbols and expressions
// point to would be reported as leaks.
#ifdef RISKOFF_ASAN
#include <sanitizer/lsan_interface.h>
#define RISKOFF_LSAN_REGISTER(addr, size) __lsan_register_root_region(addr, size)
#define RISKOFF_LSAN_UNREGISTER(addr, size) __lsan_unregister_root_region(addr, size)
#else
#define RISKOFF_LSAN_REGISTER(addr, size) ((void)(addr), (void)(size))
#define RISKOFF_LSAN_UNREGISTER(addr, size) ((void)(addr), (void)(size))
#endif

namespace riskoff::support {
namespace {

std::atomic<std::int64_t> mapped{0};
std::atomic<LargeBlockObserver> observer{nullptr};

// Whole huge pages: the block's last 2 MiB can be one huge page too. Where THP backs it, the
// rounding costs memory (at most 1.5 MiB for a block of kMinMappedBytes); elsewhere address
// space only.
std::size_t mapping_length(std::size_t bytes) { return (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1); }

// Released mappings kept for the next block of the same length, as malloc keeps its freed heap:
// a plan compiled again (a benchmark, a server reloading its rules) gets its nodes' pages back
// without mapping them again and faulting each huge page in, zeroed by the kernel (at 100k
// signals ~1 ms of system time per compile when every release unmapped). At most kKeptMappings
// mappings and kMaxKeptBytes bytes; the oldest makes room.
constexpr std::size_t kKeptMappings = 4;
constexpr std::size_t kMaxKeptBytes = std::size_t{64} << 20;
struct KeptMapping {
  void* block = nullptr;
  std::size_t length = 0;
};
std::mutex kept_mutex;
std::array<KeptMapping, kKeptMappings> kept;  // most recently released first

void* take_kept(std::size_t length) {
  const std::lock_guard lock(kept_mutex);
  for (std::size_t at = 0; at < kept.size(); ++at) {
    if (kept[at].block == nullptr || kept[at].length != length) continue;
    void* const block = kept[at].block;
    for (std::size_t next = at; next + 1 < kept.size(); ++next) kept[next] = kept[next + 1];
    kept.back() = {};
    return block;
  }
  return nullptr;
}

// Keeps `block` as the most recently released mapping and returns those to unmap: the oldest
// past kKeptMappings or kMaxKeptBytes (`block` itself when it alone is over).
std::array<KeptMapping, kKeptMappings + 1> keep(void* block, std::size_t length) {
  std::array<KeptMapping, kKeptMappings + 1> dropped{};
  const std::lock_guard lock(kept_mutex);
  std::array<KeptMapping, kKeptMappings + 1> all{};  // newest first
  all[0] = {block, length};
  std::copy(kept.begin(), kept.end(), all.begin() + 1);
  kept = {};
  std::size_t total = 0;
  std::size_t kept_count = 0;
  std::size_t dropped_count = 0;
  for (const KeptMapping& mapping : all) {
    if (mapping.block == nullptr) continue;
    if (kept_count < kKeptMappings && total + mapping.length <= kMaxKeptBytes) {
      kept[kept_count++] = mapping;
      total += mapping.length;
    } else {
      dropped[dropped_count++] = mapping;
    }
  }
  return dropped;
}

void* map_aligned(std::size_t length) {
  // mmap aligns to 4 KiB only: map 2 MiB more and cut the unaligned head and the tail off, so the
  // block starts on a huge page boundary.
  void* const area = ::mmap(nullptr, length + kHugePageBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(area);
  const std::uintptr_t aligned = (start + kHugePageBytes - 1) & ~(std::uintptr_t{kHugePageBytes} - 1);
  if (aligned > start) ::munmap(area, aligned - start);
  const std::uintptr_t tail = start + length + kHugePageBytes - (aligned + length);
  if (tail > 0) ::munmap(reinterpret_cast<void*>(aligned + length), tail);
  void* const block = reinterpret_cast<void*>(aligned);
  // Fails (EINVAL) only on a kernel without transparent huge pages: the memory is then plain pages.
  ::madvise(block, length, MADV_HUGEPAGE);
  RISKOFF_LSAN_REGISTER(block, length);
  return block;
}

}  // namespace

void* allocate_large(std::size_t bytes) {
  if (bytes < kMinMappedBytes) return ::operator new(bytes);
  const std::size_t length = mapping_length(bytes);
  if (length < bytes) throw std::bad_alloc();  // the rounding overflowed
  void* block = take_kept(length);
  if (block == nullptr) block = map_aligned(length);
  ASAN_UNPOISON_MEMORY_REGION(block, bytes);
  ASAN_POISON_MEMORY_REGION(static_cast<std::byte*>(block) + bytes, length - bytes);
  mapped.fetch_add(static_cast<std::int64_t>(bytes), std::memory_order_relaxed);
  if (const auto observe = observer.load(std::memory_order_acquire)) observe(static_cast<std::int64_t>(bytes));
  return block;
}

void release_large(void* block, std::size_t bytes) noexcept {
  if (block == nullptr) return;
  if (bytes < kMinMappedBytes) {
    ::operator delete(block);
    return;
  }
  const std::size_t length = mapping_length(bytes);
  // Kept, the block is poisoned whole until handed out again; unmapped, unpoisoned, so a later
  // mapping at the same address does not find this one's poison.
  ASAN_POISON_MEMORY_REGION(block, length);
  for (const KeptMapping& dropped : keep(block, length)) {
    if (dropped.block == nullptr) continue;
    ASAN_UNPOISON_MEMORY_REGION(dropped.block, dropped.length);
    RISKOFF_LSAN_UNREGISTER(dropped.block, dropped.length);
    ::munmap(dropped.block, dropped.length);
  }
  mapped.fetch_sub(static_cast<std::int64_t>(bytes), std::memory_order_relaxed);
  if (const auto observe = observer.load(std::memory_order_acquire)) observe(-static_cast<std::int64_t>(bytes));
}

void advise_huge_pages(void* block, std::size_t bytes) noexcept {
  if (block == nullptr || bytes < kMinMappedBytes) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(block);
  const std::uintptr_t first = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePageBytes - 1);
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

std::int64_t large_mapped_bytes() noexcept { return mapped.load(std::memory_order_relaxed); }

void set_large_block_observer(LargeBlockObserver next) noexcept { observer.store(next, std::memory_order_release); }

}  // namespace riskoff::support
