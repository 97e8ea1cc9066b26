"""Every web page and form, as every role, with hostile input: never a server error.

For each URL pattern of the site (the API has its own fuzz), hypothesis draws a role, fills the
path with known ids and hostile values, sends GET with hostile query parameters, then posts each
form the page shows with hostile values in some fields (the others as the page filled them in).
FUZZ_EXAMPLES (tests/fuzz/hostile.py) sets the cases per pattern."""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .forms import page_forms
from .hostile import EXAMPLES, NASTY, text
from .world import ROLES, build_world

# Query parameters the views read (and a few they do not).
PARAMS = [
    "q", "date", "start", "end", "day", "week", "month", "year", "page", "course", "topic",
    "school", "workshop", "business", "status", "ids", "id", "run", "format", "sort", "order",
    "next", "from", "to", "kind", "type", "instructor", "user", "equipment", "o", "p", "e",
]  # fmt: skip

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _targets() -> list[str]:
    routes = []
    for route in _walk(get_resolver()):
        if route.startswith(("api/", "^media")) or route.startswith("admin/") and "<" in route:
            continue
        routes.append(route)
    return sorted(set(routes))


# Regex routes (allauth's): a sample that matches, and its hostile variants come from the query.
REGEX_ROUTES = {
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "accounts/confirm-email/{s}/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "accounts/password/reset/key/1-{s}/"
    ),
}


@st.composite
def _path(draw, route: str, world) -> str:
    if route in REGEX_ROUTES:
        return "/" + REGEX_ROUTES[route].format(s=quote(draw(text) or "x", safe=""))
    if "(?P<" in route or "^" in route:
        return "/" + route.replace("^", "").replace("$", "")

    def fill(match):
        if match["conv"] == "int":
            value = draw(
                st.sampled_from(world.ids).map(str)
                | st.sampled_from(["0", "9" * 19, "9" * 30, "2147483648"])
            )
        elif match["conv"] == "path":
            value = draw(st.sampled_from(world.strings) | text)
        else:
            value = draw(st.sampled_from(world.strings) | text) or "x"
        return quote(value, safe="")

    return "/" + _PARAM.sub(fill, route)


def _query(draw, names) -> dict:
    chosen = draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
    return {name: draw(text) for name in chosen}


def _check(response, what: str) -> None:
    assert response.status_code < 500, f"{what} -> {response.status_code}"


@pytest.fixture
def fuzz_world(db, settings):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 100_000
    return build_world()


@pytest.mark.parametrize("route", _targets(), ids=lambda r: "/" + r)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The first failing case is report enough; shrinking a whole request sequence costs minutes.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_server_error(route, data, fuzz_world, client):
    role = data.draw(st.sampled_from(ROLES), label="role")
    client.logout()
    if fuzz_world.users[role] is not None:
        client.force_login(fuzz_world.users[role])
    path = data.draw(_path(route, fuzz_world), label="path")
    query = _query(data.draw, PARAMS)
    response = client.get(path, query)
    _check(response, f"GET {path} {query!r} as {role}")

    forms = []
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        forms = page_forms(response.content.decode())
    if not forms:
        body = _query(data.draw, PARAMS)
        _check(client.post(path, body), f"POST {path} {body!r} as {role}")
    for form in forms:
        names = list(form.fields)
        hostile = set(data.draw(st.lists(st.sampled_from(names), unique=True))) if names else set()
        body = {
            name: data.draw(text) if name in hostile else data.draw(st.sampled_from(values or [""]))
            for name, values in form.fields.items()
            if name != "csrfmiddlewaretoken"
        }
        target = form.action or path
        send = client.post if form.method == "post" else client.get
        response = send(target, body)
        _check(response, f"{form.method.upper()} {target} {body!r} as {role}")


def test_the_hostile_values_cover_each_class():
    assert {"\x00", "0001-01-01", "9999-12-31", "2147483648", "³", "1e20"} <= set(NASTY)
