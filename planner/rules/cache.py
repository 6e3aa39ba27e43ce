"""The checked protocol kept beside the package, as Python keeps its bytecode.

Reading `protocol.toml` (the TOML parse, then every check of `planner.rules.reading`) is a
fixed cost of each start, the first frame's included, for a result that only changes with
the protocol or the code that reads it. So the Rules are kept as MessagePack in the
package's `__pycache__` folder, named by a key: a hash (BLAKE2) of the protocol's bytes, of the
source of the modules that turn it into Rules, and of msgspec's version. Another protocol
or reader has another key, so a cache is never used for anything but what it was made
from; a cache that can't be read or decoded is ignored and made again.

Written as Python writes bytecode: not when bytecode writing is off (PYTHONDONTWRITEBYTECODE
or `-B`), and best effort: a folder we may not write (a system-wide install) only means
each start reads the TOML. `write(..., force=True)` is for the benchmarks, which prepare
every cache a first run would leave, as they compile the bytecode.
"""

import os
import sys
from pathlib import Path

import msgspec

from planner import model, rules

try:  # CPython's own BLAKE2: hashlib would load OpenSSL, a tenth of the saving, first
    from _blake2 import blake2b
except ImportError:  # another Python
    from hashlib import blake2b

FOLDER = Path(__file__).with_name("__pycache__")
PREFIX, SUFFIX = "protocol.", ".msgpack"
FORMAT = b"rules-cache 1"  # bumped if the way the cache is written ever changes
# The code that decides what the Rules read from the TOML hold: the records, the reader
# and the enums they use. A change to any of them is a new key.
SOURCES = (
    Path(rules.__file__),
    Path(rules.__file__).with_name("reading.py"),
    Path(model.__file__),
)


def key(protocol: bytes) -> str:
    """The cache key of this protocol read by this code (hex, 32 characters)."""
    digest = blake2b(FORMAT, digest_size=16)
    digest.update(msgspec.__version__.encode())
    for data in (protocol, *(path.read_bytes() for path in SOURCES)):
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def path_for(cache_key: str, folder: Path | None = None) -> Path:
    """Where the cache of a key lives (in `folder`, by default the package's)."""
    return (folder or FOLDER) / f"{PREFIX}{cache_key}{SUFFIX}"


def read(cache_key: str, folder: Path | None = None) -> "rules.Rules | None":
    """The Rules kept under `cache_key`, or None when there is no usable cache."""
    try:
        data = path_for(cache_key, folder).read_bytes()
        return msgspec.msgpack.decode(data, type=rules.Rules)
    except (OSError, msgspec.DecodeError):  # ValidationError is a DecodeError
        return None


def write(
    cache_key: str, checked: "rules.Rules", folder: Path | None = None, *, force: bool = False
) -> bool:
    """Keep `checked` (Rules that passed every check) under `cache_key`; whether it was
    written. Never raises: a cache that can't be written is no error."""
    if sys.dont_write_bytecode and not force:
        return False
    folder = folder or FOLDER
    target = path_for(cache_key, folder)
    import tempfile  # writing only

    temp = None
    try:
        folder.mkdir(exist_ok=True)
        descriptor, temp = tempfile.mkstemp(prefix=".protocol-", suffix=".tmp", dir=folder)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(msgspec.msgpack.encode(checked))
        os.chmod(temp, 0o644)  # the shipped protocol: nothing private, as a .pyc
        # os.replace: a reader sees the whole old file or the whole new one, never a part.
        os.replace(temp, target)
        temp = None
        for old in folder.glob(f"{PREFIX}*{SUFFIX}"):  # caches of earlier protocols
            if old != target:
                old.unlink(missing_ok=True)
        return True
    except OSError:
        return False
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
