from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    # Not "Programmes": the breadcrumb would read "Programmes › Programmes".
    verbose_name = _("Site content")

    def ready(self):
        from .content import search_index, version
        from .editing import links, redirects
        from .editing.images import renditions
        from .models import Organisation, Programme, Region
        from .translating import status as translation_status

        # Renditions are made when an image changes, however it was saved;
        # replaced and deleted files leave storage (editing/images/renditions.py).
        for model in (Programme, Organisation):
            pre_save.connect(renditions.remember_stored_files, sender=model)
            post_save.connect(renditions.update_renditions, sender=model)
            post_delete.connect(renditions.delete_stored_files, sender=model)

        # A changed slug leaves a redirect from the old address, however the
        # object was saved (programmes/editing/redirects.py).
        for model in (Programme, Organisation, Region):
            pre_save.connect(redirects.remember_slugs, sender=model)
            post_save.connect(redirects.record_slug_changes, sender=model)

        # The search index follows every save (programmes/content/search_index.py);
        # migrate fills it when it lacks a language of the site.
        for model in search_index.INDEXED_FIELDS:
            post_save.connect(search_index.update_entries, sender=model)
        post_migrate.connect(search_index.rebuild_if_incomplete, sender=self)
        post_migrate.connect(search_index.make_full_text_indexes, sender=self)

        # check_links runs from cron: `check --database default` warns when it
        # has not run lately (programmes/editing/links.py).
        checks.register(links.links_checked_lately, checks.Tags.database)

        # Every save keeps each field's translation status current, however the
        # record was saved (programmes/translating/status.py).
        for model in translation_status.TRACKED_MODELS:
            pre_save.connect(translation_status.remember_text_before_save, sender=model)
            post_save.connect(
                translation_status.record_translation_states, sender=model
            )
            post_delete.connect(
                translation_status.forget_translation_states, sender=model
            )
        # The stored statuses follow a change of the tracked fields or languages.
        post_migrate.connect(translation_status.rebuild_if_stale, sender=self)

        # Any write of this app's models makes cached pages stale. Connected
        # last, so that it follows the writes the handlers above make.
        version.watch(self)
