"""The journey through the running topology: the catalogue and static files, an API key and a
webhook, a booking through the API, attendance and completion, certificates issued by the worker,
the PDF and the verification page, the signed webhooks and the JSON log lines."""

import hashlib
import json
import urllib.parse
from datetime import UTC, datetime, timedelta

from .receiver import Receiver, signature_ok
from .report import SmokeFailure, check, expect
from .stack import CHAMBER, COORDINATOR, HOOK_PORT, Smoke

CONFIRMATION = """
from core.models import OutboxEmail
row = OutboxEmail.objects.get(params__enrolment={enrolment}, params__kind="confirmation")
print(row.status, (row.sent_at - row.created_at).total_seconds() if row.sent_at else -1)
"""

COMPLETE = """
import datetime as dt
from courses.models import Enrolment
from courses.services.attendance import record_attendance
from courses.services.completion import complete_run, last_session_end
from people.models import User
enrolment = Enrolment.objects.select_related("run").get(pk={enrolment})
actor = User.objects.get(email="{coordinator}")
# The run's sessions lie ahead in the demo data: record and complete as of just after its last
# session (attendance opens with a session).
after = last_session_end(enrolment.run) + dt.timedelta(minutes=1)
for session in enrolment.run.sessions.filter(status="scheduled"):
    record_attendance(
        session=session, enrolment=enrolment, status="present", actor=actor, now=after
    )
# Other people of the demo run have no attendance: the coordinator closes explicitly.
complete_run(run=enrolment.run, actor=actor, now=after, close_missing=True)
enrolment.refresh_from_db()
print(enrolment.status)
"""

ISSUE = """
from certificates.services import start_issue_job
from courses.models import CourseRun
from people.models import User
actor = User.objects.get(email="{coordinator}")
job = start_issue_job(run=CourseRun.objects.get(pk={run}), actor=actor)
print(job.pk)
"""

JOB_STATUS = """
from certificates.models import IssueJob
job = IssueJob.objects.get(pk={job})
print(job.status, job.done, job.total, job.error[:200].replace(chr(10), " "))
"""


