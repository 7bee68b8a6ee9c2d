#!/usr/bin/env python3
"""The bad-input table (tests/bad-inputs/cases.json) at the command-line layer.

Each case runs `ca3` the way a user would (train / score / info on the case's file). A failing
case must exit 1 with exactly one line "ca3: error: <message>" holding the case's message, and
leave an existing --out file alone; an "ok" case must exit 0 and do what the table says.
Prints one line per case and the peak memory of each run.

    tests/cli_bad_inputs.py path/to/ca3 [--sanitized]
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Peak memory allowed for scoring the 100 MB CSV (~1.8 M rows) natively; a sanitized build
# carries shadow memory and is not held to it.
MAX_RSS_100MB = 600 * 1024 * 1024


def make_input(spec, fixtures):
    """The bytes of a case's input, made as cases.json describes (the same bytes every layer makes)."""
    if "text" in spec:
        encoding = spec.get("encoding", "utf-8")
        if encoding == "utf-16le-bom":
            return b"\xff\xfe" + spec["text"].encode("utf-16-le")
        return spec["text"].encode({"windows-1252": "cp1252"}.get(encoding, encoding))
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "file" in spec:
        return open(os.path.join(REPO, spec["file"]), "rb").read()
    if "model" in spec:
        b = bytearray(open(os.path.join(REPO, fixtures[spec["model"]]), "rb").read())
        if "truncate_to" in spec:
            del b[spec["truncate_to"]:]
        if spec.get("flip_byte_at_half"):
            b[len(b) // 2] ^= 1
        if "version" in spec:
            b[8] = spec["version"]  # after the 8-byte magic
        return bytes(b)
    raise ValueError(f"unknown input kind: {spec}")


def holds(actual, expected):
    """Whether `actual` holds `expected`: every key with a matching value, every list element of
    `expected` matching an element of the list, strings starting with '*' contained."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and holds(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and all(any(holds(a, e) for a in actual) for e in expected)
    if isinstance(expected, str) and expected.startswith("*"):
        return isinstance(actual, str) and expected[1:] in actual
    return actual == expected


def write_input(spec, fixtures, path, most_bytes=None):
    """Writes a case's input to `path`; a large one row by row (this process stays small, so the
    peak memory measured for ca3 is its own: a forked child starts with its parent's), up to
    `most_bytes` when given. Returns the data rows of a large one, else None."""
    with open(path, "wb") as f:
        if "repeat_rows_of" not in spec:
            f.write(make_input(spec, fixtures))
            return None
        lines = open(os.path.join(REPO, spec["repeat_rows_of"]), "rb").read().splitlines(keepends=True)
        f.write(lines[0])
        size, i = 0, 0
        while size < min(spec["bytes"], most_bytes or spec["bytes"]):  # whole rows until the data reaches the size
            row = lines[1 + i % (len(lines) - 1)]
            f.write(row)
            size += len(row)
            i += 1
        return i


def run(ca3, args):
    """Runs ca3; returns (exit status, stdout, stderr, peak resident memory in bytes of that run)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([ca3] + args, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        text = lambda f: f.read().decode(errors="replace")
        return child.returncode, text(out), text(err), usage.ru_maxrss * 1024


def main():
    ca3 = os.path.abspath(sys.argv[1])
    sanitized = "--sanitized" in sys.argv
    table = json.load(open(os.path.join(REPO, "tests/bad-inputs/cases.json")))
    fixtures = table["fixtures"]
    work = tempfile.mkdtemp(prefix="ca3-cli-bad-")
    failures = []
    try:
        existing = os.path.join(work, "existing.ca3")  # an --out file a failed train must not touch
        shutil.copy(os.path.join(REPO, fixtures["table-model"]), existing)
        existing_bytes = open(existing, "rb").read()
        for case in table["cases"]:
            cid, action = case["id"], case["action"]
            expect = case.get("layers", {}).get("cli", case["expect"])
            if "skip" in expect:
                print(f"skip {cid}: {expect['skip']}")
                continue
            name = case["input"]["name"]
            case_dir = os.path.join(work, cid)
            os.makedirs(case_dir)
            path = os.path.join(case_dir, name)
            # Sanitized (~20x slower), a large file is cut to 10 MB: the same code reads it, and its
            # size and peak memory are checked in the release build.
            rows_written = write_input(case["input"], fixtures, path, 10_000_000 if sanitized else None)
            if sanitized and rows_written is not None and "rows" in expect.get("ok", {}):
                expect = {**expect, "ok": {**expect["ok"], "rows": rows_written}}
            scores = os.path.join(work, f"{cid}-scores.csv")
            model = os.path.join(REPO, fixtures[case.get("model", "table-model")])
            if action == "train-table":
                args = ["train", "--data", path, "--label-column", case["label"], "--normal", case["normal"],
                        "--epochs", "3", "--quiet", "--out", existing]
            elif action == "score-table":
                args = ["score", "--model", model, "--data", path, "--out", scores, "--quiet"]
            elif action == "load-model":
                args = ["info", path]
            elif action == "score-image":  # a folder holding the one image
                args = ["score", "--model", os.path.join(REPO, fixtures["image-model"]), "--data", case_dir,
                        "--out", scores, "--quiet"]
            else:
                failures.append(f"{cid}: unknown action {action}")
                continue
            status, stdout, stderr, peak = run(ca3, args)
            stderr_lines = [l for l in stderr.splitlines() if l]
            memory = f" (peak memory {peak / 2**20:.0f} MB)"
            problem = None
            if "error" in expect:
                want = expect["error"]
                if status != 1:
                    problem = f"exit {status}, want 1: {stderr.strip()[:300]}"
                elif len(stderr_lines) != 1 or not stderr_lines[0].startswith("ca3: error: "):
                    problem = f"want one 'ca3: error:' line, got {stderr_lines[:3]}"
                elif want not in stderr_lines[0]:
                    problem = f"want '{want}', got '{stderr_lines[0]}'"
                elif open(existing, "rb").read() != existing_bytes:
                    problem = "the existing --out model file was changed"
            else:
                ok = expect["ok"]
                if status != 0:
                    problem = f"exit {status}, want 0: {stderr.strip()[:300]}"
                elif "rows" in ok:
                    with open(scores) as f:  # line by line: this process stays small (see write_input)
                        next(f)
                        finite = sum(math.isfinite(float(line.split(",")[1])) for line in f)
                    if finite != ok["rows"]:
                        problem = f"{finite} finite scores, want {ok['rows']}"
                    if cid == "csv-100mb" and not sanitized and peak > MAX_RSS_100MB:
                        problem = f"peak memory {peak / 2**20:.0f} MB > {MAX_RSS_100MB / 2**20:.0f} MB"
                elif "scored" in ok:
                    with open(scores) as f:
                        scored = [line.split(",") for line in f.read().splitlines()[1:]]
                    if len(scored) != ok["scored"] or not all(math.isfinite(float(r[1])) for r in scored):
                        problem = f"want {ok['scored']} finite scores, got {scored[:3]}"
                elif "report" in ok:
                    report = json.loads(stdout)
                    if not holds(report, ok["report"]):
                        problem = f"the report does not hold {json.dumps(ok['report'])}: {stdout[:2000]}"
                    else:
                        info = run(ca3, ["info", existing])  # the model file written loads
                        if info[0] != 0:
                            problem = f"the model file written does not load: {info[2].strip()}"
                    shutil.copy(os.path.join(REPO, fixtures["table-model"]), existing)  # meant to be replaced
                elif "syntheticAnomalies" in ok:
                    report = json.loads(stdout)
                    if not report.get("syntheticAnomalies", 0) > 0:
                        problem = f"want synthetic anomalies in the report: {stdout[:300]}"
                    shutil.copy(os.path.join(REPO, fixtures["table-model"]), existing)  # meant to be replaced
            if problem:
                failures.append(f"{cid}: {problem}")
                print(f"FAIL {cid}: {problem}")
            else:
                shown = stderr_lines[0] if "error" in expect else "ok"
                print(f"ok   {cid}: {shown}{memory}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print(f"all {len(table['cases'])} cases passed")


if __name__ == "__main__":
    main()
