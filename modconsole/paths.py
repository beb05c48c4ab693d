"""Where modconsole keeps its files.

One ``Paths`` object built from platformdirs, with a single override: ``--data-dir DIR`` or
the ``MODCONSOLE_DATA_DIR`` environment variable puts *everything* (cache, settings, logs,
demo community) below that directory — tests always do this.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from modconsole import APP_NAME
from modconsole.errors import CacheError, DiskFull, StorageUnwritable

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
        """Create the folders; a folder that cannot be created raises :func:`storage_error`'s
        one-line error (read-only disk, no permission, disk full), never a bare ``OSError``."""
        for p in (self.data, self.config, self.logs, self.cache):
            make_dir(p)
        return self

    @property
    def demo_dir(self) -> Path:
        return self.data / "demo"

    def site_cache_file(self, site_url: str, username: str) -> Path:
        """One SQLite cache per site and account: ``sites/<host>[_<port>]/<username>.sqlite3``."""
        return self.data / "sites" / site_slug(site_url) / f"{_safe(username)}.sqlite3"


LOW_SPACE_BYTES = 1 << 20
"""Below this much free space a failed write is reported as "disk full"."""


def make_dir(path: Path) -> None:
    """``mkdir -p`` that fails with a named storage error instead of an ``OSError``."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, path, what=f"the folder {path}") from None


def _existing_parent(path: Path) -> Path:
    for p in (path, *path.parents):
        if p.exists():
            return p
    return path


def low_on_space(path: Path) -> bool:
    """Whether the disk holding ``path`` (or its nearest existing parent) is all but full."""
    try:
        return shutil.disk_usage(_existing_parent(path)).free < LOW_SPACE_BYTES
    except OSError:
        return False


def read_only(path: Path) -> bool:
    """Whether ``path`` (or its nearest existing parent) lies on a read-only file system."""
    where = _existing_parent(path)
    try:
        if hasattr(os, "statvfs") and os.statvfs(where).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return False


def storage_error(exc: OSError | None, path: Path, *, what: str = "") -> CacheError:
    """The one-line error for a file or folder below the data dir that cannot be written.

    Disk full (``ENOSPC``/``EDQUOT``, or almost no space left), a read-only disk (``EROFS``, or a
    read-only mount), a missing permission (``EACCES``/``EPERM``) each get their own message;
    anything else is a plain :class:`CacheError` naming the path and the system's reason."""
    code = exc.errno if exc is not None else None
    reason = (exc.strerror or type(exc).__name__) if exc is not None else "cannot be written"
    detail = f"{type(exc).__name__}: {reason}" if exc is not None else None
    subject = what or f"the folder {path}"
    cap = subject[:1].upper() + subject[1:]
    denied = code in (errno.EACCES, errno.EPERM) or (
        exc is None and not os.access(_existing_parent(path), os.W_OK)
    )
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or low_on_space(path):
        return DiskFull(
            f"The disk is full: {subject} cannot be written. Free some space and try again; "
            "nothing was lost.",
            detail=detail,
        )
    if code == errno.EROFS or read_only(path):
        return StorageUnwritable(
            f"{cap} is on a read-only disk: modconsole cannot save anything there "
            "(choose another folder with --data-dir).",
            detail=detail,
        )
    if denied:
        return StorageUnwritable(
            f"No permission to write {subject}: check who owns it, or choose another folder with --data-dir.",
            detail=detail,
        )
    return CacheError(f"{cap} cannot be written ({reason}).", detail=detail, retryable=True)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "_"


def site_slug(site_url: str) -> str:
    """A filesystem-safe name for a site URL (scheme dropped, port kept)."""
    s = re.sub(r"^[a-z]+://", "", site_url.strip().lower()).rstrip("/")
    return _safe(s.replace(":", "_").replace("/", "_"))
