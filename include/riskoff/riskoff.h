/* riskoff's C API: a stable binary interface to the engine for C and, through C, for Python
   (ctypes), Rust, Go and anything else with a foreign-function interface. docs/embedding.md is
   the guide.

   Rules that hold for every function:
   - Handles are opaque. What riskoff_*_create/compile/load/evaluate gives you, you free with the
     matching riskoff_*_free (NULL is accepted and ignored). Nothing else needs freeing.
   - Functions that can fail return a riskoff_status; RISKOFF_OK is 0. On failure the out-handle
     is set to NULL and riskoff_last_error() describes the problem (for a ruleset that does not
     check: every diagnostic, rendered with file:line:col, the source line and a caret).
   - riskoff_last_error() is per thread and stays valid until the next riskoff call on that thread;
     every call that returns a riskoff_status (and riskoff_decision_value_count) sets it, to ""
     on success.
   - Strings in and out are UTF-8 and NUL-terminated unless a length is given. A const char*
     returned from a handle lives as long as that handle.
   - No C++ exception ever crosses this boundary; out of memory is RISKOFF_ERROR_HOST.
   - Threads: a compiled ruleset and a decision are immutable: use them from any number of
     threads at once. A snapshot may be changed by one thread while no other uses it. */
#ifndef RISKOFF_H
#define RISKOFF_H

#include <stddef.h>
#include <stdint.h>

#include "riskoff/export.h"
#include "riskoff/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum riskoff_status {
  RISKOFF_OK = 0,
  RISKOFF_ERROR_ARGUMENT = 1, /* a NULL handle or pointer, an index out of range, bad enum */
  RISKOFF_ERROR_RULESET = 2,  /* the rule text does not check (diagnostics in the message) */
  RISKOFF_ERROR_SNAPSHOT = 3, /* snapshot JSON or values malformed, or not fitting the ruleset */
  RISKOFF_ERROR_OPTIONS = 4,  /* unknown profile or malformed parameter override */
  RISKOFF_ERROR_IO = 5,       /* a named file could not be read */
  RISKOFF_ERROR_NOT_FOUND = 6,/* no value of that name */
  RISKOFF_ERROR_NO_TRACE = 7, /* the decision was evaluated without keeping its trace */
  RISKOFF_ERROR_HOST = 8,     /* out of memory or another failure of the host */
  /* Not statuses: they give every enum here the whole range of int, so any int a caller passes
     (a negative one too) is a value the library can check and reject, never undefined
     behaviour in its C++ code. */
  RISKOFF_STATUS_MIN_ = -0x7fffffff - 1,
  RISKOFF_STATUS_MAX_ = 0x7fffffff
} riskoff_status;

/* Numbering shared with the C++ API (riskoff/values.hpp). */
typedef enum riskoff_unit {
  RISKOFF_UNIT_NUMBER = 0,
  RISKOFF_UNIT_PERCENT = 1,
  RISKOFF_UNIT_BP = 2,
  RISKOFF_UNIT_USD = 3,
  RISKOFF_UNIT_INDEX = 4,
  RISKOFF_UNIT_MIN_ = -0x7fffffff - 1,
  RISKOFF_UNIT_MAX_ = 0x7fffffff
} riskoff_unit;

typedef enum riskoff_truth { RISKOFF_FALSE = 0, RISKOFF_TRUE = 1, RISKOFF_UNKNOWN = 2,
                             RISKOFF_TRUTH_MIN_ = -0x7fffffff - 1, RISKOFF_TRUTH_MAX_ = 0x7fffffff } riskoff_truth;

typedef enum riskoff_format {
  RISKOFF_FORMAT_TEXT = 0,
  RISKOFF_FORMAT_MARKDOWN = 1,
  RISKOFF_FORMAT_JSON = 2, /* riskoff.explanation/1, docs/explanation.md */
  RISKOFF_FORMAT_TEXT_COLOUR = 3, /* text with ANSI colours, for a terminal */
  RISKOFF_FORMAT_TEXT_VERBOSE = 4, /* the full tree and every table (`riskoff eval --verbose`) */
  RISKOFF_FORMAT_TEXT_VERBOSE_COLOUR = 5, /* the same with ANSI colours */
  RISKOFF_FORMAT_MIN_ = -0x7fffffff - 1,
  RISKOFF_FORMAT_MAX_ = 0x7fffffff
} riskoff_format;

typedef struct riskoff_ruleset riskoff_ruleset;
typedef struct riskoff_snapshot riskoff_snapshot;
typedef struct riskoff_decision riskoff_decision;

/* The library's version at run time, e.g. "0.1.0"; compare with RISKOFF_VERSION_STRING. */
RISKOFF_API const char* riskoff_version(void);
RISKOFF_API int riskoff_version_number(void);

/* The calling thread's last error message ("" when none) and its status. */
RISKOFF_API const char* riskoff_last_error(void);
RISKOFF_API riskoff_status riskoff_last_status(void);
/* A short English name for a status: "RISKOFF_ERROR_SNAPSHOT". */
RISKOFF_API const char* riskoff_status_name(riskoff_status status);

