"""The architecture stays true: layers import one way, no import cycle, Streamlit only in the UI,
small modules, every page declared once, and the bench's view functions are what each page runs."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core import pages as page_list
from dashboard.views.pages import PAGE_DATA

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "dashboard"
# dashboard/__init__.py: a layer may import only from itself and the layers before it
LAYERS = ["core", "demo", "store", "ingest", "views", "render", "ui", "bench"]
STREAMLIT_ALLOWED = {"ui", "bench"}
MAX_LINES = 450


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def imports_of(name: str, path: Path) -> set[str]:
    """Every dashboard module `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("dashboard")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("dashboard"):
                continue
            for a in node.names:  # `from x import y`: y may be a module of package x
                out.add(f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target)
    return {m for m in out if m in MODULES and m != name}


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def test_the_graph_sees_every_layer():
    assert {layer(m) for m in MODULES} >= set(LAYERS)
    assert GRAPH["dashboard.store.query"] >= {"dashboard.store.db", "dashboard.store.sql", "dashboard.store.snapshot"}


def test_no_import_cycle():
    state: dict[str, int] = defaultdict(int)   # 0 new, 1 on the stack, 2 done
    cycles = []

    def visit(m, stack):
        state[m] = 1
        for dep in sorted(GRAPH[m]):
            if state[dep] == 1:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif state[dep] == 0:
                visit(dep, stack + [dep])
        state[m] = 2

    for m in sorted(GRAPH):
        if state[m] == 0:
            visit(m, [m])
    assert not cycles, cycles


def test_layers_import_one_way():
    wrong = []
    for m, deps in GRAPH.items():
        mine = layer(m)
        if mine is None:      # dashboard/__init__ and __main__ (the command line) sit above every layer
            continue
        allowed = set(LAYERS[:LAYERS.index(mine) + 1])
        wrong += [f"{m} -> {d}" for d in deps if layer(d) is not None and layer(d) not in allowed]
    assert not wrong, wrong


def imports_streamlit(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
        if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
            return True
    return False


def test_streamlit_only_in_the_ui_layer_bench_app_and_pages():
    users = {m for m, p in MODULES.items() if imports_streamlit(p)}
    assert users and all(layer(m) in STREAMLIT_ALLOWED for m in users), users
    assert imports_streamlit(ROOT / "app.py")


def test_the_brief_command_line_needs_no_streamlit():
    """The brief CLI's modules (and everything they import) stay clear of Streamlit."""
    seen, todo = set(), ["dashboard.render.brief_html", "dashboard.render.brief_pptx", "dashboard.views.context"]
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += GRAPH[m]
    assert not [m for m in seen if imports_streamlit(MODULES[m])]


def test_modules_stay_small():
    big = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, big


def test_every_page_is_declared_once():
    keys = [p.key for p in page_list.PAGES]
    assert len(set(keys)) == len(keys) and page_list.DEFAULT == "overview"
    assert sorted(p.stem for p in (ROOT / "pages").glob("*.py")) == sorted(keys)   # no stray script
    assert set(PAGE_DATA) == set(keys)


# --- the bench times what the page runs ---------------------------------------------------------------

MARCH = {"from": "2024-03", "to": "2024-03"}


@pytest.fixture(scope="module")
def arch_data(tmp_path_factory):
    import fixture_data
    d = tmp_path_factory.mktemp("arch-data")
    fixture_data.build(d)
    return d


def recorded_page_queries(data_dir, monkeypatch, page: str, url: dict) -> set:
    """The (query, params) pairs the page script runs in AppTest (after the frame's first run)."""
    from dashboard.store import query

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in url.items():
        at.query_params[k] = v
    at.run()   # the frame's choices are now cached; what follows is the page
    seen = set()
    real = query.run

    def spy(name, *, snapshot=None, **params):
        seen.add(query.cache_key("", name, params)[1:])
        return real(name, snapshot=snapshot, **params)

    monkeypatch.setattr(query, "run", spy)
    at.switch_page(page_list.BY_KEY[page].script).run()
    assert not at.exception, [e.value for e in at.exception]
    return seen


@pytest.mark.parametrize("page", [p.key for p in page_list.PAGES])
def test_the_page_runs_exactly_its_declared_views(page, arch_data, monkeypatch):
    """Every query a page runs in its default view is one its PAGE_DATA function runs, and back."""
    from dashboard.bench.measure import Scenario, queries_of
    from dashboard.core import filters
    from dashboard.store import query, snapshot
    from dashboard.views.context import choices_for

    ran = recorded_page_queries(arch_data, monkeypatch, page, MARCH)
    monkeypatch.undo()
    info = snapshot.current(arch_data)
    choices = choices_for(info)
    state = filters.parse(MARCH, choices).state
    declared = {query.cache_key("", name, params)[1:]
                for _, name, params in queries_of(Scenario(page, "default", state), info, choices)}
    assert ran and ran == declared, (ran ^ declared)