def journey(smoke: Smoke, receiver: Receiver) -> None:
    with check("catalogue page / (HTML, request id)"):
        status, headers, body = smoke.http("GET", "/", headers={"X-Request-ID": "smoke-1"})
        expect(status == 200, f"HTTP {status}")
        expect(b"<html" in body and b"/runs/" in body, "no run links in the catalogue")
        expect(headers.get("X-Request-ID") == "smoke-1", "request id not echoed")
    with check("static files served by whitenoise"):
        css = next(
            (p for p in (smoke.workdir / "static").rglob("*.css") if "." in p.stem), None
        )  # a hashed name
        expect(css is not None, "no hashed CSS collected")
        rel = css.relative_to(smoke.workdir / "static").as_posix()
        status, headers, _ = smoke.http("GET", f"/static/{rel}")
        expect(status == 200, f"/static/{rel}: HTTP {status}")
        expect("max-age" in headers.get("Cache-Control", ""), "hashed file not cacheable")

    with check("create API key (manage.py create_api_key)"):
        out = smoke.manage(
            "create_api_key", "--chamber", CHAMBER, "--name", "prod smoke",
            "--scopes",
            "courses:read,enrolments:read,enrolments:write,certificates:read,webhooks:manage",
        )  # fmt: skip
        smoke.key = out.strip().splitlines()[-1].strip()
        status, _ = smoke.api("GET", "/api/v1/runs/?page_size=1")
        expect(status == 200, f"key rejected: HTTP {status}")

    with check("register webhook to the local receiver"):
        status, data = smoke.api(
            "POST",
            "/api/v1/webhooks/",
            {
                "url": f"http://127.0.0.1:{HOOK_PORT}/hook",
                "events": ["enrolment.created", "enrolment.confirmed", "certificate.issued"],
            },
        )
        expect(status == 201, f"HTTP {status}: {data}")
        smoke.secret = data["secret"]

    with check("book through the API (POST /api/v1/enrolments/)"):
        status, runs = smoke.api("GET", "/api/v1/runs/?page_size=200")
        expect(status == 200, f"runs: HTTP {status}")
        now = datetime.now(UTC)
        candidates = [
            r
            for r in runs["results"]
            if r["status"] == "published"
            and r["seats_left"] > 0
            and not r["requires_employer_approval"]
            and r["sessions"]
            and datetime.fromisoformat(r["booking_opens_at"])
            <= now
            < datetime.fromisoformat(r["booking_closes_at"]) - timedelta(hours=1)
        ]
        status, trainees = smoke.api("GET", "/api/v1/trainees/?page_size=200")
        expect(status == 200, f"trainees: HTTP {status}")
        numbers = [
            t["lehrlingsrolle_number"] for t in trainees["results"] if t["lehrlingsrolle_number"]
        ]
        expect(candidates and numbers, f"{len(candidates)} bookable runs, {len(numbers)} trainees")
        booked, tried = None, []
        for run in candidates[:5]:
            for number in numbers[:8]:
                status, data = smoke.api(
                    "POST",
                    "/api/v1/enrolments/",
                    {"run": run["id"], "trainee": number},
                    headers={
                        "Idempotency-Key": f"smoke-{run['id']}-{number}",
                        "X-Request-ID": f"smoke-book-{run['id']}-{number}",
                    },
                )
                if status == 201 and data["status"] == "confirmed":
                    booked = data
                    break
                tried.append((run["id"], number, status, str(data)[:120]))
            if booked:
                break
        expect(booked, f"no confirmed booking; tried {tried[:4]}")
        smoke.enrolment = booked
        print(f"    enrolment {booked['id']} on run {booked['run']}: {booked['status']}")

    with check("enrolment webhook delivered by the worker, HMAC valid"):

        def enrolment_hook():
            for request in receiver.requests:
                body = json.loads(request["body"])
                if body["type"] == "enrolment.created" and str(body["data"].get("id")) == str(
                    smoke.enrolment["id"]
                ):
                    return request
            return None

        request = smoke.wait_for("enrolment.created webhook", enrolment_hook)
        expect(signature_ok(smoke.secret, request), "signature does not verify")

    with check("confirmation e-mail sent by the worker at once (hand-off, not the sweep)"):

        def confirmation_sent():
            out = smoke.shell(CONFIRMATION.format(enrolment=smoke.enrolment["id"])).split()
            return out if out and out[-2] == "sent" else None

        # The sweep sends what was not handed off only after a minute: well past this wait.
        status, seconds = smoke.wait_for("confirmation e-mail", confirmation_sent, timeout=20)[-2:]
        expect(float(seconds) < 20, f"sent {seconds} s after it was stored")
        print(f"    sent {float(seconds):.2f} s after the booking stored it")

    with check("attendance and completion through the services"):
        out = smoke.shell(COMPLETE.format(enrolment=smoke.enrolment["id"], coordinator=COORDINATOR))
        expect(out.splitlines()[-1] == "completed", f"enrolment is {out!r}")

    with check("certificates issued by the worker (IssueJob task)"):
        run_id = smoke.enrolment["run"]
        smoke.job = int(smoke.shell(ISSUE.format(run=run_id, coordinator=COORDINATOR)))

        def job_done():
            state = smoke.shell(JOB_STATUS.format(job=smoke.job)).split(" ", 3)
            if state[0] == "failed":
                raise SmokeFailure(f"job failed: {state}")
            return state if state[0] == "done" else None

        state = smoke.wait_for("IssueJob done", job_done, every=1)
        print(f"    job {smoke.job}: {state[1]}/{state[2]} certificates")

    with check("certificate and PDF through the API"):

        def certificate():
            status, data = smoke.api(
                "GET", f"/api/v1/certificates/?enrolment={smoke.enrolment['id']}"
            )
            found = [c for c in data.get("results", []) if c["pdf_url"]] if status == 200 else []
            return found[0] if found else None

        cert = smoke.wait_for("certificate with PDF", certificate)
        status, pdf = smoke.api("GET", f"/api/v1/certificates/{cert['id']}/pdf/")
        expect(status == 200 and pdf[:5] == b"%PDF-", f"HTTP {status}, {pdf[:20]!r}")
        expect(hashlib.sha256(pdf).hexdigest() == cert["sha256"], "PDF does not match its sha256")
        smoke.certificate = cert
        print(f"    {cert['number']}: {len(pdf)} bytes, sha256 ok")

    with check("public verification page"):
        path = urllib.parse.urlsplit(smoke.certificate["verification_url"]).path
        status, _headers, body = smoke.http("GET", path)
        expect(status == 200 and smoke.certificate["number"].encode() in body, f"HTTP {status}")

    with check("certificate.issued webhook received, HMAC valid"):

        def certificate_hook():
            for request in receiver.requests:
                body = json.loads(request["body"])
                if body["type"] == "certificate.issued" and str(body["data"].get("id")) == str(
                    smoke.certificate["id"]
                ):
                    return request
            return None

        request = smoke.wait_for("certificate.issued webhook", certificate_hook)
        expect(signature_ok(smoke.secret, request), "signature does not verify")

    with check("JSON log lines carry the request id (web and worker)"):
        status, _headers, _body = smoke.http(
            "GET", "/no-such-page/", headers={"X-Request-ID": "smoke-404"}
        )
        expect(status == 404, f"HTTP {status}")

        def json_records(name: str) -> list[dict]:
            lines = smoke.logs[name].read_text(errors="replace").splitlines()
            return [json.loads(line) for line in lines if line.startswith('{"ts"')]

        def logged_404():
            return [r for r in json_records("web") if r.get("request_id") == "smoke-404"]

        line = smoke.wait_for("JSON line of the 404", logged_404, timeout=10)[0]
        expect(line["path"] == "/no-such-page/" and line["level"] == "WARNING", str(line))
        # The webhook task enqueued by the booking request logs with that request's id.
        booking_id = (
            f"smoke-book-{smoke.enrolment['run']}-{smoke.enrolment['lehrlingsrolle_number']}"
        )
        worker = [r for r in json_records("worker") if r.get("request_id") == booking_id]
        expect(worker, f"no JSON line of the worker with request id {booking_id}")
