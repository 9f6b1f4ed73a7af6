"""Every file chainlead writes goes through here: guarded, whole or absent, owner-only.

Reports in every format, snapshots and backups are written by one writer:

- **Guarded.** An output never lands on the database in use, its ``-wal``,
  ``-shm`` or ``-journal`` file, whatever the spelling of the path (a
  symlink, a hard link, ``./`` or ``..``: files are compared by device and
  inode, names by their resolved path). An existing SQLite database, or a
  chainlead snapshot about to be replaced by another kind of output, is kept
  unless ``--force`` is given; the database in use is kept even then.
- **Whole or absent.** A regular file is written to a temporary file in the
  same folder, flushed to disk, renamed over the target, and the folder is
  flushed too. A symlink to a file keeps the link: its target is replaced.
- **Owner-only.** Files are created 0600 whatever the umask: a report
  holds names and contacts as the database does.
- **Written through** when the path is a character device or a FIFO (or a
  link to one): opened and written as a shell redirection would, with no
  temporary file and no rename. ``-`` is stdout where a command allows it.

``plan`` checks a target before any work is done (a refusal writes
nothing); ``opened`` and ``replaced`` write it, checking the guard again just
before the file appears.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO

from chainlead.errors import InvalidInput, OutputRefused
from chainlead.i18n import _

STDOUT = "-"
SIDECARS = ("", "-wal", "-shm", "-journal")
SQLITE_HEADER = b"SQLite format 3\x00"
_SNAPSHOT_MARK = b"chainlead-snapshot"


def database_files(path: Path) -> tuple[Path, ...]:
    """A SQLite database file and its ``-wal``, ``-shm`` and ``-journal`` files."""
    return tuple(Path(str(path) + suffix) for suffix in SIDECARS)


class Kind(StrEnum):
    """What an output holds: an existing file of another kind is not replaced silently."""

    report = "report"
    snapshot = "snapshot"
    backup = "backup"


@dataclass(frozen=True)
class Output:
    """A checked output target. ``path`` is None for stdout."""

    option: str
    given: str
    path: Path | None
    kind: Kind
    protected: tuple[Path, ...]
    through: bool = False  # a device or FIFO: written in place

    @property
    def shown(self) -> str:
        return "stdout" if self.path is None else self.given


def plan(
    option: str,
    given: str,
    *,
    kind: Kind,
    database: Path | None,
    force: bool = False,
    stdout: bool = True,
) -> Output:
    """Check ``given`` as the target of ``option`` before any work is done.

    ``database``: the SQLite file in use (None on a server); it and its
    sidecar files are never written. Refusals name the option and the path.
    """
    protected = database_files(database) if database else ()
    if given == STDOUT:
        if not stdout:
            raise InvalidInput(
                option, _("expected a file path ('-' for stdout is not accepted here)")
            )
        return Output(option, given, None, kind, protected)
    if not given.strip():
        raise InvalidInput(option, _("expected a file path"), given)
    path = Path(given).expanduser()
    _refuse_protected(option, given, path, protected)
    try:
        info = path.stat()  # follows links: what would be written
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputRefused(
            _("{option}: cannot use {given}: {strerror}").format(
                option=option, given=given, strerror=exc.strerror
            )
        ) from None
    if info is None:
        final = Path(os.path.realpath(path))
        if final.is_dir():  # "missing/.." spellings
            raise InvalidInput(option, _("expected a file name, not a directory"), given)
        folder = final.parent
        if not folder.is_dir():
            raise InvalidInput(option, _missing_folder(folder), given)
        return Output(option, given, path, kind, protected)
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(option, _("expected a file name, not a directory"), given)
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        if kind is Kind.backup:
            raise InvalidInput(option, _("expected a regular file for a backup"), given)
        return Output(option, given, path, kind, protected, through=True)
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(option, _("expected a regular file, a device or a pipe"), given)
    if kind is Kind.backup:
        raise OutputRefused(
            _("{option}: {given} already exists; choose another name").format(
                option=option, given=given
            )
        )
    held = _holds(path)
    if held is not None and held != kind and not force:
        if held == "database":
            said = _(
                "{option}: {given} is an SQLite database; chainlead does not replace it "
                "with a {kind} (pass --force to replace it)"
            )
        else:
            said = _(
                "{option}: {given} is a chainlead snapshot; chainlead does not replace it "
                "with a {kind} (pass --force to replace it)"
            )
        raise OutputRefused(said.format(option=option, given=given, kind=kind.value))
    return Output(option, given, path, kind, protected)


def distinct(outputs: Sequence[Output]) -> None:
    """Refuse two outputs of one command aimed at the same file, or at stdout twice."""
    seen: dict[object, Output] = {}
    for output in outputs:
        if output.path is None:
            identity: object = STDOUT
        else:
            try:
                info = output.path.stat()
                identity = (info.st_dev, info.st_ino)
            except OSError:
                identity = os.path.realpath(output.path)
        if identity in seen:
            first = seen[identity]
            raise InvalidInput(
                f"{first.option}/{output.option}",
                _("only one output can go to stdout")
                if output.path is None
                else _("expected different files, not the same one twice"),
                output.given,
            )
        seen[identity] = output


@contextmanager
def opened(output: Output, *, binary: bool = False) -> Iterator[IO]:
    """A stream whose text appears at the output whole, or not at all."""
    if output.path is None:
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None) if binary else sys.stdout
        if stream is None:  # a text-only stdout: bytes are UTF-8 text
            stream = _Encoded(sys.stdout)
        yield stream
        stream.flush()
        return
    if output.through:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        newline = None if binary else "\n"
        with open(output.path, mode, encoding=encoding, newline=newline) as stream:
            yield stream
        return
    with replaced(output) as temporary:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        newline = None if binary else "\n"
        with open(temporary, mode, encoding=encoding, newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())


def write(output: Output, text: str) -> None:
    """Write ``text`` (UTF-8) to the output, whole."""
    with opened(output) as stream:
        stream.write(text)


@contextmanager
def replaced(output: Output, *, keep_existing: bool = False) -> Iterator[Path]:
    """A temporary file (0600, empty) beside the target, moved over it on success.

    ``keep_existing``: the target must not exist when the file appears (a
    backup): the move is a link that fails rather than replace anything.
    """
    assert output.path is not None and not output.through
    final = Path(os.path.realpath(output.path))  # a link to a file keeps the link
    folder = final.parent
    if not folder.is_dir():
        raise InvalidInput(output.option, _missing_folder(folder), output.given)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _cannot_write(output, exc) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o600)
        _refuse_protected(output.option, output.given, final, output.protected)
        try:
            if keep_existing:
                os.link(temporary, final)  # fails rather than replace anything
                temporary.unlink()
            else:
                os.replace(temporary, final)
        except FileExistsError:
            raise OutputRefused(
                _("{option}: {given} already exists; choose another name").format(
                    option=output.option, given=output.given
                )
            ) from None
        except OSError as exc:
            raise _cannot_write(output, exc) from None
        _sync_folder(folder)
    finally:
        for leftover in database_files(temporary):
            leftover.unlink(missing_ok=True)


def _cannot_write(output: Output, exc: OSError) -> OutputRefused:
    return OutputRefused(
        _("{option}: cannot write {given}: {value}; nothing was written").format(
            option=output.option, given=output.given, value=exc.strerror or exc
        )
    )


def refuse_reading_database(option: str, given: str, database: Path | None) -> None:
    """Refuse a snapshot source that is the database in use or any SQLite file."""
    if given == STDOUT:
        return
    path = Path(given).expanduser()
    protected = database_files(database) if database else ()
    try:
        _refuse_protected(option, given, path, protected, reading=True)
    except OutputRefused:
        raise OutputRefused(
            _(
                "{option}: {given} is the database in use, not a snapshot; "
                "export one with `chainlead export FILE`"
            ).format(option=option, given=given)
        ) from None
    if _holds(path) == "database":
        raise OutputRefused(
            _(
                "{option}: {given} is an SQLite database, not a snapshot; "
                "export one with `chainlead --db {given} export FILE`"
            ).format(option=option, given=given)
        )


class _Encoded:
    """Bytes written to a text stream that has no byte buffer."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


