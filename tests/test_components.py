"""The shared template components: what assistive technology relies on is in the markup."""

import re

from django import forms
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Wie auf dem Ausweis")
    email = forms.EmailField(label="E-Mail", required=False)
    kind = forms.ChoiceField(label="Art", choices=[("a", "Azubi"), ("b", "Betrieb")])
    level = forms.ChoiceField(
        label="Niveau", choices=[("1", "Einstieg"), ("2", "Profi")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="Einverstanden")

    def clean(self):
        raise forms.ValidationError("Das passt so nicht zusammen.")


def _render(form) -> str:
    request = RequestFactory().get("/")
    return render_to_string(
        "components/form.html", {"form": form, "submit_label": "Senden"}, request=request
    )


def _input(html: str, name: str) -> str:
    return re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', html).group(0)


def test_every_field_has_a_label_tied_to_its_input():
    html = _render(ExampleForm())
    for field_id in ("id_name", "id_email", "id_kind", "id_agree"):
        assert f'<label class="kern-label" for="{field_id}">' in html
        assert f'id="{field_id}"' in html
    assert "– optional" in html.split('for="id_email"')[1].split("</label>")[0]
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert ">Senden<" in html


def test_help_text_and_errors_are_tied_to_the_input():
    form = ExampleForm(data={"email": "kein-mail"})
    html = _render(form)
    name = _input(html, "name")
    assert 'aria-invalid="true"' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert '<div class="kern-hint" id="id_name_helptext">Wie auf dem Ausweis</div>' in html
    assert 'id="id_name_error"' in html
    email = _input(html, "email")
    assert 'aria-describedby="id_email_error"' in email
    assert 'id="id_email_error"' in html


def test_error_summary_comes_first_and_links_to_each_field():
    html = _render(ExampleForm(data={}))
    summary_at = html.index("data-error-summary")
    assert summary_at < html.index('for="id_name"')
    summary = html[summary_at : html.index("</ul>", summary_at)]
    assert 'role="alert"' in html[html.rindex("<div", 0, summary_at) : summary_at + 40]
    assert "Das passt so nicht zusammen." in summary
    assert 'href="#id_name"' in summary and 'href="#id_agree"' in summary


def test_radio_group_is_a_fieldset_with_legend_and_described_errors():
    html = _render(ExampleForm(data={"level": "9"}))
    fieldset = html[html.index("<fieldset") : html.index("</fieldset>")]
    assert '<legend class="kern-label">Niveau' in fieldset
    assert 'aria-describedby="id_level_error"' in fieldset
    assert fieldset.count('type="radio"') == 2
    assert '<label class="kern-label" for="id_level_0">Einstieg</label>' in fieldset


def test_select_gets_kern_wrapper():
    html = _render(ExampleForm())
    assert re.search(r'<div class="kern-form-input__select-wrapper"><select[^>]*name="kind"', html)


def test_status_badge_says_the_status_in_words():
    for status, variant in [
        ("confirmed", "success"),
        ("waitlisted", "warning"),
        ("cancelled", "danger"),
        ("not_completed", "danger"),
        ("something_new", "info"),
    ]:
        html = render_to_string(
            "components/status_badge.html", {"status": status, "label": f"Text {status}"}
        )
        assert f"kern-badge--{variant}" in html, status
        assert f'<span class="kern-label">Text {status}</span>' in html
        assert 'aria-hidden="true"' in html  # the icon is decoration; the words carry it


def test_table_component_has_caption_and_header_scopes():
    html = render_to_string(
        "components/table.html",
        {"caption": "Geräte", "columns": ["Art", "Stunden"], "rows": [["Drucker", 3]]},
    )
    assert "<caption" in html and "Geräte</caption>" in html
    assert (
        '<th scope="col"' in html and '<th scope="row" class="kern-table__header">Drucker' in html
    )
    assert 'role="region"' in html and 'tabindex="0"' in html


def test_pagination_marks_the_current_page_and_keeps_filters():
    page = Paginator(list(range(30)), 10).get_page(2)
    html = render_to_string("components/pagination.html", {"page": page, "query": "q=SPS"})
    assert 'aria-current="page"' in html
    assert 'href="?q=SPS&amp;page=1" rel="prev"' in html
    assert 'href="?q=SPS&amp;page=3" rel="next"' in html


def test_empty_state_offers_the_next_step():
    html = render_to_string(
        "components/empty_state.html",
        {"text": "Keine Kurse.", "action_url": "/", "action_label": "Zum Kursangebot"},
    )
    assert "Keine Kurse." in html and 'href="/"' in html and "Zum Kursangebot" in html
