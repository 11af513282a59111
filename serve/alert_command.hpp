// --alert-command CMD: an alert given to a program of the user's, for what a webhook cannot
// reach (mail, a pager, a chat client). The command line is the user's own, run by /bin/sh -c
// exactly as given; the alert's data goes only to its standard input, never into its argv or
// environment, so nothing a decision holds is ever parsed by a shell.
#pragma once

#include <optional>
#include <string>

namespace riskoff::serve {

// Runs `command` with `input` on its standard input (then closed) and its standard output and
// error discarded (riskoff-serve's stderr is its JSON log), in a process group of its own, and
// waits at most `timeout_seconds`: past that the whole group is killed. Returns nullopt when
// it exited 0, else the problem in words ("exit status 3", "killed by signal 9", "timed out
// after 30 s"). Ignores SIGPIPE in this process from the first call on, so a command that does
// not read its input cannot kill the caller.
std::optional<std::string> run_alert_command(const std::string& command, const std::string& input, int timeout_seconds);

}  // namespace riskoff::serve
