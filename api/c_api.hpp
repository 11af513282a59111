// What the C API's translation units (c_api.cpp, c_prepared.cpp) share: the handles' layout,
// the per-thread status behind riskoff_last_error(), and the guard that keeps every exception
// out of C. Never installed.
#pragma once

#include <exception>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "riskoff/prepared.hpp"
#include "riskoff/riskoff.h"
#include "riskoff/riskoff.hpp"

struct riskoff_ruleset {
  riskoff::Ruleset ruleset;
  std::vector<std::string> profiles;
};

struct riskoff_snapshot {
  riskoff::Snapshot snapshot;
};

// A decision handle is read from many threads at once (riskoff.h), so what it hands out is
// filled once under std::call_once and never changed; the handle owns those strings.
struct riskoff_decision {
  explicit riskoff_decision(riskoff::Decision made) : decision(std::move(made)) {}
  riskoff::Decision decision;
  mutable std::once_flag values_once;
  mutable std::vector<riskoff::SymbolValue> values;
  mutable std::once_flag rendered_once[riskoff::kFormatCount];
  mutable std::string rendered[riskoff::kFormatCount];  // per riskoff_format
};

namespace riskoff::c_api {

// Sets the thread's status and message (never throws) and returns `status`.
riskoff_status fail(riskoff_status status, std::string_view message) noexcept;
riskoff_status succeed() noexcept;
const std::string& last_error_text() noexcept;
riskoff_status last_error_status() noexcept;
std::string join(const std::vector<std::string>& lines);
// A C++ API error as a status: kSnapshot is RISKOFF_ERROR_SNAPSHOT, the others (profile,
// overrides, names) RISKOFF_ERROR_OPTIONS.
riskoff_status fail_with(const riskoff::Error& error) noexcept;
// The C options as the C++ ones; RISKOFF_ERROR_ARGUMENT (naming `function`) for NULL pointers.
riskoff_status decide_options_of(const riskoff_decide_options& asked, const char* function,
                                 riskoff::DecideOptions& out);

// Runs `body`, turning every escaping exception into a status: nothing unwinds into C.
template <typename Body>
riskoff_status guarded(Body&& body) {
  try {
    return body();
  } catch (const riskoff::IoError& error) {
    return fail(RISKOFF_ERROR_IO, error.what());
  } catch (const std::bad_alloc&) {
    return fail(RISKOFF_ERROR_HOST, "out of memory");
  } catch (const std::exception& error) {
    return fail(RISKOFF_ERROR_HOST, error.what());
  } catch (...) {
    return fail(RISKOFF_ERROR_HOST, "unexpected failure");
  }
}

}  // namespace riskoff::c_api
