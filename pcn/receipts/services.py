"""Drawing a sample of households to ask, and recording their answers.

The draw. Among each partner's households of the season that were given coupons (`eligible_households`),
a uniform random sample without replacement: `random.Random(f"{seed}:{partner_id}").sample(ids, k)` over
the household ids sorted in increasing order, where `seed` is a fresh 63-bit number from the operating
system's generator (`secrets.randbits`) recorded on the sample. Each partner's draw depends only on the seed
and that partner's households, so anyone holding the seed and the list of eligible households at the time
can redo the draw and get the same households (Python's `random` seeded with a string is the same across
runs and machines). The households drawn are stored too. k is the number asked for per partner, or the
percentage of the partner's eligible households rounded up; a partner with fewer households than asked gives
all of them (the stratum records it).
"""

import math
import random
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pcn.households.models import CardEntry, Distribution, Household
from pcn.programs.models import Organization, Season
from pcn.receipts.models import (
    NOTE_MAX_LENGTH,
    Answer,
    ReceiptAnswer,
    ReceiptSample,
    SampledHousehold,
    SampleStratum,
)

MAX_PER_PARTNER = 500
SEED_BITS = 63  # fits a signed 64-bit column


def eligible_households(season: Season) -> QuerySet:
    """The season's households that were given coupons: a distribution given in full or in part, or a
    credit on their card. Households anonymized at their request are left out (nothing should lead back to
    them, not even a phone call). A household counts with its partner of today."""
    given = Distribution.objects.filter(
        household__season=season, status__in=[Distribution.Status.GIVEN, Distribution.Status.PARTIAL]
    ).values("household_id")
    credited = CardEntry.objects.filter(card__household__season=season, kind=CardEntry.Kind.CREDIT).values(
        "card__household_id"
    )
    return Household.objects.filter(season=season, anonymized_at__isnull=True).filter(
        Q(pk__in=given) | Q(pk__in=credited)
    )


def draw_partner(seed: int, partner_id: int, household_ids: list[int], k: int) -> list[int]:
    """The households drawn for one partner: reproducible from the seed (see the module docstring)."""
    return random.Random(f"{seed}:{partner_id}").sample(sorted(household_ids), k)


def asked_count(*, per_partner: int | None, percent: int | None, eligible: int) -> int:
    if per_partner is not None:
        return per_partner
    return math.ceil(percent * eligible / 100)


@transaction.atomic
def receipt_sample_draw(
    *, season: Season, by, per_partner: int | None = None, percent: int | None = None, label: str = "",
    seed: int | None = None,
) -> ReceiptSample:
    """Draw a sample of households per partner (a number each, or a percentage of each partner's
    households that were given coupons). `seed` is for tests and for redoing a draw; by default a fresh
    one from `secrets`."""
    if (per_partner is None) == (percent is None):
        raise ValidationError(_("Choisissez soit un nombre de ménages par organisme, soit un pourcentage."))
    if per_partner is not None and not 1 <= per_partner <= MAX_PER_PARTNER:
        raise ValidationError(
            {"number": _("Choisissez de 1 à %(max)s ménages par organisme.") % {"max": MAX_PER_PARTNER}}
        )
    if percent is not None and not 1 <= percent <= 100:
        raise ValidationError({"number": _("Choisissez un pourcentage de 1 à 100.")})
    label = (label or "").strip()
    if len(label) > ReceiptSample._meta.get_field("label").max_length:
        raise ValidationError({"label": _("Choisissez un nom plus court (120 caractères au plus).")})
    by_partner: dict[int, list[int]] = {}
    for household_id, partner_id in eligible_households(season).values_list("pk", "partner_id"):
        by_partner.setdefault(partner_id, []).append(household_id)
    if not by_partner:
        raise ValidationError(
            _("Aucun ménage n'a encore reçu de coupons cette saison : il n'y a personne à tirer. Faites le "
              "tirage quand les remises auront commencé.")
        )
    if seed is None:
        seed = secrets.randbits(SEED_BITS)
    partners = list(
        Organization.objects.filter(
            Q(program=season.program, kind__in=Organization.PARTNER_KINDS) | Q(pk__in=by_partner)
        ).order_by("pk")
    )
    sample = ReceiptSample.objects.create(
        program=season.program, season=season, label=label, per_partner=per_partner, percent=percent, seed=seed,
        drawn_by=by,
    )
    rows = []
    for partner in partners:
        ids = by_partner.get(partner.pk, [])
        asked = asked_count(per_partner=per_partner, percent=percent, eligible=len(ids))
        chosen = draw_partner(seed, partner.pk, ids, min(asked, len(ids)))
        stratum = SampleStratum.objects.create(
            sample=sample, partner=partner, eligible=len(ids), asked=asked, drawn=len(chosen)
        )
        rows += [SampledHousehold(sample=sample, stratum=stratum, household_id=pk, partner=partner) for pk in chosen]
    SampledHousehold.objects.bulk_create(rows)
    return sample


# A note is for « called twice, no answer » or « got them at the second distribution », never for who the
# household is: refuse what looks like an email address or a phone number.
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_PHONE = re.compile(r"(?:\d[\s.\-()]*){7,}")


def clean_note(note: str) -> str:
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("La note est trop longue : %(max)s caractères au plus.") % {"max": NOTE_MAX_LENGTH}}
        )
    if _EMAIL.search(note) or _PHONE.search(note):
        raise ValidationError(
            {"note": _("Pas de courriel ni de numéro de téléphone dans la note : elle ne doit pas dire qui est "
                       "le ménage. Effacez-les et recommencez.")}
        )
    return note


@transaction.atomic
def receipt_answer_record(*, sampled: SampledHousehold, answer: str, note: str = "", by) -> tuple[ReceiptAnswer, bool]:
    """Record a household's answer (append-only: a new row; the latest is in force). Returns the answer in
    force and whether a row was written: the same answer and note sent again (a double tap, a form sent
    twice on a weak signal) writes nothing. Locking: the sampled household's row, so two posts for the same
    household are taken one after the other. A household anonymized since the draw is refused."""
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Choisissez une réponse : Reçu, Pas reçu ou Injoignable.")})
    note = clean_note(note)
    sampled = SampledHousehold.objects.select_for_update(of=("self",)).select_related("household").get(pk=sampled.pk)
    if sampled.household.anonymized_at is not None:
        # Anonymized at its request since the draw: nobody calls it any more (an answer it gave before stays
        # counted, see selectors.sample_results), so no new answer either.
        raise ValidationError(
            _("Ce ménage a demandé l'anonymisation depuis le tirage : ne le joignez pas, il n'est plus sur la "
              "liste.")
        )
    latest = sampled.answers.order_by("-recorded_at", "-pk").first()
    if latest is not None and latest.answer == answer and latest.note == note:
        return latest, False
    row = ReceiptAnswer.objects.create(sampled=sampled, answer=answer, note=note, recorded_by=by)
    return row, True
