"""Every page of our web apps declares who may open it, with the one access idiom
(`core.access.access`, or `core.access.public` for pages open to anyone). Both leave their mark on
the view they return (`access_perm`, `access_public`), so a view that forgot is named here. The
API (its own key and scope checks), the admin and allauth are not ours to decorate."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.house.tree import root_packages

NOT_WEB_APPS = {"api", "config"}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _declares_access(view) -> bool:
    return hasattr(view, "access_perm") or getattr(view, "access_public", False)


def test_every_web_view_declares_its_access():
    apps = set(root_packages()) - NOT_WEB_APPS
    ours = [
        (route, view)
        for route, view in _patterns(get_resolver())
        if view.__module__.partition(".")[0] in apps
    ]
    assert len(ours) > 20, "the check found almost no views of ours: are the URLs loaded?"
    undeclared = sorted(
        f"  /{route}  {view.__module__}.{view.__qualname__}"
        for route, view in ours
        if not _declares_access(view)
    )
    if undeclared:
        pytest.fail(
            f"{len(undeclared)} view(s) without @access or @public:\n" + "\n".join(undeclared)
        )


def test_the_access_decorators_leave_the_mark_the_check_reads():
    from core.access import access, public

    def run_detail(request, obj): ...

    def catalogue(request): ...

    def forgotten(request): ...

    assert _declares_access(access("courses.view_run", model=object)(run_detail))
    assert _declares_access(access()(run_detail))
    assert _declares_access(public(catalogue))
    assert not _declares_access(forgotten)
