// `riskoff lsp`: runs `riskoff-lsp` (lsp/main.cpp), installed beside `riskoff`, in this process's
// place: the language server speaks LSP over this process's stdin and stdout, which editors
// start as `riskoff lsp`.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace riskoff::cli {

void add_lsp_command(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("lsp", "Language server for editors: LSP over stdin/stdout (docs/editors.md)");
  command->prefix_command();
  command->set_help_flag();
  command->callback([command, &exit_code] { exit_code = exec_beside("riskoff-lsp", command->remaining()); });
}

}  // namespace riskoff::cli
