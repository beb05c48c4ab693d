"""The house's floors, read from the imports (AST, no import side effects).

* The top floor is :mod:`modconsole.commands` (every entry point) and ``ui`` (the desktop app);
  nothing else imports them.
* :mod:`modconsole.workspace` is the front door: the top floor opens communities through it and
  nothing below it imports it.
* No import circle anywhere in ``modconsole`` — lazy imports inside functions included (they are
  still arrows), imports under ``if TYPE_CHECKING:`` not (they never run).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules(package: str) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "migrations" in rel.parts:  # Alembic scripts, loaded from disk
            continue
        name = ".".join(rel.parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Line numbers of imports inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        lines.add(sub.lineno)
    return lines


def _imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom) or node.lineno in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # ``from pkg import mod`` is an arrow to the module, ``from mod import name`` to mod
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def _graph() -> dict[str, set[str]]:
    modules = {**_modules("modconsole"), **_modules("ui")}
    known = set(modules)
    return {name: set(_imported(name, path, known)) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circle() -> None:
    graph = _graph()
    core = {
        k: {d for d in v if d.startswith("modconsole")}
        for k, v in graph.items()
        if k.startswith("modconsole")
    }
    assert _cycles(core) == []


def test_the_cycle_finder_finds_a_circle() -> None:  # the check above can fail
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_the_top_floor_imports_the_top_floor() -> None:
    wrong = [
        f"{name} -> {dep}"
        for name, deps in _graph().items()
        for dep in deps
        if (dep.startswith("modconsole.commands") or dep == "ui" or dep.startswith("ui."))
        and not (name.startswith(("modconsole.commands", "ui")) or name == "modconsole.__main__")
    ]
    assert wrong == []


def test_the_front_door_is_opened_from_the_top_floor_only() -> None:
    wrong = [
        f"{name} -> modconsole.workspace"
        for name, deps in _graph().items()
        if "modconsole.workspace" in deps and not name.startswith(("modconsole.commands", "ui"))
    ]
    assert wrong == []
    users = {name for name, deps in _graph().items() if "modconsole.workspace" in deps}
    # the desktop app and the commands that talk to a community both open it
    assert {"ui.app", "modconsole.commands.actions", "modconsole.commands.sync"} <= users


def test_entry_points_live_on_the_top_floor() -> None:
    """No command module (``add_arguments`` + ``run``) below :mod:`modconsole.commands`."""
    stray = []
    for name, path in _modules("modconsole").items():
        if name.startswith("modconsole.commands"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defs = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        if {"add_arguments", "run"} <= defs:
            stray.append(name)
    assert stray == []


_SQL = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH ", "CREATE ")


def test_no_sql_in_the_ui() -> None:
    """The views ask the core; only the core speaks SQL to the cache."""
    found = []
    for name, path in _modules("ui").items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = (
                node.value.upper() if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
            )
            if text.lstrip().startswith(_SQL) and " FROM " in f" {text} ":
                found.append(f"{name}:{node.lineno}")
    assert found == []


# ---------------------------------------------------------------- the connector seam

_CONNECTORS = ROOT / "modconsole" / "connectors"
_DISCOURSE = _CONNECTORS / "discourse"
_DEMO = ROOT / "modconsole" / "demo"  # the servers: they answer the routes, they do not call them
# first path segments of Discourse's routes (a literal such as "/t/" or "GET /latest.json")
_SEGMENTS = (
    "admin|t|u|c|g|posts|post_actions|solution|review|reviewable_claimed_topics|user_badges|user-badges"
    "|user-api-key|users|groups|badges|latest|site|session|categories|search|filter|data-explorer"
    "|directory_items|assign|notifications|tags|top|uploads|user_actions|topics"
)
_ROUTE = re.compile(rf"^(?:(?:GET|POST|PUT|DELETE) )?/(?:(?:{_SEGMENTS})(?:/|\.json|$)|[\w./{{}}-]*\.json\b)")


def _string_literals(tree: ast.AST) -> Iterator[ast.Constant]:
    """Every ``str`` constant except docstrings (prose may name a route; code may not)."""
    docs: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            docs.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node


def _route_literals(source: str) -> list[str]:
    return [n.value for n in _string_literals(ast.parse(source)) if _ROUTE.match(n.value)]


def test_routes_are_spelled_only_in_the_connectors() -> None:
    """A route literal (Discourse's, or one shaped like it) lives in a platform's connector
    package (``modconsole/connectors/<platform>/``), nowhere else in the core or the UI."""
    found = []
    for name, path in {**_modules("modconsole"), **_modules("ui")}.items():
        in_a_connector = path.is_relative_to(_CONNECTORS) and path.parent != _CONNECTORS
        if in_a_connector or path.is_relative_to(_DEMO):
            continue
        found += [f"{name}: {lit!r}" for lit in _route_literals(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_route_finder_finds_routes() -> None:  # the check above can fail
    src = (
        '"""Reads ``/latest.json``."""\n'  # a docstring may name a route
        'a = f"/t/{tid}.json"\nb = "GET /posts.json"\nc = "/user_badges.json"\nd = "/x/y/run.json"\n'
        'e = "/tmp"\nf = "/user:"\n'
    )
    assert sorted(_route_literals(src)) == ["/t/", "/user_badges.json", "/x/y/run.json", "GET /posts.json"]


def test_every_discourse_endpoint_is_used() -> None:
    """One function per route, and each of them is called from somewhere (else it goes)."""
    tree = ast.parse((_DISCOURSE / "endpoints.py").read_text(encoding="utf-8"))
    routes = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
    assert len(routes) > 30
    used: set[str] = set()
    for _name, path in {**_modules("modconsole"), **_modules("ui")}.items():
        if path == _DISCOURSE / "endpoints.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # ``ep.topic(...)`` (the module imported as ``ep`` or ``endpoints``) or imported by name
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id in ("ep", "endpoints") and node.attr in routes:
                    used.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("discourse.endpoints"):
                used.update(a.name for a in node.names if a.name in routes)
    assert sorted(routes - used) == []


def _class_sizes(package: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                sizes[f"{path.relative_to(ROOT)}:{node.name}"] = (node.end_lineno or first) - first + 1
    return sizes


def test_no_class_over_600_lines_in_the_connectors() -> None:
    """A connector is small units (a sync stage fits on a screen or two), not one class."""
    sizes = _class_sizes(ROOT / "modconsole" / "connectors")
    assert any(name.endswith(":SyncEngine") for name in sizes)  # the check reads the real tree
    assert {name: n for name, n in sizes.items() if n > 600} == {}


_PLATFORMS = ("modconsole.connectors.discourse", "modconsole.connectors.vanilla")


def _platform_imports(source: str) -> list[str]:
    """The platform packages ``source`` imports (lazy and ``TYPE_CHECKING`` imports included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            base = node.module or ""
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found += [n for n in names if any(n == p or n.startswith(f"{p}.") for p in _PLATFORMS)]
    return sorted(set(found))


def test_only_the_connectors_import_a_platform() -> None:
    """Services, views, commands and the rest reach a platform through the connector seam
    (``modconsole.connectors.base`` / ``registry`` / ``types``): no module outside
    ``modconsole/connectors/<platform>/`` imports one, except the registry that names them."""
    wrong = []
    for name, path in {**_modules("modconsole"), **_modules("ui")}.items():
        in_a_platform = path.is_relative_to(_CONNECTORS) and path.parent != _CONNECTORS
        if in_a_platform or name == "modconsole.connectors.registry":
            continue
        wrong += [f"{name} -> {dep}" for dep in _platform_imports(path.read_text(encoding="utf-8"))]
    assert wrong == []
    registry = (_CONNECTORS / "registry.py").read_text(encoding="utf-8")
    assert {"modconsole.connectors.discourse.connector", "modconsole.connectors.vanilla.connector"} <= set(
        _platform_imports(registry)
    )  # the check reads real imports


def test_the_platform_import_finder_finds_them() -> None:  # the check above can fail
    src = (
        "from modconsole.connectors.discourse import endpoints as ep\n"
        "import modconsole.connectors.vanilla.parse\n"
        "from modconsole.connectors import types\n"
        "def f():\n    from modconsole.connectors.vanilla.sync.engine import VanillaSync\n"
        "if TYPE_CHECKING:\n    from modconsole.connectors.discourse.review import ReviewItem\n"
    )
    assert _platform_imports(src) == [
        "modconsole.connectors.discourse",
        "modconsole.connectors.discourse.endpoints",
        "modconsole.connectors.discourse.review",
        "modconsole.connectors.discourse.review.ReviewItem",
        "modconsole.connectors.vanilla.parse",
        "modconsole.connectors.vanilla.sync.engine",
        "modconsole.connectors.vanilla.sync.engine.VanillaSync",
    ]
