"""The one access idiom of the web views: declare the permission, load the object, check it.

Policy (403 or 404):
- 404 when the object's existence is private to the people it concerns: someone else's enrolment,
  certificate, approval or data. A stranger must not learn that it exists (`private=True`).
- 403 otherwise: the object is public or staff-visible (a run, a session, an item of equipment,
  a school), and the answer only says "not for you".
- Anonymous users are sent to the login page first, so they never see either; on a page the
  public may open (`login=False`, e.g. a published run) they get the same 404 for a private object.

Services still enforce the domain rules (deadlines, seats); this decides only who may ask.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404


def access(
    perm: str | None = None,
    *,
    model: type[Model] | QuerySet | Callable | None = None,
    url_kwarg: str = "pk",
    field: str = "pk",
    lookup: Callable[[str], object] | None = None,
    private: bool = False,
    login: bool = True,
    load: Callable[[object], Model | None] | None = None,
):
    """Decorate a view with who may call it.

    `perm` is a django-rules permission, checked against the loaded object (or with no object
    when `model` is None). `model` is a model, a queryset, or a callable `(request) -> queryset`
    (for querysets that depend on the user); the object found by `field=kwargs[url_kwarg]`
    replaces that keyword argument as `obj`; `lookup` turns the URL value into the stored one
    (e.g. core.tokens.token_digest for a secret link). `private=True` answers 404 instead of 403.
    `login=False` lets anonymous users through to the permission check (pages the public may
    open whose object may still be private, such as a draft run). `load` instead of `model`:
    a function from the URL value to the object or None (404), for a request that must not pay
    for building the query each time.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            obj = None
            if load is not None:
                obj = load(kwargs.pop(url_kwarg))
                if obj is None:
                    raise Http404
                kwargs["obj"] = obj
            elif model is not None:
                source = model(request) if _is_factory(model) else model
                value = kwargs.pop(url_kwarg)
                if lookup is not None:
                    value = lookup(value)
                obj = get_object_or_404(source, **{field: value})
                kwargs["obj"] = obj
            if perm is not None and not request.user.has_perm(perm, obj):
                if private:
                    raise Http404
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        if login:
            wrapper = login_required(wrapper)
        wrapper.access_perm = perm  # read by the test that every view declares its access
        wrapper.access_private = private
        return wrapper

    return decorator


def _is_factory(model) -> bool:
    return callable(model) and not isinstance(model, QuerySet) and not isinstance(model, type)


def public(view):
    """Mark a view that anyone may call (the catalogue, the verification page), so that the test
    that every view declares its access can tell "public on purpose" from "forgotten"."""
    view.access_perm = None
    view.access_public = True
    return view
