#!/usr/bin/env python3
"""Embedding riskoff in Python through its C API with ctypes (no compiled extension needed).

    python3 decide.py RULES SNAPSHOT [PROFILE] [--set NAME=VALUE]...

Finds libriskoff.so through $RISKOFF_LIBRARY, else the system's library path. Prints the
decision, every signal and group that is on, and the JSON explanation's because-chain.
Exit codes: 0 decided, 1 the ruleset or snapshot has problems, 2 usage or unreadable file.
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import sys

OK, ERROR_IO = 0, 5
FORMAT_JSON = 2
TRUTH = {0: "false", 1: "true", 2: "unknown"}


class Value(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("kind", ctypes.c_char_p), ("is_condition", ctypes.c_int),
                ("truth", ctypes.c_int), ("number", ctypes.c_double), ("upper", ctypes.c_double),
                ("unit", ctypes.c_int)]


class DecideOptions(ctypes.Structure):
    """riskoff_decide_options (riskoff.h); zero for a field means its default."""
    _fields_ = [("profile", ctypes.c_char_p), ("overrides", ctypes.POINTER(ctypes.c_char_p)),
                ("override_count", ctypes.c_size_t), ("drop_values", ctypes.c_int)]


def load_library():
    path = os.environ.get("RISKOFF_LIBRARY") or ctypes.util.find_library("riskoff")
    if not path:
        sys.exit("decide.py: libriskoff not found; set RISKOFF_LIBRARY to its path")
    lib = ctypes.CDLL(path)
    handle = ctypes.c_void_p
    lib.riskoff_version.restype = ctypes.c_char_p
    lib.riskoff_last_error.restype = ctypes.c_char_p
    lib.riskoff_status_name.restype = ctypes.c_char_p
    lib.riskoff_status_name.argtypes = [ctypes.c_int]
    lib.riskoff_ruleset_load.argtypes = [ctypes.c_char_p, ctypes.POINTER(handle)]
    lib.riskoff_ruleset_free.argtypes = [handle]
    lib.riskoff_ruleset_name.argtypes = [handle]
    lib.riskoff_ruleset_name.restype = ctypes.c_char_p
    lib.riskoff_snapshot_from_json.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                               ctypes.POINTER(handle)]
    lib.riskoff_snapshot_free.argtypes = [handle]
    lib.riskoff_decide.argtypes = [handle, handle, ctypes.POINTER(DecideOptions), ctypes.POINTER(handle)]
    lib.riskoff_decision_free.argtypes = [handle]
    lib.riskoff_decision_action.argtypes = [handle]
    lib.riskoff_decision_action.restype = ctypes.c_char_p
    lib.riskoff_decision_profile.argtypes = [handle]
    lib.riskoff_decision_profile.restype = ctypes.c_char_p
    lib.riskoff_decision_render.argtypes = [handle, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    lib.riskoff_decision_value_count.argtypes = [handle]
    lib.riskoff_decision_value_count.restype = ctypes.c_size_t
    lib.riskoff_decision_value_at.argtypes = [handle, ctypes.c_size_t, ctypes.POINTER(Value)]
    return lib


def fail(lib, status):
    name = lib.riskoff_status_name(status).decode()
    print(f"{name}: {lib.riskoff_last_error().decode()}", file=sys.stderr)
    sys.exit(2 if status == ERROR_IO else 1)


def print_reasons(reasons, depth):
    for reason in reasons:
        print("  " * depth + "- " + reason.get("text", reason["subject"]))
        if depth < 3:
            print_reasons(reason.get("because", []), depth + 1)


def main(argv):
    parser = argparse.ArgumentParser(description="Decide with riskoff through its C API (ctypes).")
    parser.add_argument("rules")
    parser.add_argument("snapshot")
    parser.add_argument("profile", nargs="?")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a parameter, with its unit: yield_jump=20bp")
    args = parser.parse_args(argv[1:])
    overrides = args.set
    lib = load_library()
    print(f"riskoff {lib.riskoff_version().decode()}")
    ruleset, snapshot, decision = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    status = lib.riskoff_ruleset_load(args.rules.encode(), ctypes.byref(ruleset))
    if status != OK:
        fail(lib, status)
    try:
        with open(args.snapshot, "rb") as f:
            text = f.read()
    except OSError as error:
        print(f"decide.py: {error}", file=sys.stderr)
        return 2
    status = lib.riskoff_snapshot_from_json(text, len(text), args.snapshot.encode(), ctypes.byref(snapshot))
    if status != OK:
        fail(lib, status)
    profile = args.profile.encode() if args.profile else None
    c_overrides = (ctypes.c_char_p * max(1, len(overrides)))(*[o.encode() for o in overrides])
    options = DecideOptions(profile, c_overrides, len(overrides), 0)
    status = lib.riskoff_decide(ruleset, snapshot, ctypes.byref(options), ctypes.byref(decision))
    if status != OK:
        fail(lib, status)
    print(f"decision: {lib.riskoff_decision_action(decision).decode()} "
          f"(profile {lib.riskoff_decision_profile(decision).decode()})")
    value = Value()
    on = []
    for index in range(lib.riskoff_decision_value_count(decision)):
        if lib.riskoff_decision_value_at(decision, index, ctypes.byref(value)) == OK and value.is_condition \
                and TRUTH[value.truth] == "true":
            on.append(f"{value.kind.decode()} {value.name.decode()}")
    print("on: " + (", ".join(on) if on else "nothing"))
    rendered = ctypes.c_char_p()
    if lib.riskoff_decision_render(decision, FORMAT_JSON, ctypes.byref(rendered)) == OK:
        explanation = json.loads(rendered.value.decode())
        print("because:")
        print_reasons(explanation["because"]["because"], 1)
    lib.riskoff_decision_free(decision)
    lib.riskoff_snapshot_free(snapshot)
    lib.riskoff_ruleset_free(ruleset)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
