// Whether this build runs under AddressSanitizer: GCC says so with __SANITIZE_ADDRESS__, Clang
// only through __has_feature. Code that poisons memory of its own (the expression arena, the
// huge-page blocks) and the tests that read that poison ask here, so the two compilers' ways are
// written once.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define RISKOFF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RISKOFF_ASAN 1
#endif
#endif
