"""The catalogue: bookable runs with search and filters, and the courses without a run to book.
The same for everyone, so its content is cached (core.freshness); the page around it is each
signed-in user's own, and for anonymous visitors a stored frame (core.frames)."""

import datetime as dt
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from core.access import public
from core.frames import render_framed
from core.freshness import cached_while_unchanged

from ..filters import CatalogueFilter
from ..selectors import (
    CATALOGUE_STAMPED,
    catalogue,
    catalogue_changes_at,
    courses_without_bookable_run,
)

PAGE_SIZE = 20
# Courses without a run to book, named under the results (with "notify me" on their page).
OTHER_COURSES_SHOWN = 50


@public
def catalogue_view(request):
    """The same list for everyone: its rendering is cached while the catalogue's tables are
    unchanged (core.freshness) and until the next run in it closes for booking; the page around
    it (user, messages, tokens) is the visitor's own (core.frames)."""
    fragment = bool(request.htmx)
    key = _shared_key(request)
    if key is None:
        html, _until = _catalogue_content(request.GET, fragment=fragment)
    else:
        html, _until = cached_while_unchanged(
            key,
            CATALOGUE_STAMPED,
            lambda: _catalogue_content(request.GET, fragment=fragment),
            still_valid=lambda value: value[1] is None or timezone.now() < value[1],
        )
    if request.htmx:
        return HttpResponse(html)
    return render_framed(request, "courses/catalogue.html", html)


# Filters a shared link or the form's selects give; a free-text search is rarely asked twice and
# is not cached (nor is anything else: the cache is not filled with arbitrary keys).
_SHARED_FILTERS = {"topic", "school", "date_from", "date_to", "target_group", "free", "page"}


def _shared_key(request) -> str | None:
    params = request.GET
    if not set(params) <= _SHARED_FILTERS or any(
        len(values) > 1 or len(values[0]) > 20 for _name, values in params.lists()
    ):
        return None
    return "catalogue:{}:{}:{}:{}".format(
        "htmx" if request.htmx else "page",
        get_language(),
        timezone.get_current_timezone_name(),
        urlencode(sorted(params.items())),
    )


def _catalogue_content(params, *, fragment: bool) -> tuple[str, dt.datetime | None]:
    """The catalogue's content (or, for htmx, its result list) rendered without the request,
    so that nothing personal can be in it; and when the first run in it closes for booking."""
    now = timezone.now()
    filterset = CatalogueFilter(params or None, queryset=catalogue(now=now))
    runs = filterset.qs if filterset.is_bound and filterset.is_valid() else catalogue(now=now)
    page = Paginator(runs, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    other = filterset.courses_matching(courses_without_bookable_run(now=now))
    context = {
        "page": page,
        "runs": page.object_list,
        "other_courses": other[:OTHER_COURSES_SHOWN],
        "filter": filterset,
        "form": filterset.form,
        "query": query.urlencode(),
        "filtered": bool(query),
    }
    template = "courses/_catalogue_results.html" if fragment else "courses/_catalogue_content.html"
    return render_to_string(template, context), catalogue_changes_at(now=now)
