"""Command line: parse arguments, call one library function, render, return an exit code.

Exit codes: 0 clean (warnings allowed unless --strict), 1 errors, 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .report import RENDERERS, counts

ROOT = Path(__file__).resolve().parent.parent

MESSAGES = {
    "vi": {
        "built": "Đã dựng trang vào {site} ({plans} kế hoạch, {tasks} nhiệm vụ, {directives} văn bản được trích dẫn).",
        "not_built": "Chưa dựng trang vì còn lỗi; trang cũ (nếu có) được giữ nguyên.",
        "placeholder_publisher": "Cảnh báo: chưa khai báo cơ quan vận hành trang (extra.publisher trong mkdocs.yml: name, email, homepage); danh mục dữ liệu mở đang ghi tên tạm “{name}”.",
        "written": "Đã ghi dữ liệu vào {out}.",
        "built_preview": "Đây là bản xem trước (chưa đặt địa chỉ trang SITE_URL): mọi trang ghi “Bản xem trước — chưa công bố”, không có sơ đồ trang, không được đăng lên mạng. Để công bố: SITE_URL=https://… make site.",
        "preview": "Đã ghi bản xem trước: {out}",
        "fixed": "Đã chuẩn hóa {n} tệp.",
        "internal": "Lỗi nội bộ của chương trình ({kind}). Hãy báo lỗi kèm tệp đang kiểm tra.",
        "os_error": "Không đọc hoặc ghi được tệp {path}: {reason}. Kiểm tra chỗ trống trên đĩa và quyền ghi vào thư mục đó rồi chạy lại.",
        "missing": "Không tìm thấy: {path}",
        "merged": "Đã gộp {shards} phần vào {out} ({plans} kế hoạch, {tasks} nhiệm vụ, {directives} văn bản được trích dẫn).",
        "not_merged": "Chưa gộp vì còn lỗi; bộ dữ liệu cũ ở {out} (nếu có) được giữ nguyên.",
        "national": "Đã dựng trang toàn quốc vào {out} ({shards} tỉnh, thành phố; {plans} kế hoạch), để đăng ở {url} với mỗi tỉnh ở {url}<tỉnh>/.",
        "not_national": "Chưa dựng trang toàn quốc vì còn lỗi; trang cũ ở {out} (nếu có) được giữ nguyên.",
        "draft_written": "Đã viết bản nháp: {out}",
        "catalogue_added": "Đã thêm {n} văn bản được trích dẫn mới vào data/directives.csv (bản nháp, cần kiểm tra):",
        "check_draft": "Sửa mọi chỗ đánh dấu “CẦN KIỂM TRA”, rồi chạy: python build_site.py validate {out}",
        "plan_updated": "Đây là bản cập nhật của kế hoạch {id} (“{title}”, nhận ra theo {route}): đã ghi vào tệp của kế hoạch đó, giữ nguyên mã.",
        "route_document": "số, ký hiệu, ngày và cơ quan ban hành",
        "route_text": "nội dung văn bản",
        "units_added": "Đã đề xuất {n} cơ quan mới và thêm vào data/units.csv (cần kiểm tra tên, loại, cấp, đơn vị cấp trên); {m} cơ quan đã có mã:",
    },
    "en": {
        "built": "Built the site in {site} ({plans} plans, {tasks} tasks, {directives} cited documents).",
        "not_built": "The site was not built because of errors; the previous site, if any, is untouched.",
        "placeholder_publisher": "Warning: the body operating the site is not declared (extra.publisher in mkdocs.yml: name, email, homepage); the open-data catalogue names a placeholder, “{name}”.",
        "written": "Wrote the datasets to {out}.",
        "built_preview": "This is a preview (SITE_URL, the site's address, is not set): every page says so, there is no sitemap, and it must not be published. To publish: SITE_URL=https://… make site.",
        "preview": "Wrote the preview: {out}",
        "fixed": "Normalised {n} files.",
        "internal": "Internal error ({kind}). Please report it with the file being checked.",
        "os_error": "Could not read or write {path}: {reason}. Check the free disk space and the permission to write there, then run again.",
        "missing": "No such file or folder: {path}",
        "merged": "Merged {shards} shards into {out} ({plans} plans, {tasks} tasks, {directives} cited documents).",
        "not_merged": "Nothing was merged because of errors; the previous dataset in {out}, if any, is untouched.",
        "national": "Built the national site in {out} ({shards} provinces; {plans} plans), to publish at {url} with each province at {url}<province>/.",
        "not_national": "The national site was not built because of errors; the previous one in {out}, if any, is untouched.",
        "draft_written": "Wrote the draft: {out}",
        "catalogue_added": "Added {n} new cited documents to data/directives.csv (drafts, to be checked):",
        "check_draft": "Fix every place marked “CẦN KIỂM TRA”, then run: python build_site.py validate {out}",
        "plan_updated": "This is an update of the plan {id} (“{title}”, recognised by its {route}): written to that plan's file, keeping its id.",
        "route_document": "number, date and issuer",
        "route_text": "text",
        "units_added": "Proposed {n} new bodies and added them to data/units.csv (check name, kind, level, parent); {m} bodies already had an id:",
    },
}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from exc


def _common(defaults: bool) -> argparse.ArgumentParser:
    """The options every command takes. Given before the command or after it: a subcommand's
    copy has no defaults (``SUPPRESS``), so it never overwrites what was given before it."""

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["vi", "en"], default=default("vi"), help="language of messages (default vi)")
    common.add_argument("--root", type=Path, default=default(ROOT), help="repository root (default: this checkout)")
    common.add_argument(
        "--today", type=_date, default=default(None), help="date to check future dates against (YYYY-MM-DD)"
    )
    return common


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build_site.py",
        description="Công khai: validate plans, write open datasets, build the site.",
        parents=[_common(defaults=True)],
    )
    common = _common(defaults=False)
    sub = p.add_subparsers(dest="command")
    v = sub.add_parser("validate", parents=[common], help="check plan files and reference tables")
    v.add_argument("paths", nargs="*", type=Path, help="plan files or folders to report on (default: all)")
    v.add_argument("--format", choices=sorted(RENDERERS), default="text", help="output format (default text)")
    v.add_argument("--fix", action="store_true", help="normalise non-NFC text and the look-alike Ð in place")
    v.add_argument("--strict", action="store_true", help="fail on warnings too")
    v.add_argument("--since", default=None, help="git revision of the last publication: its plans must not be removed")
    b = sub.add_parser("build", parents=[common], help="validate, write datasets and build the site (the default)")
    b.add_argument("--out", type=Path, default=None, help="site directory (default: site/)")
    d = sub.add_parser("datasets", parents=[common], help="validate and write only the datasets")
    d.add_argument("--out", type=Path, required=True, help="directory to write the datasets to")
    i = sub.add_parser("import", parents=[common], help="draft a plan file from a .docx, .txt or .md")
    i.add_argument("file", type=Path, help="the signed plan (.docx, .txt, .md)")
    i.add_argument("-o", "--output", type=Path, default=None, help="where to write the draft plan file")
    i.add_argument("--json", action="store_true", help="print the extraction as JSON instead of writing a draft")
    n = sub.add_parser("new", parents=[common], help="write an empty plan with every field explained")
    n.add_argument("-o", "--output", type=Path, default=None, help="file to write (default: print)")
    f = sub.add_parser("diff", parents=[common], help="what changed in the datasets between two git revisions")
    f.add_argument("base", help="the base revision, e.g. origin/main")
    f.add_argument("head", nargs="?", default=None, help="the head revision (default: the working tree)")
    f.add_argument("--format", choices=["markdown", "json"], default="markdown", help="output format")
    r = sub.add_parser("review", parents=[common], help="the merge gate: review markers and inferred printed facts")
    r.add_argument("paths", nargs="*", help="changed plan files, relative to --root")
    r.add_argument("--base", default=None, help="git revision whose inferences are accepted (the fork point)")
    r.add_argument("--format", choices=sorted(RENDERERS), default="text", help="output format (default text)")
    c = sub.add_parser("comment", parents=[common], help="the pull request's comment: changes, findings, preview")
    c.add_argument("base", help="the base revision, e.g. origin/main")
    c.add_argument("head", nargs="?", default=None, help="the head revision (default: the working tree)")
    c.add_argument(
        "--report", action="append", type=Path, default=[], help="a JSON report (validate/review --format json)"
    )
    c.add_argument("--preview", default=None, help="the preview's address")
    c.add_argument("--run", default=None, help="the workflow run's address")
    pv = sub.add_parser(
        "preview", parents=[common], help="the built site with launchers that serve it, as a folder and a .zip"
    )
    pv.add_argument("--site", type=Path, default=None, help="the built site (default: site/)")
    pv.add_argument("--out", type=Path, required=True, help="the preview folder to write (and OUT.zip beside it)")
    m = sub.add_parser("merge", parents=[common], help="merge province shards' datasets into one national dataset")
    m.add_argument("shards", nargs="+", type=Path, help="dataset folders written by 'datasets --out' (one per shard)")
    m.add_argument("--out", type=Path, required=True, help="directory to write the merged datasets to")
    m.add_argument("--format", choices=sorted(RENDERERS), default="text", help="report format (default text)")
    n = sub.add_parser(
        "national",
        parents=[common],
        help="trang toàn quốc (national site): the provinces' built sites → merged data, lists, one search",
    )
    n.add_argument("sites", nargs="+", type=Path, help="a province's built site/ (SITE_URL=https://host/<province>/)")
    n.add_argument("--out", type=Path, required=True, help="directory to write the national site to")
    n.add_argument("--format", choices=sorted(RENDERERS), default="text", help="report format (default text)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = getattr(args, "lang", "vi")
    _show_timings()
    from .model.errors import CongkhaiError

    try:
        code = _run(args)
        from .timing import memory

        memory()
        return code
    except KeyboardInterrupt:
        return 130
    except CongkhaiError as exc:  # the one error path: what failed and what to do, in the user's language
        print(exc.message(lang), file=sys.stderr)
        if (args.command or "build") == "build":
            print(MESSAGES[lang]["not_built"], file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the machine's, not the program's: a full disk, a folder not writable
        path = exc.filename if exc.filename is not None else "?"
        reason = exc.strerror or type(exc).__name__
        print(MESSAGES[lang]["os_error"].format(path=path, reason=reason), file=sys.stderr)
        if (args.command or "build") == "build":
            print(MESSAGES[lang]["not_built"], file=sys.stderr)
        return 74  # EX_IOERR
    except Exception as exc:  # never show a traceback to a clerk
        print(MESSAGES[getattr(args, "lang", "vi")]["internal"].format(kind=type(exc).__name__), file=sys.stderr)
        return 70


def _show_timings() -> None:
    """With ``CONGKHAI_TIMINGS`` set, each stage's time goes to stderr (the benchmark reads it)."""
    import logging
    import os

    log = logging.getLogger("congkhai.timing")
    if os.environ.get("CONGKHAI_TIMINGS") and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
        from .timing import watch_gc

        watch_gc()


