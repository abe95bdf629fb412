import shutil
import tempfile

from django.test import TestCase, override_settings

from pcn.accounts.models import Role
from pcn.tasks.services import task_enqueue
from pcn.tasks.tests import sample_tasks  # noqa: F401  (registers the test functions)
from pcn.testing import make_user, make_world


class TaskTestCase(TestCase):
    """A program with its coordinator, and a MEDIA_ROOT of its own for each test."""

    @classmethod
    def setUpTestData(cls):
        cls.world = make_world("Portneuf")
        cls.program = cls.world["program"]
        cls.coordinator = make_user("coordo", role=Role.COORDINATOR, program=cls.program)

    def setUp(self):
        media = tempfile.mkdtemp(prefix="pcn-tasks-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.media_root = media
        settings_override = override_settings(MEDIA_ROOT=media)
        settings_override.enable()
        self.addCleanup(settings_override.disable)

    def enqueue(self, name="tests.write_lines", kwargs=None, label="Impression de la série 3", **extra):
        if kwargs is None and name == "tests.write_lines":
            kwargs = {"count": 3}
        return task_enqueue(
            program=extra.pop("program", self.program), name=name, kwargs=kwargs or {}, label=label,
            by=extra.pop("by", self.coordinator), **extra,
        )
