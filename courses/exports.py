"""Lists a coordinator takes to the workshop for the days the network is down: the participants of
a run as CSV and XLSX, and a signature list per session as PDF (name, business, one box each).

Reads only: each export runs a fixed number of queries however many participants there are.
Texts follow the active language, so an English-speaking coordinator gets English headings."""

import io
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.fonts import register_fonts
from core.formatting import local_date, local_datetime, local_time
from core.tabular import CsvWriter, XlsxWriter

from .models import CourseRun, Enrolment, Session
from .selectors import waitlist_position_expression

# Who belongs on a participant list: everyone with a seat or a place in the queue, and afterwards
# those with a result. Cancelled enrolments are history, not participants.
LISTED_STATUSES = Enrolment.Status.LISTED
# Who signs in at a session: only those who hold a seat.
SIGNING_STATUSES = Enrolment.Status.SEATED


@dataclass(frozen=True)
class Participant:
    number: int
    last_name: str
    first_name: str
    email: str
    business: str
    occupation: str
    status: str
    waitlist_position: int | None
    booked_at: str
    briefing: str = ""
    requirements_confirmed: str = ""


def listed_enrolments(run: CourseRun, statuses=LISTED_STATUSES) -> QuerySet[Enrolment]:
    """The enrolments of a run in list order (seat holders first, then the waiting list), with
    everything a row needs joined in: one query."""
    return (
        Enrolment.objects.filter(run=run, status__in=statuses)
        .select_related("participant", "participant__trainee_profile", "business")
        .annotate(waitlist_position=waitlist_position_expression())
        # Seat holders (no waiting-list number) first on every database, then the queue in order.
        .order_by(
            F("waitlist_seq").asc(nulls_first=True),
            "participant__last_name",
            "participant__first_name",
            "id",
        )
    )


def _names(enrolment: Enrolment) -> tuple[str, str]:
    user = enrolment.participant
    if user is not None and (user.last_name or user.first_name):
        return user.last_name, user.first_name
    # The account was deleted: the name kept on the enrolment still identifies the row.
    return enrolment.participant_name or "–", ""


def participants(run: CourseRun) -> list[Participant]:
    rows = []
    for number, enrolment in enumerate(listed_enrolments(run), start=1):
        last_name, first_name = _names(enrolment)
        profile = (
            getattr(enrolment.participant, "trainee_profile", None)
            if enrolment.participant
            else None
        )
        rows.append(
            Participant(
                number=number,
                last_name=last_name,
                first_name=first_name,
                email=enrolment.participant.email if enrolment.participant else "",
                business=enrolment.business.name if enrolment.business else "",
                occupation=profile.occupation if profile else "",
                status=enrolment.get_status_display(),
                waitlist_position=enrolment.waitlist_position,
                booked_at=local_datetime(enrolment.created_at),
                briefing=_("im ersten Termin") if enrolment.briefing_needed else "",
                requirements_confirmed=local_datetime(enrolment.requirements_confirmed_at)
                if enrolment.requirements_confirmed_at
                else "",
            )
        )
    return rows


def participant_headers() -> list[str]:
    return [
        _("Nr."),
        _("Nachname"),
        _("Vorname"),
        _("E-Mail"),
        _("Betrieb"),
        _("Ausbildungsberuf / Tätigkeit"),
        _("Status"),
        _("Platz auf der Warteliste"),
        _("Angemeldet am"),
        _("Sicherheitsunterweisung nötig"),
        _("Zielgruppe und Voraussetzungen bestätigt am"),
    ]


def _row(p: Participant) -> list:
    return [
        p.number,
        p.last_name,
        p.first_name,
        p.email,
        p.business,
        p.occupation,
        p.status,
        p.waitlist_position or "",
        p.booked_at,
        p.briefing,
        p.requirements_confirmed,
    ]


def run_label(run: CourseRun) -> str:
    return f"{run.course.title} {run.title_suffix}".strip()


def export_filename(run: CourseRun, kind: str, extension: str) -> str:
    day = f"-{timezone.localdate(run.starts_at).isoformat()}" if run.starts_at else ""
    return f"{slugify(run_label(run))[:60]}{day}-{kind}.{extension}"


def participants_csv(run: CourseRun) -> bytes:
    """Semicolon-separated with a byte-order mark: what German Excel opens without a wizard."""
    writer = CsvWriter()
    writer.writerow(participant_headers())
    for participant in participants(run):
        writer.writerow(_row(participant))
    return writer.to_bytes()


