"""The chamber API: thin views over selectors and the same services the web UI calls."""

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
)
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from certificates.models import Certificate
from core.errors import DomainError, InvalidInput
from courses.models import Attendance, Course, CourseRun, Enrolment, Session
from courses.reports import uelu_report
from courses.selectors import waitlist_position_expression, with_seats
from people.models import Business, TraineeProfile

from . import services
from .authentication import ApiKeyAuthentication
from .errors import NotFound
from .idempotency import idempotent
from .models import Tombstone, WebhookDelivery, WebhookEndpoint
from .pagination import UpdatedCursorPagination, parse_timestamp
from .permissions import HasScope
from .problems import exception_handler
from .schema import IDEMPOTENCY_HEADER, UPDATED_SINCE, ApiAutoSchema
from .serializers import (
    AttendanceSerializer,
    BusinessInputSerializer,
    BusinessSerializer,
    CancelInputSerializer,
    CertificateSerializer,
    CourseSerializer,
    EnrolmentInputSerializer,
    EnrolmentSerializer,
    RunSerializer,
    TombstoneSerializer,
    TraineeInputSerializer,
    TraineeSerializer,
    UeluReportSerializer,
    WebhookCreatedSerializer,
    WebhookDeliverySerializer,
    WebhookInputSerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)
from .throttling import ApiKeyThrottle

ID = r"[0-9]{1,18}"  # fits a 64-bit integer; anything else is a 404, never an overflow
VISIBLE_RUN_STATUSES = CourseRun.Status.PUBLIC

READ_PEOPLE = ("enrolments:read", "businesses:write")


def int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationError({name: [_("Eine positive ganze Zahl erwartet.")]})
    return int(raw)


def id_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, description=description)


class ChamberViewMixin:
    # Authentication by key, scope check, throttling per key, problem details, keyset paging.
    # (A comment, not a docstring: drf-spectacular would print a docstring on every operation.)

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsAuthenticated, HasScope]
    throttle_classes = [ApiKeyThrottle]
    parser_classes = [JSONParser]  # one request format: JSON (also keeps the schema simple)
    pagination_class = UpdatedCursorPagination
    lookup_value_regex = ID
    required_scopes: dict = {}
    updated_field = "updated_at"
    schema = ApiAutoSchema()

    def get_exception_handler(self):
        return exception_handler

    def scopes_for(self, request) -> tuple[str, ...]:
        scopes = self.required_scopes
        return tuple(
            scopes.get(getattr(self, "action", None))
            or scopes.get(request.method)
            or scopes.get("*")
            or ()
        )

    @property
    def chamber(self):
        auth = getattr(self.request, "auth", None)
        return auth.chamber if auth is not None else None  # None only while the schema is built

    def filter_queryset(self, queryset):
        raw = self.request.query_params.get("updated_since")
        if raw:
            since = parse_timestamp(raw, "updated_since")
            queryset = queryset.filter(**{f"{self.updated_field}__gte": since})
        return queryset


