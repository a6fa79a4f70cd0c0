"""Walking, snapshots, binary detection and atomic writes of fixer.files."""

from __future__ import annotations

import codecs
import os
import pickle
import socket
import stat
import time
from pathlib import Path

import pytest

from fixer import files
from fixer.files import (
    DEFAULT_EXCLUDES,
    TEMP_PREFIX,
    FileChanged,
    FileError,
    Skip,
    Target,
    binary_reason,
    cleanup_leftovers,
    read_snapshot,
    walk,
    write_atomic,
)

TEXT = "数据：「我们的」文件\n".encode()


def make_tree(root: Path, names: list[str], data: bytes = TEXT) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def targets(results: list[Target | Skip]) -> list[Path]:
    return [item.path for item in results if isinstance(item, Target)]


def skips(results: list[Target | Skip]) -> dict[Path, str]:
    return {item.path: item.reason for item in results if isinstance(item, Skip)}


def leftovers(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.name.startswith(TEMP_PREFIX)]


# --------------------------------------------------------------------------- walk


def test_walk_is_sorted_and_recursive(tmp_path: Path) -> None:
    make_tree(tmp_path, ["b.txt", "a/z.txt", "a/b/c.txt", "C.txt", "a.md"])
    found = targets(list(walk([tmp_path])))
    assert found == [
        tmp_path / "C.txt",
        tmp_path / "a/b/c.txt",
        tmp_path / "a/z.txt",
        tmp_path / "a.md",
        tmp_path / "b.txt",
    ]
    assert found == targets(list(walk([tmp_path])))  # stable


def test_walk_keeps_argument_order_and_yields_each_path_once(tmp_path: Path) -> None:
    make_tree(tmp_path, ["b.txt", "a.txt"])
    results = list(walk([tmp_path / "b.txt", tmp_path, tmp_path / "a.txt"]))
    assert targets(results) == [tmp_path / "b.txt", tmp_path / "a.txt"]


@pytest.mark.parametrize("folder", DEFAULT_EXCLUDES)
def test_walk_skips_vcs_and_vendor_folders(tmp_path: Path, folder: str) -> None:
    make_tree(tmp_path, [f"{folder}/config", f"{folder}/sub/x.txt", "src/ok.txt"])
    make_tree(tmp_path, [f"src/{folder}/deep.txt"])
    assert targets(list(walk([tmp_path]))) == [tmp_path / "src/ok.txt"]


def test_git_file_of_a_worktree_is_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("gitdir: ../elsewhere\n")
    make_tree(tmp_path, ["ok.txt"])
    assert targets(list(walk([tmp_path]))) == [tmp_path / "ok.txt"]


def test_file_inside_git_named_directly_is_skipped(tmp_path: Path) -> None:
    make_tree(tmp_path, [".git/COMMIT_EDITMSG", ".git/hooks/pre-commit"])
    named = [tmp_path / ".git/COMMIT_EDITMSG", tmp_path / ".git/hooks", tmp_path / ".git"]
    results = list(walk(named))
    assert targets(results) == []
    assert set(skips(results)) == set(named)
    assert all(".git" in reason for reason in skips(results).values())


def test_node_modules_named_directly_is_walked(tmp_path: Path) -> None:
    make_tree(tmp_path, ["node_modules/pkg/readme.md"])
    assert targets(list(walk([tmp_path / "node_modules"]))) == [
        tmp_path / "node_modules/pkg/readme.md"
    ]


def test_excludes_match_name_relative_path_and_shown_path(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        ["keep.txt", "x.min.js", "gen/a.txt", "docs/gen/b.txt", "docs/c.txt", "build/d.txt"],
    )
    results = list(walk([tmp_path], excludes=["*.min.js", "docs/gen/*", "build/"]))
    assert targets(results) == [
        tmp_path / "docs/c.txt",
        tmp_path / "gen/a.txt",
        tmp_path / "keep.txt",
    ]
    shown = tmp_path.as_posix()
    results = list(walk([tmp_path], excludes=[f"{shown}/gen"]))
    assert tmp_path / "gen/a.txt" not in targets(results)


def test_excluded_file_named_directly_is_reported(tmp_path: Path) -> None:
    make_tree(tmp_path, ["vendor.min.js"])
    results = list(walk([tmp_path / "vendor.min.js"], excludes=["*.min.js"]))
    assert targets(results) == []
    assert "excluded" in skips(results)[tmp_path / "vendor.min.js"]


