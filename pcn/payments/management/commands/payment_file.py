from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pcn.accounts.access import program_roles
from pcn.payments import services
from pcn.payments.access import TREASURY
from pcn.payments.models import PaymentBatch


class Command(BaseCommand):
    help = ("Writes an approved payment batch's file (the same file as the batch page's button: produced once and "
            "kept, so a second run writes the same bytes). The user must be one of the program's treasurers.")

    def add_arguments(self, parser):
        parser.add_argument("batch", type=int, help="payment batch id")
        parser.add_argument("--format", required=True,
                            choices=["cpa005", "pain001", "csv_remittance", "interac", "cheques"])
        parser.add_argument("--user", required=True, help="username of the treasurer drawing the file")
        parser.add_argument("--out", required=True, help="where to write the file")

    def handle(self, *args, **o):
        batch = PaymentBatch.objects.select_related("program").filter(pk=o["batch"]).first()
        if batch is None:
            raise CommandError(f"no payment batch {o['batch']}")
        user = get_user_model().objects.filter(username=o["user"], is_active=True).first()
        if user is None or not program_roles(user, batch.program) & TREASURY:
            raise CommandError(f"{o['user']} is not a treasurer of {batch.program}")
        try:
            made = services.batch_export(batch=batch, format=o["format"], by=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        Path(o["out"]).write_bytes(bytes(made.content))
        number = f", file creation number {made.file_creation_number}" if made.file_creation_number else ""
        self.stdout.write(f"{batch.reference}: {o['format']} written to {o['out']}{number}.")
