"""A running season with redemptions to pay, a treasury of three people, and vendors' payment details."""

from django.utils import timezone

from pcn.accounts.models import Role
from pcn.payments.models import Method, PayeeDetails, PaymentSettings
from pcn.redemptions.models import Source
from pcn.redemptions.services import redemption_record
from pcn.redemptions.tests.factories import nonce, running_world
from pcn.testing import make_user


def paying_world(name: str = "Portneuf", **kwargs) -> dict:
    """running_world plus: the fiduciary's bank settings, the vendor paid by bank transfer, and three
    people to prepare, approve and pay batches (two treasurers, the coordinator approving)."""
    w = running_world(name, **kwargs)
    slug = name.lower()
    w["treasurer"] = make_user(f"tresorier-{slug}", role=Role.TREASURER, program=w["program"])
    w["treasurer2"] = make_user(f"tresoriere-{slug}", role=Role.TREASURER, program=w["program"])
    PaymentSettings.objects.create(
        program=w["program"], originator_name="UPA Capitale-Nationale", originator_short_name="PCN PORTNEUF",
        originator_number="0123456789", data_centre="00610", institution="815", transit="20201", account="1234567",
        updated_by=w["treasurer"],
    )
    w["payee"] = PayeeDetails.objects.create(
        vendor=w["vendor"], method=Method.BANK, institution="815", transit="30101", account="987654321",
        updated_by=w["treasurer"],
    )
    return w


def redeem(w, *codes, vendor=None, market=None, source=Source.STALL):
    return [
        redemption_record(vendor=vendor or w["vendor"], code=code, nonce=nonce(), source=source,
                          by=w["vendor_user"], market=market or w["market"])
        for code in codes
    ]


def today():
    return timezone.localdate()
