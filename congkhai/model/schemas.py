"""Load ``schemas/``: the Data Package layout, the Table Schemas and the vocabularies.

Everything else is derived from what is declared here: which front-matter keys exist, the CSV
column order, the written ``datapackage.json``, and the labels the site and reports use.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
PLAN_ROWS = "plans"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    title_en: str
    description: str
    description_en: str
    derived: bool
    vocabulary: str | None
    required: bool
    descriptor: dict[str, Any]


@dataclass(frozen=True)
class Table:
    """One resource of the package: its schema and where its rows come from."""

    name: str
    title: str
    title_en: str
    rows: str  # "plans", "plans.<key>", "derived" or "data/<file>.csv"
    scalar: str | None  # for a front-matter list of strings: the field each string fills
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]
    descriptor: dict[str, Any] = field(repr=False)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def frontmatter_fields(self) -> list[Field]:
        return [f for f in self.fields if not f.derived]

    @property
    def frontmatter_key(self) -> str | None:
        """The plan front-matter key whose list fills this table, if any."""
        if self.rows.startswith(PLAN_ROWS + "."):
            return self.rows.split(".", 1)[1]
        return None

    @property
    def reference_path(self) -> str | None:
        return self.rows if self.rows.startswith("data/") else None

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Vocabulary:
    """A controlled vocabulary: codes with their labels (``vi``, ``en``) and, per code, any further
    keys a reader needs (``abbr``, ``words``… for ``doc_type``). ``extensions`` holds the
    vocabulary-wide ``x-`` keys. Only codes and labels are published."""

    name: str
    title: dict[str, str]
    values: dict[str, dict[str, Any]]
    extensions: dict[str, Any] = field(default_factory=dict)

    def label(self, code: str, lang: str = "vi") -> str:
        return self.values.get(code, {}).get(lang, code)


@dataclass(frozen=True)
class Model:
    package: dict[str, Any]
    tables: dict[str, Table]
    vocabularies: dict[str, Vocabulary]

    @property
    def plan_table(self) -> Table:
        return self.tables[PLAN_ROWS]

    def child_tables(self) -> list[Table]:
        return [t for t in self.tables.values() if t.frontmatter_key]

    def plan_keys(self) -> list[str]:
        """Every key a plan's front matter may hold, in the order the template lists them."""
        keys = [f.name for f in self.plan_table.frontmatter_fields]
        keys += [t.frontmatter_key for t in self.child_tables() if t.frontmatter_key]
        return keys

    def published_schema(self, table: Table) -> dict[str, Any]:
        """The Table Schema as written to ``datapackage.json``: vocabularies expanded to enums."""
        descriptor = copy.deepcopy(table.descriptor)
        for fdesc in descriptor["fields"]:
            vocab_name = fdesc.get("x-vocabulary")
            if not vocab_name:
                continue
            codes = list(self.vocabularies[vocab_name].values)
            if fdesc["type"] == "list":
                # Table Schema has no item constraints; the codes are listed for readers.
                fdesc["x-allowed-values"] = codes
            else:
                fdesc.setdefault("constraints", {})["enum"] = codes
        return descriptor


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _field(desc: dict[str, Any]) -> Field:
    return Field(
        name=desc["name"],
        type=desc.get("type", "string"),
        title=desc.get("title", desc["name"]),
        title_en=desc.get("x-title-en", desc["name"]),
        description=desc.get("description", ""),
        description_en=desc.get("x-description-en", ""),
        derived=bool(desc.get("x-derived", False)),
        vocabulary=desc.get("x-vocabulary"),
        required=bool(desc.get("constraints", {}).get("required", False)),
        descriptor=desc,
    )


@cache
def load_vocabularies(schema_dir: Path = SCHEMA_DIR) -> dict[str, Vocabulary]:
    """The controlled vocabularies alone: the Vietnamese readers need ``doc_type`` at import time,
    and reading every table schema for it would slow every process that only parses text."""
    vocab_raw = _load_yaml(schema_dir / "vocabularies.yaml")
    return {
        name: Vocabulary(
            name=name,
            title=spec["title"],
            values=spec["values"],
            extensions={k: v for k, v in spec.items() if k.startswith("x-")},
        )
        for name, spec in vocab_raw.items()
    }


@cache
def load_model(schema_dir: Path = SCHEMA_DIR) -> Model:
    package = _load_yaml(schema_dir / "package.yaml")
    vocabularies = load_vocabularies(schema_dir)
    tables: dict[str, Table] = {}
    for res in package["resources"]:
        descriptor = _load_yaml(schema_dir / res["schema"])
        fields = tuple(_field(f) for f in descriptor["fields"])
        for f in fields:
            if f.vocabulary and f.vocabulary not in vocabularies:
                raise ValueError(f"{res['schema']}: unknown vocabulary {f.vocabulary!r}")
        tables[res["name"]] = Table(
            name=res["name"],
            title=res.get("title", res["name"]),
            title_en=descriptor.get("x-title-en", res["name"]),
            rows=res["x-rows"],
            scalar=res.get("x-scalar"),
            fields=fields,
            primary_key=tuple(descriptor.get("primaryKey", [])),
            foreign_keys=tuple(descriptor.get("foreignKeys", [])),
            descriptor=descriptor,
        )
    return Model(package=package, tables=tables, vocabularies=vocabularies)
