#include "support/shrink_guard.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>

namespace riskoff::support::shrink_guard {
namespace {

// One watched mapping. Read by the SIGBUS handler, so lock-free atomics only: `begin` is set
// last and cleared first, so a non-zero `begin` always comes with its `end`.
struct Watched {
  std::atomic<bool> taken{false};
  std::atomic<std::uintptr_t> begin{0};
  std::atomic<std::uintptr_t> end{0};
  std::atomic<bool> shrank{false};
};
static_assert(std::atomic<std::uintptr_t>::is_always_lock_free && std::atomic<bool>::is_always_lock_free,
              "the SIGBUS handler reads these");

std::array<Watched, kWatches> watched;
std::atomic<std::size_t> next_slot{0};  // where the search for a free slot starts

std::uintptr_t page_size = 4096;  // set before the handler is installed
struct sigaction previous {};      // the SIGBUS handler before ours

// The SIGBUS default action, for a fault that is not ours: put it back and let the signal happen
// again (a fault re-runs the access when this handler returns; a signal sent by kill() is raised).
void fall_back(int signal_number, siginfo_t* info, void* context) {
  if (previous.sa_flags & SA_SIGINFO) return previous.sa_sigaction(signal_number, info, context);
  if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) return previous.sa_handler(signal_number);
  if (previous.sa_handler == SIG_IGN && info->si_code <= 0) return;  // a sent SIGBUS that was ignored
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  ::sigaction(SIGBUS, &default_action, nullptr);
  if (info->si_code <= 0) ::raise(SIGBUS);
}

void on_bus_error(int signal_number, siginfo_t* info, void* context) {
  // BUS_ADRERR from the kernel: a page of a file mapping with no file under it any more.
  if (info->si_code == BUS_ADRERR) {
    const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (auto& slot : watched) {
      const std::uintptr_t begin = slot.begin.load();
      if (begin == 0 || address < begin) continue;
      const std::uintptr_t end = slot.end.load();
      if (address >= end) continue;
      // Zeros in place of this page and every later one of the mapping (all past the new end);
      // the access is re-run when the handler returns and reads a zero. The raw system call: the
      // sanitizers' mmap wrappers are not meant to run inside a signal handler.
      const std::uintptr_t page = address & ~(page_size - 1);
      const auto replaced = ::syscall(SYS_mmap, page, end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (replaced == -1) break;
      slot.shrank.store(true);
      return;
    }
  }
  fall_back(signal_number, info, context);
}

void install() {
  page_size = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  struct sigaction ours {};
  ours.sa_sigaction = on_bus_error;
  ours.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&ours.sa_mask);
  ::sigaction(SIGBUS, &ours, &previous);
}

}  // namespace

int watch(const void* data, std::size_t size) {
  static std::once_flag installed;
  std::call_once(installed, install);
  const std::size_t start = next_slot.load(std::memory_order_relaxed);
  for (std::size_t k = 0; k < kWatches; ++k) {
    const std::size_t index = (start + k) % kWatches;
    auto& slot = watched[index];
    if (slot.taken.exchange(true)) continue;
    next_slot.store(index + 1, std::memory_order_relaxed);
    slot.shrank.store(false);
    slot.end.store(reinterpret_cast<std::uintptr_t>(data) + size);
    slot.begin.store(reinterpret_cast<std::uintptr_t>(data));
    return static_cast<int>(index);
  }
  return -1;
}

bool shrank(int slot) { return slot >= 0 && watched[static_cast<std::size_t>(slot)].shrank.load(); }

void release(int slot) {
  if (slot < 0) return;
  auto& watched_slot = watched[static_cast<std::size_t>(slot)];
  watched_slot.begin.store(0);
  watched_slot.end.store(0);
  watched_slot.taken.store(false);
}

}  // namespace riskoff::support::shrink_guard
