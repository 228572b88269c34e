"""A deterministic synthetic repository shaped like the seed plans, for benchmarks and scale tests.

    generate(out_root, n, seed=1)

Writes ``out_root`` as a complete repository: ``data/*.csv`` copied (with generated province,
district and commune bodies appended to ``units.csv``), ``mkdocs.yml``, ``overrides/``,
``docs/javascripts``, ``docs/stylesheets`` (and the other hand-written pages)
copied from this repository, and ``n`` plans under ``docs/plans/<province>/<id>.md``.

Plans spread over every pre-2025 province; issuers are provincial, district or commune bodies,
sometimes two joint issuers (party + state); issue dates have day, month or year precision;
tasks carry lead (and partner) units and deadlines; citations are drawn from the national
documents of ``data/directives.csv`` with a Zipf (long-tail) distribution, and the body cites
each listed document in running text so body and front matter agree. Body paragraphs are taken
from the seed plans' bodies, keeping only those in which the citation parser finds nothing.
Same ``n`` and ``seed`` → byte-identical files.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from functools import lru_cache
from pathlib import Path

import yaml

from congkhai.model import csvfile

ROOT = Path(__file__).resolve().parent.parent

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hồng"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Vinh",
    "Yến",
]
PLACE_A = [
    "Tân",
    "Phú",
    "Hòa",
    "An",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Vĩnh",
    "Long",
    "Thạnh",
    "Quảng",
    "Hưng",
    "Đức",
    "Bình",
    "Thuận",
    "Xuân",
    "Minh",
]
PLACE_B = [
    "Lợi",
    "Thành",
    "Phong",
    "Sơn",
    "Lộc",
    "Hiệp",
    "Khánh",
    "Mỹ",
    "Thịnh",
    "Hải",
    "Tiến",
    "Yên",
    "Điền",
    "Lâm",
    "Hà",
    "Trung",
]
TITLES = [
    "Thực hiện công tác dân vận chính quyền năm {year}",
    "Phối hợp thực hiện công tác dân vận chính quyền năm {year}",
    "Triển khai thực hiện dân chủ ở cơ sở trên địa bàn {place} năm {year}",
    "Đẩy mạnh phong trào thi đua “Dân vận khéo” năm {year}",
    "Xây dựng “Chính quyền thân thiện, vì Nhân dân phục vụ” năm {year}",
    "Nâng cao hiệu quả công tác tiếp công dân, giải quyết khiếu nại, tố cáo năm {year}",
    "Tăng cường công tác dân vận của cơ quan hành chính nhà nước, chính quyền các cấp năm {year}",
]
SECTION_II = ["NHIỆM VỤ VÀ GIẢI PHÁP", "NỘI DUNG THỰC HIỆN", "NỘI DUNG PHỐI HỢP"]
TOPICS = [
    "dan_van",
    "dan_van_chinh_quyen",
    "dan_chu_co_so",
    "dan_van_kheo",
    "chinh_quyen_than_thien",
    "cai_cach_hanh_chinh",
    "tiep_cong_dan",
    "dao_duc_cong_vu",
    "thi_dua_khen_thuong",
    "ton_giao_dan_toc",
    "tuyen_truyen",
]
RECURRENCE = ["none", "none", "continuous", "continuous", "yearly", "quarterly", "as_needed"]
COPIED = [
    "mkdocs.yml",
    "overrides",
    "docs/tim-kiem.md",
    "docs/huong-dan",
    "docs/javascripts",
    "docs/stylesheets",
]


def _read_csv(path: Path) -> list[dict[str, str]]:
    return csvfile.read_rows(path)[1]


@lru_cache(maxsize=1)
def _seed_material() -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """Citation-free paragraphs of the seed bodies, and (id, phrase, year) of citable documents."""
    from congkhai.model.schemas import load_model
    from congkhai.vietnamese.citations import find_citations
    from congkhai.vietnamese.directives import Catalogue
    from congkhai.vietnamese.text import date_vi

    paragraphs: list[str] = []
    for path in sorted((ROOT / "docs" / "plans").glob("*/*.md")):
        body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        for para in body.split("\n\n"):
            para = para.strip()
            if len(para) < 80 or para.startswith(("#", "|", "-", "*", ">", "[")) or "\n" in para or "[^" in para:
                continue
            if find_citations(para) or "số" in para.split():
                continue
            paragraphs.append(para)
    model = load_model(ROOT / "schemas")
    labels = {code: v.get("vi", code) for code, v in model.vocabularies["doc_type"].values.items()}
    rows = _read_csv(ROOT / "data" / "directives.csv")
    catalogue = Catalogue.build(rows)
    docs: list[tuple[str, str, str]] = []
    for r in rows:
        if r["jurisdiction"] or not r["number_symbol"] or not r["issue_date"] or r["legal_status"] or r["replaced_by"]:
            continue
        y = r["issue_date"][:4]
        when = date_vi(r["issue_date"], sentence=True, pad=False)
        phrase = f"{labels.get(r['doc_type'], 'Văn bản')} số {r['number_symbol']} {when} của {r['issuer']}"
        found = find_citations(phrase)
        if len(found) != 1:
            continue
        if catalogue.resolve(found[0].number_symbol, found[0].year, found[0].name, {r["id"]}) != r["id"]:
            continue
        docs.append((r["id"], phrase, y))
    return tuple(paragraphs), tuple(docs)


def _csv_text(fieldnames: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fieldnames, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _dump(data: dict) -> str:
    return yaml.dump(
        data,
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
        default_flow_style=None,
    )


def generate(out_root: Path, n: int, seed: int = 1) -> None:
    """Write a synthetic repository of ``n`` plans into ``out_root`` (created; existing files overwritten)."""
    out_root = Path(out_root)
    rnd = random.Random(seed)
    paragraphs, docs = _seed_material()
    out_root.mkdir(parents=True, exist_ok=True)
    for rel in COPIED:
        src, dst = ROOT / rel, out_root / rel
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    shutil.copytree(ROOT / "data", out_root / "data", dirs_exist_ok=True)

    # The 63 provinces before the 1 July 2025 merger (Thừa Thiên Huế, not the Huế of 2025).
    provinces = [
        r
        for r in _read_csv(ROOT / "data" / "provinces.csv")
        if not r["id"].endswith("-2025") and not (r["valid_from"] or "").startswith("2025")
    ]
    unit_path = ROOT / "data" / "units.csv"
    fieldnames, units = csvfile.read_rows(unit_path)
    known = {u["id"] for u in units}
    new_units: list[dict[str, str]] = []

    def unit(uid: str, name: str, short: str, kind: str, level: str, prov: str, parent: str = "") -> str:
        if uid not in known:
            known.add(uid)
            new_units.append(
                {
                    "id": uid,
                    "name": name,
                    "short_name": short,
                    "kind": kind,
                    "level": level,
                    "province": prov,
                    "parent": parent,
                }
            )
        return uid

    # Many communes: about one commune per 3 plans, at least 2 per province.
    communes_per_province = max(2, n // (3 * len(provinces)) + 1)
    districts_per_province = max(1, min(12, communes_per_province // 8 + 1))

    def place_name(r: random.Random) -> str:
        return f"{r.choice(PLACE_A)} {r.choice(PLACE_B)}"

    # Zipf weights over the citable catalogue (rank order shuffled once by the seed).
    order = list(docs)
    rnd.shuffle(order)
    weights = [1.0 / (k + 1) for k in range(len(order))]

    written: set[str] = set()
    for i in range(n):
        prov = provinces[i % len(provinces)] if i < len(provinces) else rnd.choice(provinces)
        pid, pname, ptype = prov["id"], prov["name"], prov["type"]
        ptitle = "thành phố" if ptype.startswith("thành phố") else "tỉnh"
        level = rnd.choices(["province", "district", "commune"], [2, 3, 5])[0]
        d = rnd.randrange(districts_per_province)
        c = rnd.randrange(communes_per_province)
        lr = random.Random(f"{seed}-{pid}-{d}-{c}")
        dname = place_name(random.Random(f"{seed}-{pid}-{d}"))
        cname = place_name(lr)
        if level == "province":
            prefix, place, where = pid, None, f"{ptitle} {pname}"
            ubnd = unit(f"{pid}-ubnd", f"Ủy ban nhân dân {ptitle} {pname}", f"UBND {ptitle}", "state", "province", pid)
            party = unit(f"{pid}-tinh-uy", f"Tỉnh ủy {pname}", "Tỉnh ủy", "party", "province", pid)
            bdv = unit(
                f"{pid}-ban-dan-van",
                f"Ban Dân vận Tỉnh ủy {pname}",
                "Ban Dân vận Tỉnh ủy",
                "party",
                "province",
                pid,
                party,
            )
            subs = [
                unit(f"{pid}-so-noi-vu", f"Sở Nội vụ {ptitle} {pname}", "Sở Nội vụ", "state", "province", pid),
                unit(
                    f"{pid}-ubnd-cap-huyen",
                    "Ủy ban nhân dân các huyện, thị xã, thành phố",
                    "UBND cấp huyện",
                    "collective",
                    "district",
                    pid,
                ),
            ]
        elif level == "district":
            prefix, place, where = f"{pid}-h{d:02d}", dname, f"huyện {dname}"
            ubnd = unit(
                f"{prefix}-ubnd", f"Ủy ban nhân dân huyện {dname}", f"UBND huyện {dname}", "state", "district", pid
            )
            party = unit(f"{prefix}-huyen-uy", f"Huyện ủy {dname}", "Huyện ủy", "party", "district", pid)
            bdv = unit(
                f"{prefix}-ban-dan-van",
                f"Ban Dân vận Huyện ủy {dname}",
                "Ban Dân vận Huyện ủy",
                "party",
                "district",
                pid,
                party,
            )
            subs = [
                unit(f"{prefix}-phong-noi-vu", f"Phòng Nội vụ huyện {dname}", "Phòng Nội vụ", "state", "district", pid),
                unit(
                    f"{prefix}-ubnd-cac-xa",
                    "Ủy ban nhân dân các xã, thị trấn",
                    "UBND các xã, thị trấn",
                    "collective",
                    "commune",
                    pid,
                ),
            ]
        else:
            prefix, place, where = f"{pid}-h{d:02d}-x{c:03d}", cname, f"xã {cname}"
            ubnd = unit(f"{prefix}-ubnd", f"Ủy ban nhân dân xã {cname}", f"UBND xã {cname}", "state", "commune", pid)
            party = unit(f"{prefix}-dang-uy", f"Đảng ủy xã {cname}", "Đảng ủy xã", "party", "commune", pid)
            bdv = unit(
                f"{prefix}-khoi-dan-van",
                f"Khối Dân vận Đảng ủy xã {cname}",
                "Khối Dân vận",
                "party",
                "commune",
                pid,
                party,
            )
            subs = [
                unit(
                    f"{prefix}-cong-chuc",
                    f"Công chức chuyên môn xã {cname}",
                    "Công chức xã",
                    "collective",
                    "commune",
                    pid,
                ),
                unit(
                    f"{prefix}-ubmttq",
                    f"Ủy ban Mặt trận Tổ quốc Việt Nam xã {cname}",
                    "UBMTTQ xã",
                    "mass_org",
                    "commune",
                    pid,
                ),
            ]
        names = {u["id"]: u["name"] for u in new_units}
        names.update({u["id"]: u["name"] for u in units})
        joint = rnd.random() < 0.25
        issuers = [bdv, ubnd] if joint else [ubnd]
        year = rnd.randint(2019, 2025)
        prec = rnd.choices(["day", "month", "year", None], [80, 10, 6, 4])[0]
        month, day = rnd.randint(1, 12 if year < 2025 else 6), rnd.randint(1, 28)
        issue_date = {
            "day": f"{year}-{month:02d}-{day:02d}",
            "month": f"{year}-{month:02d}",
            "year": f"{year}",
            None: None,
        }[prec]
        number = rnd.randint(1, 450)
        ns_kind = rnd.choices(["printed", "blank", "absent"], [85, 8, 7])[0]
        sep, code = ("-", "KHPH/BDV-UBND") if joint else ("/", "KH-UBND")
        number_symbol = {"printed": f"{number:02d}{sep}{code}", "blank": f"{sep}{code}", "absent": None}[ns_kind]
        pid_plan = f"{prefix}-{year}-{i:06d}"
        if pid_plan in written:
            pid_plan = f"{pid_plan}-{i}"
        written.add(pid_plan)
        title = rnd.choice(TITLES).format(year=year, place=where)

        k_cit = min(len(order), max(1, int(rnd.paretovariate(1.5) * 3)))
        chosen: list[tuple[str, str, str]] = []
        while len(chosen) < k_cit:
            pick = rnd.choices(order, weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        n_sections = rnd.randint(2, 5)
        n_tasks = max(1, min(60, int(rnd.lognormvariate(2.3, 0.6))))
        tasks, body_ii = [], []
        for t in range(n_tasks):
            s = t % n_sections + 1
            lead_ids = [rnd.choice([ubnd] + subs)]
            if rnd.random() < 0.3:
                lead_ids.append(rnd.choice([u for u in [ubnd] + subs if u not in lead_ids]))
            partner_ids = [bdv] if rnd.random() < 0.3 else []
            kind = rnd.random()
            if kind < 0.45:
                deadline, due = None, None
            elif kind < 0.75:
                deadline, due = f"trước ngày 30/6/{year}", f"{year}-06-30"
            else:
                deadline, due = f"đến hết năm {year}", f"{year}-12-31"
            text = rnd.choice(paragraphs)
            tasks.append(
                {
                    "id": f"ii-{s}" if t < n_sections else f"ii-{s}-{t // n_sections + 1}",
                    "section": f"II.{s}",
                    "text": text,
                    "lead": ", ".join(names[u] for u in lead_ids),
                    "lead_units": lead_ids,
                    "partners": ", ".join(names[u] for u in partner_ids) or None,
                    "partner_units": partner_ids,
                    "deadline": deadline,
                    "due_date": due,
                    "recurrence": rnd.choice(RECURRENCE),
                    "status": "not_reported",
                    "inferred": [],
                }
            )
            body_ii.append((s, text))
        # Each listed document cited in the preamble (căn cứ) or in a section of part II.
        preamble: list[str] = []
        in_section: dict[int, list[str]] = {s: [] for s in range(1, n_sections + 1)}
        citations = []
        for j, (did, phrase, _y) in enumerate(chosen):
            if j < 2:
                preamble.append(phrase)
                sections, relation = ["preamble"], "can_cu" if j else "thuc_hien"
            else:
                s = rnd.randint(1, n_sections)
                in_section[s].append(phrase)
                sections, relation = [f"II.{s}"], "dan_chieu"
            citations.append({"directive": did, "relation": relation, "sections": sections})
        lines = [f"Căn cứ {p};" for p in preamble]
        lines.append(f"{names[ubnd]} ban hành Kế hoạch như sau:")
        lines.append("## I. MỤC ĐÍCH, YÊU CẦU")
        lines += rnd.sample(paragraphs, 2)
        lines.append(f"## II. {rnd.choice(SECTION_II)}")
        for s in range(1, n_sections + 1):
            lines.append(f"### {s}. {rnd.choice(paragraphs)[:60].rsplit(' ', 1)[0]}")
            for phrase in in_section[s]:
                lines.append(f"Tiếp tục thực hiện nghiêm {phrase}.")
            lines += [text for ss, text in body_ii if ss == s]
        lines.append("## III. TỔ CHỨC THỰC HIỆN")
        lines += rnd.sample(paragraphs, 2)
        body = "\n\n".join(lines) + "\n"

        signer_name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        signers = [
            {
                "capacity": rnd.choice(["TM.", "KT."]),
                "on_behalf_of": "ỦY BAN NHÂN DÂN",
                "position": "CHỦ TỊCH",
                "name": signer_name,
                "unit": ubnd,
            }
        ]
        if joint:
            signers.append(
                {
                    "capacity": "TM.",
                    "on_behalf_of": "BAN DÂN VẬN",
                    "position": "TRƯỞNG BAN",
                    "name": f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}",
                    "unit": bdv,
                }
            )
        front = {
            "id": pid_plan,
            "doc_type": "ke_hoach",
            "title": title,
            "number_symbol": number_symbol,
            "number_status": ns_kind,
            "issuers": [{"unit": u, "as_printed": None} for u in issuers],
            "issuer_level": level,
            "province": pid,
            "place": place,
            "issue_date": issue_date,
            "issue_date_precision": prec,
            "effective_date": None,
            "status": "in_force" if ns_kind != "blank" else "draft",
            "signers": signers,
            "recipients": [f"{names[u]} (thực hiện)" for u in subs] + ["Lưu: VT"],
            "topics": sorted(rnd.sample(TOPICS, rnd.randint(2, 6)), key=TOPICS.index),
            "source_kind": "web_copy",
            "source_file": None,
            "source_url": None,
            "inferred": [],
            "notes": f"Kế hoạch tổng hợp (synthetic) số {i} cho phép đo hiệu năng; hạt giống {seed}.",
            "citations": citations,
            "tasks": tasks,
        }
        path = out_root / "docs" / "plans" / pid / f"{pid_plan}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{_dump(front)}---\n\n{body}", encoding="utf-8")

    (out_root / "data" / "units.csv").write_text(_csv_text(fieldnames, units + new_units), encoding="utf-8")
