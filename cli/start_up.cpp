#include "cli/start_up.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

// Issue 19 (bench/HISTORY.md, "Start-up, fourth pass"): `eval --snapshot` took ~300 page faults
// against /bin/true's 47, and they, more than its instructions, set its wall time.

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RISKOFF_OWN_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define RISKOFF_OWN_MALLOC 1
#endif
#endif

namespace riskoff::cli {

// Why: `eval --snapshot` faulted in some 95 pages of heap one at a time, at about 11 us each. A
// 2 MiB huge page is one fault; the kernel zeroes it faster than it resolves the 4 KiB faults it
// replaces (a test program touching 250 pages: 4.3 ms CPU, 1.2 ms in a huge page). glibc
// does this itself with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which a program cannot set for
// itself; this is the same for the main arena, done once at start.
//
// How: the heap's top chunk (the free space at its end, where malloc carves new memory from)
// runs from `top` to the program break. A pad kept from `top` up to the next 2 MiB boundary makes
// every later allocation start at that boundary, in pages no one has touched yet, and M_TOP_PAD
// keeps a huge page's worth of heap past it; MADV_HUGEPAGE on them lets their first touch map a
// whole huge page. The pad costs address space only: its pages are never touched.
bool start_heap_on_a_huge_page() {
#ifdef RISKOFF_OWN_MALLOC
  // The sanitizers' allocators do not carve from the program break.
  return false;
#else
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  // glibc's chunk header before the pointer malloc returns, and its size field's width.
  constexpr std::uintptr_t kChunkHeader = 2 * sizeof(std::size_t);
  // At least this much pad: a request this large is no free chunk's at start, so malloc carves
  // it from the top (checked below, as everything here).
  constexpr std::uintptr_t kLeastPad = std::uintptr_t{64} << 10;
  // The heap grows by what is asked plus this, and free() gives back no more than leaves it:
  // the huge page stays whole for the whole run. Setting it turns off glibc's sliding threshold
  // between the heap and mmap (128 KiB at start, raised to each large block freed, up to
  // 32 MiB), so the threshold is set where it slides to; below it the pad comes from the heap.
  if (mallopt(M_MMAP_THRESHOLD, 32 << 20) == 0 || mallopt(M_TOP_PAD, static_cast<int>(kHugePage)) == 0) return false;
  const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::uintptr_t top = end - mallinfo2().keepcost;
  const std::uintptr_t boundary = (top + kLeastPad + kHugePage - 1) & ~(kHugePage - 1);
  // First a block past the boundary and a huge page further, so that growing the heap writes no
  // header inside that page before it is advised (a page written first has a page table of its
  // own under it, and the range would stay small pages).
  const std::uintptr_t pad_size = boundary - top - sizeof(std::size_t);
  void* pad = std::malloc(pad_size + kHugePage + kLeastPad);
  if (pad == nullptr) return false;
  if (reinterpret_cast<std::uintptr_t>(pad) - kChunkHeader != top) {
    std::free(pad);  // not carved from the top: another allocator, or a free chunk fitted
    return false;
  }
  const auto grown = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (madvise(reinterpret_cast<void*>(boundary), grown - boundary, MADV_HUGEPAGE) != 0) return false;
  // Then back to the boundary: malloc shrinks a block in place and gives what follows back to
  // the top, whose header it writes at the boundary, the first touch of the huge page.
  static void* const kept = std::realloc(pad, pad_size);  // never freed: reachable, for leak checkers
  return kept == pad;
#endif
}

}  // namespace riskoff::cli
