"""The "Lịch sử thay đổi" section of a plan page: every version of the plan file, newest first.

Each version links to its text as committed (``data/ke-hoach/<id>/phien-ban/<sha7>.txt``, see the
site map), so nothing published is lost; every version but the newest is marked "phiên bản cũ".
"""

from __future__ import annotations

import posixpath

from ..model.sitemap import DATA_DIR, version_file
from ..read.history import Version
from ..vietnamese.text import date_vi


def history_section(here: str, plan_id: str, versions: list[Version]) -> str:
    """Vietnamese Markdown "Lịch sử thay đổi" for the plan page ``here`` (a path of the page set).

    Every version of the plan file, from git, newest first, each linked to its text as it was
    (nothing is lost), the newest marked current and the others "phiên bản cũ". Commit subjects are
    not shown: they are the staff's notes (often in English, with internal codes), not the reader's.
    """
    lines = [f"## Lịch sử thay đổi ({len(versions)})", ""]
    if not versions:
        lines.append("Chưa có lịch sử thay đổi (trang này không được dựng từ kho git).")
        return "\n".join(lines) + "\n"
    lines += [
        "Trang này trình bày kế hoạch hiện hành. Các phiên bản dưới đây được giữ nguyên như đã công bố "
        "(tệp văn bản thuần, gồm cả phần thông tin ở đầu tệp) để đối chiếu; không dùng phiên bản cũ thay cho "
        "phiên bản hiện hành.",
        "",
        "| Ngày | Phiên bản | Văn bản |",
        "|---|---|---|",
    ]
    for n, v in enumerate(versions):
        target = posixpath.relpath(f"{DATA_DIR}/{version_file(plan_id, v.short)}", posixpath.dirname(here))
        # the commit subject is written by and for the site's staff (often in English): not shown
        which = "Mới nhất" if n == 0 else "Phiên bản cũ"
        lines.append(
            f"| {date_vi(v.date[:10])} | {which} | [Xem {which.lower()} ngày {date_vi(v.date[:10])}]({target}) |"
        )
    return "\n".join(lines) + "\n"
