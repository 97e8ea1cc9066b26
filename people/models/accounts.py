"""Who: users, the organisations they belong to, and the roles that scope what they may do."""

import datetime as dt

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, router
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped
from core.precompiled import Precompiled
from core.validators import plausible_date, single_line


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get(self, *args, **kwargs):
        """`get(pk=…)` on `User.objects`, the lookup of every signed-in request (the auth
        backends' get_user), runs a statement compiled once; any other lookup, another manager
        (related, routed with db_manager, historical) and an id outside the column's range take
        the ORM's way."""
        pk = kwargs.get("pk")
        if args or kwargs.keys() != {"pk"} or self is not User._default_manager:
            return super().get(*args, **kwargs)
        try:
            pk = int(pk)  # as the ORM prepares it: the session holds the id as text
        except (TypeError, ValueError):
            return super().get(*args, **kwargs)
        if not 0 < pk < 2**63:  # the ORM answers DoesNotExist without asking the database
            return super().get(*args, **kwargs)
        alias = router.db_for_read(User)
        rows = _by_pk.rows(alias, None, pk=pk)
        if not rows:
            raise User.DoesNotExist(f"{User._meta.object_name} matching query does not exist.")
        return User.from_db(alias, _USER_FIELDS, rows[0])


class User(AbstractUser):
    """The e-mail address is the login; there is no username."""

    username = None
    # AbstractUser's name fields, with the one rule for single-line text (no line breaks that
    # would reach e-mail subjects and bodies).
    first_name = models.CharField(
        _("Vorname"), max_length=150, blank=True, validators=[single_line]
    )
    last_name = models.CharField(
        _("Nachname"), max_length=150, blank=True, validators=[single_line]
    )
    email = models.EmailField(_("E-Mail-Adresse"), unique=True, validators=[single_line])
    last_login = models.DateTimeField(
        _("Letzte Anmeldung"), blank=True, null=True, validators=[plausible_date]
    )
    date_joined = models.DateTimeField(
        _("Registriert am"), default=timezone.now, validators=[plausible_date]
    )
    date_of_birth = models.DateField(
        _("Geburtsdatum"), null=True, blank=True, validators=[plausible_date]
    )
    language = models.CharField(
        _("Sprache"), max_length=8, choices=[("de", "Deutsch"), ("en", "English")], default="de"
    )
    anonymised_at = models.DateTimeField(
        _("anonymisiert am"), null=True, blank=True, validators=[plausible_date]
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("Benutzer:in")
        verbose_name_plural = _("Benutzer:innen")

    def __str__(self):
        return self.get_full_name() or self.email


_USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)
_by_pk = Precompiled(
    lambda p, alias, _shape: (
        User.objects.db_manager(alias).filter(pk=p.id("pk")).order_by().values_list(*_USER_FIELDS)
    ),
    prepared=True,
)


class District(models.Model):
    name = models.CharField(_("Name"), max_length=200, validators=[single_line])
    code = models.SlugField(_("Kürzel"), max_length=32, unique=True, validators=[single_line])

    class Meta:
        ordering = ["name"]
        verbose_name = _("Landkreis")
        verbose_name_plural = _("Landkreise")

    def __str__(self):
        return self.name


