#!/usr/bin/env python3
"""The VS Code extension packages: `vsce package` on a copy of editors/vscode, offline, and the
.vsix holds the manifest (as written), the client, its language client library, the grammar and
the language configuration.

    vsix_test.py EDITORS_VSCODE_DIR

@vscode/vsce comes from a cached npm folder ($RISKOFF_NPM_DIR, default ~/.cache/riskoff/npm) and
the extension's dependencies from npm's cache, both filled by `scripts/install-deps test`. When
npm or that folder is missing the test is skipped (exit 77) with the reason, unless
RISKOFF_REQUIRE_VSCE is set (CI sets it: .ci/run), which makes it a failure.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

SKIP = 77
STEP_TIMEOUT_SECONDS = 25


def unavailable(reason):
    if os.environ.get("RISKOFF_REQUIRE_VSCE"):
        print("FAIL: RISKOFF_REQUIRE_VSCE is set but " + reason)
        return 1
    print("SKIP: " + reason + " (set RISKOFF_REQUIRE_VSCE=1 to make this a failure)")
    return SKIP


def run(command, cwd):
    process = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=STEP_TIMEOUT_SECONDS)
    if process.returncode != 0:
        print("FAIL: `%s` exited %d\n%s%s" % (" ".join(command), process.returncode, process.stdout, process.stderr))
    return process.returncode == 0


def main():
    source = pathlib.Path(sys.argv[1]).resolve()
    npm = shutil.which("npm")
    if npm is None:
        return unavailable("npm is not installed (scripts/install-deps test installs it)")
    tools = pathlib.Path(os.environ.get("RISKOFF_NPM_DIR") or
                         pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "riskoff" / "npm")
    vsce = tools / "node_modules" / ".bin" / "vsce"
    if not vsce.exists():
        return unavailable("%s is missing (scripts/install-deps test installs @vscode/vsce there)" % vsce)
    with tempfile.TemporaryDirectory(prefix="riskoff-vsix-") as scratch:
        extension = pathlib.Path(scratch) / "vscode"
        shutil.copytree(source, extension, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
        # Offline: the dependencies come from npm's cache, never from the network in a test.
        if not run([npm, "install", "--offline", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], extension):
            return 1
        vsix = pathlib.Path(scratch) / "riskoff.vsix"
        if not run([str(vsce), "package", "--out", str(vsix)], extension):
            return 1
        with zipfile.ZipFile(vsix) as archive:
            names = set(archive.namelist())
            manifest = json.loads(archive.read("extension/package.json"))
            vsix_manifest = archive.read("extension.vsixmanifest").decode("utf-8")
    written = json.loads((source / "package.json").read_text())
    wanted = ["extension.vsixmanifest", "extension/package.json", "extension/extension.js",
              "extension/language-configuration.json", "extension/syntaxes/riskoff.tmLanguage.json",
              "extension/node_modules/vscode-languageclient/package.json"]
    failures = ["the .vsix has no `%s` (it holds %d files)" % (name, len(names)) for name in wanted if name not in names]
    for key in ("name", "version", "main", "contributes"):
        if manifest.get(key) != written.get(key):
            failures.append("package.json `%s` in the .vsix is %r, expected %r" % (key, manifest.get(key), written.get(key)))
    identity = 'Id="%s" Version="%s" Publisher="%s"' % (written["name"], written["version"], written["publisher"])
    if identity not in vsix_manifest:
        failures.append("extension.vsixmanifest does not name %s" % identity)
    for failure in failures:
        print("FAIL: " + failure)
    if not failures:
        print("ok: %s %s packaged with its grammar, client and manifest (%d files)" %
              (written["name"], written["version"], len(names)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
