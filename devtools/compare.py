"""Compare what two versions of the program produce: every dataset and every page, byte for byte.

    python -m devtools.compare REV [--sizes 1000] [--keep DIR] [--today 2026-12-01]

A restructuring must not change the output (issue 11). For the revision ``REV`` (checked out in a
temporary git worktree) and for this working tree, on the same inputs:

- ``seeds``: the checkout's own plans (``docs/``, ``data/``, git history), built in place;
- ``corpus-N``: the synthetic corpus of N plans (``devtools.corpus.generate`` or, in older
  revisions, ``congkhai.corpus.generate``, seed 1), outside git, with ``SOURCE_DATE_EPOCH``;

each built with ``build_site.py build --out`` and ``build_site.py datasets --out`` at the same
``--today`` with the cache off, then compared with :func:`congkhai.publish.reproducible.differences`
(declared build timestamps masked; nothing under ``data/`` ever is). Prints each difference and
exits 1 if there is any. ``--keep DIR`` keeps the builds of ``REV`` in ``DIR/<commit>/`` and reuses them
the next time, so a session of refactoring builds the old side once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GENERATE = (
    "import sys\n"
    "from pathlib import Path\n"
    "try:\n"
    "    from devtools.corpus import generate\n"
    "except ImportError:\n"
    "    from congkhai.corpus import generate\n"
    "generate(Path(sys.argv[1]), int(sys.argv[2]), seed=1)\n"
)


def _differences(a: Path, b: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    try:
        from congkhai.publish.reproducible import differences
    except ImportError:  # before the restructuring
        from congkhai.reproducible import differences  # type: ignore[no-redef]
    return differences(a, b)


def _run(code: Path, args: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, *args], cwd=code, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{code}: {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")


def build_side(code: Path, out: Path, names: list[str], today: str) -> None:
    """Build each of ``names`` (``seeds``, ``corpus-N``) with the program in ``code`` into ``out``."""
    env = {**os.environ, "CONGKHAI_CACHE": "off", "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    env.pop("CONGKHAI_TIMINGS", None)
    out.mkdir(parents=True, exist_ok=True)
    py = str(code / "build_site.py")
    if "seeds" in names:
        root = ["--root", str(code), "--today", today]
        _run(code, [py, "build", *root, "--out", str(out / "seeds" / "site")], env)
        _run(code, [py, "datasets", *root, "--out", str(out / "seeds" / "datasets")], env)
    for n in (int(name.removeprefix("corpus-")) for name in names if name.startswith("corpus-")):
        corpus = out / f"corpus-{n}-src"
        _run(code, ["-c", GENERATE, str(corpus), str(n)], env)
        epoch = {**env, "SOURCE_DATE_EPOCH": "1764547200"}  # 2025-12-01T00:00:00Z
        root = ["--root", str(corpus), "--today", today]
        _run(code, [py, "build", *root, "--out", str(out / f"corpus-{n}" / "site")], epoch)
        _run(code, [py, "datasets", *root, "--out", str(out / f"corpus-{n}" / "datasets")], epoch)
        shutil.rmtree(corpus)
    for name in names:
        (out / name / ".built").write_text(f"{today}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m devtools.compare", description=__doc__.split("\n\n")[0])
    p.add_argument("rev", help="the revision to compare with, e.g. the commit before a restructuring")
    p.add_argument("--sizes", type=int, nargs="*", default=[1000], help="synthetic corpus sizes (default 1000)")
    p.add_argument("--today", default="2026-12-01", help="the reference date of both builds")
    p.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the builds of REV here")
    args = p.parse_args(argv)
    names = ["seeds", *(f"corpus-{n}" for n in args.sizes)]
    with tempfile.TemporaryDirectory(prefix="congkhai-compare-") as tmp:
        old = (args.keep / _commit(args.rev)) if args.keep else Path(tmp) / "old"
        missing = [n for n in names if _stamp(old / n) != f"{args.today}\n"]
        if missing:  # built once per revision, date and corpus; a kept build is never overwritten
            worktree = Path(tmp) / "code"
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--", str(worktree), args.rev],
                check=True,
                capture_output=True,
            )
            try:
                staging = Path(tmp) / "old-staging"
                build_side(worktree, staging, missing, args.today)
                for name in missing:
                    (old / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.rmtree(old / name, ignore_errors=True)
                    shutil.move(staging / name, old / name)
            finally:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", "--", str(worktree)],
                    check=False,
                    capture_output=True,
                )
        new = Path(tmp) / "new"
        build_side(ROOT, new, names, args.today)
        found = 0
        for name in names:
            for part in ("site", "datasets"):
                diffs = _differences(old / name / part, new / name / part)
                found += len(diffs)
                for line in diffs:
                    print(f"{name}/{part}: {line}")
                print(f"{name}/{part}: {'identical' if not diffs else f'{len(diffs)} differences'}", file=sys.stderr)
        return 1 if found else 0


def _commit(rev: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def _stamp(path: Path) -> str:
    try:
        return (path / ".built").read_text(encoding="utf-8")
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
