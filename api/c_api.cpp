// The C API (include/riskoff/riskoff.h) over the C++ one. Every entry point catches everything:
// no exception crosses into C. Errors are kept per thread for riskoff_last_error().
#include "riskoff/riskoff.h"

#include <cmath>
#include <exception>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "api/c_api.hpp"
#include "api/impl.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff::c_api {

namespace {
thread_local std::string last_error;
thread_local riskoff_status last_status = RISKOFF_OK;
}  // namespace

// Never throws: it runs in catch handlers and before any guard. Without memory for the message,
// the status still says what happened.
riskoff_status fail(riskoff_status status, std::string_view message) noexcept {
  last_status = status;
  try {
    last_error.assign(message);
  } catch (...) {
    last_error.clear();
  }
  return status;
}

riskoff_status succeed() noexcept {
  last_status = RISKOFF_OK;
  last_error.clear();
  return RISKOFF_OK;
}

const std::string& last_error_text() noexcept { return last_error; }
riskoff_status last_error_status() noexcept { return last_status; }

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

riskoff_status fail_with(const riskoff::Error& error) noexcept {
  const bool options_problem = error.kind != riskoff::ErrorKind::kSnapshot;
  try {
    return fail(options_problem ? RISKOFF_ERROR_OPTIONS : RISKOFF_ERROR_SNAPSHOT, join(error.messages));
  } catch (...) {
    return fail(options_problem ? RISKOFF_ERROR_OPTIONS : RISKOFF_ERROR_SNAPSHOT, "");
  }
}

riskoff_status decide_options_of(const riskoff_decide_options& asked, const char* function,
                                 riskoff::DecideOptions& out) {
  if (asked.override_count > 0 && asked.overrides == nullptr) {
    return fail(RISKOFF_ERROR_ARGUMENT, std::string(function) + ": `overrides` is NULL");
  }
  if (asked.profile != nullptr) out.profile = asked.profile;
  for (size_t index = 0; index < asked.override_count; ++index) {
    if (asked.overrides[index] == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, std::string(function) + ": an override is NULL");
    out.overrides.emplace_back(asked.overrides[index]);
  }
  out.node_values = asked.drop_values != 0 ? riskoff::NodeValues::kDrop : riskoff::NodeValues::kKeep;
  return RISKOFF_OK;
}

}  // namespace riskoff::c_api

using namespace riskoff::c_api;

namespace {

bool valid_unit(riskoff_unit unit) { return unit >= RISKOFF_UNIT_NUMBER && unit <= RISKOFF_UNIT_INDEX; }

riskoff_status finish_compile(riskoff::CompileResult result, riskoff_ruleset** out) {
  if (!result.ok()) {
    std::string message;
    std::size_t errors = 0;
    for (const auto& problem : result.problems) {
      if (problem.is_error) ++errors;
      message += problem.text + "\n";
    }
    message += std::to_string(errors) + (errors == 1 ? " error" : " errors");
    return fail(RISKOFF_ERROR_RULESET, std::move(message));
  }
  auto* handle = new riskoff_ruleset{std::move(*result.ruleset), {}};
  handle->profiles = handle->ruleset.profiles();
  *out = handle;
  return succeed();
}

riskoff_status finish_snapshot(riskoff::SnapshotResult result, riskoff_snapshot** out) {
  if (!result.ok()) return fail(RISKOFF_ERROR_SNAPSHOT, join(result.errors));
  *out = new riskoff_snapshot{std::move(*result.snapshot)};
  return succeed();
}

void fill(const riskoff::SymbolValue& value, riskoff_value* out) {
  out->name = value.name.c_str();
  out->kind = riskoff::symbol_kind_name(value.kind);
  out->is_condition = value.is_condition ? 1 : 0;
  out->truth = static_cast<riskoff_truth>(value.truth);
  out->number = value.number;
  out->upper = value.upper;
  out->unit = static_cast<riskoff_unit>(value.unit);
}

const std::vector<riskoff::SymbolValue>& values_of(const riskoff_decision* decision) {
  std::call_once(decision->values_once, [decision] { decision->values = decision->decision.values(); });
  return decision->values;
}

riskoff_status no_trace(const char* function) noexcept {
  try {
    return fail(RISKOFF_ERROR_NO_TRACE, std::string(function) + ": the decision was evaluated with keep_trace 0");
  } catch (...) {
    return fail(RISKOFF_ERROR_NO_TRACE, "the decision was evaluated with keep_trace 0");
  }
}

}  // namespace

