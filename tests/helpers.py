"""Small helpers shared by test modules."""

from django.contrib.auth.models import Group, User
from django.core.management import call_command


def staff_member(group, username):
    """A staff member of one of the groups sync_roles makes."""
    call_command("sync_roles", verbosity=0)
    user = User.objects.create_user(username, f"{username}@example.org", is_staff=True)
    user.groups.set(Group.objects.filter(name=group))
    return user
