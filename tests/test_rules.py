"""Rules beyond the Table Schema (congkhai/checks/rules.py): URLs that may be published as links."""

from __future__ import annotations

import pytest

from congkhai.checks.rules import check_urls, web_url
from congkhai.model.schemas import load_model
from congkhai.read.records import Origin, Tables

REFUSED = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://x",
    "//evil/x",
    "https:/no-host",
    "https://",
    "https:\\\\evil.example\\x",
    "https://vbpl.vn/a b",
    "https://vbpl.vn/\x07",
    "https://[::1",
]
ACCEPTED = ["https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=1", "http://caoloc.langson.gov.vn/", "HTTPS://VBPL.VN"]


@pytest.mark.parametrize("value", REFUSED)
def test_only_http_urls_with_a_host(value):
    assert not web_url(value)


@pytest.mark.parametrize("value", ACCEPTED)
def test_http_urls_accepted(value):
    assert web_url(value)


def test_every_uri_field_of_every_table_is_checked():
    """The fields come from the schemas' ``format: uri``, not from a list kept here."""
    model = load_model()
    tables = Tables({}, {}, [])
    uri_fields = {}
    for table in model.tables.values():
        for f in table.fields:
            if f.descriptor.get("format") == "uri":
                uri_fields[table.name] = f.name
                tables.add(table.name, {f.name: "javascript:alert(1)"}, Origin(f"{table.name}.csv", line=2))
    assert {"plans", "directives", "task_updates"} <= set(uri_fields)
    found = {(f.file, f.field, f.code) for f in check_urls(model, tables)}
    assert found == {(f"{t}.csv", name, "invalid-url") for t, name in uri_fields.items()}


def test_appendix_sections_are_sections():
    # the importer numbers the tasks of an appendix's table "PL.1", "PLI.II.3"
    import re

    from congkhai.checks.rules import SECTION

    field = next(f for f in load_model().tables["tasks"].fields if f.name == "section")
    pattern = field.descriptor["constraints"]["pattern"]
    for ok in ("II.1", "III.2.a", "PL.1", "PLI.II.3", "PL2.1"):
        assert re.fullmatch(pattern, ok) and SECTION.fullmatch(ok), ok
    assert SECTION.fullmatch("PLI")  # a citation in appendix I
    for bad in ("PL", "A.1", "PL I.1", "PLI.ii"):
        assert not re.fullmatch(pattern, bad), bad


def test_every_number_format_reason_reads_in_vietnamese():
    """A clerk's report never says 'has Số prefix': each reason validate_number_symbol can give has
    its Vietnamese text (read from the function's own return statements)."""
    import inspect
    import re

    from congkhai.checks.rules import NUMBER_REASONS_VI
    from congkhai.vietnamese.numbers import validate_number_symbol

    reasons = set(re.findall(r'return "([^"]+)"', inspect.getsource(validate_number_symbol)))
    assert reasons and reasons <= set(NUMBER_REASONS_VI), sorted(reasons - set(NUMBER_REASONS_VI))


def test_candidates_for_an_unknown_id():
    """Up to three existing ids nearest an unknown one: accents and invisible characters folded, an
    id written without its place finds the one with it first, a malformed id is never offered."""
    from congkhai.checks.rules import candidates

    ids = ["lang-son-cao-loc-ubnd", "can-tho-ubnd", "lang-son-cao-loc-phong-noi-vu", "Lang-Son-Cao-Loc-Ubnd-X"]
    assert candidates("cao-loc-ubnd", ids)[0] == "lang-son-cao-loc-ubnd"
    assert candidates("lang-son-cao-loc-phong-noi-vụ", ids)[0] == "lang-son-cao-loc-phong-noi-vu"
    assert candidates("lang-son-cao-loc-phong-noi-vu\u200b", ids)[0] == "lang-son-cao-loc-phong-noi-vu"
    assert "Lang-Son-Cao-Loc-Ubnd-X" not in candidates("lang-son-cao-loc-ubnd-x", ids)
    assert len(candidates("lang-son", ids * 2)) <= 3
    assert candidates("hoan-toan-khac", ids) == []
    assert candidates("lang-son-2025", ["lam-dong-2025", "lang-son", "can-tho-2025"])[0] == "lang-son"