# --- catalogue ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[UPDATED_SINCE], summary="Courses of the published catalogue"),
    retrieve=extend_schema(summary="One course"),
)
class CourseViewSet(ChamberViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CourseSerializer
    required_scopes = {"*": ("courses:read",)}

    def get_queryset(self):
        published = CourseRun.objects.filter(course=OuterRef("pk"), status__in=VISIBLE_RUN_STATUSES)
        return Course.objects.filter(Exists(published)).select_related("topic", "school")


def runs_queryset():
    # Only the columns the nested session list shows (see SessionListSerializer).
    sessions = Prefetch(
        "sessions",
        queryset=Session.objects.only("id", "run_id", "uid", "start", "end", "status").order_by(
            "start", "id"
        ),
    )
    return with_seats(
        CourseRun.objects.filter(status__in=VISIBLE_RUN_STATUSES).select_related(
            "course", "school", "workshop"
        )
    ).prefetch_related(sessions)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            UPDATED_SINCE,
            id_param("course", "Only runs of this course."),
            OpenApiParameter("status", str, enum=list(VISIBLE_RUN_STATUSES)),
        ],
        summary="Runs (published, completed and cancelled) with sessions and seats left",
    ),
    retrieve=extend_schema(summary="One run"),
)
class RunViewSet(ChamberViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RunSerializer
    required_scopes = {"*": ("courses:read",), "uelu_report": ("enrolments:read",)}

    def get_queryset(self):
        qs = runs_queryset()
        if self.action == "list":
            course = int_param(self.request, "course")
            if course is not None:
                qs = qs.filter(course_id=course)
            run_status = self.request.query_params.get("status")
            if run_status:
                if run_status not in VISIBLE_RUN_STATUSES:
                    raise ValidationError({"status": [_("Unbekannter Status.")]})
                qs = qs.filter(status=run_status)
        return qs

    @extend_schema(
        summary="ÜLU report: participants of this chamber with hours attended per day",
        responses=UeluReportSerializer,
    )
    @action(detail=True, methods=["get"], url_path="uelu-report", pagination_class=None)
    def uelu_report(self, request, pk=None):
        run = get_object_or_404(CourseRun.objects.filter(status__in=VISIBLE_RUN_STATUSES), pk=pk)
        report = uelu_report(run, chamber_id=self.chamber.pk)
        return Response(UeluReportSerializer(report).data)


# --- enrolments and attendance --------------------------------------------------------------


ENROLMENT_FIELDS = (
    "id", "run_id", "participant_id", "participant_name", "business_id", "status", "source",
    "waitlist_seq", "confirmed_at", "cancelled_at", "cancel_reason", "completed_at", "created_at",
    "updated_at",
)  # fmt: skip


def enrolments_of(chamber):
    # Only the columns the serializer prints, and the business's member number as an annotation
    # instead of a whole joined Business per row: a sync pulls pages of 1000.
    return (
        Enrolment.objects.filter(business__chamber=chamber)
        .only(*ENROLMENT_FIELDS)
        .annotate(
            business_member_number=F("business__member_number"),
            trainee_id=F("participant__trainee_profile__id"),
            trainee_number=F("participant__trainee_profile__lehrlingsrolle_number"),
            waitlist_position=waitlist_position_expression(),
        )
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            UPDATED_SINCE,
            id_param("run", "Only enrolments of this run."),
            id_param("trainee", "Only enrolments of this trainee (id)."),
            OpenApiParameter("status", str, enum=Enrolment.Status.values),
        ],
        summary="Enrolments of the chamber's member businesses (cancellations stay, as status)",
    ),
    retrieve=extend_schema(summary="One enrolment"),
)
class EnrolmentViewSet(
    ChamberViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = EnrolmentSerializer
    required_scopes = {"GET": ("enrolments:read",), "POST": ("enrolments:write",)}

    def get_queryset(self):
        qs = enrolments_of(self.chamber)
        if self.action == "list":
            for name, lookup in (
                ("run", "run_id"),
                ("trainee", "participant__trainee_profile__id"),
            ):
                value = int_param(self.request, name)
                if value is not None:
                    qs = qs.filter(**{lookup: value})
            wanted = self.request.query_params.get("status")
            if wanted:
                if wanted not in Enrolment.Status.values:
                    raise ValidationError({"status": [_("Unbekannter Status.")]})
                qs = qs.filter(status=wanted)
        return qs

    def _resolve_trainee(self, value: str) -> TraineeProfile:
        profiles = TraineeProfile.objects.filter(business__chamber=self.chamber).select_related(
            "user", "business"
        )
        profile = profiles.filter(lehrlingsrolle_number=value).first()
        if profile is None and value.isdigit() and len(value) <= 18:
            profile = profiles.filter(pk=int(value)).first()
        if profile is None:
            raise InvalidInput(
                _("Kein:e Auszubildende:r eines Mitgliedsbetriebs mit dieser Nummer."),
                field="trainee",
            )
        return profile

    @extend_schema(
        request=EnrolmentInputSerializer,
        responses={201: EnrolmentSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Book an apprentice into a run (confirmed, or on the waiting list)",
    )
    @idempotent
    def create(self, request):
        from courses.services.booking import book

        data = EnrolmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = CourseRun.objects.filter(
            pk=data.validated_data["run"], status__in=VISIBLE_RUN_STATUSES
        ).first()
        if run is None:
            raise InvalidInput(_("Diese Kursdurchführung gibt es nicht."), field="run")
        profile = self._resolve_trainee(data.validated_data["trainee"].strip())
        try:
            enrolment = book(
                run=run,
                participant=profile.user,
                booked_by=None,
                business=profile.business,
                source="api",
            )
        except DomainError as exc:
            if exc.field == "participant":  # the API calls the participant "trainee"
                exc.field = "trainee"
            raise
        out = enrolments_of(self.chamber).get(pk=enrolment.pk)
        return Response(EnrolmentSerializer(out).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CancelInputSerializer,
        responses={200: EnrolmentSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Cancel an enrolment (the next on the waiting list moves up)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        from courses.services.booking import cancel

        enrolment = self.get_object()
        data = CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The chamber is the actor: the service applies the rules of a business contact to it
        # (cancel until the deadline; leaving the waiting list always).
        cancel(enrolment=enrolment, actor=request.user, reason=data.validated_data["reason"])
        out = enrolments_of(self.chamber).get(pk=enrolment.pk)
        return Response(EnrolmentSerializer(out).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            UPDATED_SINCE,
            id_param("run", "Only attendance of this run."),
            id_param("enrolment", "Only attendance of this enrolment."),
        ],
        summary="Attendance of the chamber's apprentices, per session",
    ),
    retrieve=extend_schema(summary="One attendance record"),
)
class AttendanceViewSet(ChamberViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AttendanceSerializer
    required_scopes = {"*": ("enrolments:read",)}

    def get_queryset(self):
        qs = Attendance.objects.filter(enrolment__business__chamber=self.chamber).select_related(
            "session"
        )
        if self.action == "list":
            run = int_param(self.request, "run")
            if run is not None:
                qs = qs.filter(session__run_id=run)
            enrolment = int_param(self.request, "enrolment")
            if enrolment is not None:
                qs = qs.filter(enrolment_id=enrolment)
        return qs


# --- businesses and trainees ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[UPDATED_SINCE], summary="The chamber's member businesses"),
    retrieve=extend_schema(summary="One member business by member number"),
)
class BusinessViewSet(
    ChamberViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = BusinessSerializer
    lookup_field = "member_number"
    lookup_value_regex = r"[^/]{1,32}"
    required_scopes = {"GET": READ_PEOPLE, "*": ("businesses:write",)}

    def get_queryset(self):
        return Business.objects.filter(chamber=self.chamber)

    def _upsert(self, member_number: str, data) -> Response:
        business, created, _changed = services.upsert_business(
            chamber=self.chamber, member_number=member_number, data=data
        )
        return Response(
            BusinessSerializer(business).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=BusinessInputSerializer,
        responses={200: BusinessSerializer, 201: BusinessSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Upsert a member business by member number (201 created, 200 updated or unchanged)",
    )
    @idempotent
    def create(self, request):
        data = BusinessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = (data.validated_data.pop("member_number", "") or "").strip()
        if not number:
            raise ValidationError({"member_number": [_("Pflichtfeld.")]})
        return self._upsert(number, data.validated_data)

    @extend_schema(
        request=BusinessInputSerializer,
        responses={200: BusinessSerializer, 201: BusinessSerializer},
        summary="Create or update the member business with this member number",
    )
    def update(self, request, member_number=None):
        data = BusinessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body_number = data.validated_data.pop("member_number", None)
        if body_number is not None and body_number.strip() != member_number.strip():
            raise ValidationError(
                {"member_number": [_("Weicht von der Nummer in der Adresse ab.")]}
            )
        if not member_number.strip():
            raise ValidationError({"member_number": [_("Pflichtfeld.")]})
        return self._upsert(member_number, data.validated_data)

    @extend_schema(responses={204: None}, summary="Delete a member business (leaves a tombstone)")
    def destroy(self, request, member_number=None):
        business = self.get_object()
        services.delete_business(business=business)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter(
                "lehrlingsrolle_number", str, description="Exact Lehrlingsrolle number."
            ),
        ],
        summary="Trainees employed by the chamber's member businesses",
    ),
    retrieve=extend_schema(summary="One trainee"),
)
class TraineeViewSet(
    ChamberViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = TraineeSerializer
    required_scopes = {"GET": READ_PEOPLE, "*": ("businesses:write",)}

    def get_queryset(self):
        qs = TraineeProfile.objects.filter(business__chamber=self.chamber).select_related(
            "user", "business"
        )
        number = self.request.query_params.get("lehrlingsrolle_number")
        if number:
            qs = qs.filter(lehrlingsrolle_number=number.strip())
        return qs

    @extend_schema(
        request=TraineeInputSerializer,
        responses={200: TraineeSerializer, 201: TraineeSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Upsert an apprentice by Lehrlingsrolle number (201 created, 200 otherwise)",
    )
    @idempotent
    def create(self, request):
        data = TraineeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        number = values.pop("lehrlingsrolle_number")
        member_number = values.pop("business").strip()
        business = Business.objects.filter(
            chamber=self.chamber, member_number=member_number
        ).first()
        if business is None or not member_number:
            raise InvalidInput(
                _("Kein Mitgliedsbetrieb mit dieser Mitgliedsnummer."), field="business"
            )
        if values.get("date_of_birth", 0) is None:
            values["date_of_birth"] = None
        profile, created, _changed = services.upsert_trainee(
            chamber=self.chamber, lehrlingsrolle_number=number, business=business, data=values
        )
        profile = TraineeProfile.objects.select_related("user", "business").get(pk=profile.pk)
        return Response(
            TraineeSerializer(profile).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={204: None}, summary="Delete a trainee (leaves a tombstone)")
    def destroy(self, request, pk=None):
        services.delete_trainee(profile=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- certificates ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[UPDATED_SINCE, id_param("enrolment", "Only certificates of this enrolment.")],
        summary="Certificates of the chamber's apprentices (revocations stay, with revoked_at)",
    ),
    retrieve=extend_schema(summary="One certificate"),
)
class CertificateViewSet(ChamberViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateSerializer
    required_scopes = {"*": ("certificates:read",)}

    def get_queryset(self):
        qs = Certificate.objects.filter(enrolment__business__chamber=self.chamber).select_related(
            "enrolment"
        )
        enrolment = int_param(self.request, "enrolment") if self.action == "list" else None
        if enrolment is not None:
            qs = qs.filter(enrolment_id=enrolment)
        return qs

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


# --- tombstones and webhooks ----------------------------------------------------------------


class TombstonePagination(UpdatedCursorPagination):
    field = "deleted_at"


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                description="Only deletions at or after this time.",
            ),
            OpenApiParameter("resource", str, enum=["businesses", "trainees"]),
        ],
        summary="Deleted businesses and trainees, so that a syncing client can delete them too",
    )
)
class TombstoneViewSet(ChamberViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TombstoneSerializer
    pagination_class = TombstonePagination
    updated_field = "deleted_at"
    required_scopes = {"*": READ_PEOPLE}

    def get_queryset(self):
        qs = Tombstone.objects.filter(chamber=self.chamber)
        resource = self.request.query_params.get("resource")
        if resource:
            qs = qs.filter(resource=resource)
        return qs


@extend_schema_view(
    list=extend_schema(parameters=[UPDATED_SINCE], summary="Webhook endpoints of the chamber"),
    retrieve=extend_schema(summary="One webhook endpoint"),
)
class WebhookViewSet(
    ChamberViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = WebhookSerializer
    required_scopes = {"*": ("webhooks:manage",)}

    def get_queryset(self):
        return WebhookEndpoint.objects.filter(chamber=self.chamber, deleted_at__isnull=True)

    @extend_schema(
        request=WebhookInputSerializer,
        responses={201: WebhookCreatedSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        summary="Register a webhook endpoint; the signing secret is in this response only",
    )
    @idempotent
    def create(self, request):
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = services.create_webhook(chamber=self.chamber, **data.validated_data)
        body = WebhookSerializer(endpoint).data
        body["secret"] = secret
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=WebhookUpdateSerializer,
        responses={200: WebhookSerializer},
        summary="Change a webhook",
    )
    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        data = WebhookUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.update_webhook(endpoint=endpoint, **data.validated_data)
        return Response(WebhookSerializer(endpoint).data)

    @extend_schema(responses={204: None}, summary="Remove a webhook endpoint")
    def destroy(self, request, pk=None):
        services.delete_webhook(endpoint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[UPDATED_SINCE],
        responses={200: WebhookDeliverySerializer(many=True)},
        summary="Delivery log of this endpoint, with every attempt",
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        qs = self.filter_queryset(
            WebhookDelivery.objects.filter(endpoint=endpoint)
            .select_related("event")
            .prefetch_related("attempt_log")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
