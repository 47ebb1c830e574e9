from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from programmes.editing.roles import ALL, ROLES


def wanted_permissions(spec):
    """The Permission rows a group's entry of the matrix names."""
    everything = Permission.objects.select_related("content_type")
    if spec == ALL:
        return set(everything)
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in everything
    }
    missing = sorted(set(spec) - set(found))
    if missing:
        raise CommandError(
            f"Unknown permissions: {', '.join(missing)}. Run `manage.py migrate` "
            "first; otherwise correct programmes/editing/roles.py."
        )
    return {found[name] for name in spec}


class Command(BaseCommand):
    help = (
        "Create or update the staff groups (Editors, Translators, Administrators) "
        "so that each has exactly the permissions of programmes/editing/roles.py. "
        "Safe to run again: a second run changes nothing. Run it after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change, and write nothing.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        with transaction.atomic():
            for name, spec in ROLES.items():
                outcome = self.sync(name, wanted_permissions(spec), dry_run, verbosity)
                counts[outcome] += 1
            if dry_run:
                transaction.set_rollback(True)
        summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
        prefix = "Dry run, nothing written: " if dry_run else "Roles synced: "
        self.stdout.write(self.style.SUCCESS(f"{prefix}{summary}."))

    def sync(self, name, wanted, dry_run, verbosity):
        group, created = Group.objects.get_or_create(name=name)
        current = set(group.permissions.all())
        added, removed = wanted - current, current - wanted
        group.permissions.add(*added)
        group.permissions.remove(*removed)
        if created:
            outcome = "created"
            detail = f"created with {len(wanted)} permissions"
        elif added or removed:
            outcome = "updated"
            detail = f"{len(added)} permissions added, {len(removed)} removed"
        else:
            outcome = "unchanged"
            detail = f"unchanged ({len(wanted)} permissions)"
        if verbosity:
            style = self.style.NOTICE if outcome == "unchanged" else self.style.SUCCESS
            self.stdout.write(f"  {name}: " + style(detail))
            if verbosity >= 2:
                for permission in sorted(added, key=str):
                    self.stdout.write(f"    + {label(permission)}")
                for permission in sorted(removed, key=str):
                    self.stdout.write(f"    - {label(permission)}")
        return outcome


def label(permission):
    return f"{permission.content_type.app_label}.{permission.codename}"
