from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pcn.api.services import api_token_create


class Command(BaseCommand):
    help = (
        "Makes a personal API token for a user and prints its key, once: only a hash is kept. "
        "The token has the user's roles, no more."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. 'sales import'")

    def handle(self, *args, **o):
        user = get_user_model().objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError(f"no user {o['username']}")
        if not user.is_active:
            raise CommandError(f"user {o['username']} is inactive: a token would be refused")
        try:
            token, key = api_token_create(user=user, name=o["name"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        # The key alone on stdout (for a script to capture); the explanation on stderr.
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.name!r} for {user.username} (key starting {token.prefix}). Keep the key now: it is not "
            f"stored and cannot be shown again. Use it as the header 'Authorization: Bearer <key>'. "
            f"Revoke it with: pcn revoke_api_token {user.username} {token.prefix}"
        )
