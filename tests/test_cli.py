"""The command line: exit codes, output formats, languages, --fix, and no tracebacks ever."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congkhai.cli import main
from congkhai.load.corpus import plan_files
from congkhai.model.schemas import load_model

ROOT = Path(__file__).resolve().parent.parent


def _first_plan(repo: Path) -> Path:
    return plan_files(repo)[0]


def test_clean_repository_exits_0(seed_repo, capsys):
    assert main(["validate", "--root", str(seed_repo)]) == 0
    assert "0 lỗi, 0 cảnh báo" in capsys.readouterr().out


def test_errors_exit_1_with_file_line_field_and_hint(seed_repo, capsys):
    plan = _first_plan(seed_repo)
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("doc_type:"))
    lines[n] = "doc_typ: ke_hoach\n"
    plan.write_text("".join(lines), encoding="utf-8")
    assert main(["validate", "--root", str(seed_repo), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    rel = plan.relative_to(seed_repo).as_posix()
    assert f"{rel}:{n + 1}:1: error unknown-key [doc_typ]: Unknown key 'doc_typ' — did you mean 'doc_type'?" in out
    assert "    fix: Allowed keys:" in out
    doc_type = load_model().plan_table.field("doc_type").title_en
    assert f"constraint-error [{doc_type}: doc_type]" in out  # the required field is now missing, named


def test_json_and_github_formats(seed_repo, capsys):
    plan = _first_plan(seed_repo)
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("status: ", "status: bogus\nold_status: ", 1), encoding="utf-8"
    )
    assert main(["validate", "--root", str(seed_repo), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["errors"] == 2
    codes = {f["code"] for f in report["findings"]}
    assert codes == {"vocabulary-error", "unknown-key"}
    assert all(
        {"file", "line", "column", "field", "code", "severity", "message", "hint"} <= set(f) for f in report["findings"]
    )
    assert main(["validate", "--root", str(seed_repo), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"::error file={plan.relative_to(seed_repo).as_posix()},line=")
    assert ",title=" in lines[0]


def test_paths_limit_the_report(seed_repo, capsys):
    broken, other = plan_files(seed_repo)[:2]
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("status: ", "status: bogus\nold_status: ", 1), encoding="utf-8"
    )
    assert main(["validate", "--root", str(seed_repo), str(other)]) == 0
    assert main(["validate", "--root", str(seed_repo), str(broken)]) == 1


def test_fix_normalises_nfd_and_lookalike(seed_repo, capsys):
    plan = _first_plan(seed_repo)
    text = plan.read_text(encoding="utf-8")
    plan.write_text(unicodedata.normalize("NFD", text).replace("Đ", "\u00d0", 1), encoding="utf-8")
    assert main(["validate", "--root", str(seed_repo), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "non-nfc" in out and "lookalike-character" in out
    assert main(["validate", "--root", str(seed_repo), "--fix", "--strict"]) == 0
    assert plan.read_text(encoding="utf-8") == text


def test_warnings_pass_unless_strict(seed_repo):
    plan = _first_plan(seed_repo)
    plan.write_text(unicodedata.normalize("NFD", plan.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["validate", "--root", str(seed_repo)]) == 0
    assert main(["validate", "--root", str(seed_repo), "--strict"]) == 1


def test_usage_errors_exit_2():
    proc = subprocess.run(
        [sys.executable, "build_site.py", "validate", "--format", "xml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "build_site.py", "validate", "--today", "yesterday"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2


def test_future_date_uses_today(seed_repo, capsys):
    assert main(["validate", "--root", str(seed_repo), "--today", "2023-01-01", "--format", "json"]) == 1
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert codes == {"future-date"}


def test_datasets_command(seed_repo, tmp_path):
    assert main(["datasets", "--root", str(seed_repo), "--out", str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / "datapackage.json").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: ("---\n" + t + "\n---\n").encode()))
def test_no_input_gives_a_traceback(seed_repo, data):
    plan = seed_repo / "docs" / "plans" / "x" / "fuzz.md"
    plan.parent.mkdir(parents=True, exist_ok=True)
    plan.write_bytes(data)
    code = main(["validate", "--root", str(seed_repo), str(plan), "--format", "json"])
    assert code in (0, 1)


def test_internal_errors_are_reported_without_traceback(seed_repo, monkeypatch, capsys):
    import congkhai.load.corpus

    def boom(*a, **k):
        raise RuntimeError("x")

    monkeypatch.setattr(congkhai.load.corpus, "validate", boom)
    assert main(["validate", "--root", str(seed_repo)]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RuntimeError" in err


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"], ["build", "--help"]])
def test_help(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0


def test_missing_path_is_a_usage_error(seed_repo, capsys):
    assert main(["validate", "--root", str(seed_repo), str(seed_repo / "nope.md")]) == 2
    assert "nope.md" in capsys.readouterr().err


def test_a_draft_outside_docs_plans_is_checked_against_the_repository(seed_repo, capsys):
    source = plan_files(seed_repo)[0]
    draft = seed_repo / "inbox" / source.name
    draft.parent.mkdir()
    draft.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["validate", "--root", str(seed_repo), str(draft), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {(f["file"], f["code"]) for f in report["findings"]} == {(f"inbox/{source.name}", "duplicate-id")}


def test_new_writes_a_scaffold_the_validator_refuses_until_filled(data_repo, capsys):
    target = data_repo / "docs" / "plans" / "x" / "moi.md"
    assert main(["new", "-o", str(target)]) == 0
    assert "# " in target.read_text(encoding="utf-8")  # explained in Vietnamese comments
    assert main(["validate", "--root", str(data_repo), str(target), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["errors"] > 5


def test_stage_timings_reach_stderr_only_when_asked(seed_repo):
    """The benchmark reads ``congkhai-timing`` lines from stderr; without the variable there are none."""
    run = [sys.executable, "build_site.py", "validate", "--root", str(seed_repo)]
    quiet = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=False, env=_env())
    timed = subprocess.run(
        run, cwd=ROOT, capture_output=True, text=True, check=False, env={**_env(), "CONGKHAI_TIMINGS": "1"}
    )
    assert quiet.returncode == timed.returncode == 0
    assert "congkhai-timing" not in quiet.stderr + quiet.stdout
    assert "congkhai-timing validate " in timed.stderr and "congkhai-timing peak_mib.python" in timed.stderr
    assert "congkhai-timing" not in timed.stdout


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "CONGKHAI_TIMINGS"}


def test_root_before_the_command_is_kept(tmp_path: Path) -> None:
    # "build_site.py --root X import F": the subcommand's default must not overwrite X
    from congkhai.cli import parser

    for argv in (["--root", str(tmp_path), "import", "f.docx"], ["import", "--root", str(tmp_path), "f.docx"]):
        args = parser().parse_args(argv)
        assert args.root == tmp_path, argv
    args = parser().parse_args(["--lang", "en", "--today", "2024-01-02", "validate"])
    assert (args.lang, str(args.today)) == ("en", "2024-01-02")
    assert parser().parse_args(["validate"]).lang == "vi"
    word = Path(__file__).parent / "fixtures" / "word" / "xa-ke-hoach-bang-nhiem-vu.docx"
    assert main(["--root", str(tmp_path), "import", str(word)]) == 0
    assert list((tmp_path / "docs" / "plans").rglob("*.md"))  # the draft went where --root says
