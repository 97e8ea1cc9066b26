"""/certificates/: certificates of the chamber's apprentices, and their PDFs."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action

from ..errors import NotFound
from ..filters import IdFilter, UpdatedFilter
from ..selectors import certificates_of
from ..serializers.certificates import CertificateSerializer
from .base import ChamberViewMixin


class CertificateFilter(UpdatedFilter):
    enrolment = IdFilter(
        field_name="enrolment_id", description="Only certificates of this enrolment."
    )


@extend_schema_view(
    list=extend_schema(
        summary="Certificates of the chamber's apprentices (revocations stay, with revoked_at)"
    ),
    retrieve=extend_schema(summary="One certificate"),
)
class CertificateViewSet(ChamberViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateSerializer
    required_scopes = {"*": ("certificates:read",)}
    filtersets = {"list": CertificateFilter}

    def get_queryset(self):
        return certificates_of(self.chamber)

    @extend_schema(
        summary="The certificate as PDF",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def pdf(self, request, pk=None):
        certificate = self.get_object()
        if not certificate.pdf:
            raise NotFound(_("Für diese Bescheinigung gibt es noch kein PDF."))
        try:
            handle = certificate.pdf.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise NotFound(_("Die PDF-Datei fehlt.")) from exc
        return FileResponse(
            handle,
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{certificate.number}.pdf",
        )
