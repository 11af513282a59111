#!/usr/bin/env python3
"""Diagnostics after an edit in a 1,000-line ruleset: riskoff-lsp against `riskoff check`.

    bench/lsp_bench.py BUILD_DIR [--edits 40] [--runs 3]

Generates a ruleset of 1,000 lines (inputs, parameters, lets, signals, drivers and a profile),
opens it in the real riskoff-lsp over pipes, then sends one-character incremental edits (a
threshold that flips between two values) and measures, for each, the time from writing the
didChange to reading its publishDiagnostics. The baseline is `riskoff check FILE` of the same
text, a whole process, measured alternately in the same run. Prints medians and their ratio
(issue 17's target: diagnostics within 50 ms of an edit). Speed is measured here, never by a
timed test; use a release build (build/release) for figures. CPU times (the server's from
/proc, the check's from getrusage) are printed beside wall times: on a shared machine they
are the steadier figure. With --runs N the whole measurement (a fresh server each time) is made
N times and each figure is the median of the N runs' figures.
"""
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def ruleset(lines_wanted=1000):
    out = ['ruleset bench version "0.1.0" "1,000 lines for the language server benchmark"', ""]
    blocks = 0
    while len(out) < lines_wanted - 8:
        i = blocks
        out += [
            f'input x{i} : series 1d index max_age 4d "series {i}"',
            f'param t{i} = {i % 7 + 1}% "threshold {i}"',
            f"let m{i} = pct_change(x{i}, 5d)",
            f'signal s{i} "signal {i}" = m{i} > t{i} and x{i} > sma(x{i}, 20d)',
            f'driver d{i} "driver {i}" = s{i} or m{i} < -t{i}',
            "",
        ]
        blocks += 1
    out += ['profile swing "Swing" {', "  decide", "    hedge when count(drivers) >= 3",
            "    reduce when any(drivers)", "    wait otherwise", "}"]
    return "\n".join(out) + "\n", blocks


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("riskoff-lsp closed its output")
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))


def cpu_ms(pid):
    """User + system CPU time of a running process, in ms (/proc/PID/stat, fields 14 and 15)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def children_cpu_ms():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def measure(build, text, edits):
    """One run: (median lsp ms, median check ms, lsp CPU ms per edit, check CPU ms per edit, max lsp ms)."""
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "bench.rules"
        path.write_text(text)
        uri = path.as_uri()
        server = subprocess.Popen([str(build / "cli" / "riskoff-lsp")], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        send = lambda message: (server.stdin.write(frame(message)), server.stdin.flush())
        send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}})
        read_message(server.stdout)
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
              "params": {"textDocument": {"uri": uri, "languageId": "riskoff", "version": 1, "text": text}}})
        opened = read_message(server.stdout)
        errors = [d for d in opened["params"]["diagnostics"] if d["severity"] == 1]
        assert not errors, "the generated ruleset has errors: %s" % errors[:3]
        # The edit: param t0's value `1%` <-> `2%` (line 3, the digit at column 11).
        lsp_ms, check_ms = [], []
        lsp_cpu_before, check_cpu_before = cpu_ms(server.pid), children_cpu_ms()
        for n in range(edits):
            digit = "2" if n % 2 == 0 else "1"
            start = time.perf_counter()
            send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                  "params": {"textDocument": {"uri": uri, "version": n + 2},
                             "contentChanges": [{"range": {"start": {"line": 3, "character": 11},
                                                           "end": {"line": 3, "character": 12}}, "text": digit}]}})
            message = read_message(server.stdout)
            lsp_ms.append((time.perf_counter() - start) * 1000)
            assert message["method"] == "textDocument/publishDiagnostics" and message["params"]["version"] == n + 2
            start = time.perf_counter()
            subprocess.run([str(build / "cli" / "riskoff"), "check", str(path)], capture_output=True, check=True)
            check_ms.append((time.perf_counter() - start) * 1000)
        lsp_cpu = (cpu_ms(server.pid) - lsp_cpu_before) / edits
        check_cpu = (children_cpu_ms() - check_cpu_before) / edits
        send({"jsonrpc": "2.0", "id": 1, "method": "shutdown"})
        read_message(server.stdout)
        send({"jsonrpc": "2.0", "method": "exit"})
        server.wait(timeout=10)
    return statistics.median(lsp_ms), statistics.median(check_ms), lsp_cpu, check_cpu, max(lsp_ms)


def main():
    build = pathlib.Path(sys.argv[1])
    edits = int(sys.argv[sys.argv.index("--edits") + 1]) if "--edits" in sys.argv else 40
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    text, blocks = ruleset()
    results = [measure(build, text, edits) for _ in range(runs)]
    lsp, check, lsp_cpu, check_cpu, worst = (statistics.median(r[k] for r in results) for k in range(5))
    lines = text.count("\n")
    print(f"{lines}-line ruleset ({blocks * 5} declarations), {edits} edits, median of {runs} run(s), {build}")
    for n, r in enumerate(results):
        print(f"  run {n + 1}: lsp {r[0]:.1f} ms wall, {r[2]:.1f} ms CPU; check {r[1]:.1f} ms wall, {r[3]:.1f} ms CPU")
    print(f"riskoff-lsp, edit -> diagnostics: median {lsp:.1f} ms wall (max {worst:.1f}), {lsp_cpu:.1f} ms CPU")
    print(f"riskoff check (a process):        median {check:.1f} ms wall, {check_cpu:.1f} ms CPU")
    print(f"ratio lsp / check: {lsp / check:.2f} wall, {lsp_cpu / check_cpu:.2f} CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
