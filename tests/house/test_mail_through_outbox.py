"""Every e-mail goes through the outbox (core.services.outbox.enqueue_email, in the transaction
of the change it reports): only that module talks to the mail backend. A `.send()` after the
commit can lose the message (process killed, broker down) or answer 500 after a booking."""

import ast

from tests.house.tree import ROOT, python_files

OUTBOX = "core/services/outbox.py"
# Functions of django.core.mail that send (or open a connection to send) on their own.
_SENDING_FUNCTIONS = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "get_connection",
}


def _sends_mail(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("django.core.mail")
        ):
            for alias in node.names:
                if alias.name in _SENDING_FUNCTIONS:
                    found.append((node.lineno, f"imports {alias.name}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in _SENDING_FUNCTIONS | {"send_messages"}:
                found.append((node.lineno, f".{name}()"))
            # A message's send() takes no sender; a signal's send() always names one.
            elif (
                name == "send" and not node.args and "sender" not in {k.arg for k in node.keywords}
            ):
                found.append((node.lineno, ".send()"))
        if isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                # transaction.on_commit(message.send): a send handed on to run later.
                if isinstance(arg, ast.Attribute) and arg.attr in ("send", "send_messages"):
                    found.append((node.lineno, f"passes .{arg.attr}"))
    return found


def _offenders() -> list[str]:
    offenders = []
    for path in python_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] in ("tests", "bench", "scripts") or relative.as_posix() == OUTBOX:
            continue
        for line, what in _sends_mail(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{relative}:{line}: {what}")
    return offenders


def test_only_the_outbox_sends_mail():
    offenders = _offenders()
    assert offenders == [], (
        f"send e-mail with core.services.outbox.enqueue_email inside the transaction: {offenders}"
    )


def test_the_check_finds_each_way_of_sending():
    source = """
from django.core.mail import send_mail, EmailMessage
from django.db import transaction
EmailMessage("s", "b", to=["a@example.org"]).send()
transaction.on_commit(message.send)
transaction.on_commit(lambda: send_mail("s", "b", None, ["a@example.org"]))
connection.send_messages([message])
run_published.send(sender=CourseRun, run=run)
signal.send(CourseRun, run=run)
"""
    found = sorted(what for _line, what in _sends_mail(ast.parse(source)))
    assert found == sorted(["imports send_mail", ".send()", "passes .send", ".send_messages()"])
