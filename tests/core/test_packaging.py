"""What ``pip install .`` ships: every package folder, and ``resources/`` inside the ``ui`` package
at the place ``ui/resources.py`` looks (a plain wheel install used to have no icon and no
stylesheet, so ``selftest --gui --strict`` failed). packaging/check-wheel.sh does the full check
(fresh venv, dependencies, the GUI selftest); this builds the wheel offline and checks its files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _package_folders() -> set[str]:
    """Every importable package of the tree, plus Alembic's script folders (shipped as packages)."""
    found = set()
    for top in ("modconsole", "ui"):
        for init in (ROOT / top).rglob("__init__.py"):
            found.add(".".join(init.parent.relative_to(ROOT).parts))
        for module in (ROOT / top).rglob("*.py"):  # a folder of modules without __init__.py is one too
            if module.parent != ROOT / top and "__pycache__" not in module.parts:
                found.add(".".join(module.parent.relative_to(ROOT).parts))
    if (ROOT / "modconsole" / "cache" / "migrations").is_dir():
        found |= {"modconsole.cache.migrations", "modconsole.cache.migrations.versions"}
    return found


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    data_only = {"ui.assets", "ui.assets.icons", "ui.assets.i18n"}
    assert _package_folders() - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - data_only - _package_folders() == set(), "listed but not in the tree"
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"ui.assets": "resources"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built offline with this venv's setuptools from a copy of the tree."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("modconsole", "ui", "resources"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q"]
    proc = subprocess.run([*cmd, "-w", str(out), str(src)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = out.glob("modconsole-*.whl")
    return built


@pytest.mark.slow
def test_wheel_carries_resources_where_ui_looks(wheel: Path, tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(n for n in names if n.startswith("ui/assets/"))
    in_repo = sorted(
        "ui/assets/" + p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file()
    )
    assert shipped == in_repo  # every file of resources/, nothing else
    assert not any(n.startswith("resources/") for n in names)  # no stray top-level package
    # the migrations import their shared helper from the package
    for needed in (
        "modconsole/py.typed",
        "modconsole/cache/migrations/env.py",
        "modconsole/cache/outbox_kind_check.py",
    ):
        assert needed in names
    assert any(n.startswith("modconsole/cache/migrations/versions/0001_") for n in names)

    # The lookup itself, from the unpacked wheel (as site-packages would hold it), outside the repo.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "from PySide6.QtGui import QGuiApplication; app = QGuiApplication([]); import ui.resources as r; "
        "print(r.resources_dir()); print(','.join(r.missing_files()) or '-'); "
        "print(not r.app_icon().isNull(), 'QHeaderView' in r.stylesheet())"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    where, missing, loaded = proc.stdout.splitlines()
    assert Path(where) == site / "ui" / "assets"
    assert missing == "-"
    assert loaded == "True True"


def test_the_checkout_lookup_finds_every_required_file() -> None:
    """From the source tree the same function falls back to resources/ (no Qt needed to ask)."""
    probe = "import ui.resources as r; print(r.resources_dir()); print(','.join(r.missing_files()) or '-')"
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [str(ROOT / "resources"), "-"]
