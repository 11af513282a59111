/* A C program handing the library malformed rulesets and snapshots: each must come back as a
   status code and a message, never an abort. Exits 1 naming the first check that failed. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "riskoff/riskoff.h"

static int failures = 0;

static void expect(int condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "FAILED: %s (last error: %s)\n", what, riskoff_last_error());
    ++failures;
  }
}

int main(int argc, char** argv) {
  static const char* const bad_rulesets[] = {
      "",                                          /* empty */
      "ruleset x version \"1.0.0\"\nsignal s = (", /* truncated */
      "ruleset x version \"1.0.0\"\nsignal s = vix > 2\n", /* unknown name */
      "\x01\x02\xff\xfe",                           /* binary */
  };
  static const char* const bad_snapshots[] = {
      "",
      "{",
      "[]",
      "{\"format\": \"riskoff.snapshot/1\", \"as_of\": \"yesterday\", \"inputs\": {}}",
      "{\"format\": \"riskoff.snapshot/1\", \"as_of\": \"2026-02-04\", \"inputs\": {\"vix\": {\"unit\": \"index\","
      " \"times\": [\"2026-02-05\"], \"values\": [1]}}}",
  };
  char path[4096];
  riskoff_ruleset* ruleset = NULL;
  riskoff_snapshot* snapshot = NULL;
  riskoff_decision* decision = NULL;
  size_t i;
  if (argc != 2) {
    fprintf(stderr, "usage: riskoff_c_errors SOURCE_DIR\n");
    return 2;
  }
  for (i = 0; i < sizeof bad_rulesets / sizeof bad_rulesets[0]; ++i) {
    riskoff_status status = riskoff_ruleset_compile(bad_rulesets[i], strlen(bad_rulesets[i]), "bad.rules", NULL, &ruleset);
    expect(status == RISKOFF_ERROR_RULESET, "a malformed ruleset is RISKOFF_ERROR_RULESET");
    expect(ruleset == NULL, "no handle for a malformed ruleset");
    expect(strstr(riskoff_last_error(), "bad.rules:") == riskoff_last_error(), "the message starts with file:line:col");
  }
  for (i = 0; i < sizeof bad_snapshots / sizeof bad_snapshots[0]; ++i) {
    riskoff_status status = riskoff_snapshot_from_json(bad_snapshots[i], strlen(bad_snapshots[i]), "bad.json", &snapshot);
    expect(status == RISKOFF_ERROR_SNAPSHOT, "a malformed snapshot is RISKOFF_ERROR_SNAPSHOT");
    expect(snapshot == NULL, "no handle for a malformed snapshot");
    expect(strstr(riskoff_last_error(), "bad.json") != NULL, "the message names the snapshot");
  }
  expect(riskoff_ruleset_load("/nonexistent/riskoff.rules", &ruleset) == RISKOFF_ERROR_IO, "a missing file is RISKOFF_ERROR_IO");
  {
    /* Valid JSON followed, inside the given length, by a NUL and junk. */
    static const char with_nul[] = "{\"format\": \"riskoff.snapshot/1\", \"as_of\": \"2026-02-04\", \"inputs\": {}}\0junk";
    expect(riskoff_snapshot_from_json(with_nul, sizeof with_nul - 1, "nul.json", &snapshot) == RISKOFF_ERROR_SNAPSHOT,
           "a NUL inside the given length is RISKOFF_ERROR_SNAPSHOT");
    expect(riskoff_snapshot_create(INT64_MAX, &snapshot) == RISKOFF_ERROR_ARGUMENT, "as_of past year 9999 is refused");
    expect(riskoff_snapshot_create(0, &snapshot) == RISKOFF_OK, "as_of 1970 is fine");
    expect(riskoff_snapshot_add_scalar(snapshot, "vix", (riskoff_unit)-1, 0, 1) == RISKOFF_ERROR_ARGUMENT,
           "a negative unit is RISKOFF_ERROR_ARGUMENT");
    expect(riskoff_snapshot_add_scalar(snapshot, "vix", RISKOFF_UNIT_INDEX, INT64_MIN, 1) == RISKOFF_ERROR_SNAPSHOT,
           "a time before year 0 is RISKOFF_ERROR_SNAPSHOT");
    expect(riskoff_snapshot_add_scalar(snapshot, "bad\xff", RISKOFF_UNIT_INDEX, 0, 1) == RISKOFF_ERROR_SNAPSHOT,
           "a name that is not UTF-8 is RISKOFF_ERROR_SNAPSHOT");
    riskoff_snapshot_free(snapshot);
    snapshot = NULL;
  }

  /* A good ruleset and a snapshot that does not fit it. */
  snprintf(path, sizeof path, "%s/rulesets/riskoff.rules", argv[1]);
  expect(riskoff_ruleset_load(path, &ruleset) == RISKOFF_OK, "the default ruleset loads");
  expect(riskoff_snapshot_create(0, &snapshot) == RISKOFF_OK, "an empty snapshot");
  expect(riskoff_evaluate(ruleset, snapshot, NULL, NULL, 0, 1, &decision) == RISKOFF_ERROR_SNAPSHOT,
         "required inputs missing is RISKOFF_ERROR_SNAPSHOT");
  expect(strstr(riskoff_last_error(), "required input") != NULL, "the message names the missing input");
  expect(decision == NULL, "no decision");
  expect(riskoff_evaluate(ruleset, NULL, NULL, NULL, 0, 1, &decision) == RISKOFF_ERROR_ARGUMENT, "NULL snapshot");
  riskoff_snapshot_free(snapshot);
  riskoff_ruleset_free(ruleset);
  if (failures == 0) printf("riskoff_c_errors: every malformed input gave a status and a message\n");
  return failures == 0 ? 0 : 1;
}
