"""The Atom writer (:mod:`congkhai.render.feeds`) read by a real feed reader: every feed the site
publishes parsed with ``feedparser`` without a "bozo" error, no two entries of a feed sharing
``updated``, absolute links when the site's address is known, stable ``urn:uuid:`` ids; without an
address, relative links under ``xml:base`` that resolve against the feed's own address. Every feed
is also validated by ``xmllint`` (Debian's libxml2-utils, ``make xml-deps``) against a RELAX NG
schema of RFC 4287 (tests/fixtures/atom/atom.rng, which says where it comes from)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import feedparser
import pytest

from congkhai.model import sitemap
from congkhai.render import feeds
from tests.conftest import FOLLOWED_URL

SCHEMA = Path(__file__).parent / "fixtures" / "atom" / "atom.rng"


def _xmllint(*paths: Path) -> subprocess.CompletedProcess[str]:
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint is missing: make xml-deps (Debian: apt-get install libxml2-utils)"
    return subprocess.run(
        [xmllint, "--noout", "--relaxng", str(SCHEMA), *map(str, paths)], capture_output=True, text=True, timeout=60
    )


def _parse(data: bytes, where: str = "") -> Any:
    headers = {"content-type": "application/atom+xml; charset=utf-8", **({"content-location": where} if where else {})}
    parsed = feedparser.parse(data, response_headers=headers)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_every_built_feed_reads_cleanly_with_distinct_dates_and_absolute_links(followed_site: Path) -> None:
    paths = _built_feeds(followed_site)
    assert len(paths) > 5
    for path in paths:
        parsed = _parse(path.read_bytes())
        entries = parsed.entries
        updated = [e.updated for e in entries]
        assert len(set(updated)) == len(updated), path
        assert parsed.feed.id.startswith("urn:uuid:") and all(e.id.startswith("urn:uuid:") for e in entries)
        links = [link.href for link in parsed.feed.links] + [link.href for e in entries for link in e.links]
        assert links and all(href.startswith(FOLLOWED_URL + "/") for href in links), path
        newest = max((dt.datetime.fromisoformat(u.replace("Z", "+00:00")) for u in updated), default=None)
        own = dt.datetime.fromisoformat(parsed.feed.updated.replace("Z", "+00:00"))
        assert newest is None or newest <= own, path
    assert len(_parse((followed_site / sitemap.PLANS_FEED).read_bytes()).entries) >= 5


@pytest.fixture(scope="module")
def model() -> Any:
    from congkhai.model.schemas import load_model

    return load_model()


def _plans() -> list[dict[str, Any]]:
    return [
        {"id": f"p-{i}", "title": f"Kế hoạch {i}", "province": "ha-noi", "issue_date": f"2024-0{i}-01"}
        for i in range(1, 5)
    ]


def test_entries_are_dated_by_their_commit_and_same_second_ones_told_apart(model: Any) -> None:
    changed = {"p-1": "2024-05-01T10:00:00+07:00", "p-2": "2024-05-01T10:00:00+07:00", "p-3": "2024-06-01"}
    data = feeds.atom_feed(_plans(), "https://example.org", "2024-07-01T00:00:00Z", changed=changed, model=model)
    parsed = _parse(data)
    when = {e.link.rsplit("/", 2)[-2]: e.updated for e in parsed.entries}
    # p-1 and p-2 were one commit: p-1 (first by id) keeps the second, p-2 is a millisecond earlier
    assert when["p-1"] == "2024-05-01T10:00:00+07:00"
    assert when["p-2"] == "2024-05-01T02:59:59.999Z"
    assert when["p-3"] == "2024-06-01T00:00:00Z"
    assert when["p-4"] == "2024-07-01T00:00:00Z"  # no commit known: the data's date
    assert parsed.feed.updated == "2024-07-01T00:00:00Z"  # the feed's own date is not moved
    assert (
        feeds.atom_feed(
            list(reversed(_plans())), "https://example.org", "2024-07-01T00:00:00Z", changed=changed, model=model
        )
        == data
    )


def test_without_an_address_links_are_relative_under_xml_base(model: Any) -> None:
    self_path = "nguon-tin/tinh/ha-noi.xml"
    data = feeds.atom_feed(_plans(), "", "2024-07-01", model=model, self_path=self_path)
    assert b'xml:base="../../"' in data and b'href="/' not in data
    parsed = _parse(data, f"http://127.0.0.1:8000/xem-truoc/{self_path}")
    assert parsed.feed.links[0].href == f"http://127.0.0.1:8000/xem-truoc/{self_path}"
    assert all(e.link.startswith("http://127.0.0.1:8000/xem-truoc/plans/") for e in parsed.entries)
    assert b'xml:base="./"' in feeds.atom_feed(_plans(), "", "2024-07-01", model=model)


def _built_feeds(site: Path) -> list[Path]:
    return [site / sitemap.PLANS_FEED, site / sitemap.STATUS_FEED, *sorted((site / sitemap.FOLLOW_DIR).rglob("*.xml"))]


def test_every_built_feed_is_valid_atom_by_the_relax_ng_schema(followed_site: Path) -> None:
    paths = _built_feeds(followed_site)
    done = _xmllint(*paths)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(" validates") == len(paths)


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        ("<updated>2024-11-22T00:00:00Z</updated>", "<updated>2024-02</updated>"),  # a month is no date-time
        ("<updated>2024-11-22T00:00:00Z</updated>", "<updated>2024-11-22T00:00:00</updated>"),  # no time zone
        ("<title>", "<title>hai</title><title>"),  # one title
    ],
)
def test_the_schema_refuses_what_rfc_4287_refuses(model: Any, tmp_path: Path, good: str, bad: str) -> None:
    data = feeds.atom_feed(_plans(), "https://example.org", "2024-11-22", model=model).decode()
    ok, wrong = tmp_path / "ok.xml", tmp_path / "wrong.xml"
    ok.write_text(data, encoding="utf-8")
    assert good in data
    wrong.write_text(data.replace(good, bad, 1), encoding="utf-8")
    assert _xmllint(ok).returncode == 0
    assert _xmllint(wrong).returncode != 0
