// The C API's prepared inputs (riskoff.h, "Prepared inputs") over riskoff::PreparedInputs. The
// per-row calls (set, append, evaluate) stay off the guard's string work: a success clears the
// thread's message (no allocation), an error is formatted only when there is one.
#include "api/c_api.hpp"

struct riskoff_prepared {
  riskoff::PreparedInputs prepared;
};

using namespace riskoff::c_api;

namespace {

riskoff_status done(const riskoff::Status& status) noexcept {
  if (status) return succeed();
  // An unknown slot is the caller's argument; the other faults are the data's.
  if (status.error().kind == riskoff::ErrorKind::kUsage) {
    return fail(RISKOFF_ERROR_ARGUMENT, status.error().messages.front());
  }
  return fail_with(status.error());
}

}  // namespace

riskoff_status riskoff_prepared_create(const riskoff_ruleset* ruleset, int64_t as_of,
                                       const riskoff_decide_options* options, riskoff_prepared** out) {
  if (out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_create: `out` is NULL");
  *out = nullptr;
  if (ruleset == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_create: NULL handle");
  const riskoff_decide_options defaults{};
  const riskoff_decide_options& asked = options != nullptr ? *options : defaults;
  return guarded([&] {
    riskoff::DecideOptions decide_options;
    if (const riskoff_status status = decide_options_of(asked, "riskoff_prepared_create", decide_options);
        status != RISKOFF_OK) {
      return status;
    }
    auto prepared = riskoff::PreparedInputs::prepare(ruleset->ruleset, as_of, decide_options);
    if (!prepared) return fail_with(prepared.error());
    *out = new riskoff_prepared{std::move(*prepared)};
    return succeed();
  });
}

void riskoff_prepared_free(riskoff_prepared* prepared) { delete prepared; }

riskoff_status riskoff_prepared_slot(const riskoff_prepared* prepared, const char* name, uint32_t* out) {
  if (prepared == nullptr || name == nullptr || out == nullptr) {
    return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_slot: NULL argument");
  }
  return guarded([&] {
    auto slot = prepared->prepared.slot(name);
    if (!slot) return fail_with(slot.error());
    *out = slot->index;
    return succeed();
  });
}

riskoff_status riskoff_prepared_set_as_of(riskoff_prepared* prepared, int64_t as_of) {
  if (prepared == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_set_as_of: NULL handle");
  return guarded([&] { return done(prepared->prepared.set_as_of(as_of)); });
}

riskoff_status riskoff_prepared_set(riskoff_prepared* prepared, uint32_t slot, int64_t time, double value) {
  if (prepared == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_set: NULL handle");
  return guarded([&] { return done(prepared->prepared.set({slot}, time, value)); });
}

riskoff_status riskoff_prepared_append(riskoff_prepared* prepared, uint32_t slot, int64_t time, double value) {
  if (prepared == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_append: NULL handle");
  return guarded([&] { return done(prepared->prepared.append({slot}, time, value)); });
}

riskoff_status riskoff_prepared_clear(riskoff_prepared* prepared, uint32_t slot) {
  if (prepared == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_clear: NULL handle");
  return guarded([&] { return done(prepared->prepared.clear({slot})); });
}

riskoff_status riskoff_prepared_evaluate(riskoff_prepared* prepared, const char** action, int* depends_on_unknown) {
  if (prepared == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_evaluate: NULL handle");
  return guarded([&] {
    auto row = prepared->prepared.evaluate();
    if (!row) return fail_with(row.error());
    // The action's text is a NUL-terminated std::string of the ruleset's (the view covers all of it).
    if (action != nullptr) *action = row->action.data();
    if (depends_on_unknown != nullptr) *depends_on_unknown = row->depends_on_unknown ? 1 : 0;
    return succeed();
  });
}

riskoff_status riskoff_prepared_decide(riskoff_prepared* prepared, riskoff_decision** out) {
  if (out == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_decide: `out` is NULL");
  *out = nullptr;
  if (prepared == nullptr) return fail(RISKOFF_ERROR_ARGUMENT, "riskoff_prepared_decide: NULL handle");
  return guarded([&] {
    auto decided = prepared->prepared.decide();
    if (!decided) return fail_with(decided.error());
    *out = new riskoff_decision(std::move(*decided));
    return succeed();
  });
}
