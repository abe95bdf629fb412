from django.core.management.base import BaseCommand, CommandError

from pcn.api.models import ApiToken
from pcn.api.services import api_token_revoke


class Command(BaseCommand):
    help = "Revokes a user's API token, named by the first characters of its key (as create_api_token printed them)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("prefix", help="the key's first 8 characters")

    def handle(self, *args, **o):
        tokens = list(ApiToken.objects.active().filter(user__username=o["username"], prefix=o["prefix"]))
        if not tokens:
            raise CommandError(f"{o['username']} has no active token whose key starts {o['prefix']}")
        for token in tokens:  # two keys sharing 8 random characters: one chance in 2**48; revoke both
            api_token_revoke(token=token)
            self.stdout.write(f"Revoked {token.name!r} ({token.prefix}…) of {o['username']}.")
