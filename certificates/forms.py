"""Forms of the certificate pages: parsing and upload checks only; certificates.services decides."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorForm
from core.validators import ID_MAX

IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_FORMATS = {"PNG", "JPEG"}
IMAGE_MAX_PIXELS = 4000
UPLOAD_PDF_MAX_BYTES = 10 * 1024 * 1024


class _ImageUpload(forms.ImageField):
    """PNG or JPEG, checked by decoding it (Pillow), not by its name; small enough for a PDF."""

    default_error_messages = {
        "invalid_image": _("Bitte laden Sie ein Bild im Format PNG oder JPEG hoch."),
    }

    def to_python(self, data):
        if data is not None and getattr(data, "size", 0) > IMAGE_MAX_BYTES:
            raise ValidationError(
                _("Das Bild ist zu groß (höchstens %(max)s).")
                % {"max": filesizeformat(IMAGE_MAX_BYTES)},
                code="too_large",
            )
        upload = super().to_python(data)
        if upload is None:
            return None
        image = upload.image
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image")
        if max(image.size) > IMAGE_MAX_PIXELS:
            raise ValidationError(
                _("Das Bild ist zu groß (höchstens %(max)s Pixel je Seite).")
                % {"max": IMAGE_MAX_PIXELS},
                code="too_large",
            )
        upload.seek(0)
        return upload


class CertificateSettingsForm(DomainErrorForm):
    wording = forms.CharField(
        label=_("Text der Bescheinigung"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Steht unter dem Kurstitel. Leer lassen für den Standardtext "
            "„in der Lernwerkstatt 4.0 erfolgreich teilgenommen hat …“."
        ),
    )
    signatory = forms.CharField(
        label=_("Unterzeichnet von"),
        required=False,
        max_length=200,
        help_text=_(
            "Name und Funktion unter der Unterschriftslinie, z. B. „Dr. Jana Kühn, Schulleiterin“."
        ),
    )
    logo = _ImageUpload(
        label=_("Logo"),
        required=False,
        help_text=_("PNG oder JPEG, höchstens 2 MB."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Logo entfernen"), required=False)
    signature = _ImageUpload(
        label=_("Unterschrift (Bild)"),
        required=False,
        help_text=_("PNG oder JPEG, höchstens 2 MB; am besten mit transparentem Hintergrund."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_signature = forms.BooleanField(label=_("Unterschrift entfernen"), required=False)


class ReasonForm(DomainErrorForm):
    reason = forms.CharField(
        label=_("Grund"),
        max_length=300,
        strip=True,
        error_messages={"required": _("Bitte geben Sie einen Grund an.")},
    )


class IssueOneForm(DomainErrorForm):
    enrolment = forms.IntegerField(min_value=1, max_value=ID_MAX, widget=forms.HiddenInput)


class VerifyUploadForm(DomainErrorForm):
    file = forms.FileField(
        label=_("PDF-Datei der Bescheinigung"),
        help_text=_("Höchstens 10 MB. Die Datei wird nur geprüft, nicht gespeichert."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_PDF_MAX_BYTES:
            raise ValidationError(
                _("Die Datei ist zu groß (höchstens %(max)s).")
                % {"max": filesizeformat(UPLOAD_PDF_MAX_BYTES)},
                code="too_large",
            )
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError(
                _("Das ist keine PDF-Datei. Bitte laden Sie die Bescheinigung als PDF hoch."),
                code="not_pdf",
            )
        return upload
