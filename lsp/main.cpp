// riskoff-lsp: the language server of riskoff rule files, over stdin and stdout (`riskoff lsp`
// runs it). Everything else it says goes to stderr; stdout carries only JSON-RPC frames.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/start_up.hpp"
#include "lsp/server.hpp"
#include "riskoff/riskoff.hpp"

int main(int argc, char** argv) {
  // Before anything allocates, as `riskoff` does (cli/start_up.cpp): a session that opens
  // rulesets/riskoff.rules and shuts down took 332 page faults, 162 with the heap on a huge page.
  riskoff::cli::start_heap_on_a_huge_page();
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--stdio") continue;  // what editors pass; stdio is the only transport
    if (argument == "--version") {
      std::printf("riskoff-lsp %s\n", std::string(riskoff::library_version()).c_str());
      return 0;
    }
    if (argument == "--help" || argument == "-h") {
      std::printf(
          "usage: riskoff lsp [--stdio]\n\n"
          "The language server of riskoff rule files: LSP (JSON-RPC) over stdin and stdout, for editors.\n"
          "Diagnostics as you type, hover, definition, references, rename, symbols, completion,\n"
          "formatting (= riskoff fmt), quick fixes and semantic tokens. Editors start it themselves;\n"
          "set-up for VS Code and Neovim: docs/editors.md.\n\n"
          "Example (Neovim):\n"
          "  vim.lsp.start({ name = 'riskoff', cmd = { 'riskoff', 'lsp' } })\n\n"
          "Exit: 0 after shutdown and exit, 1 when the client leaves without shutdown, 2 usage.\n");
      return 0;
    }
    std::fprintf(stderr, "riskoff lsp: unknown argument `%s` (the server talks LSP over stdin/stdout)\n", argv[i]);
    return 2;
  }
  riskoff::lsp::Server server(stdout);
  while (!server.exited()) server.handle(riskoff::lsp::read_frame(stdin));
  return server.exit_code();
}
