/* Symbol visibility for the riskoff libraries. Everything is built with hidden visibility; only
   what carries RISKOFF_API is exported from libriskoff.so, so the engine's internals can change
   without consumers noticing. Usable from C and C++. */
#ifndef RISKOFF_EXPORT_H
#define RISKOFF_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define RISKOFF_API __attribute__((visibility("default")))
#else
#define RISKOFF_API
#endif

#endif
