"""The input rules hold at every entry point, for every field of a kind, not only where someone
remembered them: one-line text refuses control characters (core.validators.single_line), dates
lie in plausible years (plausible_date), numbers have a maximum, ids are parsed with
core.validators.parse_id. Model fields carry the rules into ModelForms, the admin and DRF
ModelSerializers; web forms get them from core.forms, request bodies from
api.serializers.base.InputSerializer. A new field, form or serializer that misses one is named
here."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxValueValidator
from django.db import models
from rest_framework import serializers

from core.validators import plausible_date, single_line
from tests.house.tree import ROOT, python_files, root_packages

APPS = [name for name in root_packages() if name != "config"]


def _our_models():
    return [m for m in apps.get_models() if m._meta.app_label in APPS]


def test_every_one_line_model_field_refuses_control_characters():
    missing = [
        f"{model.__name__}.{field.name}"
        for model in _our_models()
        for field in model._meta.local_fields
        if isinstance(field, models.CharField)  # TextField is no CharField: it may span lines
        and not field.choices
        and field.name != "password"  # a hash, written only by set_password
        and single_line not in field.validators
    ]
    assert len(_our_models()) > 20
    assert not missing, f"CharFields without core.validators.single_line: {missing}"


def test_the_users_names_refuse_control_characters():
    from people.models import User

    for name in ("first_name", "last_name", "email"):
        assert single_line in User._meta.get_field(name).validators


def test_every_editable_model_date_lies_in_plausible_years():
    missing = [
        f"{model.__name__}.{field.name}"
        for model in _our_models()
        for field in model._meta.local_fields
        if isinstance(field, models.DateField)  # DateTimeField is a DateField
        and field.editable
        and not (field.auto_now or field.auto_now_add)
        and plausible_date not in field.validators
    ]
    assert not missing, f"date fields without core.validators.plausible_date: {missing}"


def _import_all():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)


def _subclasses(base):
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _our_forms():
    _import_all()
    import allauth.account.forms  # noqa: F401 - its signup form derives from ours

    return sorted(
        (
            form
            for form in _subclasses(forms.BaseForm)
            if form.__module__.partition(".")[0] in APPS
            or (form.__module__.startswith("allauth.account") and "Signup" in form.__name__)
        ),
        key=lambda f: f"{f.__module__}.{f.__qualname__}",
    )


def _model_field(form, name):
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a form field without a model field
        return None


def _has(form, name, field, validator) -> bool:
    model_field = _model_field(form, name)
    return validator in field.validators or (
        model_field is not None and validator in model_field.validators
    )


def test_every_form_field_of_a_kind_keeps_the_input_rules():
    from core.forms import is_single_line

    found = _our_forms()
    assert len(found) > 20, "the check found almost no forms: are the apps imported?"
    problems = []
    for form in found:
        where = f"{form.__module__}.{form.__qualname__}"
        for name, field in form.base_fields.items():
            if is_single_line(field) and not _has(form, name, field, single_line):
                problems.append(f"{where}.{name}: one-line text without single_line")
            if isinstance(field, forms.DateField | forms.DateTimeField) and not _has(
                form, name, field, plausible_date
            ):
                problems.append(f"{where}.{name}: date without plausible_date")
            if isinstance(field, forms.IntegerField | forms.FloatField):
                bounded = any(isinstance(v, MaxValueValidator) for v in field.validators)
                model_field = _model_field(form, name)
                if model_field is not None:
                    bounded = bounded or any(
                        isinstance(v, MaxValueValidator) for v in model_field.validators
                    )
                if isinstance(field, forms.DecimalField):
                    bounded = bounded or field.max_digits is not None
                if not bounded:
                    problems.append(f"{where}.{name}: number without a maximum")
    assert not problems, "\n".join(problems)


def test_allauth_signup_names_refuse_control_characters():
    from allauth.account.forms import SignupForm

    for name in ("first_name", "last_name", "email"):
        assert single_line in SignupForm.base_fields[name].validators, name


def _input_serializers():
    _import_all()
    from api.serializers.base import InputSerializer

    return sorted(_subclasses(InputSerializer), key=lambda s: s.__name__)


def test_every_request_body_serializer_is_an_input_serializer():
    from api.serializers.base import InputSerializer

    _import_all()
    named = [
        s
        for s in _subclasses(serializers.Serializer)
        if s.__module__.startswith("api.")
        and re.search(r"(Input|Update)Serializer$", s.__name__)
        and not issubclass(s, InputSerializer)
    ]
    assert not named, f"request serializers not derived from InputSerializer: {named}"


@pytest.mark.parametrize("serializer", _input_serializers(), ids=lambda s: s.__name__)
def test_every_request_field_of_a_kind_keeps_the_input_rules(serializer):
    from api.serializers.base import is_multi_line

    for name, field in serializer().fields.items():
        fields = [(name, field)] + ([(f"{name}[]", field.child)] if hasattr(field, "child") else [])
        for label, item in fields:
            if item.read_only:
                continue
            if isinstance(item, serializers.CharField) and not is_multi_line(item):
                assert single_line in item.validators, f"{label}: text without single_line"
            if isinstance(item, serializers.DateField | serializers.DateTimeField):
                assert plausible_date in item.validators, f"{label}: date without plausible_date"
            if isinstance(item, serializers.IntegerField | serializers.FloatField):
                assert item.max_value is not None, f"{label}: number without max_value"


def test_ids_from_requests_are_parsed_with_parse_id():
    """str.isdigit() is true for "³", which int() refuses: a view that checks with isdigit()
    and converts with int() answers such input with a 500."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in python_files(*APPS)
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ".isdigit()" in line
        and "isascii()" not in line
        and path.relative_to(ROOT).as_posix() != "core/validators.py"
    ]
    assert not offenders, f"use core.validators.parse_id instead of isdigit(): {offenders}"


def test_the_checks_see_what_they_check():
    assert inspect.isclass(_our_forms()[0])
    assert _input_serializers(), "no InputSerializer found"


def test_allauth_is_left_no_form_of_its_own():
    """Every form a page of allauth can show (each id it looks up in its FORMS setting) is one of
    people.account_forms, which keep these rules; an allauth upgrade that adds a form fails here
    until it is added there. Phone numbers are not used for signing in."""
    from pathlib import Path

    import allauth
    from django.conf import settings

    configured = {
        "account": settings.ACCOUNT_FORMS,
        "mfa": settings.MFA_FORMS,
        "socialaccount": settings.SOCIALACCOUNT_FORMS,
    }
    looked_up = set()
    for path in Path(allauth.__file__).parent.rglob("*.py"):
        if {"tests", "headless"} & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8")
        for form_id in re.findall(r'get_form_class\(\s*app_settings\.FORMS,\s*"(\w+)"', text):
            looked_up.add((path.relative_to(Path(allauth.__file__).parent).parts[0], form_id))
    assert len(looked_up) > 20
    unused = {("account", "change_phone"), ("account", "verify_phone")}
    assert "phone" not in settings.ACCOUNT_LOGIN_METHODS
    missing = sorted(
        f"{app}: {form_id}"
        for app, form_id in looked_up - unused
        if not configured[app].get(form_id, "").startswith("people.account_forms.")
    )
    assert not missing, f"allauth forms without our input rules: {missing}"
