"""`central` as a package of its own: the old command still runs it, with a note that it moved."""
import json
import subprocess
import sys

from tests.conftest import ROOT


def run_alias(*args, cwd=ROOT):
    """Run `python -m sync.central` with args and return the finished process."""
    return subprocess.run([sys.executable, "-m", "sync.central", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60)


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
