"""backup_site and restore_site: all comes back; a bad archive changes nothing."""

import builtins
import hashlib
import html
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from operations import backups
from programmes.models import Programme

# Transactions committed for real: pg_dump and pg_restore use connections of
# their own, and a backup refuses to run inside an open transaction.
# Slow (backs up and restores whole databases): make test-fast leaves it out.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
on_sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="restores into a new SQLite file"
)
MEDIA_FILES = {
    "uploads/aircop.txt": b"AIRCOP: Airport Communication Project\n",
    "uploads/2025/\u00e9t\u00e9 photo.jpg": bytes(range(256)) * 40,
    "top.bin": b"\x00" * 10,
}


@pytest.fixture
def site(content_committed, settings, tmp_path):
    """The real content, a staff account and a few uploaded files."""
    settings.BACKUP_DIR = tmp_path / "backups"
    User.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    for name, data in MEDIA_FILES.items():
        path = Path(settings.MEDIA_ROOT, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return settings


def everything():
    """Every row of every table, as plain values."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def media(settings):
    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def backup(**options):
    out = StringIO()
    call_command("backup_site", stdout=out, **options)
    return out.getvalue()


def restore(archive, **options):
    out = StringIO()
    call_command("restore_site", str(archive), interactive=False, stdout=out, **options)
    return out.getvalue()


def only_archive(settings):
    (archive,) = Path(settings.BACKUP_DIR).glob("backup-*.tar.gz")
    return archive


def test_restore_into_an_emptied_database_finds_every_object_and_file(site):
    before, files = everything(), media(site)
    output = backup()
    archive = only_archive(site)

    call_command("flush", interactive=False, verbosity=0)
    for path in Path(site.MEDIA_ROOT).rglob("*.*"):
        path.unlink()
    Path(site.MEDIA_ROOT, "left-behind.txt").write_text("not in the backup")
    assert Programme.objects.count() == 0

    output += restore(archive)

    assert everything() == before
    assert media(site) == files == MEDIA_FILES
    assert User.objects.get(username="editor").check_password("a-long-password-1")
    assert f"Backup written to {archive}" in output
    assert f"Restored {archive}: " in output
    # The site as it was before the restore was saved first.
    (saved,) = Path(site.BACKUP_DIR).glob("before-restore-*.tar.gz")
    assert f"The previous site is in {saved}." in output
    with tarfile.open(saved) as tar:
        assert "media/left-behind.txt" in tar.getnames()


def test_a_restore_drops_the_pages_cached_before_it(site, client):
    programme = Programme.objects.published().first()
    with translation.override("fr"):
        url = programme.get_absolute_url()
    original = programme.summary_fr
    backup()
    programme.summary_fr = "Un résumé écrit après la sauvegarde."
    programme.save()
    assert "écrit après la sauvegarde" in client.get(url).content.decode()

    restore(only_archive(site))

    page = client.get(url).content.decode()
    assert "écrit après la sauvegarde" not in page
    assert html.escape(original, quote=False)[:40] in page


@on_sqlite_only
def test_restore_into_a_new_sqlite_database(site, tmp_path):
    before = {label: len(rows) for label, rows in everything().items()}
    backup()
    data_dir = tmp_path / "fresh"
    data_dir.mkdir()

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "restore_site",
            str(only_archive(site)),
            "--no-input",
            "--no-backup-first",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SECRET_KEY": "test",
            "DJANGO_DATA_DIR": str(data_dir),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout
    restored = sqlite3.connect(data_dir / "db.sqlite3")
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        (count,) = restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
        assert count == before[model._meta.label], table
    names = {
        name for (name,) in restored.execute("SELECT name_en FROM programmes_programme")
    }
    assert names == set(Programme.objects.values_list("name_en", flat=True))
    restored.close()
    for name, data in MEDIA_FILES.items():
        assert (data_dir / "media" / name).read_bytes() == data


def test_the_manifest_counts_rows_and_fingerprints_files(site):
    backup(verbosity=2)

    with tarfile.open(only_archive(site)) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    rows = {model["model"]: model["rows"] for model in manifest["models"]}
    assert rows["programmes.programme"] == Programme.objects.count() == 4
    assert rows["auth.user"] == 1
    assert rows["programmes.programme_beneficiary_regions"] > 0
    assert manifest["engine"] == connection.vendor
    assert manifest["database"]["file"] in names
    assert {
        item["path"]: (item["size"], item["sha256"]) for item in manifest["media"]
    } == {
        name: (len(data), hashlib.sha256(data).hexdigest())
        for name, data in MEDIA_FILES.items()
    }
    assert names[-1] == "manifest.json"  # an archive cut short has none


def test_the_archive_is_for_the_owner_only(site):
    backup()

    assert only_archive(site).stat().st_mode & 0o777 == 0o600


def test_an_existing_archive_is_never_overwritten(site, tmp_path):
    target = tmp_path / "mine.tar.gz"
    target.write_bytes(b"precious")

    with pytest.raises(CommandError, match="already exists"):
        backup(output=str(target))

    assert target.read_bytes() == b"precious"


def test_a_failed_backup_leaves_no_file(site, monkeypatch):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "add_bytes", disk_full)

    with pytest.raises(OSError, match="No space left"):
        backup()

    assert list(Path(site.BACKUP_DIR).iterdir()) == []


def test_a_dry_run_checks_and_changes_nothing(site):
    backup()
    Programme.objects.filter(acronym="AIRCOP").delete()

    output = restore(only_archive(site), dry_run=True)

    assert "Dry run, nothing changed" in output
    assert not Programme.objects.filter(acronym="AIRCOP").exists()


def test_the_restore_asks_first(site, monkeypatch):
    backup()
    Programme.objects.filter(acronym="AIRCOP").delete()
    monkeypatch.setattr(builtins, "input", lambda prompt: "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore_site", str(only_archive(site)), stdout=StringIO())

    assert not Programme.objects.filter(acronym="AIRCOP").exists()


# --- Bad archives --------------------------------------------------------------


def members(archive):
    with tarfile.open(archive) as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar]


def repack(archive, target, change):
    """A copy of `archive` whose members went through change(name, data)."""
    with tarfile.open(target, "w:gz") as tar:
        for member, data in members(archive):
            for name, new_data in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(new_data)
                tar.addfile(info, io.BytesIO(new_data))
    return target


def edit_manifest(edit):
    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            edit(manifest)
            data = json.dumps(manifest).encode()
        yield name, data

    return change


def truncated(archive, target):
    data = archive.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def cut_short(archive, target):
    data = archive.read_bytes()
    target.write_bytes(data[:-100])
    return target


def not_an_archive(archive, target):
    target.write_text("This is not a backup.")
    return target


def tampered_file(archive, target):
    def change(name, data):
        yield name, (b"tampered" if name == "media/top.bin" else data)

    return repack(archive, target, change)


def missing_manifest(archive, target):
    def change(name, data):
        if name != "manifest.json":
            yield name, data

    return repack(archive, target, change)


def missing_file(archive, target):
    def change(name, data):
        if name != "media/uploads/aircop.txt":
            yield name, data

    return repack(archive, target, change)


def extra_file(archive, target):
    def change(name, data):
        yield name, data
        if name == "media/top.bin":
            yield "media/planted.html", b"<script>alert(1)</script>"

    return repack(archive, target, change)


def path_traversal(archive, target):
    def change(name, data):
        yield name, data
        if name == "media/top.bin":
            yield "media/../../escaped.txt", b"outside"

    return repack(archive, target, change)


def unexpected_file(archive, target):
    def change(name, data):
        yield name, data
        if name == "media/top.bin":
            yield "run-me.sh", b"rm -rf /"

    return repack(archive, target, change)


def other_engine(archive, target):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    return repack(archive, target, edit_manifest(lambda m: m.update(engine=other)))


def wrong_counts(archive, target):
    def edit(manifest):
        for model in manifest["models"]:
            if model["model"] == "programmes.programme":
                model["rows"] += 1

    return repack(archive, target, edit_manifest(edit))


BAD_ARCHIVES = {
    truncated: "not a complete backup archive",
    cut_short: "not a complete backup archive",
    not_an_archive: "not a complete backup archive",
    tampered_file: "media/top.bin differs from the manifest",
    missing_manifest: "no manifest",
    missing_file: "lacks media/uploads/aircop.txt",
    extra_file: "holds media/planted.html, which its manifest omits",
    path_traversal: "outside its folder",
    unexpected_file: "unexpected file: run-me.sh",
    other_engine: "restore it on the same kind of database",
}
if connection.vendor == "sqlite":
    # PostgreSQL's row counts can only be checked once pg_restore has run.
    BAD_ARCHIVES[wrong_counts] = (
        "4 rows of programmes.programme where the manifest says 5"
    )


@pytest.mark.parametrize(
    ("spoil", "message"), BAD_ARCHIVES.items(), ids=[f.__name__ for f in BAD_ARCHIVES]
)
def test_a_bad_archive_is_refused_and_changes_nothing(site, tmp_path, spoil, message):
    backup()
    bad = spoil(only_archive(site), tmp_path / "bad.tar.gz")
    # What a restore would overwrite.
    Programme.objects.filter(acronym="AIRCOP").delete()
    Path(site.MEDIA_ROOT, "new.txt").write_text("uploaded after the backup")
    before, files = everything(), media(site)

    with pytest.raises(CommandError, match="Nothing was changed") as refused:
        restore(bad)

    assert message in str(refused.value)
    assert everything() == before
    assert media(site) == files
    assert not (tmp_path / "escaped.txt").exists()
    assert not list(Path(site.MEDIA_ROOT).parent.glob(".restore-*"))
    assert not list(Path(site.BACKUP_DIR).glob("before-restore-*"))
