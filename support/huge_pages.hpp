// Memory for the big arrays of a large ruleset (expressions, symbols, per-expression tables, a
// plan's nodes) that the kernel may back with 2 MiB pages; and advice for other large buffers
// (a large file's text, advise_huge_pages below). At 100,000 signals compile reads and
// writes ~60 MB; in 4 KiB pages that is 15,000 pages, far more than the TLB maps, and on a VM
// every TLB miss is a nested page walk (issue 19: glibc's heap in huge pages, a process-wide
// setting a library must not make, took compile at 100k from 6.25 to 5.15 ms, 10k unchanged).
//
// A block of at least kMinMappedBytes is a mapping of its own, whole 2 MiB pages aligned to 2 MiB
// and advised MADV_HUGEPAGE (honoured where transparent huge pages are `always` or `madvise`;
// elsewhere it is plain anonymous memory, the same to every reader). Smaller blocks come from
// operator new as before, so a small ruleset maps nothing. A few released mappings are kept for reuse (see
// huge_pages.cpp). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <vector>

namespace riskoff::support {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;
// Half a MiB: at 100k signals the per-symbol arrays of compile (~1 MB, read at random) are
// mapped too; at 10k only the arena's largest chunks are.
inline constexpr std::size_t kMinMappedBytes = std::size_t{512} << 10;

// `bytes` of memory aligned for any fundamental type; throws std::bad_alloc when none is left.
void* allocate_large(std::size_t bytes);
// Returns a block of allocate_large(bytes), with the same `bytes`.
void release_large(void* block, std::size_t bytes) noexcept;

// Advises the whole 2 MiB pages inside a block someone else allocated (a std::string of a large
// file's text, reserved and not yet written) as MADV_HUGEPAGE, so that its first writes fault
// in 2 MiB pages instead of 4 KiB ones. For blocks of kMinMappedBytes and more only: below, a
// block is left as it is. The advice changes no byte and fails harmlessly (no THP in the kernel).
// It stays on the addresses after the block is freed: give it blocks that are mappings of their
// own (bounded_read.cpp advises only from glibc's largest mmap threshold up).
// Why: on this VM a 4 KiB first touch costs ~15 us, so reading an 82 MB snapshot into a fresh
// buffer paid ~0.3 s of page faults (issue 19, bench/HISTORY.md "Large files in huge pages").
void advise_huge_pages(void* block, std::size_t bytes) noexcept;

// Bytes in mappings of allocate_large now: what operator new does not see.
std::int64_t large_mapped_bytes() noexcept;
// Called with +bytes when a block is mapped and -bytes when it is released, where one is set: the
// scaling benchmark counts the mappings with the heap it counts (bench/counting_heap.hpp).
using LargeBlockObserver = void (*)(std::int64_t delta);
void set_large_block_observer(LargeBlockObserver observer) noexcept;

// For std::vector and the like: every allocator compares equal, so containers swap and move
// their blocks freely.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding converts implicitly

  T* allocate(std::size_t count) {
    if (count > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(allocate_large(count * sizeof(T)));
  }
  void deallocate(T* block, std::size_t count) noexcept { release_large(block, count * sizeof(T)); }

  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace riskoff::support
