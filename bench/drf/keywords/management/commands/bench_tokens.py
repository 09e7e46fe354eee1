"""Map Django users to igny8 accounts and mint their access tokens.

    manage.py bench_tokens ACCOUNT_ID:EMAIL [...]

prints {"EMAIL": "<access token>", ...}. Tokens are minted directly (no
password login): the benchmark measures the list, not sign-in.
"""
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework_simplejwt.tokens import AccessToken

from keywords.models import BenchProfile


class Command(BaseCommand):
    help = "Create a user per igny8 account (ACCOUNT_ID:EMAIL) and print their access tokens as JSON."

    def add_arguments(self, parser):
        parser.add_argument("pairs", nargs="+", metavar="ACCOUNT_ID:EMAIL")

    def handle(self, *args, **options):
        user_model = get_user_model()
        tokens = {}
        for pair in options["pairs"]:
            account, sep, email = pair.partition(":")
            if not sep or not account.isdigit() or not email:
                raise CommandError(f"{pair!r} is not ACCOUNT_ID:EMAIL")
            user, created = user_model.objects.get_or_create(username=email, defaults={"email": email})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            BenchProfile.objects.update_or_create(user=user, defaults={"account_id": int(account)})
            tokens[email] = str(AccessToken.for_user(user))
        self.stdout.write(json.dumps(tokens))
