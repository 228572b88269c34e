"""The package's shape (issue 11): folders by pipeline stage, each importing only from the stages
before it, and a README architecture table that names every module.

The stage order is declared once here, in :data:`STAGES`; the README explains it. An import from a
later stage into an earlier one is a cycle in the pipeline waiting to happen: ``checks/`` would
need the renderer to judge a plan, or ``render/`` would need MkDocs to write Markdown.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "congkhai"

#: Every part of the package in pipeline order. A module may import from its own part and from the
#: parts before it. ``base`` is the shared foundation (``parallel``, ``timing``); ``interface``
#: is the command line and the reporter.
STAGES = (
    "base",
    "model",
    "vietnamese",
    "read",
    "checks",
    "derive",
    "load",
    "render",
    "publish",
    "importer",
    "commands",
    "interface",
)
BASE = {"parallel", "timing", "__init__"}
INTERFACE = {"cli", "report"}


def modules() -> dict[str, Path]:
    """Dotted name (``congkhai.render.pages``) → file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def stage_of(module: str) -> str:
    parts = module.split(".")[1:]
    if not parts or (len(parts) == 1 and parts[0] in BASE):
        return "base"
    if len(parts) == 1 and parts[0] in INTERFACE:
        return "interface"
    assert parts[0] in STAGES, f"{module}: not in a stage folder; add it to one (see STAGES and the README)"
    return parts[0]


def imports(module: str, path: Path) -> list[tuple[int, str]]:
    """The package modules ``module`` imports, with the line of each import (lazy imports included)."""
    is_package = path.name == "__init__.py"
    known = modules()
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.startswith("congkhai"):
                target = node.module
            else:
                continue
            for alias in node.names:  # `from . import datasets` imports a module
                sub = f"{target}.{alias.name}"
                out.append((node.lineno, sub if sub in known else target))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("congkhai")]
    return out


def test_every_module_is_in_a_stage() -> None:
    for module in modules():
        stage_of(module)  # asserts


def test_no_import_runs_from_an_earlier_stage_to_a_later_one() -> None:
    wrong = []
    for module, path in modules().items():
        here = STAGES.index(stage_of(module))
        for line, target in imports(module, path):
            there = STAGES.index(stage_of(target))
            if there > here:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {stage_of(module)} imports {target} ({STAGES[there]})")
    assert not wrong, "imports against the pipeline order:\n" + "\n".join(wrong)


def test_the_guard_sees_a_backward_import(tmp_path: Path) -> None:
    """The check above would fail on a renderer imported by a check (it is not vacuous)."""
    assert STAGES.index(stage_of("congkhai.render.pages")) > STAGES.index(stage_of("congkhai.checks.rules"))
    assert (3, "congkhai.render.pages") in [
        (line, t)
        for line, t in imports("congkhai.checks.rules", _write(tmp_path, "x = 1\n\nfrom ..render import pages\n"))
    ]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.py"
    path.write_text(text, encoding="utf-8")
    return path


def architecture_table() -> set[str]:
    """Module paths named in the README's architecture section (``congkhai/render/pages.py`` …)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Architecture")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end != -1 else None]
    return set(re.findall(r"`(congkhai/[\w/]+\.py)`", section))


def test_every_module_appears_in_the_readme_architecture_table() -> None:
    named = architecture_table()
    missing = [
        path.relative_to(ROOT).as_posix()
        for path in modules().values()
        if path.relative_to(ROOT).as_posix() not in named and path.name != "__init__.py"
    ]
    assert not missing, f"README architecture section does not name: {missing}"
    gone = sorted(p for p in named if not (ROOT / p).exists())
    assert not gone, f"README architecture section names modules that do not exist: {gone}"


#: The one module that imports the site generator: the rest writes plain Markdown and the site map,
#: so MkDocs can be replaced when Material for MkDocs reaches its end of life (2027).
ENGINE = "congkhai.publish.engine"


def third_party_imports(path: Path) -> list[tuple[int, str]]:
    """Top-level names of every module ``path`` imports that is not part of the package."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.append((node.lineno, node.module.split(".")[0]))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name.split(".")[0]) for a in node.names]
    return out


def test_only_the_publish_engine_imports_mkdocs() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for module, path in modules().items()
        if module != ENGINE
        for line, name in third_party_imports(path)
        if name in {"mkdocs", "material"}
    ]
    assert not wrong, f"MkDocs imported outside {ENGINE}: {wrong}"
    assert any(name == "mkdocs" for _, name in third_party_imports(modules()[ENGINE])), "the engine moved?"


def prints(path: Path) -> list[int]:
    """Lines of ``path`` that call ``print(`` (the builtin; a method named print does not count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    ]


def test_only_the_command_line_prints() -> None:
    """Library code returns findings or raises CongkhaiError; what reaches the terminal is the CLI's."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for module, path in modules().items()
        if module != "congkhai.cli"
        for line in prints(path)
    ]
    assert not wrong, f"print( outside congkhai/cli.py: {wrong}"


def test_the_print_guard_sees_a_print(tmp_path: Path) -> None:
    assert prints(_write(tmp_path, "import sys\n\nprint('x', file=sys.stderr)\nlog.print('y')\n")) == [3]
    assert third_party_imports(_write(tmp_path, "def f():\n    from mkdocs.config import load_config\n")) == [
        (2, "mkdocs")
    ]


def test_every_import_of_the_package_resolves() -> None:
    """Lazy imports (inside functions) run only when their branch does: a module moved by the
    restructuring would break the benchmark or a rare command long after the tests passed.
    (An import inside ``try: … except ImportError`` is a deliberate fallback and is not judged.)"""
    import importlib

    def resolves(module: str, name: str) -> bool:
        try:
            return hasattr(importlib.import_module(module), name) or bool(importlib.import_module(f"{module}.{name}"))
        except ImportError:
            return False

    files = dict(modules())
    files.update({f"devtools.{p.stem}": p for p in sorted((ROOT / "devtools").glob("*.py"))})
    files["build_site"] = ROOT / "build_site.py"
    wrong = []
    for module, file in files.items():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        guarded = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.Try)
            and any(
                isinstance(h.type, ast.Name) and h.type.id in {"ImportError", "ModuleNotFoundError"}
                for h in node.handlers
            )
            for stmt in [*node.body, *(s for h in node.handlers for s in h.body)]
            for inner in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or id(node) in guarded:
                continue
            if node.level:
                base = module.split(".") if file.name == "__init__.py" else module.split(".")[:-1]
                target = ".".join(base[: len(base) - (node.level - 1)] + ([node.module] if node.module else []))
            elif (node.module or "").startswith(("congkhai", "devtools")):
                target = str(node.module)
            else:
                continue
            wrong += [
                f"{file.relative_to(ROOT)}:{node.lineno}: {target}.{a.name}"
                for a in node.names
                if not resolves(target, a.name)
            ]
    assert not wrong, f"imports that do not resolve: {wrong}"