def _run(args: argparse.Namespace) -> int:
    from .load.corpus import validate

    msgs = MESSAGES[args.lang]
    command = args.command or "build"
    if command == "import":
        return _import(args, msgs)
    if command == "new":
        from .model.schemas import load_model
        from .render.scaffold import new_plan_text

        text = new_plan_text(load_model())
        if args.output is None:
            sys.stdout.write(text)
        else:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text, encoding="utf-8")
        return 0
    if command == "diff":
        from .commands.diff import diff_text

        sys.stdout.write(diff_text(args.root, args.base, args.head, args.format, args.lang))
        return 0
    if command == "merge":
        return _merge(args, msgs)
    if command == "national":
        return _national(args, msgs)
    if command == "preview":
        from .publish.preview import write_preview

        site = args.site or args.root / "site"
        if not (site / "index.html").is_file():
            print(msgs["missing"].format(path=site / "index.html"), file=sys.stderr)
            return 2
        print(msgs["preview"].format(out=write_preview(site, args.out)))
        return 0
    if command == "review":
        from .commands.review import review

        found = review(args.root, args.paths, args.base)
        sys.stdout.write(RENDERERS[args.format](found, len(args.paths), args.lang))
        return 1 if counts(found)[0] else 0
    if command == "comment":
        from .commands.diff import diff_revisions
        from .commands.prcomment import render_comment

        findings: list[dict[str, object]] = []
        for report in args.report:  # a step that did not run leaves no report: the comment says what it knows
            with contextlib.suppress(OSError, ValueError, AttributeError):
                findings += json.loads(report.read_text(encoding="utf-8")).get("findings", [])
        diff = diff_revisions(args.root, args.base, args.head)
        sys.stdout.write(render_comment(diff, findings, args.preview, args.run))
        return 0
    only = args.paths if command == "validate" and args.paths else None
    for path in only or []:
        if not path.exists():
            print(msgs["missing"].format(path=path), file=sys.stderr)
            return 2
    since = getattr(args, "since", None)
    from .timing import stage

    with stage("validate"):
        result = validate(args.root, only=only, today=args.today, since=since)  # CongkhaiError: unknown --since
    if command == "validate" and args.fix:
        from .commands.fix import fix_files

        n = fix_files(result.findings, args.root)
        if n:
            print(msgs["fixed"].format(n=n), file=sys.stderr)
            result = validate(args.root, only=only, today=args.today, since=since)
    files = len(only) if only else len(result.sources)
    fmt = getattr(args, "format", "text")
    errors, warnings = counts(result.findings)
    if command == "validate" or errors or fmt != "text":
        sys.stdout.write(RENDERERS[fmt](result.findings, files, args.lang))
    if command == "validate":
        return 1 if errors or (args.strict and warnings) else 0
    if errors:
        print(msgs["not_built"], file=sys.stderr)
        return 1
    if command == "datasets":
        from .render import datasets

        files_out = datasets.render(result.model, result.published, result.modified)
        datasets.write(files_out, args.out)
        print(msgs["written"].format(out=args.out))
        return 0
    from .publish.site import build_site

    result.shed()  # the published rows made, what only the checks needed let go
    counted = {name: len(result.published.get(name, [])) for name in ("plans", "tasks", "directives")}
    built = build_site(result, args.out or result.root / "site")  # BuildError: named, the old site kept
    if built.placeholder_publisher:
        from .render.metadata import PLACEHOLDER_PUBLISHER

        print(msgs["placeholder_publisher"].format(name=PLACEHOLDER_PUBLISHER.name), file=sys.stderr)
    print(
        msgs["built"].format(
            site=built.site,
            plans=counted["plans"],
            tasks=counted["tasks"],
            directives=counted["directives"],
        )
    )
    if built.preview:
        print(msgs["built_preview"])
    return 0


