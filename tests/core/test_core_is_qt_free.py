"""The core must import without Qt: every module of ``modconsole`` is imported in a fresh
interpreter and neither PySide6 nor pyqtgraph may end up in ``sys.modules``."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import modconsole
from tests.helpers.waits import WAIT_S


def _all_modules() -> list[str]:
    names = ["modconsole"]
    for info in pkgutil.walk_packages(modconsole.__path__, prefix="modconsole."):
        if ".cache.migrations" in info.name or info.name == "modconsole.__main__":
            continue
        names.append(info.name)
    return names


def test_every_core_module_imports_without_qt() -> None:
    modules = _all_modules()
    assert len(modules) > 3
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "qt = ('PySide6', 'pyqtgraph', 'shiboken6', 'ui')\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in qt)\n"
        "print(json.dumps(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=WAIT_S
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == [], f"the core pulled in Qt or the ui package: {loaded}"
