"""The "Lịch sử thay đổi" section of a plan page: every version of the plan file, newest first.

Each version links to its text as committed (``data/ke-hoach/<id>/phien-ban/<sha7>.txt``, see the
site map), so nothing published is lost; commit subjects are escaped like every other value.
"""

from __future__ import annotations

import posixpath

from ..model.sitemap import DATA_DIR, version_file
from ..read.history import Version
from ..vietnamese.text import date_vi
from .markdown import esc


def history_section(here: str, plan_id: str, versions: list[Version]) -> str:
    """Vietnamese Markdown "Lịch sử thay đổi" for the plan page ``here`` (a path of the page set).

    Every version of the plan file, from git, newest first, each linked to its text as it was
    (nothing is lost); commit subjects are escaped like every other value.
    """
    lines = [f"## Lịch sử thay đổi ({len(versions)})", ""]
    if not versions:
        lines.append("Chưa có lịch sử thay đổi (trang này không được dựng từ kho git).")
        return "\n".join(lines) + "\n"
    lines += [
        "Mỗi phiên bản là văn bản gốc đúng như đã công bố (tệp văn bản thuần).",
        "",
        "| Ngày | Nội dung thay đổi | Văn bản |",
        "|---|---|---|",
    ]
    for v in versions:
        target = posixpath.relpath(f"{DATA_DIR}/{version_file(plan_id, v.short)}", posixpath.dirname(here))
        lines.append(f"| {date_vi(v.date[:10])} | {esc(v.subject) or 'Không ghi'} | [Xem bản `{v.short}`]({target}) |")
    return "\n".join(lines) + "\n"
