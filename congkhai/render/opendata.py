"""The open-data pages: the data dictionary, the "Dữ liệu mở" page and the "what changed"
summary. The files they describe are written by ``datasets`` (the tables), ``workbook`` (the Excel
workbook and CSV copies) and ``sqlitedb`` (the SQLite database for Datasette).

Everything here is pure and deterministic: the same rows give the same bytes and the same text,
so two builds of the same sources publish identical files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import quote

from ..model import csvfile, licence, rowdiff
from ..model.schemas import Field, Model, Table
from ..model.sitemap import EXCEL_DIR, SQLITE, SQLITE_METADATA, WORKBOOK
from ..read.records import Row
from ..vietnamese.text import date_vi
from .markdown import esc, front_matter
from .markdown import table as md_table
from .sink import Files, size_of
from .sqlitedb import FTS, FTS_TABLE, FTS_WEIGHTS
from .workbook import DICTIONARY_SHEET

SQLITE_NAME = SQLITE
DATASETTE_LITE = "https://lite.datasette.io/"
PUBLISHER = "Công khai"
NO_DAY = "không rõ"  # a release date the data page cannot tell


FORMULA_ANCHOR = "o-bat-dau-bang-dau-cong-thuc"
_FORMULA_MD = {
    "vi": (
        "Các tệp CSV chuẩn (`/data/<bảng>.csv`, mô tả trong `datapackage.json`) giữ nguyên giá trị như bản in: "
        "một ô văn bản (kiểu “văn bản” hay “danh sách”) có thể bắt đầu bằng `=`, `+`, `-`, `@` — kể cả sau "
        "khoảng trắng, dấu tab, xuống dòng, hoặc ở dạng toàn khổ `＝` `＋` `－` `＠`. Khi nhập vào chương "
        "trình hay bảng tính, hãy nhập các cột đó dưới dạng văn bản, không phải công thức (pandas: "
        "`dtype=str`; LibreOffice, Excel: kiểu cột “Văn bản”). Bản cho Excel (`excel/<bảng>.csv`) và tệp "
        "nhiệm vụ của từng kế hoạch (`ke-hoach/<mã>-nhiem-vu.csv`) thêm dấu `'` ở đầu những ô đó để bảng "
        "tính không chạy chúng như công thức; bỏ dấu `'` đầu tiên là được giá trị gốc. Cột số, ngày và "
        "đúng/sai không bị thay đổi, nên số âm vẫn là số."
    ),
    "en": (
        "The canonical CSV files (`/data/<table>.csv`, described by `datapackage.json`) keep every value as "
        "printed: a text cell (type “text” or “list”) may start with `=`, `+`, `-`, `@` — also after spaces, "
        "a tab or a line break, or as the full-width `＝` `＋` `－` `＠`. Import those columns as text, never "
        "as formulas (pandas: `dtype=str`; LibreOffice, Excel: column type “Text”). The Excel copies "
        "(`excel/<table>.csv`) and each plan's task file (`ke-hoach/<id>-nhiem-vu.csv`) prefix such cells "
        "with an apostrophe `'` so that a spreadsheet does not run them as formulas; drop the first `'` to "
        "get the value back. Number, date and boolean columns are never changed, so a negative number stays "
        "a number."
    ),
}


def formula_note_md(lang: str = "vi") -> str:
    """Why some cells of the spreadsheet copies start with ``'`` and how to import the canonical
    CSVs safely: both languages, ``lang`` first (the other in italics)."""
    other = "en" if lang == "vi" else "vi"
    return f"{_FORMULA_MD[lang]}\n\n*{_FORMULA_MD[other]}*\n"


# --- Data dictionary ---------------------------------------------------------------------------

_TYPES = {
    "string": ("văn bản", "text"),
    "integer": ("số nguyên", "integer"),
    "number": ("số", "number"),
    "boolean": ("đúng/sai (true/false)", "boolean (true/false)"),
    "date": ("ngày (YYYY-MM-DD)", "date (YYYY-MM-DD)"),
    "list": ("danh sách, cách nhau bởi ;", "list separated by ;"),
}


def _pick(lang: str, vi: str, en: str) -> str:
    """Both languages, the chosen one first and the other in parentheses."""
    first, second = (vi, en) if lang == "vi" else (en, vi)
    return f"{first} ({second})" if second and second != first else first


def _row_source(table: Table, lang: str) -> str:
    if table.rows == "plans":
        vi, en = "một dòng cho mỗi tệp kế hoạch trong `docs/plans/`", "one row per plan file in `docs/plans/`"
    elif table.frontmatter_key:
        key = table.frontmatter_key
        vi = f"danh sách `{key}` trong phần đầu (front matter) của mỗi kế hoạch"
        en = f"the `{key}` list in each plan's front matter"
    elif table.reference_path:
        vi = f"bảng tham chiếu `{table.reference_path}` trong kho mã nguồn"
        en = f"the reference table `{table.reference_path}` in the repository"
    else:
        vi, en = "tính tự động khi dựng trang", "computed by the build"
    return _pick(lang, vi, en)


def _vocab_anchor(name: str) -> str:
    return "danh-muc-" + name.replace("_", "-")


def _constraints(f: Field, lang: str) -> list[str]:
    c = f.descriptor.get("constraints", {})
    words = {
        "unique": ("duy nhất", "unique"),
        "pattern": ("mẫu", "pattern"),
        "minLength": ("dài tối thiểu", "min length"),
        "maxLength": ("dài tối đa", "max length"),
        "minimum": ("nhỏ nhất", "minimum"),
        "maximum": ("lớn nhất", "maximum"),
    }
    out = []
    for key, (vi, en) in words.items():
        if key not in c:
            continue
        word = vi if lang == "vi" else en
        if key == "unique":
            if c[key]:
                out.append(word)
        elif key == "pattern":
            out.append(f"{word} `{c[key]}`")
        else:
            out.append(f"{word} {c[key]}")
    return out


def data_dictionary_md(model: Model, lang: str = "vi", heading: int = 2) -> str:
    """The data dictionary as Markdown, from ``schemas/``: every table and field, and every
    vocabulary with its Vietnamese and English labels. ``lang`` picks the language shown first."""
    h = "#" * heading
    yes, no = ("có", "không") if lang == "vi" else ("yes", "no")
    head = (
        ["Trường", "Kiểu", "Bắt buộc", "Tên (English)", "Mô tả (English)", "Giá trị, ràng buộc"]
        if lang == "vi"
        else ["Field", "Type", "Required", "Title (Tiếng Việt)", "Description (Tiếng Việt)", "Values, constraints"]
    )
    out: list[str] = [
        f"{h} {_pick(lang, 'Ô bắt đầu bằng dấu công thức', 'Cells starting with a formula sign')} "
        f"{{#{FORMULA_ANCHOR}}}",
        "",
        formula_note_md(lang),
    ]
    for table in model.tables.values():
        out += [f"{h} `{table.name}` — {esc(_pick(lang, table.title, table.title_en))}", ""]
        facts = [
            f"- **{_pick(lang, 'Tệp', 'File')}:** `/data/{table.name}.csv`",
            f"- **{_pick(lang, 'Nguồn dòng', 'Rows from')}:** {_row_source(table, lang)}",
            f"- **{_pick(lang, 'Khóa chính', 'Primary key')}:** "
            + (", ".join(f"`{k}`" for k in table.primary_key) or "—"),
        ]
        fks = [
            f"({', '.join(f'`{k}`' for k in fk['fields'])}) → `{fk['reference']['resource'] or table.name}`"
            f"({', '.join(f'`{k}`' for k in fk['reference']['fields'])})"
            for fk in table.foreign_keys
        ]
        facts.append(f"- **{_pick(lang, 'Khóa ngoại', 'Foreign keys')}:** " + ("; ".join(fks) or "—"))
        out += facts + [""]
        rows = []
        for f in table.fields:
            ftype = _TYPES.get(f.type, (f.type, f.type))
            values = []
            if f.vocabulary:
                vocab = model.vocabularies[f.vocabulary]
                label = _pick(lang, vocab.title.get("vi", vocab.name), vocab.title.get("en", vocab.name))
                values.append(
                    f"{'danh mục' if lang == 'vi' else 'vocabulary'} [{esc(label)}](#{_vocab_anchor(vocab.name)}): "
                    + ", ".join(f"`{code}`" for code in vocab.values)
                )
            values += _constraints(f, lang)
            if f.derived:
                values.append("tính tự động" if lang == "vi" else "computed")
            rows.append(
                [
                    f"`{f.name}`",
                    esc(ftype[0] if lang == "vi" else ftype[1]),
                    yes if f.required else no,
                    esc(_pick(lang, f.title, f.title_en)),
                    esc(f.description if lang == "vi" else f.description_en)
                    + (
                        f" ({esc(f.description_en if lang == 'vi' else f.description)})"
                        if f.description_en and f.description
                        else ""
                    ),
                    "; ".join(values),
                ]
            )
        out += [md_table(head, rows), ""]
    out += [f"{h} {_pick(lang, 'Danh mục giá trị', 'Vocabularies')}", ""]
    for vocab in model.vocabularies.values():
        title = _pick(lang, vocab.title.get("vi", vocab.name), vocab.title.get("en", vocab.name))
        out += [f"{h}# {esc(title)} {{#{_vocab_anchor(vocab.name)}}}", ""]
        used = [f"`{t.name}.{f.name}`" for t in model.tables.values() for f in t.fields if f.vocabulary == vocab.name]
        if used:
            out += [f"{_pick(lang, 'Dùng ở', 'Used by')}: {', '.join(used)}", ""]
        header = ["Mã", "Tiếng Việt", "English"] if lang == "vi" else ["Code", "English", "Tiếng Việt"]
        out += [
            md_table(
                header,
                [
                    [f"`{code}`", esc(labels.get("vi", code)), esc(labels.get("en", ""))]
                    if lang == "vi"
                    else [f"`{code}`", esc(labels.get("en", "")), esc(labels.get("vi", code))]
                    for code, labels in vocab.values.items()
                ],
            ),
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def dictionary_page(model: Model) -> str:
    """``data/tu-dien.md``: the data dictionary as a page of its own."""
    return (
        front_matter({"title": "Từ điển dữ liệu"}) + "\n# Từ điển dữ liệu\n\n"
        "Mô tả từng bảng và từng cột của [dữ liệu mở](index.md), sinh tự động từ lược đồ trong `schemas/` "
        "(Frictionless Table Schema). Tên và mô tả tiếng Anh ở trong ngoặc đơn.\n\n"
        "*Data dictionary of the open datasets, generated from the schemas; English in parentheses.*\n\n"
        + data_dictionary_md(model, "vi")
    )


# --- The open-data page ------------------------------------------------------------------------


def human_size(n: int) -> str:
    """Bytes in Vietnamese notation: ``980 byte``, ``12,3 KB``, ``4,1 MB`` (1 KB = 1024 byte)."""
    if n < 1024:
        return f"{n} byte"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        if n < scale * 1024 or unit == "GB":
            return f"{n / scale:.1f}".replace(".", ",") + f" {unit}"
    raise AssertionError  # unreachable


def _absolute(site_url: str | None, name: str) -> str | None:
    return site_url.rstrip("/") + "/data/" + name if site_url else None


def _stable(site_url: str | None, name: str) -> str:
    return _absolute(site_url, name) or "/data/" + name


def _datasette_link(site_url: str | None, name: str) -> str:
    absolute = _absolute(site_url, name)
    if absolute:
        return f"[Mở bằng Datasette Lite]({DATASETTE_LITE}?csv={quote(absolute, safe='')})"
    # Without a known site address the page fills the link from its own location (see _SCRIPT).
    return f'[Mở bằng Datasette Lite]({DATASETTE_LITE}){{ .datasette-lite data-csv="{quote(name)}" }}'


_SCRIPT = """<script>
document.querySelectorAll("a.datasette-lite[data-csv]").forEach(function (a) {
  var csv = new URL(a.getAttribute("data-csv"), location.href).href;
  a.href = "https://lite.datasette.io/?csv=" + encodeURIComponent(csv);
});
</script>"""


def _modified(files: Files) -> str | None:
    descriptor = files.get("datapackage.json")
    if not isinstance(descriptor, bytes | str):  # absent, or only its size and checksum kept
        return None
    try:
        value = json.loads(descriptor).get("modified")
    except ValueError:
        return None
    return str(value) if value else None


def _file_link(files: Files, name: str, label: str | None = None) -> str:
    if name not in files:
        return "—"
    return f"[{esc(label or name)}]({quote(name)}) ({human_size(size_of(files[name]))})"


def data_page(model: Model, rows: dict[str, list[Row]], files: Files, changes_md: str, site_url: str | None) -> str:
    """``data/index.md``: every dataset with size, rows, formats and stable address; Datasette
    Lite links; terms of use; how to cite; a link to the data dictionary; what changed.

    ``files`` holds the published files by their name under ``/data/``: ``<table>.csv``,
    ``excel/<table>.csv``, ``cong-khai.sqlite``, ``cong-khai.json``, ``datapackage.json`` — their
    bytes or, once written, their size (:class:`.sink.Stored`); ``datapackage.json`` as bytes (its
    date is read)."""
    meta = model.package
    terms = licence.terms(meta)
    modified = _modified(files)
    out = [
        front_matter({"title": "Dữ liệu mở"}),
        "# Dữ liệu mở\n",
        esc(meta["description"].strip()) + "\n",
        "Mọi tệp được sinh tự động từ các kế hoạch đã kiểm tra, mỗi lần dựng trang; địa chỉ tệp cố định "
        "(`/data/<tệp>`) nên có thể liên kết hoặc tải tự động. Ý nghĩa từng cột ở "
        "[Từ điển dữ liệu](tu-dien.md).\n",
        "## Các bảng dữ liệu\n",
        "Mỗi bảng có bản CSV chuẩn cho chương trình và bản CSV cho Excel. Để mở trong bảng tính, nên dùng "
        f"[tệp Excel `{WORKBOOK}`](#tep-excel): ngày là ngày, số là số, mã giữ nguyên số 0 ở đầu.\n",
        "- **CSV chuẩn** (`/data/<bảng>.csv`): UTF-8 không BOM, phân cách bằng dấu phẩy `,`, theo RFC 4180 — "
        "cho pandas, R, frictionless và các công cụ đọc CSV.",
        "- **CSV cho Excel** (`/data/excel/<bảng>.csv`, và tệp “CSV nhiệm vụ” của từng kế hoạch): UTF-8 có BOM "
        "để Excel hiển thị đúng tiếng Việt, phân cách bằng dấu chấm phẩy `;` vì Windows cài đặt vùng Việt Nam "
        "dùng dấu phẩy cho số thập phân và dấu chấm phẩy làm dấu phân cách danh sách — Excel tách cột theo dấu "
        "đó khi mở tệp CSV. Máy đặt vùng khác (ví dụ Hoa Kỳ) hoặc LibreOffice: chọn “Dữ liệu → Từ văn bản/CSV” "
        "(LibreOffice: hộp thoại nhập), bảng mã UTF-8, dấu phân cách `;`. Excel vẫn bỏ số 0 ở đầu mã khi mở CSV; "
        f"tệp Excel `{WORKBOOK}` không có các vấn đề này. Ô có thể bị coi là công thức được thêm dấu `'` ở đầu, "
        f"xem [bên dưới](#{FORMULA_ANCHOR}).\n",
    ]
    table_rows = []
    for t in model.tables.values():
        name = f"{t.name}.csv"
        table_rows.append(
            [
                f"**{esc(t.title)}**<br>`{t.name}`",
                f"{len(rows.get(t.name, [])):,}".replace(",", "."),
                _file_link(files, name, "CSV"),
                _file_link(files, f"{EXCEL_DIR}/{name}", "Excel CSV"),
                f"`{_stable(site_url, name)}`",
                _datasette_link(site_url, name) if name in files else "—",
            ]
        )
    out += [md_table(["Bảng", "Số dòng", "CSV", "Excel", "Địa chỉ cố định", "Truy vấn SQL"], table_rows), ""]
    out += [f"### Ô bắt đầu bằng `=`, `+`, `-`, `@` {{#{FORMULA_ANCHOR}}}\n", formula_note_md("vi")]
    out += ["## Toàn bộ dữ liệu trong một tệp\n"]
    whole = [
        ("datapackage.json", "Mô tả gói dữ liệu (Frictionless Data Package): lược đồ, khóa, mã băm từng tệp"),
        ("cong-khai.json", "Mọi bảng trong một tệp JSON"),
        (
            WORKBOOK,
            "Mọi bảng trong một tệp Excel, mỗi bảng một trang tính, kèm từ điển dữ liệu ([xem dưới](#tep-excel))",
        ),
        ("catalog.jsonld", "Danh mục dữ liệu (DCAT, JSON-LD) cho cổng dữ liệu mở và máy tìm kiếm dữ liệu"),
        (
            SQLITE_NAME,
            "Cơ sở dữ liệu SQLite: mọi bảng có kiểu cột, khóa chính, khóa ngoại; cột danh sách là mảng JSON; "
            "chỉ mục toàn văn "
            + ", ".join(f"`{t}_fts`" for t in FTS)
            + " tìm được cả khi gõ không dấu; các khung nhìn trả lời câu hỏi thường gặp",
        ),
        (SQLITE_METADATA, "Mô tả cơ sở dữ liệu cho Datasette: tiêu đề, điều khoản, nguồn, ý nghĩa từng cột"),
    ]
    out += [
        md_table(
            ["Tệp", "Nội dung", "Địa chỉ cố định"],
            [[_file_link(files, n), d, f"`{_stable(site_url, n)}`"] for n, d in whole if n in files],
        ),
        "",
    ]
    if SQLITE_NAME in files:
        out += [
            "### Cơ sở dữ liệu SQLite {#sqlite}\n",
            "Tìm kế hoạch trong SQLite, có dấu hay không dấu (`dan van kheo`, `dang uy`), "
            "hoặc theo số, ký hiệu (đặt trong ngoặc kép):\n",
            "```sql",
            "SELECT p.id, p.number_symbol, p.title",
            f"FROM {FTS_TABLE} JOIN plans p ON p.rowid = {FTS_TABLE}.rowid",
            f"WHERE {FTS_TABLE} MATCH 'dan van kheo'   -- hoặc '\"72-KHPH/KDV-UBND\"'",
            f"ORDER BY bm25({FTS_TABLE}, {', '.join(str(w) for w in FTS_WEIGHTS)});",
            "```\n",
            "Với [Datasette](https://datasette.io/): `datasette cong-khai.sqlite -m cong-khai.metadata.json`, "
            "rồi tìm ngay trên bảng (`/cong-khai/plans?_search=dan van`, cũng với `tasks` và `directives`), "
            "đếm theo chủ đề (`?_facet_array=topics`), hay mở các khung nhìn `plans_by_province_year` "
            "(kế hoạch theo tỉnh và năm), `overdue_tasks` (nhiệm vụ quá hạn), `most_cited_documents` "
            "(văn bản được trích dẫn nhiều nhất).\n",
        ]
    if WORKBOOK in files:
        out += [
            "### Tệp Excel {#tep-excel}\n",
            f"{_file_link(files, WORKBOOK)} — mỗi bảng một trang tính (tên trang là tên bảng), thêm trang "
            f"“{DICTIONARY_SHEET}”. Hai dòng tiêu đề: dòng 1 là tên cột tiếng Việt, dòng 2 là tên trường như "
            "trong CSV và SQLite (để viết công thức, lọc, hay đọc bằng chương trình: pandas "
            "`read_excel(..., header=1)`). Ngày là ô ngày (dd/mm/yyyy), số là ô số, mã và văn bản là ô văn bản "
            "(giữ số 0 ở đầu, không bao giờ là công thức); danh sách nối bằng `; `. Dòng tiêu đề được cố định, "
            f"có bộ lọc. Địa chỉ cố định: `{_stable(site_url, WORKBOOK)}`.\n",
        ]
    if not site_url:
        out += [_SCRIPT, ""]
    out += [
        f"## Điều khoản sử dụng {{#{terms.anchor}}}\n",
        esc(terms.vi) + "\n",
        f"*Căn cứ: {esc(terms.citation)}.*\n",
        f"**So với giấy phép chuẩn {esc(terms.nearest)}:** {esc(terms.differs_vi)}\n",
        f"*Terms of use: {esc(terms.en)}*\n",
        f"*Compared with {esc(terms.nearest)}: {esc(terms.differs_en)}*\n",
        "## Cách trích dẫn\n",
        "Khi sử dụng dữ liệu, xin ghi nguồn như sau:\n",
        f"> {PUBLISHER} ({modified[:4] if modified else 'không rõ năm'}). *{esc(meta['title'])}*. "
        f"Bộ dữ liệu, cập nhật ngày {date_vi(modified, NO_DAY, day_only=True)}. {_stable(site_url, '')}\n",
        "## Từ điển dữ liệu\n",
        "Tên, kiểu, ý nghĩa và giá trị cho phép của từng cột trong mọi bảng: xem [Từ điển dữ liệu](tu-dien.md).\n",
        "## Thay đổi so với bản phát hành trước {#thay-doi}\n",
        changes_md.strip() + "\n",
    ]
    return "\n".join(out).rstrip("\n") + "\n"


# --- What changed ------------------------------------------------------------------------------

MAX_LISTED = 20


def _read_csv(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    return csvfile.read_rows(data, bom=True)


def _listed(items: list[str]) -> list[str]:
    out = [f"  - {i}" for i in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        out.append(f"  - … và {len(items) - MAX_LISTED} dòng khác")
    return out


def _show(table: Table, k: tuple[str, ...], row: rowdiff.Row) -> str:
    label = ", ".join(f"`{esc(v)}`" for v in k)
    title = row.get("title") if table.name == "plans" else None
    return label + (f" — {esc(title)}" if title else "")


def _table_changes(
    table: Table, old_files: Mapping[str, bytes], new_files: Mapping[str, bytes]
) -> tuple[list[str], list[str]] | None:
    """(summary row, detail lines) for one table, or None when it did not change."""
    name = f"{table.name}.csv"
    old_cols, old_rows = _read_csv(old_files[name]) if name in old_files else ([], [])
    new_cols, new_rows = _read_csv(new_files[name]) if name in new_files else ([], [])
    pk = list(table.primary_key) or new_cols[:1]
    # every column of either side: a column added or dropped since then changes every row
    columns = new_cols + [c for c in old_cols if c not in new_cols]
    rd = rowdiff.compare(old_rows, new_rows, pk, columns, order=None, number_duplicates=False)
    added, removed, old, new = rd.added, rd.removed, rd.old, rd.new
    changed = [k for k, _ in rd.changed]
    cols_added = [c for c in new_cols if c not in old_cols]
    cols_removed = [c for c in old_cols if c not in new_cols]
    if not (added or removed or changed or cols_added or cols_removed):
        return None
    summary = [f"`{table.name}` ({esc(table.title)})", str(len(added)), str(len(removed)), str(len(changed))]
    lines = [f"### `{table.name}`", ""]
    if cols_added:
        lines.append("- Cột mới: " + ", ".join(f"`{c}`" for c in cols_added))
    if cols_removed:
        lines.append("- Cột bỏ: " + ", ".join(f"`{c}`" for c in cols_removed))
    if added:
        lines += [f"- Thêm {len(added)} dòng:", *_listed([_show(table, k, new[k]) for k in added])]
    if removed:
        lines += [f"- Bớt {len(removed)} dòng:", *_listed([_show(table, k, old[k]) for k in removed])]
    if changed:
        items = []
        for k, fields in rd.changed:
            names = {f.field for f in fields}
            cols = [c for c in new_cols if c in old[k] and c in names]  # not the columns new since then
            items.append(_show(table, k, new[k]) + (" (cột " + ", ".join(f"`{c}`" for c in cols) + ")" if cols else ""))
        lines += [f"- Sửa {len(changed)} dòng:", *_listed(items)]
    return summary, lines + [""]


def changes(
    old_files: Mapping[str, bytes] | None, new_files: Mapping[str, bytes], model: Model, release: str | None = None
) -> str:
    """What changed versus the previous published release (``old_files``: its data files by name,
    rebuilt from git by :mod:`congkhai.publish.release`; ``release``: its tag): the versions
    compared, and per table the rows added, removed and changed, matched by primary key.
    ``new_files`` are the files of ``datasets.render``."""
    if old_files is None or "datapackage.json" not in old_files:
        return "Chưa có bản phát hành trước để so sánh: đây là lần công bố đầu tiên.\n"
    out: list[str] = []
    try:
        old_meta = json.loads(old_files["datapackage.json"])
    except ValueError:
        old_meta = {}
    try:
        new_meta = json.loads(new_files["datapackage.json"])
    except (KeyError, ValueError):
        new_meta = {}
    old_modified, new_modified = old_meta.get("modified"), new_meta.get("modified")
    old_version, new_version = old_meta.get("version"), new_meta.get("version")
    where = f"bản phát hành `{esc(release)}`" if release else "bản phát hành trước"
    versions = ""
    if old_version or new_version:
        versions = f" Phiên bản {esc(str(old_version or '—'))} → {esc(str(new_version or '—'))}."
    if old_modified or new_modified:
        old_day, new_day = (date_vi(m, NO_DAY, day_only=True) for m in (old_modified, new_modified))
        out += [f"So với {where}, dữ liệu ngày {old_day} (bản này: {new_day}).{versions}", ""]
    else:
        out += [f"So với {where}.{versions}", ""]
    found = [c for t in model.tables.values() if (c := _table_changes(t, old_files, new_files))]
    if not found:
        return "\n".join(out + ["Dữ liệu không thay đổi so với bản phát hành trước."]) + "\n"
    out += [md_table(["Bảng", "Thêm", "Bớt", "Sửa"], [s for s, _ in found]), ""]
    for _, lines in found:
        out += lines
    return "\n".join(out).rstrip("\n") + "\n"
