"""A paginator that counts in the page's own query.

Django's Paginator asks the database twice: COUNT(*), then the page's rows.
Here the page's rows carry the total, which saves a query on a page whose
budget is tight (tests/test_queries.py). An empty or invalid page falls back
to Django's own way, with its errors.

The query picks the page's keys first, sorting and slicing the keys of every
row, then reads those rows only, with their annotations (a programme's key
figures are three JSON subqueries each); the total is a subquery computed
once. Counting with a window (COUNT(*) OVER ()) made SQLite compute every
row's annotations before the slice: 35 ms of the programme list's 100 at
2,000 programmes.
"""

from django.core.paginator import Paginator
from django.db.models import IntegerField, Subquery


class CountOf(Subquery):
    """The number of rows of a queryset, as an expression computed once."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


class OneQueryPaginator(Paginator):
    """`page_rows`, given the query of the page's rows, may add what only
    those need (annotations): the keys and the total are counted without."""

    def __init__(self, *args, page_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_rows = page_rows or (lambda rows: rows)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)
        if number < 1:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        every_row = self.object_list
        keys = every_row.values("pk")[bottom : bottom + self.per_page + self.orphans]
        rows = list(
            self.page_rows(every_row.filter(pk__in=keys)).annotate(
                full_count=CountOf(every_row.order_by().values("pk"))
            )
        )
        if not rows:
            return super().page(number)
        self.__dict__["count"] = rows[0].full_count  # Paginator.count is cached
        # The last page's orphans are on the page before: EmptyPage here.
        self.validate_number(number)
        if bottom + self.per_page + self.orphans < self.count:
            rows = rows[: self.per_page]
        return self._get_page(rows, number, self)
