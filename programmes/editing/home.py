"""The editors' home page: the admin index, with what needs an editor first.

My drafts, scheduled publications with their dates, the records changed lately
(who and when), programmes whose figures nobody has confirmed for a year (no
source of theirs checked in the last year), and sources and websites whose
address failed or went unchecked (programmes/editing/links.py), with a warning
when check_links has not run on schedule. Translators
have their own home page, the translation dashboard.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from programmes.content.bases import PublicationStatus
from programmes.content.models import HomePage, Organisation, Programme, Region

from .links import STALE_AFTER, broken_websites, last_run, sources_to_check

PAGES = [Programme, Organisation, Region]
RECENT_CHANGES = 10


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@dataclass
class Change:
    obj: object
    who: object
    when: datetime

    @property
    def url(self):
        return change_url(self.obj)

    @property
    def kind(self):
        return self.obj._meta.verbose_name


def my_drafts(user):
    drafts = []
    for model in PAGES:
        mine = model.history.filter(history_user=user).values("id")
        drafts += model.objects.filter(status=PublicationStatus.DRAFT, pk__in=mine)
    return drafts


def scheduled(now):
    found = []
    for model in PAGES:
        found += model.objects.filter(
            status=PublicationStatus.PUBLISHED, published_at__gt=now
        )
    return sorted(found, key=lambda obj: obj.published_at)


def recent_changes():
    revisions = []
    for model in [*PAGES, HomePage]:
        revisions += model.history.select_related("history_user").order_by(
            "-history_date"
        )[:RECENT_CHANGES]
    revisions.sort(key=lambda revision: revision.history_date, reverse=True)
    records = {}
    changes = []
    for revision in revisions[:RECENT_CHANGES]:
        model = revision.instance_type
        key = (model, revision.id)
        if key not in records:
            records[key] = model._default_manager.filter(pk=revision.id).first()
        if records[key] is not None:
            changes.append(
                Change(records[key], revision.history_user, revision.history_date)
            )
    return changes


def stale_figures(now):
    """Programmes, not archived, with no source checked in the last year."""
    year_ago = (now - STALE_AFTER).date()
    return list(
        Programme.objects.exclude(status=PublicationStatus.ARCHIVED)
        .annotate(last_checked=Max("sources__checked_on"))
        .filter(Q(last_checked__isnull=True) | Q(last_checked__lt=year_ago))
    )


def editors_home(request):
    """The index's extra context for someone who edits content, else {}."""
    if not request.user.has_perm("programmes.change_programme"):
        return {}
    now = timezone.now()
    sources, never_checked = sources_to_check(now)
    return {
        "editors_home": {
            "drafts": [
                (obj, change_url(obj), obj._meta.verbose_name)
                for obj in my_drafts(request.user)
            ],
            "scheduled": [(obj, change_url(obj)) for obj in scheduled(now)],
            "recent": recent_changes(),
            "stale_figures": [(obj, change_url(obj)) for obj in stale_figures(now)],
            "sources": [
                (source, check, change_url(source.programme))
                for source, check in sources
            ],
            "never_checked": never_checked,
            "last_run": last_run(now),
            "overdue_days": settings.LINK_CHECKS_OVERDUE_DAYS,
            "websites": [
                (obj, check, change_url(obj)) for obj, check in broken_websites()
            ],
        }
    }
