// One function per subcommand; main.cpp wires them into CLI11. Exit codes (docs/cli.md):
// 0 success, 1 problems found in the user's files, 2 usage or I/O error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace riskoff::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;
inline constexpr int kExitUsage = 2;

// `riskoff check`
void add_check_command(CLI::App& app, int& exit_code);
// `riskoff fmt`
void add_fmt_command(CLI::App& app, int& exit_code);
// `riskoff eval`
void add_eval_command(CLI::App& app, int& exit_code);
// `riskoff test`
void add_test_command(CLI::App& app, int& exit_code);
// `riskoff snapshot build`
void add_snapshot_command(CLI::App& app, int& exit_code);
// `riskoff data import|list|show`
void add_data_command(CLI::App& app, int& exit_code);
// `riskoff replay`
void add_replay_command(CLI::App& app, int& exit_code);
// `riskoff audit list|show|replay|verify|diff|export`
void add_audit_command(CLI::App& app, int& exit_code);
// `riskoff ruleset publish|list|show|diff`
void add_ruleset_command(CLI::App& app, int& exit_code);
// `riskoff serve` (serve/)
void add_serve_command(CLI::App& app, int& exit_code);
// `riskoff watch` (serve/watch_main.cpp): one scheduled run, for cron
void add_watch_command(CLI::App& app, int& exit_code);
// `riskoff lsp` (lsp/)
void add_lsp_command(CLI::App& app, int& exit_code);
// Runs `program`, built and installed beside riskoff, in this process's place (execv: same
// process, signals and stdio) with `arguments`; returns only when it cannot (kExitUsage, said
// on stderr).
int exec_beside(const std::string& program, const std::vector<std::string>& arguments);

// What a test file (NAME_test.rules or NAME_test_PART.rules beside NAME.rules) stands for: itself, for `fmt`; or the
// ruleset it tests, for `check` and `test`, which read it beside that ruleset.
enum class TestFiles : std::uint8_t { kAsThemselves, kAsTheirRuleset };

// Expands files and directories (recursively, *.rules, sorted) into rule files, each once. With
// kAsTheirRuleset a test file whose ruleset exists is replaced by it (a directory's test files
// drop out; its rulesets are listed anyway). Returns false and prints a message when a path does
// not exist or nothing was found.
bool collect_rule_files(const std::vector<std::string>& paths, std::vector<std::string>& files,
                        TestFiles test_files = TestFiles::kAsThemselves);

// Writes `text` beside `path`, then renames it over `path`: an interrupted write never leaves
// half a file. Returns an error message, or empty on success.
std::string write_file_atomically(const std::string& path, const std::string& text);

}  // namespace riskoff::cli
