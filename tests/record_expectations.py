#!/usr/bin/env python3
"""Record CPython's behaviour as the expected behaviour of gilsim's conformance programs.

Walks tests/programs (sorted), runs every `<name>.py` with `python3 -X utf8 <name>.py`
(cwd = the program's folder, PYTHONHASHSEED=0) and writes next to it:

  <name>.out   CPython's stdout, byte for byte (always written, possibly empty);
  <name>.err   normalize_stderr(stderr), only if stderr is non-empty;
  <name>.code  the exit code and a newline, only if it is non-zero.

Stale .err/.code files are removed. The expectations were recorded with CPython 3.11;
error messages differ between minor versions, so the script refuses other versions
unless --any-version is given.

Usage: python3 tests/record_expectations.py [--any-version] [SUBSTRING]
       (SUBSTRING limits recording to programs whose path contains it)

tests/conformance.rs implements the identical normalization (`normalize_stderr`) and,
in `expectations_match_cpython`, re-runs CPython to check these files have not drifted.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parent / "programs"
TIMEOUT_SECONDS = 20
TRACEBACK_HEADER = "Traceback (most recent call last):"
FILE_LINE = re.compile(r'^  File "(.*?)", line (\d+), in (.*)$')


def is_library_path(path: str) -> bool:
    """A standard-library file: gilsim's embedded modules or CPython's Lib/."""
    return path.startswith("<gilsim>/") or path.startswith("<frozen ") or "/lib/python3." in path


def normalize_stderr(stderr: str) -> str:
    """Reduce a stderr dump to the parts gilsim must reproduce exactly.

    Lines are split on "\\n" (a trailing "\\r" is dropped from each line).

    * Runtime traceback (some line is exactly "Traceback (most recent call last):"):
      - a line `  File "<path>", line N, in NAME` becomes `line N, in NAME`, except that
        frames of the standard library (threading.py, queue.py, concurrent.futures: a
        path under `<gilsim>/`, a `<frozen …>` module, or one containing `/lib/python3.`)
        are dropped;
      - every other line that is empty or starts with a space or tab is dropped
        (source-text lines, `^^^^` caret lines, `[Previous line repeated N more times]`);
      - every remaining line is kept as is: the `Traceback ...` headers, the final
        exception line(s), and chaining messages such as
        "The above exception was the direct cause of the following exception:".
    * Anything else (syntax errors, `raise SystemExit("msg")`): only the last non-blank
      line is kept, e.g. "SyntaxError: expected ':'".

    The result is the kept lines, each followed by "\\n" (empty string if none).
    """
    lines = [line[:-1] if line.endswith("\r") else line for line in stderr.split("\n")]
    kept = []
    if TRACEBACK_HEADER in lines:
        for line in lines:
            m = FILE_LINE.match(line)
            if m and is_library_path(m.group(1)):
                continue
            if m:
                kept.append(f"line {m.group(2)}, in {m.group(3)}")
            elif line == "" or line[0] in " \t":
                continue
            else:
                kept.append(line)
    else:
        nonblank = [line for line in lines if line.strip() != ""]
        kept = nonblank[-1:]
    return "".join(line + "\n" for line in kept)


def python_env() -> dict:
    env = dict(os.environ)
    for key in list(env):
        # Only variables that change what a script prints or where modules come from.
        if key in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONWARNINGS", "PYTHONINSPECT",
                   "PYTHONOPTIMIZE", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONSAFEPATH"):
            del env[key]
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # never leave __pycache__ in tests/programs
    return env


def run_program(path: Path):
    """Run one program under CPython; return (stdout, normalized stderr, exit code)."""
    proc = subprocess.run(
        ["python3", "-X", "utf8", path.name],
        cwd=path.parent,
        env=python_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
    )
    stdout = proc.stdout.decode("utf-8")
    stderr = proc.stderr.decode("utf-8")
    return stdout, normalize_stderr(stderr) if stderr else "", proc.returncode


def write_or_remove(path: Path, content):
    if content is None:
        if path.exists():
            path.unlink()
    else:
        path.write_bytes(content.encode("utf-8"))


def main(argv):
    any_version = "--any-version" in argv
    filters = [a for a in argv if not a.startswith("--")]
    version = subprocess.run(["python3", "-c", "import sys; print(*sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.split()
    if version != ["3", "11"] and not any_version:
        sys.exit(f"python3 is {'.'.join(version)}, expectations are recorded with 3.11 "
                 "(pass --any-version to record anyway)")
    programs = sorted(PROGRAMS.rglob("*.py"))
    count = errors = 0
    for program in programs:
        rel = program.relative_to(PROGRAMS).as_posix()
        if filters and not any(f in rel for f in filters):
            continue
        stdout, stderr, code = run_program(program)
        write_or_remove(program.with_suffix(".out"), stdout)
        write_or_remove(program.with_suffix(".err"), stderr or None)
        write_or_remove(program.with_suffix(".code"), f"{code}\n" if code else None)
        count += 1
        if stderr and not code:
            print(f"WARNING {rel}: exit 0 but stderr is not empty (a warning?): {stderr!r}")
        if code:
            errors += 1
            first = stderr.splitlines()[-1] if stderr else ""
            print(f"{rel}: exit {code}: {first}")
    print(f"recorded {count} programs ({errors} with a non-zero exit code)")


if __name__ == "__main__":
    main(sys.argv[1:])