/* ---- Rulesets ---------------------------------------------------------------------------- */

/* Checks and compiles `length` bytes of rule text. `name` labels diagnostics (NULL: "<memory>");
   imports resolve against `directory` (NULL: the current directory). */
RISKOFF_API riskoff_status riskoff_ruleset_compile(const char* text, size_t length, const char* name,
                                                   const char* directory, riskoff_ruleset** out);
/* Reads a rule file and its imports. RISKOFF_ERROR_IO when the file cannot be read. */
RISKOFF_API riskoff_status riskoff_ruleset_load(const char* path, riskoff_ruleset** out);
RISKOFF_API void riskoff_ruleset_free(riskoff_ruleset* ruleset);

RISKOFF_API const char* riskoff_ruleset_name(const riskoff_ruleset* ruleset);
RISKOFF_API const char* riskoff_ruleset_version(const riskoff_ruleset* ruleset);
RISKOFF_API const char* riskoff_ruleset_content_hash(const riskoff_ruleset* ruleset);
/* Profiles and inputs by index; NULL when out of range. */
RISKOFF_API size_t riskoff_ruleset_profile_count(const riskoff_ruleset* ruleset);
RISKOFF_API const char* riskoff_ruleset_profile(const riskoff_ruleset* ruleset, size_t index);
RISKOFF_API size_t riskoff_ruleset_input_count(const riskoff_ruleset* ruleset);
RISKOFF_API const char* riskoff_ruleset_input(const riskoff_ruleset* ruleset, size_t index,
                                              riskoff_unit* unit);

/* ---- Snapshots --------------------------------------------------------------------------- */

/* Parses snapshot JSON (`riskoff.snapshot/1`, docs/snapshot.md); `name` labels errors. */
RISKOFF_API riskoff_status riskoff_snapshot_from_json(const char* json, size_t length, const char* name,
                                                      riskoff_snapshot** out);
/* An empty snapshot at `as_of` (UTC seconds since 1970), to fill with the calls below. */
RISKOFF_API riskoff_status riskoff_snapshot_create(int64_t as_of, riskoff_snapshot** out);
/* Parses "2026-02-04T21:00:00Z" or "2026-02-04"; RISKOFF_ERROR_ARGUMENT when it is neither. */
RISKOFF_API riskoff_status riskoff_parse_time(const char* text, int64_t* out);
/* Adds an input: `count` observations, times strictly ascending, none after as_of, values finite.
   On error the snapshot is unchanged. */
RISKOFF_API riskoff_status riskoff_snapshot_add_series(riskoff_snapshot* snapshot, const char* name,
                                                       riskoff_unit unit, const int64_t* times,
                                                       const double* values, size_t count);
RISKOFF_API riskoff_status riskoff_snapshot_add_scalar(riskoff_snapshot* snapshot, const char* name,
                                                       riskoff_unit unit, int64_t time, double value);
RISKOFF_API void riskoff_snapshot_free(riskoff_snapshot* snapshot);

/* ---- Evaluation -------------------------------------------------------------------------- */

/* What riskoff_decide() is asked. Zero-initialise it ({0} or memset) and set what you need:
   the zero value of every field is its default. */
typedef struct riskoff_decide_options {
  const char* profile;            /* NULL or "": the ruleset's first profile */
  const char* const* overrides;   /* parameter overrides "NAME=VALUE" ("yield_jump=20bp") */
  size_t override_count;          /* how many; `overrides` may be NULL when 0 */
  int drop_values;                /* non-zero: keep only the action (no explanation, no values) */
} riskoff_decide_options;

/* The one decision entry point (the C++ riskoff::decide): `ruleset` on `snapshot` with
   `options` (NULL: the defaults). RISKOFF_ERROR_OPTIONS for an unknown profile or a malformed
   override, RISKOFF_ERROR_SNAPSHOT for a snapshot that does not fit the ruleset. */
RISKOFF_API riskoff_status riskoff_decide(const riskoff_ruleset* ruleset, const riskoff_snapshot* snapshot,
                                          const riskoff_decide_options* options, riskoff_decision** out);

/* riskoff_decide with the options spelled out (kept for callers of 0.1): `keep_trace` 0 is
   `drop_values` 1. */
RISKOFF_API riskoff_status riskoff_evaluate(const riskoff_ruleset* ruleset, const riskoff_snapshot* snapshot,
                                            const char* profile, const char* const* overrides,
                                            size_t override_count, int keep_trace, riskoff_decision** out);
RISKOFF_API void riskoff_decision_free(riskoff_decision* decision);

/* "hedge", "reduce" or "wait", as the rule language and the JSON explanation spell them. */
RISKOFF_API const char* riskoff_decision_action(const riskoff_decision* decision);
RISKOFF_API const char* riskoff_decision_profile(const riskoff_decision* decision);
/* 1 when a clause above the chosen one was skipped because its data was unknown. */
RISKOFF_API int riskoff_decision_depends_on_unknown(const riskoff_decision* decision);
/* Inputs of the snapshot the ruleset does not declare: ignored, never an error. The names live
   as long as the decision; an index past the count (or a NULL decision) gives NULL. */
