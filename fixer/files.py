"""The file layer: finding files to repair and rewriting them safely in place.

fixer is often run from a pre-commit hook that nobody watches, so this module
keeps one promise: after any run, however it ends (an error, a full disk, a
concurrent editor, SIGKILL), each file is either exactly as it was or exactly
its repair.  The tools are:

- :func:`walk` lists what to repair, in a stable order, without following
  symlinks or entering version-control folders;
- :func:`read_snapshot` reads a file together with what identifies its state;
- :func:`write_atomic` writes a repair through a temporary file in the same
  folder and renames it over the original only if the original still matches
  its snapshot;
- :func:`cleanup_leftovers` removes temporary files left by a killed run.

Everything here works on bytes; decoding, line endings and BOMs belong to the
text layer.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from fixer.config import FixerConfig

#: Every temporary file fixer creates starts with this, so it is easy to recognise.
TEMP_PREFIX = ".fixer-tmp-"
#: Length of the random hexadecimal suffix of a temporary file name.
_TEMP_TOKEN_HEX = 8
_TEMP_NAME = re.compile(
    re.escape(TEMP_PREFIX) + r".*\.[0-9a-f]{" + str(_TEMP_TOKEN_HEX) + r"}\Z", re.DOTALL
)
#: Longest file name most file systems accept, in bytes.
_NAME_MAX = 255

#: Version-control metadata folders: never walked, never written, even when named directly.
VCS_DIRS: tuple[str, ...] = (".git", ".hg", ".svn", ".bzr", "_darcs", "CVS")
#: Folders skipped while recursing.  ``node_modules`` is included because it
#: holds third-party packages that a package manager rewrites at will: repairing
#: them changes nobody's source and can take minutes.  Unlike the VCS folders it
#: is walked when named directly.
DEFAULT_EXCLUDES: tuple[str, ...] = (*VCS_DIRS, "node_modules")
#: Default size limit, the same as the ``max_size`` option.
DEFAULT_MAX_SIZE: int = FixerConfig().max_size
#: Leftover temporary files younger than this (seconds) may belong to a run in progress.
LEFTOVER_MIN_AGE = 10.0
#: How much of a UTF-16/32 file is decoded to confirm that its BOM is not an accident.
_BOM_CHECK_BYTES = 8192


class FileError(Exception):
    """A file could not be read or written; the message is one line: ``<path>: <reason>``."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = _one_line(reason)
        super().__init__(f"{display_path(self.path)}: {self.reason}")

    def __reduce__(self) -> tuple[type[FileError], tuple[Path, str]]:
        """Pickle by path and reason, so errors cross process pools intact."""
        return (type(self), (self.path, self.reason))


class FileChanged(FileError):
    """The file changed or vanished after it was read; it was left as it now is."""


class Skip(NamedTuple):
    """A path that is reported and never modified."""

    path: Path
    reason: str


class Target(NamedTuple):
    """A regular file to read and perhaps repair."""

    path: Path


class Snapshot(NamedTuple):
    """A file's content and the metadata that tells whether it changed since."""

    path: Path
    data: bytes
    size: int
    mtime_ns: int
    inode: int
    device: int
    mode: int
    nlink: int


def display_path(path: Path | str) -> str:
    """Show a path on one printable line (control characters and undecodable bytes escaped)."""
    text = os.fspath(path)
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _os_reason(error: OSError) -> str:
    """The reason part of an OSError, without the file name it may repeat."""
    if error.strerror:
        name = errno.errorcode.get(error.errno or 0)
        return f"{error.strerror} ({name})" if name else error.strerror
    return str(error) or type(error).__name__


# --------------------------------------------------------------------------- walking


def _normalise_pattern(pattern: str) -> str:
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or pattern


def _matching_pattern(patterns: Sequence[str], name: str, *paths: str) -> str | None:
    for pattern in patterns:
        if fnmatch.fnmatchcase(name, pattern):
            return pattern
        for candidate in paths:
            if fnmatch.fnmatchcase(candidate, pattern):
                return pattern
    return None


