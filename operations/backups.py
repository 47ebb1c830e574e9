"""Backups of the whole site (database and uploaded files) in one archive.

The archive, a .tar.gz, holds:

- the database in its engine's own format: a SQLite file copied with SQLite's
  backup API from the live connection, or a PostgreSQL dump (pg_dump's custom
  format). Both read one consistent snapshot while the site keeps running, and
  restore every table as it was (users, sessions, sequences, not just the
  content), which a JSON dump does less surely: dumpdata reads translated
  fields through modeltranslation's fallbacks, and depends on natural keys
  for content types and permissions;
- media/: every file of MEDIA_ROOT;
- manifest.json: the rows of each model's table, and the size and SHA-256 of
  every other file in the archive. A restore checks the files (and, on
  SQLite, the row counts) before it changes anything; PostgreSQL's row
  counts can only be checked once pg_restore has run.

The database is read first, the files second: a file is written before the
row that names it is committed, and deleted only after the commit that drops
the row, so every file the saved database names is in the archive.
"""

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

from programmes.content.version import bump_content_version

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed."""


class RestoreFailed(BackupError):
    """A restore that failed after it had started changing the site."""


@dataclass
class Summary:
    archive: Path
    engine: str
    rows: int = 0
    tables: int = 0
    files: int = 0
    file_bytes: int = 0
    archive_bytes: int = 0
    models: list = field(default_factory=list)

    def __str__(self):
        files = "file" if self.files == 1 else "files"
        return (
            f"{self.rows} rows in {self.tables} tables ({self.engine}), "
            f"{self.files} media {files} ({human_size(self.file_bytes)})"
        )


def human_size(size):
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000


def engine_of(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            f"Backups support SQLite and PostgreSQL, not {connection.vendor}."
        )
    return connection.vendor


def model_tables():
    """(model label, table) of every model with a table, M2M tables included."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.managed and not opts.proxy and opts.db_table not in tables:
            tables[opts.db_table] = opts.label_lower
    return sorted((label, table) for table, label in tables.items())


def count_rows(cursor, existing_tables, quote):
    """Rows of each model's table, for the tables the database has."""
    counted = []
    for label, table in model_tables():
        if table in existing_tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counted.append(
                {"model": label, "table": table, "rows": cursor.fetchone()[0]}
            )
    return counted


def sqlite_quote(name):
    return '"{}"'.format(name.replace('"', '""'))


def sqlite_tables(cursor):
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in cursor.fetchall()}


class HashingReader:
    """Reads a file for tarfile, hashing exactly the bytes it archives."""

    def __init__(self, file):
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def file_sha256(path):
    sha256 = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            sha256.update(chunk)
    return sha256.hexdigest()


def postgres_environment(connection):
    """libpq's variables for pg_dump and pg_restore (no password on argv)."""
    params = connection.settings_dict
    options = params.get("OPTIONS", {})
    variables = {
        "PGDATABASE": params["NAME"],
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGHOST": params.get("HOST"),
        "PGPORT": str(params["PORT"]) if params.get("PORT") else None,
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    return os.environ | {name: value for name, value in variables.items() if value}


def run_postgres_tool(command, connection):
    if not shutil.which(command[0]):
        raise BackupError(
            f"{command[0]} is missing: install PostgreSQL's client programs "
            "(apt-get install postgresql-client)."
        )
    result = subprocess.run(
        command,
        env=postgres_environment(connection),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


# --- Backup ------------------------------------------------------------------


def snapshot_database(connection, target):
    """Writes one consistent copy of the database to `target`; returns counts."""
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(target)
        try:
            # Page by page, while the site keeps reading and writing.
            connection.connection.backup(copy)
            return count_rows(copy.cursor(), sqlite_tables(copy.cursor()), sqlite_quote)
        finally:
            copy.close()
    # PostgreSQL: count the rows in a snapshot, and have pg_dump dump that
    # very snapshot, so that the counts match the dump exactly. The
    # transaction stays open (read only) until pg_dump is done.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = count_rows(
                cursor,
                set(connection.introspection.table_names(cursor)),
                connection.ops.quote_name,
            )
            run_postgres_tool(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                connection,
            )
        finally:
            cursor.execute("ROLLBACK")
    return counts


def media_files(media_root):
    """Every regular file under MEDIA_ROOT, as (path, name in the archive)."""
    media_root = Path(media_root)
    if not media_root.is_dir():
        return []
    found = []
    for folder, folders, names in os.walk(media_root):
        folders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                relative = path.relative_to(media_root).as_posix()
                found.append((path, f"{MEDIA}/{relative}"))
    return found


def add_file(tar, path, name):
    """Adds `path` as `name`; returns its size and SHA-256 as archived."""
    info = tar.gettarinfo(path, arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with open(path, "rb") as file:
        reader = HashingReader(file)
        tar.addfile(info, reader)
    return info.size, reader.sha256.hexdigest()


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, fileobj=_BytesReader(data))


class _BytesReader:
    def __init__(self, data):
        self.data = memoryview(data)
        self.position = 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return bytes(chunk)


def default_archive_path(folder=None, prefix="backup"):
    """A new file name in BACKUP_DIR, dated (UTC): backup-20250131-235959.tar.gz."""
    folder = Path(folder or settings.BACKUP_DIR)
    stem = f"{prefix}-{timezone.now():%Y%m%d-%H%M%S}"
    path, number = folder / f"{stem}.tar.gz", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}.tar.gz"
    return path