def participants_xlsx(run: CourseRun) -> bytes:
    from openpyxl.utils import get_column_letter

    workbook = XlsxWriter()
    out = workbook.add_sheet(_("Teilnehmende"))
    out.append([run_label(run)], bold=True, size=14)
    details = [run.school.name]
    if run.starts_at:
        details.append(local_date(run.starts_at))
    out.append([" · ".join(details)])
    out.append([])
    headers = participant_headers()
    header_row = out.append(headers, bold=True)
    widths = [len(h) for h in headers]
    for participant in participants(run):
        values = _row(participant)
        out.append(values)
        widths = [max(w, len(str(v))) for w, v in zip(widths, values, strict=True)]
    sheet = out.sheet
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 6), 50)
    # Headers stay visible while scrolling; the sheet prints across the page.
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{out.max_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    return workbook.to_bytes()


def sessions_for_export() -> QuerySet[Session]:
    """Sessions with run, course, room, instructor and the signing enrolments: two queries."""
    signing = Prefetch(
        "run__enrolments",
        queryset=Enrolment.objects.filter(status__in=SIGNING_STATUSES)
        .select_related("participant", "business")
        .order_by("participant__last_name", "participant__first_name", "id"),
        to_attr="signing_enrolments",
    )
    return Session.objects.select_related(
        "run__course", "run__school", "workshop", "instructor"
    ).prefetch_related(signing)


def signature_list_pdf(session: Session) -> bytes:
    """One A4 page (or more) per session: course, date, time and room on top, then a row per
    participant with name, business and an empty box to sign in. The header row repeats on
    every page so a second sheet still says what it is."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    run = session.run
    enrolments = getattr(run, "signing_enrolments", None)
    if enrolments is None:
        enrolments = list(listed_enrolments(run, SIGNING_STATUSES))
    regular, bold = register_fonts()
    styles = getSampleStyleSheet()
    for name in ("Title", "Heading2", "Normal", "BodyText", "Italic"):
        styles[name].fontName = bold if name in ("Title", "Heading2") else regular
    start = timezone.localtime(session.start)
    end = timezone.localtime(session.end)
    title = _("Unterschriftenliste")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title} – {run_label(run)}",
        author=run.school.name,
    )
    when = _("%(weekday)s, %(day)s, %(start)s–%(end)s Uhr") % {
        "weekday": date_format(start, "l"),
        "day": date_format(start, "DATE_FORMAT"),
        "start": local_time(start),
        "end": local_time(end),
    }
    room = session.workshop.name + (f" ({session.workshop.room})" if session.workshop.room else "")
    instructor = session.instructor.get_full_name() if session.instructor else ""
    story = [
        Paragraph(title, styles["Title"]),
        Paragraph(f"<b>{_esc(run_label(run))}</b>", styles["Heading2"]),
        Paragraph(_esc(when), styles["Normal"]),
        Paragraph(_esc(f"{_('Ort')}: {room} · {run.school.name}"), styles["Normal"]),
    ]
    if instructor:
        story.append(Paragraph(_esc(f"{_('Ausbilder:in')}: {instructor}"), styles["Normal"]))
    story.append(Spacer(1, 6 * mm))

    cell = styles["BodyText"]
    data = [[_("Nr."), _("Name"), _("Betrieb"), _("Unterschrift")]]
    for number, enrolment in enumerate(enrolments, start=1):
        last_name, first_name = _names(enrolment)
        name = f"{last_name}, {first_name}" if first_name else last_name
        business = enrolment.business.name if enrolment.business else ""
        data.append([str(number), Paragraph(_esc(name), cell), Paragraph(_esc(business), cell), ""])
    if len(data) == 1:
        data.append(["", Paragraph(_esc(_("Keine bestätigten Teilnehmenden.")), cell), "", ""])
    table = Table(
        data,
        colWidths=[12 * mm, 60 * mm, 50 * mm, 52 * mm],
        rowHeights=[8 * mm] + [14 * mm] * (len(data) - 1),
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("FONTNAME", (0, 0), (-1, 0), bold),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ebf4")),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (0, -1), "RIGHT"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 8 * mm))
    story.append(
        Paragraph(
            _esc(_("Stand: %(when)s · %(count)s Teilnehmende"))
            % {
                "when": local_datetime(timezone.now()),
                "count": len(data) - 1 if enrolments else 0,
            },
            styles["Italic"],
        )
    )
    doc.build(story)
    return buffer.getvalue()


def _esc(text: str) -> str:
    """reportlab's Paragraph reads a little XML: names like "Müller & Söhne" must be escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
