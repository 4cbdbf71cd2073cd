"""Writers of the tools' native export files (one module per tool).

Each module turns the simulated world into the files its tool really writes (file names,
headers, value formats, quirks), citing the tool's public documentation of the format in its
docstring and in ``seeds/README.md``. A module declares the landing folders it writes in
``FOLDERS``; the generator clears exactly those (and the generic tables of ``schema.TABLES``)
before writing.
"""

from __future__ import annotations

import importlib
import pkgutil


def native_folders() -> list[str]:
    """Landing folders written by the native export modules of this package."""
    folders: list[str] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        folders.extend(getattr(loaded, "FOLDERS", ()))
    return folders
