#!/usr/bin/env python3
"""Runs every shell command the documentation shows, as a reader would, and compares its output
with the output the documentation shows.

    run_docs.py --source-dir DIR --riskoff BINARY [--install-from BUILD_DIR] [--sanitized] DOC.md...

For each document, every fenced block tagged ```sh, ```bash or ```console is run, in order, in
one scratch copy of the repository (the files `git ls-files` lists, with ../shared beside it as
in a clone) with a fresh $HOME; `riskoff` is on PATH as README.md says it is after `make demo`
(build/release/cli/riskoff, here a link to BINARY). Conventions the documents follow:

- A block runs as one bash script; each command (a line, with its `\\` continuations) must
  exit 0, and the first that does not fails the test with its output.
- An untagged block right after a shell block (only blank lines between) is the output of the
  block's last command. Its lines must appear in that output, in order and adjacent; a line
  `...` stands for any number of lines, and a line ending in `...` for any line with that start.
- ```console blocks show `$ COMMAND` lines followed by their output, compared the same way.
- `<!-- docs-test: skip REASON -->` on the line before a block skips it; the reason is required.
- Afterwards the copy must have no file that is neither tracked nor ignored by .gitignore, and
  no tracked file may have changed (the commands in the documentation leave the repo clean).

--install-from installs that build into $HOME/.local first (cmake --install), for the
embedding documentation. With --sanitized (an ASan/UBSan build) the C and C++ compilers the
documents call compile with the same sanitizers, as a library built with them requires.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SHELL_TAGS = {"sh", "bash", "console"}
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\b\s*(.*?)\s*-->")
BLOCK_TIMEOUT_S = 55  # --timeout; below the ctest limit, so the block is named when it is slow


class Block:
    def __init__(self, doc, line, tag, lines, skip_reason, expected):
        self.doc, self.line, self.tag, self.lines = doc, line, tag, lines
        self.skip_reason, self.expected = skip_reason, expected


def extract_blocks(path, name):
    """The fenced shell blocks of a markdown file, each with its skip marker and shown output."""
    text = open(path, encoding="utf-8").read().split("\n")
    fences = []  # (start line index, tag, body lines, end line index)
    i = 0
    while i < len(text):
        m = re.match(r"^(\s*)```(\S*)\s*$", text[i])
        if not m:
            i += 1
            continue
        indent, tag = m.group(1), m.group(2)
        body = []
        j = i + 1
        while j < len(text) and text[j].strip() != "```":
            body.append(text[j][len(indent):] if text[j].startswith(indent) else text[j])
            j += 1
        fences.append((i, tag, body, j))
        i = j + 1
    blocks = []
    for n, (start, tag, body, end) in enumerate(fences):
        if tag not in SHELL_TAGS:
            continue
        skip_reason = None
        k = start - 1
        while k >= 0 and not text[k].strip():
            k -= 1
        if k >= 0:
            m = SKIP.search(text[k])
            if m:
                skip_reason = m.group(1)
                if not skip_reason:
                    raise SystemExit(f"{name}:{k + 1}: a docs-test skip marker needs a reason")
        expected = None
        if tag != "console" and n + 1 < len(fences):
            nstart, ntag, nbody, _ = fences[n + 1]
            if ntag == "" and all(not line.strip() for line in text[end + 1:nstart]):
                expected = nbody
        blocks.append(Block(name, start + 1, tag, body, skip_reason, expected))
    return blocks


def logical_commands(lines):
    """Lines joined at trailing backslashes: one entry per command as bash reads it."""
    commands, current = [], ""
    for line in lines:
        current = current + line + "\n"
        if line.rstrip().endswith("\\"):
            continue
        if current.strip() and not current.strip().startswith("#"):
            commands.append(current)
        current = ""
    if current.strip():
        commands.append(current)
    return commands


def console_steps(lines):
    """A console block as (command, shown output lines) pairs."""
    steps = []
    for line in lines:
        if line.startswith("$ "):
            steps.append([line[2:], []])
        elif steps and steps[-1][0].rstrip().endswith("\\") and not steps[-1][1]:
            steps[-1][0] += "\n" + line
        elif steps:
            steps[-1][1].append(line)
    return [(command + "\n", shown) for command, shown in steps]


def matches(shown, actual):
    """Whether the shown lines appear in the actual ones, in order and adjacent (see above)."""
    shown = [line.rstrip() for line in shown]
    while shown and not shown[-1]:
        shown.pop()
    actual = [line.rstrip() for line in actual]

    def line_matches(pattern, line):
        if pattern.endswith("...") or pattern.endswith("…"):
            return line.startswith(pattern.rstrip(".…"))
        return pattern == line

    def match_at(s, a):
        if s == len(shown):
            return True
        if shown[s].strip() in ("...", "…"):
            return any(match_at(s + 1, k) for k in range(a, len(actual) + 1))
        return a < len(actual) and line_matches(shown[s], actual[a]) and match_at(s + 1, a + 1)

    return any(match_at(0, a) for a in range(len(actual) + 1))


SEPARATOR = "\x1e docs-test command %d \x1e"


def run_block(steps, cwd, env, where, preamble, failures):
    """The commands of one block in one bash session (what one command exports, the next sees).
    Returns each command's stdout, up to the first that fails (recorded in failures)."""
    script = ["set -o pipefail", preamble]
    for n, (command, _) in enumerate(steps):
        script.append(f"printf '{SEPARATOR}' {n}; printf '{SEPARATOR}' {n} >&2")
        script.append(f"{{ {command}\n}} || {{ status=$?; printf '{SEPARATOR}' -1; exit $status; }}")
    started = time.monotonic()
    try:
        proc = subprocess.run(["bash", "-c", "\n".join(script)], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=BLOCK_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        failures.append(f"{where}: still running after {BLOCK_TIMEOUT_S} s")
        return []
    print(f"{where}: {time.monotonic() - started:5.1f} s", flush=True)
    outputs = re.split("\x1e docs-test command -?[0-9]+ \x1e", proc.stdout)[1:]
    errors = re.split("\x1e docs-test command -?[0-9]+ \x1e", proc.stderr)[1:]
    if proc.returncode != 0:
        n = max(len(errors), 1) - 1
        command = steps[min(n, len(steps) - 1)][0]
        failures.append(f"{where}: exited {proc.returncode}:\n  {command.strip()}\n"
                        f"--- stdout\n{(outputs[n] if n < len(outputs) else '')[-3000:]}"
                        f"--- stderr\n{(errors[n] if n < len(errors) else proc.stderr)[-3000:]}")
        return outputs[:n]
    return outputs


def compare(shown, output, command, where, failures):
    if not matches(shown, output.split("\n")):
        failures.append(f"{where}: the output shown is not what\n  {command.strip()}\nprints.\n"
                        "--- shown\n" + "\n".join(shown) + "\n--- printed\n" + output[-4000:])


def scratch_copy(source_dir, root):
    """The tracked files of source_dir under root/riskoff, with ../shared beside it as in a clone;
    returns the copy's folder and the hash of every file in it."""
    repo = os.path.join(root, "riskoff")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=source_dir, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = os.path.join(source_dir, name)
        if not os.path.lexists(src):
            continue  # deleted in the work tree, not yet committed
        dst = os.path.join(repo, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
    shared = os.path.join(os.path.dirname(source_dir), "shared")
    if os.path.isdir(shared):
        os.symlink(shared, os.path.join(root, "shared"))
    return repo, tree_hashes(repo)


def tree_hashes(repo):
    hashes = {}
    for folder, dirs, files in os.walk(repo):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                hashes[os.path.relpath(path, repo)] = "link:" + os.readlink(path)
                continue
            with open(path, "rb") as f:
                hashes[os.path.relpath(path, repo)] = hashlib.sha256(f.read()).hexdigest()
    return hashes


def left_behind(source_dir, repo, before):
    """What the commands changed in the copy: tracked files changed or removed, and new files
    that the repository's .gitignore does not cover."""
    after = tree_hashes(repo)
    changed = [f"changed: {name}" for name in sorted(before) if name in after and after[name] != before[name]]
    changed += [f"removed: {name}" for name in sorted(before) if name not in after]
    new = sorted(name for name in after if name not in before)
    ignored = set()
    if new:
        proc = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=source_dir,
                              input="\n".join(new) + "\n", capture_output=True, text=True)
        ignored = set(proc.stdout.split("\n"))
    changed += [f"not ignored: {name}" for name in new if name not in ignored]
    return changed


def compiler_shims(bin_dir):
    """cc, gcc, c++ and g++ that add the sanitizers an ASan/UBSan-built library needs."""
    os.makedirs(bin_dir, exist_ok=True)
    for name, real in (("cc", "gcc"), ("gcc", "gcc"), ("c++", "g++"), ("g++", "g++")):
        path = os.path.join(bin_dir, name)
        real_path = shutil.which(real)
        with open(path, "w") as f:
            f.write(f'#!/bin/sh\nexec {real_path} -fsanitize=address,undefined "$@"\n')
        os.chmod(path, 0o755)


def main():
    global BLOCK_TIMEOUT_S
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--riskoff", required=True)
    parser.add_argument("--install-from")
    parser.add_argument("--sanitized", action="store_true")
    parser.add_argument("--timeout", type=float, default=BLOCK_TIMEOUT_S, help="seconds a block may take")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--block", action="append", default=[],
                        help="run only this block, DOC:LINE (the line of its opening fence); repeatable")
    parser.add_argument("--list", action="store_true", help="print DOC:LINE of every block that runs, and stop")
    parser.add_argument("docs", nargs="+")
    args = parser.parse_args()
    source_dir = os.path.realpath(args.source_dir)
    BLOCK_TIMEOUT_S = args.timeout
    if args.list:
        for doc in args.docs:
            name = os.path.relpath(os.path.realpath(os.path.join(source_dir, doc)), source_dir)
            for block in extract_blocks(os.path.join(source_dir, name), name):
                if not block.skip_reason:
                    print(f"{block.doc}:{block.line}")
        return 0

    root = tempfile.mkdtemp(prefix="riskoff-docs.")
    failures, ran, skipped = [], 0, []
    try:
        repo, before = scratch_copy(source_dir, root)
        home = os.path.join(root, "home")
        os.makedirs(home)
        cli_dir = os.path.join(repo, "build", "release", "cli")
        os.makedirs(cli_dir)
        os.symlink(os.path.realpath(args.riskoff), os.path.join(cli_dir, "riskoff"))
        env = {key: value for key, value in os.environ.items()
               if key not in ("RISKOFF_DB", "XDG_DATA_HOME", "LD_LIBRARY_PATH", "PKG_CONFIG_PATH",
                              "CFLAGS", "CXXFLAGS", "LDFLAGS", "MAKEFLAGS")}
        env.update(HOME=home, PATH=cli_dir + os.pathsep + env.get("PATH", "/usr/bin:/bin"), NO_COLOR="1",
                   LC_ALL="C.UTF-8")
        preamble = ""
        if args.sanitized:
            shims = os.path.join(root, "compilers")
            compiler_shims(shims)
            env["PATH"] = shims + os.pathsep + env["PATH"]
            env["CC"], env["CXX"] = os.path.join(shims, "cc"), os.path.join(shims, "c++")
            # Python is not built with ASan: its run-time must come first, and Python's own
            # allocations at exit are not the library's leaks.
            asan = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True,
                                  text=True).stdout.strip()
            preamble = (f'python3() {{ LD_PRELOAD={asan} ASAN_OPTIONS=detect_leaks=0 command python3 "$@"; }}')
        if args.install_from:
            subprocess.run(["cmake", "--install", args.install_from, "--prefix", os.path.join(home, ".local")],
                           check=True, capture_output=True)

        for doc in args.docs:
            name = os.path.relpath(os.path.realpath(os.path.join(source_dir, doc)), source_dir)
            for block in extract_blocks(os.path.join(repo, name), name):
                where = f"{block.doc}:{block.line}"
                if args.block and where not in args.block:
                    continue
                if block.skip_reason:
                    skipped.append(f"{where} ({block.skip_reason})")
                    continue
                ran += 1
                if block.tag == "console":
                    steps = console_steps(block.lines)
                else:
                    commands = logical_commands(block.lines)
                    steps = [(c, None) for c in commands[:-1]] + [(commands[-1], block.expected)] if commands else []
                outputs = run_block(steps, repo, env, where, preamble, failures)
                for (command, shown), output in zip(steps, outputs):
                    if shown:
                        compare(shown, output, command, where, failures)

        changes = left_behind(source_dir, repo, before)
        if changes:
            failures.append("the documented commands changed tracked files or left files that .gitignore does "
                            "not cover (extend .gitignore, or fix the command):\n  " + "\n  ".join(changes))
    finally:
        if args.keep:
            print(f"scratch copy kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    for line in skipped:
        print(f"skipped {line}")
    if args.block and ran == 0 and not skipped:
        failures.append(f"no shell block at {', '.join(args.block)} (the documents changed: configure again)")
    if failures:
        print("\n\n".join(failures), file=sys.stderr)
        print(f"docs test: {len(failures)} failure(s) in {ran} block(s)", file=sys.stderr)
        return 1
    print(f"docs test: {ran} block(s) ran as written, {len(skipped)} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