def _special_reason(mode: int) -> str | None:
    """Why a non-regular, non-folder file is skipped, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "symlink: not followed"
    if stat.S_ISDIR(mode):
        return "folder: not a regular file"
    if stat.S_ISFIFO(mode):
        return "FIFO: not a regular file"
    if stat.S_ISSOCK(mode):
        return "socket: not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device: not a regular file"
    return "not a regular file"


def _too_large(size: int, max_size: int) -> str:
    return f"too large: {size} bytes, limit {max_size} (raise max_size to include it)"


def _inside_vcs(path: Path) -> str | None:
    for part in Path(os.path.abspath(path)).parts:
        if part in VCS_DIRS:
            return part
    return None


def walk(
    paths: Sequence[Path],
    excludes: Sequence[str] = (),
    max_size: int = DEFAULT_MAX_SIZE,
) -> Iterator[Target | Skip]:
    """Yield a Target for every regular file to repair and a Skip for what is left alone.

    Arguments are walked in the order given; folders recurse in sorted name
    order, so the output is stable.  While recursing, :data:`DEFAULT_EXCLUDES`
    folders, fixer's own temporary files and paths matching an *excludes* glob
    are left out silently.  A glob matches the name, the path relative to the
    argument it was found under, or the path as it would be displayed (``*``
    also crosses ``/``; a trailing ``/`` is ignored).

    Reported as Skip: a path that does not exist or cannot be listed; a symlink
    (never followed, so never rewritten into a regular file); FIFOs, sockets and
    devices; files over *max_size*; a path named directly that lies inside a
    version-control folder, matches an exclude, or is a temporary file.  Each
    path is yielded at most once.
    """
    patterns = [_normalise_pattern(pattern) for pattern in excludes if pattern.strip()]
    seen: set[str] = set()
    for root in paths:
        root = Path(root)
        vcs = _inside_vcs(root)
        if vcs is not None:
            yield Skip(root, f"inside {vcs}: version-control data is never modified")
            continue
        shown = root.as_posix()
        pattern = _matching_pattern(patterns, root.name, shown)
        if pattern is not None:
            yield Skip(root, f"excluded by {pattern!r}")
            continue
        if root.name.startswith(TEMP_PREFIX):
            yield Skip(root, "fixer temporary file")
            continue
        yield from _walk_entry(root, "", patterns, max_size, seen)


def _walk_entry(
    path: Path, relative: str, patterns: list[str], max_size: int, seen: set[str]
) -> Iterator[Target | Skip]:
    key = os.path.normpath(os.path.abspath(path))
    if key in seen:
        return
    seen.add(key)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        yield Skip(path, "not found")
        return
    except OSError as error:
        yield Skip(path, f"cannot stat: {_os_reason(error)}")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk_folder(path, relative, patterns, max_size, seen)
        return
    reason = _special_reason(info.st_mode)
    if reason is not None:
        yield Skip(path, reason)
    elif info.st_size > max_size:
        yield Skip(path, _too_large(info.st_size, max_size))
    else:
        yield Target(path)


def _walk_folder(
    folder: Path, relative: str, patterns: list[str], max_size: int, seen: set[str]
) -> Iterator[Target | Skip]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as error:
        yield Skip(folder, f"cannot list folder: {_os_reason(error)}")
        return
    for name in names:
        if name in DEFAULT_EXCLUDES or name.startswith(TEMP_PREFIX):
            continue
        child = folder / name
        child_relative = f"{relative}/{name}" if relative else name
        if _matching_pattern(patterns, name, child_relative, child.as_posix()) is not None:
            continue
        yield from _walk_entry(child, child_relative, patterns, max_size, seen)


# --------------------------------------------------------------------------- reading


def read_snapshot(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> Snapshot:
    """Read a regular file and the metadata :func:`write_atomic` checks before replacing it.

    Symlinks are not followed.  Raises FileError (one line) when the file is
    over *max_size*, not a regular file, unreadable or gone.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise FileError(path, "vanished before it could be read") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise FileError(path, "symlink: not followed") from None
        raise FileError(path, f"cannot read: {_os_reason(error)}") from None
    try:
        info = os.fstat(descriptor)
        reason = _special_reason(info.st_mode)
        if reason is not None:
            raise FileError(path, reason)
        if info.st_size > max_size:
            raise FileError(path, _too_large(info.st_size, max_size))
        chunks = []
        remaining = max_size + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_size:
            raise FileError(path, _too_large(len(data), max_size))
        after = os.fstat(descriptor)
    except OSError as error:
        raise FileError(path, f"cannot read: {_os_reason(error)}") from None
    finally:
        os.close(descriptor)
    if (after.st_size, after.st_mtime_ns) != (info.st_size, info.st_mtime_ns) or len(
        data
    ) != after.st_size:
        raise FileChanged(path, "changed while it was being read")
    return Snapshot(
        path=path,
        data=data,
        size=after.st_size,
        mtime_ns=after.st_mtime_ns,
        inode=after.st_ino,
        device=after.st_dev,
        mode=after.st_mode,
        nlink=after.st_nlink,
    )


