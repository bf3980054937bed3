"""The import graph between apps, read from the source with `ast` (no import is run): the layers of
ARCHITECTURE.md hold, core imports no other app, the only cycles are the knots listed there, and an
import inside a function is there only to break one of them, saying which (`# knot: cycle ↔ activities`).

An app's tests and migrations are left out: the route-wide tests in core/tests walk every app's URLs on
purpose, and migrations are frozen history."""

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qiaojia"

# From the bottom: an app may import an app of its own layer or of a lower one, never a higher one
# except across a knot. A new app must be given its layer here (and in ARCHITECTURE.md).
LAYERS = [
    {"core"},
    {"jobs"},
    {"notifications"},
    {"accounts"},
    {"search", "exports"},
    {"orgs", "members"},  # the registry
    {"imports"},
    {"cycle", "activities", "meetings", "events", "volunteering", "news", "trade", "voice"},  # domain apps
    {"home", "demo"},
]
LAYER = {app: level for level, apps in enumerate(LAYERS) for app in apps}

# Two apps that know each other, both ways: the only cycles allowed. Kept in step with the "Knots kept"
# section of ARCHITECTURE.md (a test compares them).
KNOTS = {
    "accounts ↔ orgs",
    "accounts ↔ members",
    "orgs ↔ members",
    "members ↔ notifications",
    "cycle ↔ activities",
}

KNOT_COMMENT = re.compile(r"#\s*knot:\s*(.+?)\s*$")


def _pair(knot: str) -> frozenset[str]:
    a, b = (part.strip() for part in knot.split("↔"))
    return frozenset((a, b))


KNOT_PAIRS = {_pair(k): k for k in KNOTS}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, parts


def _imported_apps(node, parts) -> list[str]:
    """The qiaojia apps an import statement names (relative imports resolved)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = list(parts[:-1])  # a module's package, or an __init__'s own
            base = package[: len(package) - (node.level - 1)]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        # `from qiaojia import search` names the app in the imported names.
        names = [f"{module}.{alias.name}" for alias in node.names] if module == "qiaojia" else [module]
    apps = []
    for name in names:
        bits = name.split(".")
        if bits[0] == "qiaojia" and len(bits) > 1:
            apps.append(bits[1])
    return apps


def _imports():
    """(app, imported app, path, line, inside a function, the knot its comment names or None)."""
    found = []
    for path, parts in _modules():
        app = parts[1]
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        inside = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inside.update(id(sub) for sub in ast.walk(node) if isinstance(sub, ast.Import | ast.ImportFrom))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for other in _imported_apps(node, parts):
                if other == app:
                    continue
                knot = None
                for text in (lines[node.lineno - 1], lines[node.lineno - 2] if node.lineno > 1 else ""):
                    match = KNOT_COMMENT.search(text)
                    if match:
                        knot = match.group(1)
                        break
                found.append((app, other, path.relative_to(ROOT), node.lineno, id(node) in inside, knot))
    return found


IMPORTS = _imports()


def _edges() -> dict[str, set[str]]:
    graph = defaultdict(set)
    for app, other, *_rest in IMPORTS:
        graph[app].add(other)
    return graph


def test_the_graph_is_read():
    # A reader that found nothing would pass every rule below.
    graph = _edges()
    assert "accounts" in graph["members"] and "search" in graph["members"] and "exports" in graph["orgs"]


def test_every_app_has_a_layer():
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps - set(LAYER) == set(), "give the new app its layer in LAYERS and in ARCHITECTURE.md"
    assert set(LAYER) - apps == set(), "an app named in LAYERS is gone"


def test_core_imports_no_other_app():
    found = [f"{path}:{line} imports qiaojia.{other}" for app, other, path, line, *_ in IMPORTS if app == "core"]
    assert found == []


def test_no_layer_imports_a_higher_one_except_across_a_knot():
    found = [
        f"{path}:{line}: {app} (layer {LAYER[app]}) imports {other} (layer {LAYER[other]})"
        for app, other, path, line, *_ in IMPORTS
        if LAYER.get(other, -1) > LAYER[app] and frozenset((app, other)) not in KNOT_PAIRS
    ]
    assert found == []


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in list(graph):
        if node not in index:
            visit(node)
    return components


def test_the_only_cycles_are_the_knots():
    graph = _edges()
    untied = {app: {o for o in others if frozenset((app, o)) not in KNOT_PAIRS} for app, others in graph.items()}
    assert _cycles(untied) == [], "a cycle between apps that no knot names"


def test_every_knot_is_still_tied():
    # A knot the code no longer needs is taken off the list (and out of ARCHITECTURE.md).
    graph = _edges()
    loose = [
        knot for pair, knot in KNOT_PAIRS.items() if not all(b in graph[a] for a, b in (tuple(pair), tuple(pair)[::-1]))
    ]
    assert loose == []


def test_an_import_inside_a_function_names_the_knot_it_breaks():
    found = []
    for app, other, path, line, in_function, knot in IMPORTS:
        if not in_function:
            continue
        if knot is None:
            found.append(f"{path}:{line}: {app} imports {other} inside a function without '# knot: ...'")
        elif knot not in KNOTS:
            found.append(f"{path}:{line}: '{knot}' is not a listed knot")
        elif _pair(knot) != frozenset((app, other)):
            found.append(f"{path}:{line}: {app} → {other} is not the knot '{knot}'")
    assert found == []


def test_the_knots_are_the_ones_architecture_md_names():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## Knots kept", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^- \*\*(.+? ↔ .+?)\.\*\*", section, flags=re.M))
    assert named == KNOTS
