// `riskoff serve` and `riskoff watch`: run `riskoff-serve` (serve/main.cpp) and `riskoff-watch`
// (serve/watch_main.cpp), installed beside `riskoff`, in this process's place with the same
// arguments. The HTTP service and its alerts live in their own executables so that cpp-httplib
// and the libraries it loads (OpenSSL, zlib, brotli) cost nothing to every other command's
// start-up.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace riskoff::cli {

int exec_beside(const std::string& program, const std::vector<std::string>& arguments) {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::string path = (self.parent_path() / program).string();
  std::vector<std::string> all{path};
  all.insert(all.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : all) argv.push_back(argument.data());
  argv.push_back(nullptr);
  execv(path.c_str(), argv.data());
  std::cerr << "riskoff: cannot run `" << path << "` (" << std::strerror(errno)
            << "); it is built beside riskoff by the default build (`cmake --build build/release`, not the "
               "`riskoff` target alone, which is all `make demo` builds) and installed beside it by `make install`\n";
  return kExitUsage;
}

void add_serve_command(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("serve", "Answer decisions over HTTP: a JSON API for other apps (docs/serve.md)");
  // Every argument, --help included, is riskoff-serve's to parse.
  command->prefix_command();
  command->set_help_flag();
  command->callback([command, &exit_code] { exit_code = exec_beside("riskoff-serve", command->remaining()); });
}

void add_watch_command(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("watch", "Decide every profile once, record it, alert on a change of action: for cron (docs/serve.md)");
  command->prefix_command();
  command->set_help_flag();
  command->callback([command, &exit_code] { exit_code = exec_beside("riskoff-watch", command->remaining()); });
}

}  // namespace riskoff::cli