def test_symlinks_are_reported_and_untouched(tmp_path: Path) -> None:
    make_tree(tmp_path, ["real/a.txt", "outside/b.txt"])
    (tmp_path / "real/link.txt").symlink_to(tmp_path / "real/a.txt")
    (tmp_path / "real/linkdir").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "real/dangling").symlink_to(tmp_path / "nowhere")
    results = list(walk([tmp_path / "real"]))
    assert targets(results) == [tmp_path / "real/a.txt"]
    reported = skips(results)
    for name in ("link.txt", "linkdir", "dangling"):
        assert reported[tmp_path / "real" / name] == "symlink: not followed"
        assert (tmp_path / "real" / name).is_symlink()
    direct = list(walk([tmp_path / "real/link.txt"]))
    assert direct == [Skip(tmp_path / "real/link.txt", "symlink: not followed")]


def test_fifo_socket_and_device_are_skipped(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock_path))
        make_tree(tmp_path, ["z.txt"])
        results = list(walk([tmp_path, Path(os.devnull)]))  # would block if FIFO were opened
    finally:
        server.close()
    assert targets(results) == [tmp_path / "z.txt"]
    reported = skips(results)
    assert "FIFO" in reported[fifo]
    assert "socket" in reported[sock_path]
    assert "device" in reported[Path(os.devnull)]


def test_missing_path_is_reported(tmp_path: Path) -> None:
    assert list(walk([tmp_path / "nope"])) == [Skip(tmp_path / "nope", "not found")]


def test_size_limit(tmp_path: Path) -> None:
    make_tree(tmp_path, ["small.txt"], b"x" * 10)
    make_tree(tmp_path, ["big.txt"], b"x" * 11)
    results = list(walk([tmp_path], max_size=10))
    assert targets(results) == [tmp_path / "small.txt"]
    assert "too large" in skips(results)[tmp_path / "big.txt"]


def test_temp_files_are_not_walked(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.txt", f"{TEMP_PREFIX}a.txt.0123abcd"])
    results = list(walk([tmp_path]))
    assert targets(results) == [tmp_path / "a.txt"]
    direct = list(walk([tmp_path / f"{TEMP_PREFIX}a.txt.0123abcd"]))
    assert targets(direct) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any folder")
def test_unlistable_folder_is_reported(tmp_path: Path) -> None:
    make_tree(tmp_path, ["locked/a.txt"])
    (tmp_path / "locked").chmod(0)
    try:
        results = list(walk([tmp_path]))
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert "cannot list" in skips(results)[tmp_path / "locked"]


# --------------------------------------------------------------------------- snapshots


def test_read_snapshot_records_identity(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT)
    snapshot = read_snapshot(path, max_size=1000)
    info = os.stat(path)
    assert snapshot.data == TEXT
    assert (snapshot.size, snapshot.mtime_ns, snapshot.inode, snapshot.device) == (
        info.st_size,
        info.st_mtime_ns,
        info.st_ino,
        info.st_dev,
    )
    assert (snapshot.mode, snapshot.nlink) == (info.st_mode, 1)


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        ("missing", "vanished"),
        ("too_big", "too large"),
        ("symlink", "symlink"),
        ("fifo", "FIFO"),
        ("folder", "folder: not a regular file"),
    ],
)
def test_read_snapshot_errors_are_one_line(tmp_path: Path, setup: str, needle: str) -> None:
    path = tmp_path / "x\nname.txt"
    if setup == "too_big":
        path.write_bytes(b"x" * 11)
    elif setup == "symlink":
        (tmp_path / "real").write_bytes(b"x")
        path.symlink_to(tmp_path / "real")
    elif setup == "fifo":
        os.mkfifo(path)
    elif setup == "folder":
        path.mkdir()
    with pytest.raises(FileError) as caught:
        read_snapshot(path, max_size=10)
    message = str(caught.value)
    assert "\n" not in message
    assert needle in message
    assert message.startswith(files.display_path(path) + ": ")


def test_file_error_survives_pickling(tmp_path: Path) -> None:
    error = FileChanged(tmp_path / "a.txt", "changed after it was read: not modified")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is FileChanged
    assert str(copy) == str(error)
    assert copy.path == error.path