def stat_snapshot(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> Snapshot:
    """The metadata of a regular file too large to hold in memory (``data`` is empty).

    :func:`write_atomic` then checks inode, size and mtime before replacing it,
    and takes the new content as an iterable of chunks.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise FileError(path, "vanished before it could be read") from None
    except OSError as error:
        raise FileError(path, f"cannot read: {_os_reason(error)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise FileError(path, "symlink: not followed")
    reason = _special_reason(info.st_mode)
    if reason is not None:
        raise FileError(path, reason)
    if info.st_size > max_size:
        raise FileError(path, _too_large(info.st_size, max_size))
    return Snapshot(
        path,
        b"",
        info.st_size,
        info.st_mtime_ns,
        info.st_ino,
        info.st_dev,
        info.st_mode,
        info.st_nlink,
    )


# --------------------------------------------------------------------------- binary data

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

#: (offset, magic bytes, what it is).  Short ASCII magics that ordinary text
#: could start with are checked more strictly in :func:`_signature`.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive"),
    (0, b"PK\x05\x06", "ZIP archive"),
    (0, b"PK\x07\x08", "ZIP archive"),
    (0, b"\x1f\x8b", "gzip data"),
    (0, b"\xfd7zXZ\x00", "xz data"),
    (0, b"\x28\xb5\x2f\xfd", "zstd data"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (0, b"\x7fELF", "ELF executable"),
    (0, b"\xfe\xed\xfa\xce", "Mach-O executable"),
    (0, b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (0, b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (0, b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (0, b"\xca\xfe\xba\xbe", "Java class or Mach-O universal binary"),
    (0, b"\x00asm", "WebAssembly module"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"\x00\x00\x01\x00", "ICO image"),
    (0, b"OggS\x00", "Ogg media"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"ID3", "MP3 audio"),
    (0, b"wOFF", "WOFF font"),
    (0, b"wOF2", "WOFF2 font"),
    (0, b"\x1bLua", "Lua bytecode"),
    (0, b"MThd\x00\x00\x00\x06", "MIDI audio"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE compound document (old Office)"),
)
_RIFF_FORMS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}
_BZIP2_BLOCK_MAGICS = (b"1AY&SY", b"\x17rE8P\x90")


def _signature(data: bytes) -> str | None:
    for offset, magic, what in _SIGNATURES:
        if data.startswith(magic, offset):
            if magic == b"ID3" and not (len(data) >= 10 and data[3] < 0x10):
                continue  # "ID3" followed by text is text; a tag has a binary version byte
            return what
    if data.startswith(b"RIFF") and len(data) >= 12:
        return _RIFF_FORMS.get(data[8:12], "RIFF media")
    if data[4:8] == b"ftyp" and len(data) >= 12:
        return "MP4/QuickTime media"
    if (
        data.startswith(b"BZh")
        and len(data) >= 10
        and data[3:4].isdigit()
        and data[4:10] in _BZIP2_BLOCK_MAGICS
    ):
        return "bzip2 data"
    if data.startswith(b"MZ") and b"\x00" in data[2:64]:
        return "PE/MZ executable"
    return None


def _bom_text(data: bytes) -> bool:
    """True when *data* starts with a UTF-16/32 BOM and its start decodes in that encoding."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            unit = 4 if "32" in codec else 2
            sample = data[len(bom) : _BOM_CHECK_BYTES]
            sample = sample[: len(sample) - len(sample) % unit]
            try:
                sample.decode(codec)
            except UnicodeDecodeError as error:
                # a sample cut through a surrogate pair is still text
                return error.start >= len(sample) - 2 * unit
            return True
    return False


def binary_reason(data: bytes) -> str | None:
    """Why *data* is binary, not text (``"PNG image"``, ``"NUL bytes"``), or None for text.

    Known file signatures come first.  NUL bytes mean binary, except in data
    that starts with a UTF-16 or UTF-32 BOM and decodes in that encoding.
    """
    what = _signature(data)
    if what is not None:
        return what
    if b"\x00" in data and not _bom_text(data):
        return "NUL bytes"
    return None


# --------------------------------------------------------------------------- writing


def _temp_name(name: str) -> str:
    """TEMP_PREFIX + name + "." + random hex, shortened to fit a file-name limit."""
    token = os.urandom(_TEMP_TOKEN_HEX // 2).hex()
    budget = _NAME_MAX - len(TEMP_PREFIX) - 1 - len(token)
    encoded = os.fsencode(name)
    if len(encoded) > budget:
        name = os.fsdecode(encoded[:budget])
        while len(os.fsencode(name)) > budget:  # a cut in a multibyte character
            name = name[:-1]
    return f"{TEMP_PREFIX}{name}.{token}"


def _remove_quietly(path: Path) -> None:
    """Remove a temporary file; if that fails too, cleanup_leftovers removes it later."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        if written <= 0:
            raise OSError(errno.EIO, "write made no progress")
        view = view[written:]


def _copy_xattrs(path: Path, descriptor: int) -> None:
    """Copy extended attributes (ACLs, labels) where the platform has them; best effort."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            os.setxattr(descriptor, name, os.getxattr(path, name, follow_symlinks=False))


def _check_unchanged(snapshot: Snapshot, path: Path) -> os.stat_result:
    """Raise FileChanged unless *path* is still the file and content of *snapshot*."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise FileChanged(path, "vanished after it was read: not written") from None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise FileChanged(path, "replaced by something else after it was read: not modified")
    if (info.st_ino, info.st_dev) != (snapshot.inode, snapshot.device):
        raise FileChanged(path, "replaced by another file after it was read: not modified")
    if (info.st_size, info.st_mtime_ns) != (snapshot.size, snapshot.mtime_ns):
        raise FileChanged(path, "changed after it was read: not modified")
    if len(snapshot.data) != snapshot.size:
        return info  # a metadata-only snapshot of a file too large to hold: stat checks only
    # Same size and time stamp can still hide an edit on coarse-clock file systems.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        current = bytearray()
        while len(current) <= snapshot.size:
            chunk = os.read(descriptor, 1 << 20)
            if not chunk:
                break
            current += chunk
    finally:
        os.close(descriptor)
    if current != snapshot.data:
        raise FileChanged(path, "changed after it was read: not modified")
    return info


def _sync_folder(folder: Path) -> None:
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(descriptor)


def write_atomic(
    snapshot: Snapshot, new_data: bytes | Iterable[bytes], *, break_hard_links: bool = False
) -> None:
    """Replace the file of *snapshot* with *new_data*, all at once or not at all.

    The data goes to ``TEMP_PREFIX + name + "." + random`` in the same folder,
    is flushed and fsynced, gets the original's permission bits, owner and
    group (and, best effort, extended attributes).  Then the original is checked
    against the snapshot (inode, size, mtime_ns and content); if it changed or
    vanished, FileChanged is raised and the newer file is left alone.
    Otherwise ``os.replace`` swaps the files and the folder is fsynced.  The
    file's inode changes; its mtime becomes now.

    Hard links: a file with more than one link is refused with FileError,
    because replacing it would give this name the repair and leave the other
    names with the old content.  ``break_hard_links=True`` replaces it anyway
    (the link is broken; this name gets the repair atomically).

    Owner: when the original's owner or group cannot be given to the new file
    (a non-root user repairing someone else's file in a shared folder), the
    file is refused rather than silently taken over.

    When *new_data* equals the snapshot's data nothing is written.

    Any OSError becomes a one-line FileError naming the file; the temporary
    file is removed on every failure, including KeyboardInterrupt.  An error
    raised after the replace (syncing the folder) says so: the file then holds
    the repair but the change may not survive a power loss.
    """
    path = Path(snapshot.path)
    if isinstance(new_data, bytes) and new_data == snapshot.data:
        return  # nothing to change: the file (and its mtime) stays as it is
    if snapshot.nlink > 1 and not break_hard_links:
        raise FileError(path, "hard link: not modified (replacing would break the link)")
    folder = path.parent
    temp = folder / _temp_name(path.name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    replaced = False
    try:
        descriptor = os.open(temp, flags, 0o600)
    except OSError as error:
        raise FileError(path, f"cannot create a temporary file: {_os_reason(error)}") from None
    try:
        try:
            expected = 0
            for piece in [new_data] if isinstance(new_data, bytes) else new_data:
                _write_all(descriptor, piece)
                expected += len(piece)
            _keep_owner(path, snapshot, descriptor)
            os.fchmod(descriptor, stat.S_IMODE(snapshot.mode))
            _copy_xattrs(path, descriptor)
            os.fsync(descriptor)
            written = os.fstat(descriptor).st_size
        finally:
            os.close(descriptor)
        if written != expected:
            raise FileError(path, f"short write: {written} of {expected} bytes: not modified")
        info = _check_unchanged(snapshot, path)
        if info.st_nlink > 1 and not break_hard_links:
            raise FileError(path, "hard link: not modified (replacing would break the link)")
        os.replace(temp, path)
        replaced = True
        _sync_folder(folder)
    except FileError:
        _remove_quietly(temp)
        raise
    except OSError as error:
        if replaced:
            raise FileError(
                path,
                f"repaired, but syncing its folder failed: {_os_reason(error)}; "
                "the change may not survive a crash",
            ) from None
        _remove_quietly(temp)
        raise FileError(path, f"not modified: {_os_reason(error)}") from None
    except BaseException:
        if not replaced:
            _remove_quietly(temp)
        raise


def _keep_owner(path: Path, snapshot: Snapshot, descriptor: int) -> None:
    """Give the temporary file the original's owner and group, or refuse the write."""
    if not hasattr(os, "fchown"):
        return
    try:
        original = os.lstat(path)
    except FileNotFoundError:
        raise FileChanged(path, "vanished after it was read: not written") from None
    mine = os.fstat(descriptor)
    if (mine.st_uid, mine.st_gid) == (original.st_uid, original.st_gid):
        return
    try:
        os.fchown(descriptor, original.st_uid, original.st_gid)
    except PermissionError:
        raise FileError(
            path,
            f"owner or group ({original.st_uid}:{original.st_gid}) cannot be kept: not modified",
        ) from None


# --------------------------------------------------------------------------- leftovers


def is_temp_name(name: str) -> bool:
    """True for a name fixer gives its temporary files."""
    return _TEMP_NAME.match(name) is not None


def cleanup_leftovers(
    paths: Sequence[Path], min_age: float = LEFTOVER_MIN_AGE, now: float | None = None
) -> list[Path]:
    """Remove temporary files left by an interrupted run; return what was removed.

    Folders are searched recursively (symlinks not followed, VCS folders and
    ``node_modules`` skipped); for a file argument its own folder is searched.
    Only regular files whose name has the full temporary-file pattern and whose
    mtime is at least *min_age* seconds old are removed: younger ones may belong
    to a fixer running right now (pre-commit runs hooks in parallel).
    """
    moment = time.time() if now is None else now
    removed: list[Path] = []
    folders: list[tuple[Path, bool]] = []
    for path in paths:
        path = Path(path)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            folders.append((path, True))
        elif not stat.S_ISLNK(info.st_mode):
            folders.append((path.parent, False))
    seen: set[str] = set()
    for folder, recursive in folders:
        for candidate in _leftover_candidates(folder, recursive, seen):
            try:
                info = os.lstat(candidate)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode) or moment - info.st_mtime < min_age:
                continue
            try:
                os.unlink(candidate)
            except OSError:
                continue
            removed.append(candidate)
    return removed


def _leftover_candidates(folder: Path, recursive: bool, seen: set[str]) -> Iterator[Path]:
    key = os.path.normpath(os.path.abspath(folder))
    if key in seen:
        return
    seen.add(key)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if is_temp_name(entry.name):
            yield Path(entry.path)
        elif recursive and entry.name not in DEFAULT_EXCLUDES:
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_folder:
                yield from _leftover_candidates(Path(entry.path), True, seen)