def _import(args: argparse.Namespace, msgs: dict[str, str]) -> int:
    from .importer import import_file, propose_units, read_file, to_json

    if args.json:  # the extraction only, for tooling: its keys are a contract (extend only)
        extraction = read_file(args.file, args.root)  # CongkhaiError: no such file (2), refused (1)
        print(json.dumps(to_json(extraction, propose_units(extraction, args.root)), ensure_ascii=False, indent=2))
        return 0
    done = import_file(args.file, args.root, args.output)  # CongkhaiError: also, a file already there (2)
    if done.updates is not None:
        route = msgs["route_" + done.updates.route]
        print(msgs["plan_updated"].format(id=done.updates.plan_id, title=done.updates.title, route=route))
    print(msgs["draft_written"].format(out=done.draft))
    if done.new_units:
        print(msgs["units_added"].format(n=len(done.new_units), m=done.units_matched))
        for unit in done.new_units:
            print(f"  - {unit}")
    if done.new_directives:
        print(msgs["catalogue_added"].format(n=done.catalogue_added))
        for directive in done.new_directives:
            print(f"  - {directive}")
    print(msgs["check_draft"].format(out=done.draft))
    return 0


def _merge(args: argparse.Namespace, msgs: dict[str, str]) -> int:
    from .commands.merge import merge

    for path in args.shards:
        if not path.is_dir():
            print(msgs["missing"].format(path=path), file=sys.stderr)
            return 2
    result = merge(args.shards, args.out)  # MergeError: a usage error, exit 2
    if not result.ok or args.format != "text":
        sys.stdout.write(RENDERERS[args.format](result.findings, result.files_read, args.lang))
    if not result.ok:
        print(msgs["not_merged"].format(out=args.out), file=sys.stderr)
        return 1
    print(
        msgs["merged"].format(
            shards=len(args.shards),
            out=args.out,
            plans=result.counts.get("plans", 0),
            tasks=result.counts.get("tasks", 0),
            directives=result.counts.get("directives", 0),
        ),
        file=sys.stdout if args.format == "text" else sys.stderr,  # keep a JSON report parseable
    )
    return 0


def _national(args: argparse.Namespace, msgs: dict[str, str]) -> int:
    from .commands.national import national_site

    for path in args.sites:
        if not path.is_dir():
            print(msgs["missing"].format(path=path), file=sys.stderr)
            return 2
    result, url = national_site(args.sites, args.out)  # NationalError, MergeError: usage errors, exit 2
    if not result.ok or args.format != "text":
        sys.stdout.write(RENDERERS[args.format](result.findings, result.files_read, args.lang))
    if not result.ok:
        print(msgs["not_national"].format(out=args.out), file=sys.stderr)
        return 1
    print(
        msgs["national"].format(shards=len(args.sites), out=args.out, plans=result.counts.get("plans", 0), url=url),
        file=sys.stdout if args.format == "text" else sys.stderr,
    )
    return 0
