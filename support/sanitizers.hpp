// Whether this build runs under AddressSanitizer: GCC says so with __SANITIZE_ADDRESS__, Clang
// only through __has_feature. Code that poisons memory of its own (the expression arena, the
// huge-page blocks) and the tests that read that poison ask here, so the two compilers' ways are
// written once; so are ASAN_(UN)POISON_MEMORY_REGION, which do nothing without ASan.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define RISKOFF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RISKOFF_ASAN 1
#endif
#endif

#ifdef RISKOFF_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif
