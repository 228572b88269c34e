"""The plan form (``/quan-tri/``): Decap CMS's ``config.yml`` generated from ``schemas/`` and the page that loads it.

Clerks who have the signed plan and a browser, and no programmer, fill a form instead of YAML.
Every field the form shows comes from the model (:func:`congkhai.model.schemas.load_model`): the
plan fields that are not computed (``x-derived``) and each child table (issuers, signers,
recipients, tasks, citations, disclosures) as a list with its own fields, each with its
Vietnamese title as the label and its description as the help; vocabularies become choices with
their Vietnamese labels; ``required`` comes from the constraints; ``type: date`` fields are date
pickers that write ``YYYY-MM-DD``. Bodies (``units``), provinces and cited documents
(``directives``) are choices filled from the catalogues at build time, each list written once
in the file (a YAML anchor) however many fields use it, so the form never queries the catalogues
at run time and the file grows with the catalogues, not with the plans.

Why Decap CMS (vendored from npm, ``editor/package.json``): its ``local_backend`` with
``decap-server`` drives the form against a local git repository, so a real browser test can
create a plan through it; ``publish_mode: editorial_workflow`` with ``open_authoring`` turns each
change of a clerk without write access into a pull request from their fork; it ships a
Vietnamese interface (``locale: vi``). See ``docs/huong-dan/`` and the README.

The repository the form saves to is ``extra.editor_repo`` of ``mkdocs.yml`` (``owner/name``,
``GITHUB_REPOSITORY`` on GitHub Actions); pure function of the model, the catalogues and that.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from ..model.findings import REVIEW_MARK as CHECK_MARK
from ..model.schemas import Field, Model, Table

#: Where plans live, relative to the repository root (``docs/plans/<province>/<id>.md``).
PLANS_FOLDER = "docs/plans"
#: The form's collection of plans: its name is part of every editorial branch and form address.
COLLECTION = "plans"
#: Decap's editorial workflow: an entry in progress is the branch ``cms/<collection>/<slug>`` with
#: an open pull request carrying a status label (``decap-cms/draft``, ``…/pending_review``,
#: ``…/pending_publish``); decap-server keeps the label in the branch's git description.
EDITORIAL_PREFIX = "cms"
EDITORIAL_LABEL = "decap-cms/draft"
#: A plan's slug in the form: ``<province>/<id>``, each a lower-case ASCII slug (the path rule of
#: the collection below), so the branch and the address derived from it are never anything else.
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?")
#: The widget each Table Schema type is filled with (vocabularies and catalogues aside).
_WIDGETS = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "date": "datetime"}
#: Fields whose value is an id of a catalogue row: (table, field) → catalogue.
_CATALOGUE_FIELDS = {
    ("plans", "province"): "provinces",
    ("issuers", "unit"): "units",
    ("signers", "unit"): "units",
    ("tasks", "lead_units"): "units",
    ("tasks", "partner_units"): "units",
    ("citations", "directive"): "directives",
}
#: Fields the form requires though the schema does not, with why (added to the help). The plan's
#: folder is its province (``path`` above), and Decap has no default for an empty one: a plan
#: with no province (a central document) would be saved as ``docs/plans//<id>.md``.
_FORM_REQUIRED = {
    ("plans", "province"): "Biểu mẫu lưu kế hoạch vào thư mục của tỉnh nên phải chọn tỉnh; "
    "văn bản trung ương (không thuộc tỉnh nào) do người quản trị thêm."
}
#: Every choice (vocabulary or catalogue) uses Decap's select through :func:`choice_script`, which
#: also shows a value that is not among the choices instead of hiding it (and dropping it on the
#: next change): a body the importer proposed in the same pull request, or its "CẦN KIỂM TRA".
CHOICE_WIDGET = "chon"
_LABEL_MAX = 160  # a choice's label is cut here: a catalogue title may be a paragraph

Row = Mapping[str, Any]


def editor_config(
    model: Model,
    catalogues: Mapping[str, Sequence[Row]],
    *,
    repo: str = "",
    auth_url: str = "",
    branch: str = "main",
    local_backend: str | None = None,
) -> str:
    """The text of ``config.yml``. ``catalogues`` holds the rows of ``units``, ``provinces`` and
    ``directives``; ``local_backend`` (a ``decap-server`` URL) is for tests and local work only:
    the published form saves to ``repo`` on GitHub, signing in through the OAuth server
    ``auth_url`` (Decap's ``base_url``; when empty, Decap's default, Netlify's)."""
    options = {
        name: _catalogue_options(name, catalogues.get(name, ())) for name in ("units", "provinces", "directives")
    }
    config: dict[str, Any] = {}
    if local_backend:
        config["local_backend"] = {"url": local_backend}
    config["backend"] = {
        "name": "github",
        "repo": repo,
        "branch": branch,
        "open_authoring": True,  # a clerk without write access saves to a fork: a pull request
        **({"base_url": auth_url} if auth_url else {}),
        "commit_messages": {
            "create": "Thêm kế hoạch {{slug}} (biểu mẫu)",
            "update": "Sửa kế hoạch {{slug}} (biểu mẫu)",
            "delete": "Xóa {{slug}} (biểu mẫu)",
            "uploadMedia": "Tải lên {{path}} (biểu mẫu)",
            "deleteMedia": "Xóa {{path}} (biểu mẫu)",
            "openAuthoring": "{{message}}",
        },
    }
    config["publish_mode"] = "editorial_workflow"  # every change is a branch and a pull request
    config["locale"] = "vi"
    config["media_folder"] = PLANS_FOLDER
    config["public_folder"] = ""
    config["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    plan = model.plan_table
    fields = [_field(model, plan, f, options) for f in plan.frontmatter_fields]
    fields += [_list(model, t, options) for t in model.child_tables()]
    fields.append(
        {
            "label": "Nội dung văn bản",
            "name": "body",
            "widget": "markdown",
            "hint": "Chép nguyên văn nội dung văn bản; giữ các tiêu đề mục I, II, III như bản in.",
            "modes": ["raw"],  # the text as pasted: a rich-text round trip would rewrite footnotes and tables
            "required": False,
        }
    )
    config["collections"] = [
        {
            "name": COLLECTION,
            "label": "Kế hoạch",
            "label_singular": "kế hoạch",
            "description": "Mỗi kế hoạch là một tệp docs/plans/<mã tỉnh>/<mã kế hoạch>.md.",
            "folder": PLANS_FOLDER,
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            "delete": False,  # a published plan is withdrawn (status), never deleted
            "identifier_field": "id",
            "slug": "{{fields.id}}",
            "path": "{{province}}/{{slug}}",
            "summary": "{{fields.title}}",
            "media_folder": "",
            "public_folder": "",
            "editor": {"preview": False},  # the whole width for the form: a preview is not the site
            "fields": fields,
        }
    ]
    return "# Tệp sinh tự động từ schemas/ (congkhai/render/editor.py): đừng sửa tay.\n" + yaml.safe_dump(
        config, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False
    )


def entry_slug(path: str) -> str | None:
    """The form's slug of the plan file ``path`` (``docs/plans/<province>/<id>.md`` → ``<province>/<id>``),
    or None for any other path: the ``path`` template ``{{province}}/{{slug}}`` of the collection."""
    prefix = PLANS_FOLDER + "/"
    if not (path.startswith(prefix) and path.endswith(".md")):
        return None
    parts = path[len(prefix) : -len(".md")].split("/")
    if len(parts) != 2 or not all(_SLUG.fullmatch(p) for p in parts):
        return None
    return "/".join(parts)


def editorial_branch(path: str) -> str | None:
    """The branch where Decap's editorial workflow looks for the plan file ``path`` in progress
    (``cms/plans/<province>/<id>``): the import bot writes a draft there so that the form opens it."""
    slug = entry_slug(path)
    return f"{EDITORIAL_PREFIX}/{COLLECTION}/{slug}" if slug else None


def entry_address(path: str) -> str | None:
    """The form's address of the plan file ``path``, relative to the form page (``#/collections/…``)."""
    slug = entry_slug(path)
    return f"#/collections/{COLLECTION}/entries/{slug}" if slug else None


def _field(model: Model, table: Table, f: Field, options: Mapping[str, list[dict[str, str]]]) -> dict[str, Any]:
    out: dict[str, Any] = {"label": f.title, "name": f.name}
    constraints = f.descriptor.get("constraints", {})
    catalogue = _CATALOGUE_FIELDS.get((table.name, f.name))
    if catalogue:
        out["widget"] = CHOICE_WIDGET
        out["options"] = options[catalogue]  # the same list object: written once, then aliased
        if f.type == "list":
            out["multiple"] = True
    elif f.vocabulary:
        out["widget"] = CHOICE_WIDGET
        out["options"] = [
            {"label": str(labels.get("vi", code)), "value": code}
            for code, labels in model.vocabularies[f.vocabulary].values.items()
        ]
        if f.type == "list":
            out["multiple"] = True
    elif f.type == "list":
        out["widget"] = "list"  # a list of strings, one per line of the field
    elif f.type == "string" and f.descriptor.get("x-multiline"):
        out["widget"] = "text"
    else:
        out["widget"] = _WIDGETS.get(f.type, "string")
    if out["widget"] == "datetime":
        out.update({"format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False, "picker_utc": True})
    if out["widget"] == "number":
        out["value_type"] = "int" if f.type == "integer" else "float"
        if "minimum" in constraints:
            out["min"] = constraints["minimum"]
        if "maximum" in constraints:
            out["max"] = constraints["maximum"]
    if "pattern" in constraints and out["widget"] == "string":
        out["pattern"] = [f"^(?:{constraints['pattern']})$", f"Không đúng dạng: {f.description}".rstrip()]
    why = _FORM_REQUIRED.get((table.name, f.name))
    out["required"] = f.required or why is not None
    hint = " ".join(part for part in (f.description, why) if part)
    if hint:
        out["hint"] = hint
    return out


def _list(model: Model, table: Table, options: Mapping[str, list[dict[str, str]]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "label": table.title,
        "name": str(table.frontmatter_key),
        "widget": "list",
        "required": False,
        "allow_add": True,
        "collapsed": False,
        "add_to_top": False,
    }
    if table.scalar:  # a list of strings (recipients): one field, no mapping per item
        out["field"] = _field(model, table, table.field(table.scalar), options)
    else:
        out["fields"] = [_field(model, table, f, options) for f in table.frontmatter_fields]
        first = table.frontmatter_fields[0].name if table.frontmatter_fields else ""
        out["summary"] = "{{fields.%s}}" % ("text" if table.name == "tasks" else first)
    return out


def _catalogue_options(name: str, rows: Sequence[Row]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        rid = str(row.get("id") or "")
        if not rid:
            continue
        if name == "units":
            label = str(row.get("name") or rid)
        elif name == "provinces":
            label = str(row.get("name") or rid)
            if row.get("valid_until"):
                label += f" (đến {row['valid_until']})"
            elif row.get("valid_from"):
                label += f" (từ {row['valid_from']})"
        else:  # directives: number and symbol (or name), then the title
            head = str(row.get("number_symbol") or row.get("name") or rid)
            title = str(row.get("title") or "")
            label = f"{head}: {title}" if title and title != head else head
        label = " ".join(label.split())
        if len(label) > _LABEL_MAX:
            label = label[: _LABEL_MAX - 1].rstrip() + "…"
        out.append({"label": label, "value": rid})
    return out


#: Decap CMS's Vietnamese interface (``decap-cms-locales`` ``vi``) leaves these phrases in English
#: or garbled; :func:`locale_script` registers them over it. Keys as in Decap's ``en`` locale.
LOCALE_PATCH: dict[str, Any] = {
    "editor": {
        "editorToolbar": {
            "status": "Tình trạng: %{status}",
            "statusInfoTooltipDraft": "Mục đang là bản nháp. Khi xong, chọn tình trạng 'Đang xét duyệt' để gửi duyệt.",
            "statusInfoTooltipInReview": "Mục đang được xét duyệt; vẫn có thể sửa thêm trong lúc chờ.",
        },
        "editorInterface": {"togglePreview": "Bật, tắt xem trước", "toggleScrollSync": "Cuộn cùng nhau"},
        "editorControl": {"field": {"widgetLabel": "Trường %{widgetLabel}"}},
        "editorWidgets": {
            "list": {"add": "Thêm %{item}", "addType": "Thêm %{item}"},
            "object": {"expand": "Mở ra", "collapse": "Thu gọn"},
            "datetime": {"setToNow": "Đặt %{fieldLabel} là hôm nay"},
            "markdown": {
                "bold": "Chữ đậm",
                "italic": "Chữ nghiêng",
                "strikethrough": "Gạch ngang",
                "code": "Mã",
                "link": "Liên kết",
                "linkPrompt": "Nhập địa chỉ của liên kết",
                "headings": "Tiêu đề",
                "quote": "Trích dẫn",
                "bulletedList": "Danh sách gạch đầu dòng",
                "numberedList": "Danh sách đánh số",
                "addComponent": "Thêm thành phần",
                "toggleMode": {"rich": "Chuyển sang văn bản định dạng", "markdown": "Chuyển sang Markdown"},
            },
        },
    },
    # the editorial workflow's cards: "D MMMM" printed "6 December" (Decap's dates are English);
    # a Vietnamese reader writes the day and month as numbers
    "workflow": {"workflow": {"dateFormat": "DD/MM/YYYY"}},
    "collection": {
        "entries": {"unpublishedHeader": "Mục chưa công bố"},
        "collectionTop": {"viewAsList": "Xem dạng danh sách", "viewAsGrid": "Xem dạng lưới", "groupBy": "Nhóm theo"},
        "groups": {"other": "Khác", "negateLabel": "Không %{label}"},
    },
    "ui": {"settingsDropdown": {"account": "Tài khoản"}},
    "mediaLibrary": {"mediaLibraryModal": {"close": "Đóng"}},
}


def locale_script() -> str:
    """``vi.js``: registers :data:`LOCALE_PATCH` over Decap's Vietnamese phrases before it starts."""
    patch = json.dumps(LOCALE_PATCH, ensure_ascii=False, sort_keys=True, indent=1)
    return (
        "// Tệp sinh tự động (congkhai/render/editor.py): bổ sung lời tiếng Việt cho Decap CMS.\n"
        "(function () {\n"
        "  var cms = window.CMS;\n"
        "  if (!cms || !cms.registerLocale) return;\n"
        "  function merge(base, add) {\n"
        "    var out = {}, k;\n"
        "    for (k in base) out[k] = base[k];\n"
        "    for (k in add) out[k] = add[k] && typeof add[k] === 'object' ? merge(base && base[k] || {}, add[k]) : add[k];\n"
        "    return out;\n"
        "  }\n"
        f"  cms.registerLocale('vi', merge((cms.getLocale && cms.getLocale('vi')) || {{}}, {patch}));\n"
        "})();\n"
    )


def choice_script() -> str:
    """``chon.js``: the ``chon`` widget — Decap's own select, given one more choice for each value
    the entry holds that the choices lack, labelled for what it is. The form's choices come from the
    catalogues as published; a draft's new bodies and documents are rows of its own pull request
    (the importer proposes them), so without this the form would show their fields empty."""
    labels = json.dumps(
        {"check": "{v} — hãy chọn trong danh sách", "new": "{v} (mới: chưa có trong danh mục đã công bố)"},
        ensure_ascii=False,
    )
    return (
        "// Tệp sinh tự động (congkhai/render/editor.py): ô chọn giữ cả giá trị chưa có trong danh mục.\n"
        "(function () {\n"
        "  var cms = window.CMS, h = window.h, createClass = window.createClass;\n"
        "  if (!cms || !cms.getWidget || !h || !createClass) return;\n"
        "  var select = cms.getWidget('select');\n"
        f"  var LABELS = {labels};\n"
        f"  var CHECK = {json.dumps(CHECK_MARK, ensure_ascii=False)};\n"
        "  function plain(value) { return value && value.toJS ? value.toJS() : value; }\n"
        "  var Control = createClass({\n"
        "    render: function () {\n"
        "      var field = this.props.field, options = field.get('options');\n"
        "      var held = plain(this.props.value), known = {};\n"
        "      held = Array.isArray(held) ? held : (held === null || held === undefined || held === '' ? [] : [held]);\n"
        "      options.forEach(function (o) { known[o && o.get ? o.get('value') : o] = true; });\n"
        "      var first = options.first && options.first();\n"
        "      function add(v, label) {\n"
        "        if (known[v] || !first || !first.set) return;\n"
        "        known[v] = true;\n"
        "        options = options.push(first.set('label', label.replace('{v}', v)).set('value', v));\n"
        "      }\n"
        "      held.forEach(function (v) {\n"
        "        if (typeof v !== 'string') return;\n"
        "        if (v.indexOf(CHECK) !== 0) return add(v, LABELS['new']);\n"
        "        add(v, LABELS.check);\n"
        "        var guess = v.slice(CHECK.length).replace(/^[:\\s]+/, '');\n"
        "        if (guess) add(guess, LABELS['new']);  // the importer's unsure guess, offered to confirm\n"
        "      });\n"
        "      return h(select.control, Object.assign({}, this.props, { field: field.set('options', options) }));\n"
        "    }\n"
        "  });\n"
        f"  cms.registerWidget({json.dumps(CHOICE_WIDGET)}, Control, select.preview);\n"
        "})();\n"
    )


def _head(description: str) -> str:
    """The opening of both pages of ``quan-tri/``: Vietnamese, for phones, kept out of search engines."""
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="description" content="{html.escape(description)}">
<title>Biểu mẫu kế hoạch — Công khai</title>
"""


def editor_page() -> str:
    """The page that loads the vendored Decap CMS (``decap-cms.js`` beside it) and ``config.yml``."""
    return (
        _head(
            "Biểu mẫu cho cán bộ nhập một kế hoạch mới hoặc sửa kế hoạch đã có; mỗi thay đổi thành một yêu cầu hợp "
            "nhất để kiểm tra."
        )
        + """<link href="config.yml" type="text/yaml" rel="cms-config-url">
<style>
/* Decap CMS sets its editor and toolbar at least 800 px wide: on a phone the form scrolled sideways. */
@media (max-width: 800px) {
  [class*="-EditorContainer"], [class*="-ToolbarContainer"] { min-width: 0 !important; }
  [class*="-ToolbarContainer"] { flex-wrap: wrap; height: auto !important; }
}
</style>
</head>
<body>
<noscript>Biểu mẫu cần JavaScript: hãy bật JavaScript trong trình duyệt.</noscript>
<script src="decap-cms.js"></script>
<script src="vi.js"></script>
<script src="chon.js"></script>
</body>
</html>
"""
    )


def missing_page() -> str:
    """The page published instead when the build had no vendored Decap CMS (``make editor-deps``)."""
    return (
        _head("Bản dựng này chưa có biểu mẫu nhập kế hoạch cho cán bộ.")
        + """</head>
<body>
<main>
<h1>Biểu mẫu kế hoạch chưa được cài</h1>
<p>Bản dựng này không có biểu mẫu nhập kế hoạch. Người quản trị chạy <code>make editor-deps</code> (cần Node.js và npm) rồi dựng lại trang.</p>
</main>
</body>
</html>
"""
    )
