#!/usr/bin/env python3
"""A scripted LSP client: drives the real riskoff-lsp over pipes and compares every message it
answers with a golden file (tests/lsp/README.md).

    lsp_client.py CASE.json -- SERVER [ARGS...]

CASE.json: {"open": [files under tests/lsp/files/ to open], "messages": [JSON-RPC messages or
{"raw": "bytes as text"}], "lifecycle": true, "initializationOptions": {...}}. With "lifecycle"
(the default) the client sends initialize (rootUri: tests/lsp/files, and the case's
initializationOptions) and initialized first, and shutdown/exit last. `${DIR}` in any string stands for the URI of
tests/lsp/files. The golden, CASE.expected.json, holds every message the server wrote, in order,
and its exit code; RISKOFF_UPDATE_GOLDEN=1 writes it from the server's answers.
"""
import difflib
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
FILES = HERE / "files"
DIR_URI = FILES.as_uri()
TIMEOUT_SECONDS = 20


def frame(message):
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def substitute(value):
    if isinstance(value, str):
        return value.replace("${DIR}", DIR_URI)
    if isinstance(value, list):
        return [substitute(item) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item) for key, item in value.items()}
    return value


def unsubstitute(value):
    if isinstance(value, str):
        return value.replace(DIR_URI, "${DIR}").replace(str(FILES), "${PATH}")
    if isinstance(value, list):
        return [unsubstitute(item) for item in value]
    if isinstance(value, dict):
        return {unsubstitute(key): unsubstitute(item) for key, item in value.items()}
    return value


def parse_frames(data):
    """Every frame the server wrote; fails on anything that is not a well-formed frame."""
    messages = []
    while data:
        header_end = data.find(b"\r\n\r\n")
        assert header_end >= 0, "output ends inside a header: %r" % data[:200]
        headers = data[:header_end].decode("ascii").split("\r\n")
        lengths = [int(h.split(":", 1)[1]) for h in headers if h.lower().startswith("content-length:")]
        assert len(lengths) == 1, "headers without one Content-Length: %r" % headers
        body = data[header_end + 4:header_end + 4 + lengths[0]]
        assert len(body) == lengths[0], "a frame shorter than its Content-Length"
        messages.append(json.loads(body.decode("utf-8")))
        data = data[header_end + 4 + lengths[0]:]
    return messages


def main():
    separator = sys.argv.index("--")
    case_path = pathlib.Path(sys.argv[1])
    server = sys.argv[separator + 1:]
    case = json.loads(case_path.read_text())
    stream = b""
    lifecycle = case.get("lifecycle", True)
    if lifecycle:
        initialize = {"processId": None, "rootUri": DIR_URI, "capabilities": {}}
        if "initializationOptions" in case:
            initialize["initializationOptions"] = substitute(case["initializationOptions"])
        stream += frame({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": initialize})
        stream += frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    for name in case.get("open", []):
        stream += frame({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                         "params": {"textDocument": {"uri": DIR_URI + "/" + name, "languageId": "riskoff",
                                                     "version": 1, "text": (FILES / name).read_text()}}})
    for message in case.get("messages", []):
        if "raw" in message:
            stream += substitute(message["raw"]).encode("utf-8")
        else:
            stream += frame(substitute(message))
    if lifecycle:
        stream += frame({"jsonrpc": "2.0", "id": 999, "method": "shutdown"})
        stream += frame({"jsonrpc": "2.0", "method": "exit"})
    process = subprocess.run(server, input=stream, capture_output=True, timeout=TIMEOUT_SECONDS)
    got = {"exit_code": process.returncode, "messages": unsubstitute(parse_frames(process.stdout))}
    text = json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    expected_path = case_path.with_suffix(".expected.json")
    if os.environ.get("RISKOFF_UPDATE_GOLDEN") == "1":
        expected_path.write_text(text)
        print("wrote", expected_path)
        return 0
    if process.stderr:
        sys.stderr.write(process.stderr.decode("utf-8", "replace"))
    if not expected_path.exists():
        print("no golden %s; run with RISKOFF_UPDATE_GOLDEN=1 to make it" % expected_path)
        return 1
    expected = expected_path.read_text()
    if text != expected:
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                   str(expected_path), "riskoff-lsp's answers"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
