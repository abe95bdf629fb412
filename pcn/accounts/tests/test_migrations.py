from io import StringIO

from django.core.management import call_command
from django.test import TestCase


class MigrationsTest(TestCase):
    def test_the_models_and_the_migrations_agree(self):
        out = StringIO()
        try:
            call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
        except SystemExit:
            self.fail(f"a model change has no migration; run `pcn makemigrations`:\n{out.getvalue()}")
        self.assertIn("No changes detected", out.getvalue())
