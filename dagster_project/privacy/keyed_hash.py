"""Keyed hashes (HMAC-SHA256) of personal data, computed in SQL, and the secrets behind them.

Two secrets, from the environment (or a file named by ``<VAR>_FILE``), never defaulted:

* ``CRM_PSEUDONYM_KEY``: the key of the pseudonyms in the published warehouse. Changing it
  changes every pseudonym (BI joins inside one publication keep working).
* ``CRM_ERASURE_KEY``: the key of the erasure register (``audit.erased_identifiers``). It must
  stay the same for the life of the warehouse: the loader drops re-delivered rows of erased
  people by comparing keyed hashes.

``hmac_sql`` writes HMAC-SHA256 as plain SQL (``sha256``, ``unhex``, ``encode``: DuckDB; Spark
has ``sha2``/``unhex``/``encode``): the key is folded into its inner and outer pads in Python, so
the SQL carries the pads, never the key; the result equals Python's
``hmac.new(key, value.encode(), sha256).hexdigest()``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

PSEUDONYM_KEY_ENV = "CRM_PSEUDONYM_KEY"
ERASURE_KEY_ENV = "CRM_ERASURE_KEY"
MIN_KEY_BYTES = 16
_BLOCK = 64  # SHA-256 block size


class MissingSecretError(RuntimeError):
    """A secret the operation needs is not configured."""


def secret(env: str, purpose: str) -> bytes:
    """The secret of ``env`` (or of the file ``<env>_FILE`` names); a clear error when absent or short."""
    value = os.environ.get(env, "")
    file_name = os.environ.get(f"{env}_FILE", "").strip()
    if not value and file_name:
        path = Path(file_name).expanduser()
        if not path.is_file():
            raise MissingSecretError(f"{env}_FILE={file_name} does not exist ({purpose})")
        value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise MissingSecretError(
            f"{env} is not set: {purpose} needs a secret key. Set {env} (or {env}_FILE, a file holding it)"
            f" to at least {MIN_KEY_BYTES} random characters, e.g. `export {env}=$(python -c"
            " 'import secrets; print(secrets.token_hex(32))')`, and keep it out of the repository."
        )
    if len(value.encode("utf-8")) < MIN_KEY_BYTES:
        raise MissingSecretError(f"{env} is shorter than {MIN_KEY_BYTES} bytes: use a longer random secret")
    return value.encode("utf-8")


def hmac_hex(key: bytes, value: str) -> str:
    """The reference implementation (Python)."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def _pads(key: bytes) -> tuple[str, str]:
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key).hex(), bytes(b ^ 0x5C for b in key).hex()


def hmac_sql(expression: str, key: bytes) -> str:
    """SQL of HMAC-SHA256(key, expression) as 64 lower-case hex digits; null stays null."""
    inner, outer = _pads(key)
    return f"sha256(unhex('{outer}') || unhex(sha256(unhex('{inner}') || encode(cast({expression} as varchar)))))"


def optional_secret(env: str, purpose: str) -> bytes | None:
    """The secret of ``env`` when one is configured, else None (a configured but unusable one still raises)."""
    if not os.environ.get(env, "") and not os.environ.get(f"{env}_FILE", "").strip():
        return None
    return secret(env, purpose)


WITHHELD = "<withheld: personal data>"
SAMPLE_HASH_PREFIX = "hmac:"
SAMPLE_HASH_HEX = 16


def sample_pseudonym(key: bytes | None, value: object) -> object:
    """A personal value shown as a sample (audit, check metadata): ``hmac:<16 hex>`` of its text with
    the pseudonym key, :data:`WITHHELD` without a key; null stays null."""
    if value is None:
        return None
    if key is None:
        return WITHHELD
    return SAMPLE_HASH_PREFIX + hmac_hex(key, str(value))[:SAMPLE_HASH_HEX]


def write_key_file(path: Path) -> bool:
    """Create ``path`` holding a random 256-bit key (hex), mode 0600, unless it exists; True when created."""
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
    return True