def create_backup(archive=None, *, database="default", prefix="backup", report=print):
    """Writes the database and the media folder to `archive`; returns a Summary.

    `archive` is a new file or a folder (default: BACKUP_DIR). The archive
    appears under its name only once complete: it is written to a .partial
    file first, then renamed.
    """
    connection = connections[database]
    engine = engine_of(connection)
    if archive is None or Path(archive).is_dir():
        archive = default_archive_path(archive, prefix)
    archive = Path(archive)
    if archive.exists():
        raise BackupError(f"{archive} already exists: choose another name.")
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".partial")
    summary = Summary(archive=archive, engine=engine)
    database_file = DATABASE_FILES[engine]

    with tempfile.TemporaryDirectory(dir=archive.parent) as work:
        report(f"Copying the {engine} database ({connection.settings_dict['NAME']})…")
        snapshot = Path(work, database_file)
        summary.models = snapshot_database(connection, snapshot)
        summary.tables = len(summary.models)
        summary.rows = sum(model["rows"] for model in summary.models)
        report(f"  {summary.rows} rows in {summary.tables} tables.")

        files = media_files(settings.MEDIA_ROOT)
        report(f"Adding the media files from {settings.MEDIA_ROOT} ({len(files)})…")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": {"file": database_file},
            "models": summary.models,
            "media": [],
        }
        try:
            # Level 6: nearly as small as 9, much faster on photos that do
            # not compress anyway.
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                size, sha256 = add_file(tar, snapshot, database_file)
                manifest["database"] |= {"size": size, "sha256": sha256}
                for path, name in files:
                    size, sha256 = add_file(tar, path, name)
                    manifest["media"].append(
                        {
                            "path": name.removeprefix(f"{MEDIA}/"),
                            "size": size,
                            "sha256": sha256,
                        }
                    )
                    summary.files += 1
                    summary.file_bytes += size
                # Last: an archive cut short has no manifest and is refused.
                add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            with open(partial, "rb+") as written:
                os.fsync(written.fileno())
            # It holds password hashes and sessions: for the owner only.
            partial.chmod(0o600)
            partial.replace(archive)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    summary.archive_bytes = archive.stat().st_size
    return summary


# --- Restore -----------------------------------------------------------------


def safe_member_name(member):
    """The member's name if it may be extracted, else raises BackupError."""
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not name.parts:
        raise BackupError(f"The archive names a file outside its folder: {member.name}")
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"The archive holds a link or device: {member.name}")
    top_level_files = {MANIFEST, *DATABASE_FILES.values()}
    expected = (member.isfile() and str(name) in top_level_files) or (
        name.parts[0] == MEDIA and (member.isdir() or len(name.parts) > 1)
    )
    if not expected:
        raise BackupError(f"The archive holds an unexpected file: {member.name}")
    return name


def unpack(archive, folder):
    """Extracts `archive` into `folder`; returns {name: (size, sha256)}."""
    found = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                name = safe_member_name(member)
                if name.as_posix() in found:
                    raise BackupError(f"The archive holds {name} twice.")
                target = Path(folder, *name.parts)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                sha256 = hashlib.sha256()
                source = tar.extractfile(member)
                with open(target, "wb") as output:
                    while chunk := source.read(CHUNK):
                        sha256.update(chunk)
                        output.write(chunk)
                found[name.as_posix()] = (member.size, sha256.hexdigest())
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        # (Other OSErrors, such as a full disk, are not the archive's fault.)
        raise BackupError(
            f"{archive} is not a complete backup archive (damaged or truncated: "
            f"{error})."
        ) from None
    return found


