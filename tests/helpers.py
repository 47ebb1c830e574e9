"""Small helpers shared by test modules."""

import os

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command


def staff_member(group, username):
    """A staff member of one of the groups sync_roles makes."""
    call_command("sync_roles", verbosity=0)
    user = User.objects.create_user(username, f"{username}@example.org", is_staff=True)
    user.groups.set(Group.objects.filter(name=group))
    return user


def needs(tool_is_there, message):
    """Skips the test without a tool it needs; in CI (which installs it), fails."""
    if tool_is_there:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI installs it: see .ci/run)")
    pytest.skip(message)