def test_undecodable_file_name_is_displayed_on_one_line(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9\n.txt")
    shown = files.display_path(tmp_path / name)
    assert "\n" not in shown
    shown.encode("utf-8")  # printable, no lone surrogates
    assert "\\xe9" in shown


# --------------------------------------------------------------------------- binary


def _signature_samples() -> list[tuple[str, bytes]]:
    return [
        ("PNG", b"\x89PNG\r\n\x1a\n" + bytes(20)),
        ("JPEG", b"\xff\xd8\xff\xe0" + b"JFIF"),
        ("GIF", b"GIF89a\x01\x00"),
        ("PDF", b"%PDF-1.7\n%text only header\n"),
        ("ZIP", b"PK\x03\x04\x14\x00"),
        ("gzip", b"\x1f\x8b\x08\x00"),
        ("bzip2", b"BZh91AY&SY" + b"\xaa" * 8),
        ("xz", b"\xfd7zXZ\x00\x00"),
        ("zstd", b"\x28\xb5\x2f\xfd\x00"),
        ("7z", b"7z\xbc\xaf\x27\x1c\x00\x04"),
        ("RAR", b"Rar!\x1a\x07\x01\x00"),
        ("ELF", b"\x7fELF\x02\x01\x01"),
        ("Mach-O", b"\xcf\xfa\xed\xfe\x07\x00"),
        ("Java class", b"\xca\xfe\xba\xbe\x00\x00\x00\x41"),
        ("PE/MZ", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("WebAssembly", b"\x00asm\x01\x00\x00\x00"),
        ("SQLite", b"SQLite format 3\x00"),
        ("TIFF", b"II*\x00\x08\x00"),
        ("WebP", b"RIFF\x24\x00\x00\x00WEBPVP8 "),
        ("ICO", b"\x00\x00\x01\x00\x01\x00"),
        ("Ogg", b"OggS\x00\x02"),
        ("MP3", b"ID3\x04\x00\x00\x00\x00\x00\x00"),
        ("MP4", b"\x00\x00\x00\x18ftypmp42"),
    ]


@pytest.mark.parametrize(("what", "data"), _signature_samples())
def test_binary_signatures(what: str, data: bytes) -> None:
    reason = binary_reason(data + "后面的文字".encode())
    assert reason is not None
    assert what.split()[0].split("/")[0] in reason


def test_nul_bytes_are_binary() -> None:
    assert binary_reason(b"text\x00more") == "NUL bytes"
    assert binary_reason(codecs.BOM_UTF8 + b"a\x00b") == "NUL bytes"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_bom_are_text(codec: str) -> None:
    text = "数据 Daten ABC\n😀 emoji\n" * 50
    boms = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }
    data = boms.get(codec, b"") + text.encode(codec)
    assert b"\x00" in data
    assert binary_reason(data) is None


def test_utf16_without_bom_or_broken_after_bom_is_binary() -> None:
    assert binary_reason("abc".encode("utf-16-le")) is not None
    assert binary_reason(codecs.BOM_UTF16_LE + b"\x00\xd8\x00\xd8\x00\x00" * 4) is not None


@pytest.mark.parametrize(
    "text",
    ["MZ is a postcode prefix.\n", "ID3 tags explained\n", "BZh is short.\n", "RIFF raff\n", ""],
)
def test_text_starting_like_a_signature_is_text(text: str) -> None:
    assert binary_reason(text.encode()) is None


def test_ordinary_and_legacy_text_is_not_binary() -> None:
    for data in (TEXT, "中文字".encode("gbk"), "日本語".encode("shift_jis"), b"\xff\xfeabc"):
        if data.startswith(b"\xff\xfe"):
            continue  # a BOM followed by odd bytes is checked above
        assert binary_reason(data) is None


# --------------------------------------------------------------------------- writing


def test_write_atomic_replaces_content_keeps_mode_and_changes_inode(tmp_path: Path) -> None:
    path = tmp_path / "script.sh"
    path.write_bytes(b"old\n")
    path.chmod(0o754)
    snapshot = read_snapshot(path, 1000)
    write_atomic(snapshot, b"new\n")
    assert path.read_bytes() == b"new\n"
    info = os.stat(path)
    assert stat.S_IMODE(info.st_mode) == 0o754
    assert info.st_ino != snapshot.inode
    assert leftovers(tmp_path) == []


def test_write_atomic_keeps_owner_and_group(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    os.chown(path, 65534, 65534)
    write_atomic(read_snapshot(path, 1000), b"new")
    info = os.stat(path)
    assert (info.st_uid, info.st_gid, path.read_bytes()) == (65534, 65534, b"new")


def test_write_atomic_refuses_when_owner_cannot_be_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    snapshot = read_snapshot(path, 1000)
    real_fstat = os.fstat

    def fstat_as_other_user(descriptor: int) -> os.stat_result:
        info = real_fstat(descriptor)
        fields = list(info)
        fields[stat.ST_UID] = info.st_uid + 1
        return os.stat_result(fields)

    def refuse(*_args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "fstat", fstat_as_other_user)
    monkeypatch.setattr(files.os, "fchown", refuse)
    with pytest.raises(FileError, match="owner or group"):
        write_atomic(snapshot, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_hard_link_is_refused_by_default(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    os.link(path, tmp_path / "b.txt")
    snapshot = read_snapshot(path, 1000)
    assert snapshot.nlink == 2
    with pytest.raises(FileError, match="hard link: not modified"):
        write_atomic(snapshot, b"new")
    assert path.read_bytes() == b"old"
    assert os.stat(path).st_nlink == 2
    assert leftovers(tmp_path) == []


def test_hard_link_created_after_reading_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    snapshot = read_snapshot(path, 1000)
    os.link(path, tmp_path / "b.txt")
    with pytest.raises(FileError, match="hard link"):
        write_atomic(snapshot, b"new")
    assert path.read_bytes() == b"old" == (tmp_path / "b.txt").read_bytes()
    assert leftovers(tmp_path) == []


def test_hard_link_can_be_broken_on_request(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    os.link(path, tmp_path / "b.txt")
    write_atomic(read_snapshot(path, 1000), b"new", break_hard_links=True)
    assert path.read_bytes() == b"new"
    assert (tmp_path / "b.txt").read_bytes() == b"old"
    assert os.stat(path).st_nlink == 1


def test_write_atomic_handles_long_and_odd_names(tmp_path: Path) -> None:
    name = "长" * 80 + ".txt"  # 244 bytes: the temporary name must be shortened
    path = tmp_path / name
    path.write_bytes(b"old")
    write_atomic(read_snapshot(path, 1000), b"new")
    assert path.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_empty_repair_and_empty_original(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"")
    write_atomic(read_snapshot(path, 1000), b"filled")
    assert path.read_bytes() == b"filled"
    write_atomic(read_snapshot(path, 1000), b"")
    assert path.read_bytes() == b""


# --------------------------------------------------------------------------- leftovers


def test_cleanup_removes_only_old_temp_files(tmp_path: Path) -> None:
    old = tmp_path / "sub" / f"{TEMP_PREFIX}a.txt.0123abcd"
    fresh = tmp_path / f"{TEMP_PREFIX}b.txt.89abcdef"
    lookalike = tmp_path / f"{TEMP_PREFIX}notes"
    in_git = tmp_path / ".git" / f"{TEMP_PREFIX}c.0123abcd"
    for path in (old, fresh, lookalike, in_git):
        make_tree(tmp_path, [str(path.relative_to(tmp_path))])
    link = tmp_path / f"{TEMP_PREFIX}d.txt.0123abcd"
    link.symlink_to(tmp_path / "sub")
    long_ago = time.time() - 3600
    for path in (old, lookalike, in_git):
        os.utime(path, (long_ago, long_ago))
    removed = cleanup_leftovers([tmp_path])
    assert removed == [old]
    assert not old.exists()
    assert fresh.exists() and lookalike.exists() and in_git.exists() and link.is_symlink()


def test_cleanup_for_a_file_argument_looks_in_its_folder(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.txt", f"{TEMP_PREFIX}a.txt.0123abcd"])
    removed = cleanup_leftovers([tmp_path / "a.txt"], min_age=0, now=time.time() + 1)
    assert removed == [tmp_path / f"{TEMP_PREFIX}a.txt.0123abcd"]
    assert (tmp_path / "a.txt").read_bytes() == TEXT


def test_unchanged_data_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT)
    os.link(path, tmp_path / "b.txt")  # would be refused if a write were attempted
    before = os.stat(path)
    write_atomic(read_snapshot(path, 1000), TEXT)
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