def read_manifest(folder, found, engine):
    if MANIFEST not in found:
        raise BackupError(
            "The archive has no manifest: it was cut short, or backup_site did "
            "not make it."
        )
    try:
        manifest = json.loads(Path(folder, MANIFEST).read_text())
        database = manifest["database"]
        expected = {database["file"]: (database["size"], database["sha256"])} | {
            f"{MEDIA}/{item['path']}": (item["size"], item["sha256"])
            for item in manifest["media"]
        }
        if not all(
            isinstance(model["model"], str)
            and isinstance(model["table"], str)
            and isinstance(model["rows"], int)
            for model in manifest["models"]
        ):
            raise ValueError("a model's name, table or row count is wrong")
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"The archive's manifest is unreadable: {error!r}.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    if manifest.get("engine") != engine or database["file"] != DATABASE_FILES[engine]:
        raise BackupError(
            f"The archive holds a {manifest.get('engine')} database, and this "
            f"site uses {engine}: restore it on the same kind of database."
        )
    actual = {name: value for name, value in found.items() if name != MANIFEST}
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual:
            raise BackupError(f"The archive lacks {name}, which its manifest lists.")
        if name not in expected:
            raise BackupError(f"The archive holds {name}, which its manifest omits.")
        if actual[name] != expected[name]:
            raise BackupError(
                f"{name} differs from the manifest (size or SHA-256): the archive "
                "is damaged."
            )
    return manifest


def check_counts(manifest, actual_counts, where):
    actual = {model["table"]: model["rows"] for model in actual_counts}
    for model in manifest["models"]:
        if actual.get(model["table"]) != model["rows"]:
            raise BackupError(
                f"{where} has {actual.get(model['table'], 'no')} rows of "
                f"{model['model']} where the manifest says {model['rows']}."
            )


def restore_backup(
    archive, *, database="default", dry_run=False, before_changes=None, report=print
):
    """Replaces the database and the media folder with the archive's.

    Everything is unpacked and checked against the manifest first; a bad
    archive changes nothing. Then `before_changes(summary)` runs (to confirm,
    or save the current site), unless `dry_run`. The database is replaced in
    one step (SQLite's backup API, or pg_restore in one transaction); the old
    media folder is deleted only once the new database is in place.
    """
    connection = connections[database]
    engine = engine_of(connection)
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"No such file: {archive}")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked next to MEDIA_ROOT, so that putting the files in place is a rename.
    work = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".restore-"))
    try:
        report(f"Checking {archive}…")
        found = unpack(archive, work)
        manifest = read_manifest(work, found, engine)
        summary = Summary(archive=archive, engine=engine)
        summary.models = manifest["models"]
        summary.tables = len(summary.models)
        summary.rows = sum(model["rows"] for model in summary.models)
        summary.files = len(manifest["media"])
        summary.file_bytes = sum(item["size"] for item in manifest["media"])
        database_file = work / manifest["database"]["file"]
        if engine == "sqlite":
            check_sqlite_file(database_file, manifest)
        report(f"  The archive is complete ({manifest['created_at']}): {summary}.")
        if dry_run:
            return summary
        if before_changes:
            before_changes(summary)

        report(f"Restoring the {engine} database ({connection.settings_dict['NAME']})…")
        restore_database(connection, database_file)
        # No model signal sees a restore: the cached pages of the replaced
        # content must be dropped by hand.
        bump_content_version()
        with connection.cursor() as cursor:
            existing = set(connection.introspection.table_names(cursor))
            counts = count_rows(cursor, existing, connection.ops.quote_name)
        try:
            check_counts(manifest, counts, "The restored database")
        except BackupError as error:
            raise RestoreFailed(str(error)) from None

        report(f"Putting {summary.files} media files in {media_root}…")
        new_media = work / MEDIA
        new_media.mkdir(exist_ok=True)
        old_media = work / "media-before-restore"
        if media_root.exists():
            media_root.rename(old_media)
        try:
            new_media.rename(media_root)
        except OSError as error:
            if old_media.exists():
                old_media.rename(media_root)
            raise RestoreFailed(
                f"The database was restored, not the media files: {error}."
            ) from None
        return summary
    finally:
        # The old media folder goes with the work folder, after the database.
        shutil.rmtree(work, ignore_errors=True)


def check_sqlite_file(path, manifest):
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("The archive's SQLite database is damaged.")
        counts = count_rows(copy.cursor(), sqlite_tables(copy.cursor()), sqlite_quote)
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"The archive's SQLite database is unreadable: {error}."
        ) from None
    finally:
        copy.close()
    check_counts(manifest, counts, "The archive's database")


def restore_database(connection, database_file):
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
        try:
            # One step: other connections see the old or the new database.
            source.backup(connection.connection)
        finally:
            source.close()
        return
    # The dump replaces the tables it holds, in one transaction; Django's
    # connection is closed first so that it holds no lock on them.
    connection.close()
    run_postgres_tool(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database_file),
        ],
        connection,
    )
