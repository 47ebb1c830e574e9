"""A paginator that counts in the page's own query.

Django's Paginator asks the database twice: COUNT(*), then the page's rows.
Here the rows carry the total (COUNT(*) OVER (), a window function that
SQLite and PostgreSQL both have), which saves a query on a page whose budget
is tight (tests/test_queries.py). An empty or invalid page falls back to
Django's own way, with its errors.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Window


class OneQueryPaginator(Paginator):
    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)
        if number < 1:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(full_count=Window(Count("pk")))[
                bottom : bottom + self.per_page + self.orphans
            ]
        )
        if not rows:
            return super().page(number)
        self.__dict__["count"] = rows[0].full_count  # Paginator.count is cached
        # The last page's orphans are on the page before: EmptyPage here.
        self.validate_number(number)
        if bottom + self.per_page + self.orphans < self.count:
            rows = rows[: self.per_page]
        return self._get_page(rows, number, self)