RISKOFF_API size_t riskoff_decision_unused_input_count(const riskoff_decision* decision);
RISKOFF_API const char* riskoff_decision_unused_input(const riskoff_decision* decision, size_t index);
/* The explanation rendered as text, markdown or JSON; the string lives as long as the decision.
   RISKOFF_ERROR_NO_TRACE when evaluated with keep_trace 0. */
RISKOFF_API riskoff_status riskoff_decision_render(const riskoff_decision* decision, riskoff_format format,
                                                   const char** out);

/* The value of one input, let, signal or group after the evaluation. The caller allocates it, so
   this struct never changes within a major version; later fields would come with new functions. */
typedef struct riskoff_value {
  const char* name;  /* lives as long as the decision */
  const char* kind;  /* "input", "let", "signal" or "group" */
  int is_condition;  /* 1: read `truth`; 0: read `number` (and `upper` for ranges) */
  riskoff_truth truth;
  double number;     /* NaN when unknown */
  double upper;
  riskoff_unit unit;
} riskoff_value;

RISKOFF_API size_t riskoff_decision_value_count(const riskoff_decision* decision);
RISKOFF_API riskoff_status riskoff_decision_value_at(const riskoff_decision* decision, size_t index,
                                                     riskoff_value* out);
RISKOFF_API riskoff_status riskoff_decision_value(const riskoff_decision* decision, const char* name,
                                                  riskoff_value* out);

/* ---- Prepared inputs: row-at-a-time evaluation ----------------------------------------------

   For a stream of rows (the C++ riskoff::PreparedInputs, riskoff/prepared.hpp): the profile and
   overrides resolved and every input found by name once (riskoff_prepared_slot), then values
   set by slot and the rules evaluated on one reused state, with no string work and, once each
   slot holds as many observations as it will, no allocation. Errors are those of the snapshot
   path, built only when they happen. A prepared handle is one caller's working state: use it
   from one thread at a time (several handles may share one ruleset).

     riskoff_prepared* rows = NULL;
     riskoff_prepared_create(ruleset, as_of, NULL, &rows);
     uint32_t vix;  riskoff_prepared_slot(rows, "vix", &vix);
     riskoff_prepared_set(rows, vix, time, 21.5);
     const char* action;  int unknown;
     riskoff_prepared_evaluate(rows, &action, &unknown);
     riskoff_prepared_free(rows);                                                              */

typedef struct riskoff_prepared riskoff_prepared;

/* `options` as for riskoff_decide (NULL: the defaults); `drop_values` matters only to
   riskoff_prepared_decide. RISKOFF_ERROR_OPTIONS for an unknown profile or a malformed override,
   RISKOFF_ERROR_SNAPSHOT for an as_of outside the years 0000-9999. Every slot starts empty. */
RISKOFF_API riskoff_status riskoff_prepared_create(const riskoff_ruleset* ruleset, int64_t as_of,
                                                   const riskoff_decide_options* options, riskoff_prepared** out);
RISKOFF_API void riskoff_prepared_free(riskoff_prepared* prepared);
/* The slot of a declared input (its index among riskoff_ruleset_input); RISKOFF_ERROR_OPTIONS
   for a name the ruleset does not declare. */
RISKOFF_API riskoff_status riskoff_prepared_slot(const riskoff_prepared* prepared, const char* name, uint32_t* out);
/* The instant of the next evaluation; RISKOFF_ERROR_SNAPSHOT outside the years 0000-9999 or
   before an observation a slot holds. */
RISKOFF_API riskoff_status riskoff_prepared_set_as_of(riskoff_prepared* prepared, int64_t as_of);
/* The slot holds exactly this observation (set) or one more at its end (append); clear leaves
   it empty (a missing input). RISKOFF_ERROR_SNAPSHOT for a value that is not finite, a time
   after as_of, outside the years 0000-9999 or not after the slot's last one (append);
   RISKOFF_ERROR_ARGUMENT for a slot past the ruleset's inputs. On error nothing changes. */
RISKOFF_API riskoff_status riskoff_prepared_set(riskoff_prepared* prepared, uint32_t slot, int64_t time, double value);
RISKOFF_API riskoff_status riskoff_prepared_append(riskoff_prepared* prepared, uint32_t slot, int64_t time,
                                                   double value);
RISKOFF_API riskoff_status riskoff_prepared_clear(riskoff_prepared* prepared, uint32_t slot);
/* Evaluates the rules on what the slots hold. `action` ("hedge", ...; lives as long as the
   ruleset) and `depends_on_unknown` (1 or 0) may be NULL. RISKOFF_ERROR_SNAPSHOT when a required
   input's slot is empty. */
RISKOFF_API riskoff_status riskoff_prepared_evaluate(riskoff_prepared* prepared, const char** action,
                                                     int* depends_on_unknown);
/* The same evaluation as a full decision (explanation, values, renderings): what riskoff_decide
   gives for a snapshot holding the same observations. */
RISKOFF_API riskoff_status riskoff_prepared_decide(riskoff_prepared* prepared, riskoff_decision** out);

#ifdef __cplusplus
}
#endif

#endif /* RISKOFF_H */