class School(TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("Name"), max_length=200, validators=[single_line])
    code = models.CharField(
        _("Kürzel"),
        max_length=16,
        unique=True,
        help_text=_("z. B. BBS1; Präfix der Bescheinigungsnummern"),
        validators=[single_line],
    )
    street = models.CharField(_("Straße"), max_length=200, blank=True, validators=[single_line])
    postal_code = models.CharField(_("PLZ"), max_length=10, blank=True, validators=[single_line])
    city = models.CharField(_("Ort"), max_length=100, validators=[single_line])
    email = models.EmailField(_("E-Mail"), blank=True, validators=[single_line])
    # Certificate settings a school may change.
    certificate_wording = models.TextField(_("Text der Bescheinigung"), blank=True)
    certificate_logo = models.FileField(_("Logo"), upload_to="schools/logos/", blank=True)
    certificate_signature = models.FileField(
        _("Unterschrift (Bild)"), upload_to="schools/signatures/", blank=True
    )
    certificate_signatory = models.CharField(
        _("Unterzeichnet von"), max_length=200, blank=True, validators=[single_line]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Berufsschule")
        verbose_name_plural = _("Berufsschulen")

    def __str__(self):
        return self.name


class Chamber(TimeStamped):
    class Kind(models.TextChoices):
        HWK = "hwk", _("Handwerkskammer")
        IHK = "ihk", _("Industrie- und Handelskammer")

    name = models.CharField(_("Name"), max_length=200, validators=[single_line])
    code = models.CharField(_("Kürzel"), max_length=32, unique=True, validators=[single_line])
    kind = models.CharField(_("Art"), max_length=3, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kammer")
        verbose_name_plural = _("Kammern")

    def __str__(self):
        return self.name


class Business(TimeStamped):
    name = models.CharField(_("Name"), max_length=200, validators=[single_line])
    chamber = models.ForeignKey(
        Chamber, on_delete=models.PROTECT, related_name="businesses", null=True, blank=True
    )
    member_number = models.CharField(
        _("Mitgliedsnummer"), max_length=32, blank=True, validators=[single_line]
    )
    street = models.CharField(_("Straße"), max_length=200, blank=True, validators=[single_line])
    postal_code = models.CharField(_("PLZ"), max_length=10, blank=True, validators=[single_line])
    city = models.CharField(_("Ort"), max_length=100, blank=True, validators=[single_line])
    email = models.EmailField(_("E-Mail"), blank=True, validators=[single_line])
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Betrieb")
        verbose_name_plural = _("Betriebe")
        constraints = [
            models.UniqueConstraint(
                fields=["chamber", "member_number"],
                condition=~Q(member_number=""),
                name="business_unique_member_number_per_chamber",
            )
        ]
        indexes = [models.Index(fields=["chamber", "updated_at"])]

    def __str__(self):
        return self.name


class TraineeProfile(TimeStamped):
    """A participant: an apprentice (Auszubildende:r) or a staff member of a business."""

    class Kind(models.TextChoices):
        APPRENTICE = "apprentice", _("Auszubildende:r")
        STAFF = "staff", _("Beschäftigte:r eines Betriebs")
        OTHER = "other", _("Sonstige")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="trainee_profile")
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices, default=Kind.APPRENTICE)
    business = models.ForeignKey(
        Business,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainees",
        verbose_name=_("Arbeitgeber"),
        # The business of the person's confirmed Employment, kept by people.services.employment
        # (never set directly): lists and exports read it without a join.
        editable=False,
    )
    occupation = models.CharField(
        _("Ausbildungsberuf / Tätigkeit"), max_length=200, blank=True, validators=[single_line]
    )
    apprenticeship_start = models.DateField(
        _("Ausbildungsbeginn"), null=True, blank=True, validators=[plausible_date]
    )
    occupation_code = models.CharField(
        _("Berufskennziffer"),
        max_length=16,
        blank=True,
        help_text=_("Kennziffer des Ausbildungsberufs, wie die Kammer sie führt"),
        validators=[single_line],
    )
    lehrlingsrolle_number = models.CharField(
        _("Lehrlingsrollen-Nummer"),
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        validators=[single_line],
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("Teilnehmendenprofil")
        verbose_name_plural = _("Teilnehmendenprofile")
        indexes = [models.Index(fields=["business", "updated_at"])]

    def __str__(self):
        return str(self.user)

    def training_year(self, on: dt.date) -> int | None:
        """Ausbildungsjahr on a day: 1 in the first twelve months after the start, and so on;
        None before the start, without a start, or for someone who is no apprentice."""
        start = self.apprenticeship_start
        if self.kind != self.Kind.APPRENTICE or start is None or on < start:
            return None
        months = (on.year - start.year) * 12 + on.month - start.month - (on.day < start.day)
        return months // 12 + 1


class Membership(TimeStamped):
    """A role of a user, scoped to the organisation it applies to."""

    class Role(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("Kreisverwaltung")
        COORDINATOR = "coordinator", _("Koordination")
        INSTRUCTOR = "instructor", _("Ausbilder:in")
        BUSINESS_CONTACT = "business_contact", _("Ansprechperson Betrieb")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        ordering = ["role", "user__email"]
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role="district_admin",
                        district__isnull=False,
                        school__isnull=True,
                        business__isnull=True,
                    )
                    | Q(
                        role__in=["coordinator", "instructor"],
                        school__isnull=False,
                        business__isnull=True,
                    )
                    | Q(role="business_contact", business__isnull=False, school__isnull=True)
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="membership_unique_school_role",
            ),
            models.UniqueConstraint(
                fields=["user", "business"],
                condition=Q(business__isnull=False),
                name="membership_unique_business",
            ),
            models.UniqueConstraint(
                fields=["user", "district"],
                condition=Q(district__isnull=False),
                name="membership_unique_district",
            ),
        ]

    def __str__(self):
        scope = self.school or self.business or self.district
        return f"{self.user} – {self.get_role_display()} ({scope})"