extern "C" {

const char* riskoff_version(void) { return RISKOFF_VERSION_STRING; }
int riskoff_version_number(void) { return RISKOFF_VERSION_NUMBER; }
const char* riskoff_last_error(void) { return last_error_text().c_str(); }
riskoff_status riskoff_last_status(void) { return last_error_status(); }

const char* riskoff_status_name(riskoff_status status) {
  switch (status) {
    case RISKOFF_OK: return "RISKOFF_OK";
    case RISKOFF_ERROR_ARGUMENT: return "RISKOFF_ERROR_ARGUMENT";
    case RISKOFF_ERROR_RULESET: return "RISKOFF_ERROR_RULESET";
    case RISKOFF_ERROR_SNAPSHOT: return "RISKOFF_ERROR_SNAPSHOT";
    case RISKOFF_ERROR_OPTIONS: return "RISKOFF_ERROR_OPTIONS";
    case RISKOFF_ERROR_IO: return "RISKOFF_ERROR_IO";
    case RISKOFF_ERROR_NOT_FOUND: return "RISKOFF_ERROR_NOT_FOUND";
    case RISKOFF_ERROR_NO_TRACE: return "RISKOFF_ERROR_NO_TRACE";
    case RISKOFF_ERROR_HOST: return "RISKOFF_ERROR_HOST";
    case RISKOFF_STATUS_MIN_:
    case RISKOFF_STATUS_MAX_: break;
  }
  return "RISKOFF_ERROR_UNKNOWN";
}

riskoff_status riskoff_ruleset_compile(const char* text, size_t length, const char* name, const char* directory,
                                       riskoff_ruleset** out) {
  if (out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_ruleset_compile: `out` is NULL");
  *out = nullptr;
  if (text == nullptr && length > 0) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_ruleset_compile: `text` is NULL");
  return guarded([&] {
    return finish_compile(riskoff::Ruleset::compile(std::string_view(text == nullptr ? "" : text, length),
                                                    name ? name : "<memory>", directory ? directory : "."),
                          out);
  });
}

riskoff_status riskoff_ruleset_load(const char* path, riskoff_ruleset** out) {
  if (out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_ruleset_load: `out` is NULL");
  *out = nullptr;
  if (path == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_ruleset_load: `path` is NULL");
  return guarded([&] { return finish_compile(riskoff::Ruleset::load(path), out); });
}

void riskoff_ruleset_free(riskoff_ruleset* ruleset) { delete ruleset; }

const char* riskoff_ruleset_name(const riskoff_ruleset* ruleset) {
  return ruleset ? ruleset->ruleset.name().c_str() : nullptr;
}
const char* riskoff_ruleset_version(const riskoff_ruleset* ruleset) {
  return ruleset ? ruleset->ruleset.version().c_str() : nullptr;
}
const char* riskoff_ruleset_content_hash(const riskoff_ruleset* ruleset) {
  return ruleset ? ruleset->ruleset.content_hash().c_str() : nullptr;
}
size_t riskoff_ruleset_profile_count(const riskoff_ruleset* ruleset) { return ruleset ? ruleset->profiles.size() : 0; }
const char* riskoff_ruleset_profile(const riskoff_ruleset* ruleset, size_t index) {
  return ruleset && index < ruleset->profiles.size() ? ruleset->profiles[index].c_str() : nullptr;
}
size_t riskoff_ruleset_input_count(const riskoff_ruleset* ruleset) {
  return ruleset ? ruleset->ruleset.inputs().size() : 0;
}
const char* riskoff_ruleset_input(const riskoff_ruleset* ruleset, size_t index, riskoff_unit* unit) {
  if (ruleset == nullptr || index >= ruleset->ruleset.inputs().size()) return nullptr;
  const auto& input = ruleset->ruleset.inputs()[index];
  if (unit != nullptr) *unit = static_cast<riskoff_unit>(input.unit);
  return input.name.c_str();
}

riskoff_status riskoff_snapshot_from_json(const char* json, size_t length, const char* name, riskoff_snapshot** out) {
  if (out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_snapshot_from_json: `out` is NULL");
  *out = nullptr;
  if (json == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_snapshot_from_json: `json` is NULL");
  return guarded([&] {
    return finish_snapshot(riskoff::Snapshot::from_json(std::string_view(json, length), name ? name : "<memory>"), out);
  });
}

riskoff_status riskoff_snapshot_create(int64_t as_of, riskoff_snapshot** out) {
  if (out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_snapshot_create: `out` is NULL");
  *out = nullptr;
  if (!riskoff::representable(as_of)) {
    return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_snapshot_create: `as_of` is outside the years 0000 to 9999");
  }
  return guarded([&] {
    *out = new riskoff_snapshot{riskoff::Snapshot(as_of)};
    return succeed();
  });
}

riskoff_status riskoff_parse_time(const char* text, int64_t* out) {
  if (text == nullptr || out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_parse_time: NULL argument");
  return guarded([&] {
    const auto time = riskoff::parse_time(text);
    if (!time) {
      return fail(RISKOFF_ERROR_ARGUMENT,
                  std::string("`") + text + "` is not a UTC time such as 2026-02-04T21:00:00Z or 2026-02-04");
    }
    *out = *time;
    return succeed();
  });
}

riskoff_status riskoff_snapshot_add_series(riskoff_snapshot* snapshot, const char* name, riskoff_unit unit,
                                           const int64_t* times, const double* values, size_t count) {
  if (snapshot == nullptr || name == nullptr || (count > 0 && (times == nullptr || values == nullptr))) {
    return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_snapshot_add_series: NULL argument");
  }
  if (!valid_unit(unit)) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_snapshot_add_series: unknown unit");
  return guarded([&] {
    auto error = snapshot->snapshot.add_series(name, static_cast<riskoff::Unit>(unit),
                                               std::vector<std::int64_t>(times, times + count),
                                               std::vector<double>(values, values + count));
    return error.empty() ? succeed() : fail(RISKOFF_ERROR_SNAPSHOT, std::move(error));
  });
}

riskoff_status riskoff_snapshot_add_scalar(riskoff_snapshot* snapshot, const char* name, riskoff_unit unit,
                                           int64_t time, double value) {
  if (snapshot == nullptr || name == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_snapshot_add_scalar: NULL argument");
  if (!valid_unit(unit)) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_snapshot_add_scalar: unknown unit");
  return guarded([&] {
    auto error = snapshot->snapshot.add_scalar(name, static_cast<riskoff::Unit>(unit), time, value);
    return error.empty() ? succeed() : fail(RISKOFF_ERROR_SNAPSHOT, std::move(error));
  });
}

void riskoff_snapshot_free(riskoff_snapshot* snapshot) { delete snapshot; }

riskoff_status riskoff_decide(const riskoff_ruleset* ruleset, const riskoff_snapshot* snapshot,
                              const riskoff_decide_options* options, riskoff_decision** out) {
  if (out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_decide: `out` is NULL");
  *out = nullptr;
  if (ruleset == nullptr || snapshot == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_decide: NULL handle");
  const riskoff_decide_options defaults{};
  const riskoff_decide_options& asked = options != nullptr ? *options : defaults;
  return guarded([&] {
    riskoff::DecideOptions decide_options;
    if (const riskoff_status status = decide_options_of(asked, "riskoff_decide", decide_options); status != RISKOFF_OK) {
      return status;
    }
    auto decided = riskoff::decide(ruleset->ruleset, snapshot->snapshot, decide_options);
    if (!decided) return fail_with(decided.error());
    *out = new riskoff_decision(std::move(*decided));
    return succeed();
  });
}

riskoff_status riskoff_evaluate(const riskoff_ruleset* ruleset, const riskoff_snapshot* snapshot, const char* profile,
                                const char* const* overrides, size_t override_count, int keep_trace,
                                riskoff_decision** out) {
  riskoff_decide_options options{};
  options.profile = profile;
  options.overrides = overrides;
  options.override_count = override_count;
  options.drop_values = keep_trace == 0 ? 1 : 0;
  return riskoff_decide(ruleset, snapshot, &options, out);
}

void riskoff_decision_free(riskoff_decision* decision) { delete decision; }

const char* riskoff_decision_action(const riskoff_decision* decision) {
  return decision ? decision->decision.action().c_str() : nullptr;
}
const char* riskoff_decision_profile(const riskoff_decision* decision) {
  return decision ? decision->decision.profile().c_str() : nullptr;
}
int riskoff_decision_depends_on_unknown(const riskoff_decision* decision) {
  return decision && decision->decision.depends_on_unknown() ? 1 : 0;
}
size_t riskoff_decision_unused_input_count(const riskoff_decision* decision) {
  return decision ? decision->decision.unused_inputs().size() : 0;
}
const char* riskoff_decision_unused_input(const riskoff_decision* decision, size_t index) {
  if (decision == nullptr || index >= decision->decision.unused_inputs().size()) return nullptr;
  return decision->decision.unused_inputs()[index].c_str();
}

riskoff_status riskoff_decision_render(const riskoff_decision* decision, riskoff_format format, const char** out) {
  if (decision == nullptr || out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_decision_render: NULL argument");
  *out = nullptr;
  if (format < RISKOFF_FORMAT_TEXT || format > RISKOFF_FORMAT_TEXT_VERBOSE_COLOUR) {
    return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_decision_render: unknown format");
  }
  if (!decision->decision.has_trace()) return no_trace("riskoff_decision_render");
  const riskoff_decision* cache = decision;
  return guarded([&] {
    const auto index = static_cast<std::size_t>(format);
    std::call_once(cache->rendered_once[index], [cache, format, index] {
      cache->rendered[index] = cache->decision.render(static_cast<riskoff::Format>(format));
    });
    *out = cache->rendered[index].c_str();
    return succeed();
  });
}

size_t riskoff_decision_value_count(const riskoff_decision* decision) {
  if (decision == nullptr) {
    fail(RISKOFF_ERROR_ARGUMENT, "riskoff_decision_value_count: NULL handle");
    return 0;
  }
  if (!decision->decision.has_trace()) {
    no_trace("riskoff_decision_value_count");
    return 0;
  }
  try {
    const std::size_t count = values_of(decision).size();
    succeed();
    return count;
  } catch (...) {
    fail(RISKOFF_ERROR_HOST, "out of memory");
    return 0;
  }
}

riskoff_status riskoff_decision_value_at(const riskoff_decision* decision, size_t index, riskoff_value* out) {
  if (decision == nullptr || out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_decision_value_at: NULL argument");
  if (!decision->decision.has_trace()) return no_trace("riskoff_decision_value_at");
  return guarded([&] {
    const auto& values = values_of(decision);
    if (index >= values.size()) {
      return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_decision_value_at: index " + std::to_string(index) +
                                              " is out of range (" + std::to_string(values.size()) + " values)");
    }
    fill(values[index], out);
    return succeed();
  });
}

riskoff_status riskoff_decision_value(const riskoff_decision* decision, const char* name, riskoff_value* out) {
  if (decision == nullptr || name == nullptr || out == nullptr) {
    return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_decision_value: NULL argument");
  }
  if (!decision->decision.has_trace()) return no_trace("riskoff_decision_value");
  return guarded([&] {
    for (const auto& value : values_of(decision)) {
      if (value.name == name) {
        fill(value, out);
        return succeed();
      }
    }
    return fail(RISKOFF_ERROR_NOT_FOUND, std::string("no input, let, signal or group is named `") + name + "`");
  });
}

}  // extern "C"
