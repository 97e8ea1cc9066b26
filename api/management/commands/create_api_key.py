import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.services import VALID_SCOPES, create_api_key
from core.errors import DomainError
from people.models import Chamber


class Command(BaseCommand):
    help = "Create an API key for a chamber. The key is printed once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("--chamber", required=True, help="Chamber code")
        parser.add_argument(
            "--scopes", required=True, help="Comma-separated: " + ",".join(sorted(VALID_SCOPES))
        )
        parser.add_argument("--name", default="", help="Label, e.g. the system that uses the key")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Valid for N days (default: no expiry)"
        )

    def handle(self, *args, chamber, scopes, name, expires_days, **options):
        try:
            chamber_obj = Chamber.objects.get(code=chamber)
        except Chamber.DoesNotExist as exc:
            raise CommandError(f"No chamber with code {chamber!r}.") from exc
        scope_list = [s.strip() for s in scopes.split(",") if s.strip()]
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be at least 1.")
        expires_at = timezone.now() + dt.timedelta(days=expires_days) if expires_days else None
        try:
            key, plaintext = create_api_key(
                chamber=chamber_obj, name=name, scopes=scope_list, expires_at=expires_at
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Key {key.prefix} for {chamber_obj.code} with scopes {', '.join(key.scopes)}"
            + (f", valid until {expires_at:%Y-%m-%d}" if expires_at else "")
            + ". It is shown only now; store it safely:"
        )
        self.stdout.write(plaintext)
