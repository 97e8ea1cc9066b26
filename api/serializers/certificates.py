from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certificates.models import Certificate
from core.links import absolute_url


class CertificateSerializer(serializers.ModelSerializer):
    verification_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    run = serializers.IntegerField(source="enrolment.run_id")

    class Meta:
        model = Certificate
        fields = [
            "id", "number", "enrolment", "run", "issued_at", "verification_code",
            "verification_url", "sha256", "pdf_url", "revoked_at", "revoked_reason",
            "replaced_by", "created_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, obj) -> str:
        return absolute_url("certificates:verify", obj.verification_code)

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, obj) -> str | None:
        if not obj.pdf:
            return None
        path = reverse("api:certificate-pdf", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
