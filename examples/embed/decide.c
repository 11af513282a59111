/* Embedding riskoff in a C program: compile the ruleset, read a snapshot, decide, print the
   decision, the signals that are on, and the explanation as markdown.

     decide_c RULES SNAPSHOT [PROFILE]

   Build against an installed riskoff:  cc decide.c $(pkg-config --cflags --libs riskoff)
   Exit codes: 0 decided, 1 the ruleset or snapshot has problems, 2 usage or unreadable file. */
#include <riskoff/riskoff.h>

#include <stdio.h>
#include <stdlib.h>

static char* read_file(const char* path, size_t* length) {
  FILE* file = fopen(path, "rb");
  char* text = NULL;
  long size;
  if (file == NULL) return NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0) {
    text = malloc((size_t)size + 1);
    if (text != NULL && fread(text, 1, (size_t)size, file) == (size_t)size) {
      text[size] = '\0';
      *length = (size_t)size;
    } else {
      free(text);
      text = NULL;
    }
  }
  fclose(file);
  return text;
}

int main(int argc, char** argv) {
  riskoff_ruleset* ruleset = NULL;
  riskoff_snapshot* snapshot = NULL;
  riskoff_decision* decision = NULL;
  riskoff_value value;
  riskoff_status status;
  const char* markdown = NULL;
  char* json;
  size_t length = 0, i;
  int exit_code = 1;

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: decide_c RULES SNAPSHOT [PROFILE]\n");
    return 2;
  }
  printf("riskoff %s (compiled against %s)\n", riskoff_version(), RISKOFF_VERSION_STRING);
  status = riskoff_ruleset_load(argv[1], &ruleset);
  if (status != RISKOFF_OK) {
    fprintf(stderr, "%s\n", riskoff_last_error());
    return status == RISKOFF_ERROR_IO ? 2 : 1;
  }
  json = read_file(argv[2], &length);
  if (json == NULL) {
    fprintf(stderr, "decide_c: cannot read %s\n", argv[2]);
    riskoff_ruleset_free(ruleset);
    return 2;
  }
  status = riskoff_snapshot_from_json(json, length, argv[2], &snapshot);
  free(json);
  if (status == RISKOFF_OK) {
    riskoff_decide_options options = {0};
    options.profile = argc == 4 ? argv[3] : NULL;
    status = riskoff_decide(ruleset, snapshot, &options, &decision);
  }
  if (status != RISKOFF_OK) {
    fprintf(stderr, "%s: %s\n", riskoff_status_name(status), riskoff_last_error());
  } else {
    printf("decision: %s (profile %s)%s\n", riskoff_decision_action(decision), riskoff_decision_profile(decision),
           riskoff_decision_depends_on_unknown(decision) ? ", depends on unknown data" : "");
    printf("signals on:");
    for (i = 0; i < riskoff_decision_value_count(decision); ++i) {
      if (riskoff_decision_value_at(decision, i, &value) == RISKOFF_OK && value.is_condition &&
          value.truth == RISKOFF_TRUE && value.kind[0] == 's') {
        printf(" %s", value.name);
      }
    }
    printf("\n\n");
    if (riskoff_decision_render(decision, RISKOFF_FORMAT_MARKDOWN, &markdown) == RISKOFF_OK) fputs(markdown, stdout);
    exit_code = 0;
  }
  riskoff_decision_free(decision);
  riskoff_snapshot_free(snapshot);
  riskoff_ruleset_free(ruleset);
  return exit_code;
}