# --------------------------------------------------------------------------- checks


def _refuse_protected(
    option: str, given: str, path: Path, protected: tuple[Path, ...], *, reading: bool = False
) -> None:
    """Refuse ``path`` when it is (or names) the database in use or a sidecar of it."""
    if not protected:
        return
    names = {os.path.realpath(p) for p in protected}
    same = os.path.realpath(path) in names
    if not same:
        try:
            info = path.stat()
        except OSError:
            info = None
        if info is not None:
            for candidate in protected:
                try:
                    other = candidate.stat()
                except OSError:
                    continue
                if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                    same = True
                    break
    if same:
        raise OutputRefused(
            _(
                "{option}: {given} is the database in use (or one of its "
                "files); chainlead never writes output over it; choose "
                "another file"
            ).format(option=option, given=given)
        )


def _missing_folder(folder: Path) -> str:
    return _("expected a file in an existing folder ({folder} does not exist)").format(
        folder=folder
    )


def _holds(path: Path) -> str | None:
    """``database`` for an SQLite file, ``snapshot`` for a chainlead snapshot, else None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return None
    if head.startswith(SQLITE_HEADER):
        return "database"
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    first = head.split(b"\n", 1)[0]
    if first.startswith(b"format") and _SNAPSHOT_MARK in first:
        return "snapshot"
    return None


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entry for a renamed file to disk (where the system allows it)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
