// What keeps a mapped data file from killing the process when another process truncates it
// while it is mapped (a CSV rewritten in place): the pages past the file's new end can no longer
// be read, and touching one raises SIGBUS. A mapping watched here has such pages replaced by
// zeros when first touched instead, and remembers that it happened, so its reader reports the
// file instead of dying ("bad input never crashes"). Used by MappedFile (bounded_read.hpp) alone.
//
// The watch is a SIGBUS handler installed on the first watch: it answers only faults inside a
// watched mapping and hands every other SIGBUS to the handler that was there before it (or to
// the default action, which ends the process as it would have without this one).
#pragma once

#include <cstddef>

namespace riskoff::support::shrink_guard {

// Mappings watched at once: a build keeps each input's files mapped until the input is taken
// (all of an input's monthly dumps at once), and every thread of `riskoff serve` its own. Past
// this many, MappedFile reads files instead (correct, only slower).
inline constexpr std::size_t kWatches = 1024;

// Watches the mapping at [data, data + size); returns its slot, or -1 when every slot is taken
// (the caller then reads the file instead of mapping it).
int watch(const void* data, std::size_t size);
// Whether a page of the watched mapping was found gone (and now reads as zeros).
bool shrank(int slot);
// Stops watching; before the mapping is unmapped.
void release(int slot);

}  // namespace riskoff::support::shrink_guard
