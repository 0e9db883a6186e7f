"""`central` as a package of its own: installable without the kiosk's libraries, importing nothing of the kiosk,
and the old command still running it with a note that it moved."""

import ast
import json
import subprocess
import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support import ROOT

NOT_FOR_CENTRAL = {"kiosk", "sync", "PIL", "pypinyin", "qrcode"}
KIOSK_LIBRARIES = {"pillow", "pypinyin", "qrcode"}


def install_set(*extras):
    """Return the names of what `pip install .[extras]` pulls by pyproject.toml, the project's own extras followed."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = project["optional-dependencies"]
    pending = [*project["dependencies"], *(line for extra in extras for line in optional[extra])]
    names, followed = set(), set(extras)
    while pending:
        requirement = Requirement(pending.pop())
        if canonicalize_name(requirement.name) != canonicalize_name(project["name"]):
            names.add(canonicalize_name(requirement.name))
            continue
        for extra in requirement.extras - followed:
            followed.add(extra)
            pending.extend(optional[extra])
    return names


def test_central_installs_without_the_kiosks_libraries():
    assert (
        "central"
        in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    )
    assert not install_set("central") & KIOSK_LIBRARIES, install_set("central")
    assert {"flask", "werkzeug", "waitress", "sqlite-utils"} <= install_set("central")
    # The names above must be the ones the kiosk really pulls, or the first check proves nothing.
    assert KIOSK_LIBRARIES <= install_set("kiosk") and KIOSK_LIBRARIES <= install_set("test")


def imported_modules(path):
    """Yield the absolute name of every module a file under central/ imports, relative imports resolved."""
    package = list(path.relative_to(ROOT).parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level <= len(package) else ["<outside>"]
            yield ".".join([*base, node.module] if node.module else base)


def test_central_imports_nothing_of_the_kiosk():
    files = sorted((ROOT / "central").rglob("*.py"))
    assert len(files) > 10
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in NOT_FOR_CENTRAL | {"<outside>"}
    }
    assert not found


def test_central_computes_sha256_in_one_place():
    hashing = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "central").rglob("*.py")
        if "hashlib" in {name.split(".")[0] for name in imported_modules(path)}
    }
    assert hashing == {"central/checksums.py"}


def run_alias(*args, cwd=ROOT):
    """Run `python -m sync.central` with args and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "sync.central", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_the_old_command_is_an_alias_that_says_it_moved():
    result = run_alias("--help")
    assert result.returncode == 0, result.stderr
    assert "python -m central" in result.stderr and "已移至" in result.stderr
    assert all(command in result.stdout for command in ("serve", "import-bundle", "add-kiosk"))


def test_the_alias_passes_its_arguments_on(tmp_path):
    result = run_alias("add-kiosk", "hall-c-3", "--tokens", str(tmp_path / "tokens.json"))
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert json.loads((tmp_path / "tokens.json").read_text()) == {"hall-c-3": token}
