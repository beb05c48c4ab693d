"""Where modconsole keeps its files.

One ``Paths`` object built from platformdirs, with a single override: ``--data-dir DIR`` or
the ``MODCONSOLE_DATA_DIR`` environment variable puts *everything* (cache, settings, logs,
demo community) below that directory — tests always do this.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from modconsole import APP_NAME

ENV_DATA_DIR = "MODCONSOLE_DATA_DIR"


@dataclass(frozen=True)
class Paths:
    data: Path
    config: Path
    logs: Path
    cache: Path

    @classmethod
    def default(cls, data_dir: str | os.PathLike[str] | None = None) -> Paths:
        root = data_dir or os.environ.get(ENV_DATA_DIR)
        if root:
            base = Path(root).expanduser().resolve()
            return cls(data=base / "data", config=base / "config", logs=base / "logs", cache=base / "cache")
        return cls(
            data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            logs=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    def ensure(self) -> Paths:
        for p in (self.data, self.config, self.logs, self.cache):
            p.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def demo_dir(self) -> Path:
        return self.data / "demo"

    def site_cache_file(self, site_url: str, username: str) -> Path:
        """One SQLite cache per site and account: ``sites/<host>[_<port>]/<username>.sqlite3``."""
        return self.data / "sites" / site_slug(site_url) / f"{_safe(username)}.sqlite3"


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "_"


def site_slug(site_url: str) -> str:
    """A filesystem-safe name for a site URL (scheme dropped, port kept)."""
    s = re.sub(r"^[a-z]+://", "", site_url.strip().lower()).rstrip("/")
    return _safe(s.replace(":", "_").replace("/", "_"))
