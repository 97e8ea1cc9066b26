"""A coordinator writes to the participants of a run, or of one of its sessions; the message log
is shown on the run page (views.staff.participants)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from core.access import access
from core.errors import DomainError

from ...forms.participants import RunMessageForm
from ...models import CourseRun, Session
from ...services.messages import send_run_message

RUNS = CourseRun.objects.select_related("course", "school")


@access("courses.manage_participants", model=RUNS, url_kwarg="run_id")
def run_message_create(request, obj):
    run = obj
    sessions = list(
        run.sessions.filter(status=Session.Status.SCHEDULED)
        .select_related("workshop")
        .order_by("start")
    )
    initial = {"session": request.GET.get("session", "")}
    form = RunMessageForm(request.POST or None, sessions=sessions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = send_run_message(
                run=run,
                actor=request.user,
                subject=data["subject"],
                body=data["body"],
                session=data["session"],
                include_waiting=data["include_waiting"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                ngettext(
                    "Ihre Nachricht „%(subject)s“ wurde an %(n)s Person gesendet.",
                    "Ihre Nachricht „%(subject)s“ wurde an %(n)s Personen gesendet.",
                    message.recipients,
                )
                % {"subject": message.subject, "n": message.recipients},
            )
            return redirect(reverse("courses:staff_run_detail", args=[run.pk]) + "#nachrichten")
    return render(request, "staff/run_message_form.html", {"run": run, "form": form})
