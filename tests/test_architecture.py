"""The shape of the code, read from its imports: no cycles, CLI modules only reached through the wiring."""

import ast
import subprocess

from tests.support import ROOT

PACKAGES = ("kiosk", "sync", "central")
# Modules that only wire commands onto something: they may import CLI modules.
WIRING = {"kiosk.cli", "sync.central.__main__"}


def project_modules():
    """Return {module name: path} for every module of the project's packages and run.py."""
    modules = {"run": ROOT / "run.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imported_names(name, path, modules=()):
    """Yield every module an import statement in the file names, at any depth of the code.

    `from package import module` names the module, not the package (its __init__ runs, but as a parent)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
            yield from submodules
            if len(submodules) < len(node.names):
                yield base


def import_graph():
    """Return {module: set of project modules it imports}."""
    modules = project_modules()
    return {
        name: {m for m in imported_names(name, path, modules) if m in modules and m != name}
        for name, path in modules.items()
    }


def third_party(name, path):
    """Return the top-level names of everything outside the project the module imports."""
    return {m.split(".")[0] for m in imported_names(name, path)} - set(PACKAGES) - {"run"}


def is_cli(module):
    """Return whether a module is a command line (it defines commands or is run as a program)."""
    return module == "run" or module.endswith((".cli", ".__main__")) and module not in WIRING


def cycles(graph):
    """Return the import cycles (strongly connected components of more than one module), by Tarjan."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def longest_chain(graph):
    """Return the longest chain of imports in an acyclic graph, as a list of modules."""
    best = {}

    def chain(node):
        if node not in best:
            best[node] = [node] + max((chain(n) for n in graph[node]), key=len, default=[])
        return best[node]

    return max((chain(n) for n in graph), key=len)


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_only_the_wiring_imports_a_command_line_module():
    graph = import_graph()
    wrong = {(a, b) for a, targets in graph.items() for b in targets if is_cli(b) and a not in WIRING | {"kiosk"}}
    assert wrong == set()
    # create_app reaches the commands only through the wiring.
    assert {b for b in graph["kiosk"] if is_cli(b)} == set() and "kiosk.cli" in graph["kiosk"]


def test_click_is_used_only_by_command_lines():
    modules = project_modules()
    users = {name for name, path in modules.items() if "click" in third_party(name, path)}
    assert {m for m in users if not (is_cli(m) or m in WIRING)} == {"kiosk.terminal"}


def test_web_code_raises_no_click_exceptions_and_imports_no_command_line():
    graph = import_graph()
    web = [m for m in graph if m.startswith("kiosk.") and not is_cli(m) and m not in WIRING | {"kiosk.terminal"}]
    assert [m for m in web if "kiosk.terminal" in graph[m]] == []


def test_the_chain_of_imports_stays_short():
    assert len(longest_chain(import_graph())) <= 10  # 10 before the sub-packages, with web code reaching CLIs


def test_no_reference_outside_the_repository():
    found = subprocess.run(
        ["git", "grep", "-nE", r"\.\.[/]shared|/w[o]rk/", "--", ".", ":!docs/contract"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    assert found == ""


def test_test_modules_share_through_conftest_and_helpers_only():
    imports = {}
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
                imports.setdefault(path.name, set()).add(node.module)
    # Test modules never import one another, nor conftest (pytest gives its fixtures to every test).
    wrong = {
        name: {m for m in found if m.startswith("tests.test_") or m == "tests.conftest"}
        for name, found in imports.items()
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_fixtures_shared_between_modules_live_in_conftest():
    helpers = [p for p in (ROOT / "tests").glob("*.py") if not p.name.startswith("test_") and p.name != "conftest.py"]
    assert [p.name for p in helpers if "pytest.fixture" in p.read_text(encoding="utf-8")] == []


def test_durations_read_the_monotonic_clock():
    # The wall clock may be in 1970 or step when NTP corrects it; only stamps people read may use it.
    allowed = {
        ("kiosk/exhibits/quiz.py", "state"),  # a quiz's stamp in the visitor's cookie, checked both ways
    }
    found = set()
    for path in sorted([*(ROOT / "kiosk").rglob("*.py"), *(ROOT / "sync").rglob("*.py")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "time.time()" in line:
                name = path.relative_to(ROOT).as_posix()
                found.add(next(((n, w) for n, w in allowed if n == name and w in line), (name, number)))
    assert found <= allowed
