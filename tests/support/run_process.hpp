// Runs a program as a user would (no shell), capturing what it prints and how it exits; for
// tests that check the shipped binary rather than a re-assembled pipeline.
#pragma once

#include <string>
#include <vector>

namespace riskoff::test {

struct ProcessOutput {
  std::string stdout_text;
  std::string stderr_text;
  int exit_code = -1;  // 128 + N when killed by signal N
};

// Runs `program` with `arguments` in the current folder, standard input empty (/dev/null).
// Throws std::runtime_error when the program cannot be started.
ProcessOutput run_process(const std::string& program, const std::vector<std::string>& arguments);

}  // namespace riskoff::test
