"""Claims, their review and approval, payment batches: what may be paid, once, by whom."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pcn.markets.models import VendorAuthorization
from pcn.payments import services
from pcn.payments.models import (
    BankFile, BatchItem, Claim, ClaimLine, Currency, Method, PayeeDetails, PaymentBatch, PaymentSettings,
)
from pcn.payments.selectors import claim_amount_cents, payable_redemptions, season_payment_totals
from pcn.payments.tests.factories import paying_world, redeem, today
from pcn.redemptions.models import Outcome, Redemption, ReviewDecision
from pcn.redemptions.services import review_decide
from pcn.redemptions.tests.factories import nonce
from pcn.testing import make_user

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def approved_claim(w, *codes):
    redeem(w, *codes)
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    return services.claim_approve(claim=claim, by=w["coordinator"])


def test_claims_gather_each_vendors_unclaimed_redemptions_once():
    w = paying_world()
    redeem(w, *w["codes"][:3])
    redeem(w, w["codes"][0])  # presented twice: refused, never payable
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    assert claim.vendor == w["vendor"] and claim.reference == "R-1"
    assert claim.lines.count() == 3 and claim_amount_cents(claim) == 1500
    assert claim.period_start == claim.period_end == today()
    with pytest.raises(ValidationError) as error:
        services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    assert "tout est déjà réclamé" in messages(error.value)
    redeem(w, w["codes"][3])
    (second,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    assert second.number == 2 and claim_amount_cents(second) == 500


def test_a_redemption_cannot_be_in_two_claims_even_bypassing_the_service():
    w = paying_world()
    (redemption,) = redeem(w, w["codes"][0])
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.create(claim=claim, redemption=redemption, amount_cents=500)


def test_redemptions_after_the_period_wait_for_a_later_claim():
    w = paying_world()
    redeem(w, w["codes"][0])
    with pytest.raises(ValidationError):
        services.claims_prepare(season=w["season"], by=w["coordinator"], until=today() - datetime.timedelta(days=1))
    assert not Claim.objects.exists()


def test_review_decisions_decide_what_is_payable():
    w = paying_world()
    first, = redeem(w, w["codes"][0])
    # The same coupon taken on another phone offline: set aside for review, refused both.
    twin = Redemption.objects.create(
        program=w["program"], season=w["season"], vendor=w["vendor"], coupon=first.coupon, code=first.code,
        value_cents=500, outcome=Outcome.REVIEW, reason="conflict", conflicts_with=first, source="offline",
        nonce=nonce(), taken_at=first.taken_at, recorded_at=first.recorded_at, recorded_by=w["vendor_user"],
    )
    second, = redeem(w, w["codes"][1])
    other_twin = Redemption.objects.create(
        program=w["program"], season=w["season"], vendor=w["vendor"], coupon=second.coupon, code=second.code,
        value_cents=500, outcome=Outcome.REVIEW, reason="conflict", conflicts_with=second, source="offline",
        nonce=nonce(), taken_at=second.taken_at, recorded_at=second.recorded_at, recorded_by=w["vendor_user"],
    )
    assert set(payable_redemptions(w["season"])) == {first, second}
    review_decide(redemption=twin, decision=ReviewDecision.Decision.REFUSE, by=w["coordinator"])
    review_decide(redemption=other_twin, decision=ReviewDecision.Decision.PAY_BOTH, by=w["coordinator"])
    assert set(payable_redemptions(w["season"])) == {second, other_twin}


def test_a_rejected_line_is_not_paid_and_says_why():
    w = paying_world()
    redeem(w, *w["codes"][:2])
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    line = claim.lines.first()
    with pytest.raises(ValidationError):
        services.claim_line_reject(line=line, reason="  ", by=w["coordinator"])
    services.claim_line_reject(line=line, reason="Coupon déchiré, illisible", by=w["coordinator"])
    line.refresh_from_db()
    assert line.rejected and line.rejected_reason == "Coupon déchiré, illisible"
    with pytest.raises(ValidationError, match="déjà refusée"):
        services.claim_line_reject(line=line, reason="encore", by=w["coordinator"])
    assert claim_amount_cents(claim) == 500


def test_the_settlement_window_delays_payment_and_allows_corrections():
    w = paying_world()
    PaymentSettings.objects.filter(program=w["program"]).update(settlement_days=7)
    claim = approved_claim(w, *w["codes"][:2])
    assert claim.payable_on == today() + datetime.timedelta(days=7)
    services.claim_line_reject(line=claim.lines.first(), reason="Hors des heures", by=w["coordinator"])
    with pytest.raises(ValidationError) as error:
        services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                              by=w["treasurer"])
    assert "peut encore être corrigée jusqu'au" in messages(error.value)
    assert not PaymentBatch.objects.exists()


def test_a_batch_is_made_approved_and_paid_by_three_different_hands():
    w = paying_world()
    claim = approved_claim(w, *w["codes"][:3])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    assert batch.items.get().amount_cents == 1500
    with pytest.raises(ValidationError, match="préparé ou modifié ce lot"):
        services.batch_approve(batch=batch, by=w["treasurer"])
    with pytest.raises(ValidationError, match="n'est pas approuvé"):
        services.batch_mark_paid(batch=batch, by=w["treasurer2"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    with pytest.raises(ValidationError, match="une autre personne doit le payer"):
        services.batch_mark_paid(batch=batch, by=w["coordinator"])
    services.batch_mark_paid(batch=batch, by=w["treasurer"])
    batch.refresh_from_db()
    paid_at = batch.paid_at
    with pytest.raises(ValidationError, match="déjà noté payé"):
        services.batch_mark_paid(batch=batch, by=w["treasurer2"])
    batch.refresh_from_db()
    assert batch.paid_at == paid_at and batch.paid_by == w["treasurer"]
    assert season_payment_totals(w["season"])["paid"] == 1500


def test_the_database_refuses_one_person_approving_and_paying():
    w = paying_world()
    claim = approved_claim(w, w["codes"][0])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(approved_by=w["treasurer"], approved_at=batch.created_at)
    services.batch_approve(batch=batch, by=w["coordinator"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(paid_by=w["coordinator"], paid_at=batch.created_at)


def test_an_approved_or_paid_batch_cannot_change():
    w = paying_world()
    claim = approved_claim(w, w["codes"][0])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    later = approved_claim(w, w["codes"][1])
    with pytest.raises(ValidationError, match="approuvé : il ne peut plus changer"):
        services.batch_add_claims(batch=batch, claims=[later], by=w["treasurer"])
    with pytest.raises(ValidationError, match="approuvé : il ne peut plus changer"):
        services.batch_remove_claim(batch=batch, claim=claim, by=w["treasurer"])
    services.batch_mark_paid(batch=batch, by=w["treasurer"])
    with pytest.raises(ValidationError, match="payé : il ne peut plus changer"):
        services.batch_add_claims(batch=batch, claims=[later], by=w["treasurer"])
    with pytest.raises(ValidationError, match="dans un lot de paiement"):
        services.claim_line_reject(line=claim.lines.get(), reason="trop tard", by=w["coordinator"])
    assert list(batch.items.values_list("claim", flat=True)) == [claim.pk]


def test_a_claim_is_paid_in_one_batch_only():
    w = paying_world()
    claim = approved_claim(w, w["codes"][0])
    services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim], by=w["treasurer"])
    with pytest.raises(ValidationError, match="déjà dans un lot"):
        services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                              by=w["treasurer"])
    assert PaymentBatch.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(batch=PaymentBatch.objects.get(), claim=claim, amount_cents=500)


def test_unauthorized_vendor_and_missing_bank_details_are_refused_and_nothing_is_made():
    w = paying_world()
    claim = approved_claim(w, w["codes"][0])
    VendorAuthorization.objects.filter(vendor=w["vendor"]).update(revoked_at=claim.created_at, revoked_by=w["coordinator"])
    with pytest.raises(ValidationError) as error:
        services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                              by=w["treasurer"])
    assert "n'est pas autorisé pour cette saison" in messages(error.value)
    VendorAuthorization.objects.create(season=w["season"], vendor=w["vendor"], authorized_by=w["coordinator"])
    w["payee"].account = ""
    w["payee"].save()
    with pytest.raises(ValidationError) as error:
        services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                              by=w["treasurer"])
    assert "n'a pas de compte bancaire complet" in messages(error.value)
    assert "987654321" not in messages(error.value)
    assert not PaymentBatch.objects.exists() and not BatchItem.objects.exists()


def test_a_vendor_whose_authorization_is_withdrawn_after_batching_stops_the_approval():
    w = paying_world()
    claim = approved_claim(w, w["codes"][0])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    VendorAuthorization.objects.filter(vendor=w["vendor"]).update(revoked_at=claim.created_at, revoked_by=w["coordinator"])
    with pytest.raises(ValidationError, match="n'est pas autorisé"):
        services.batch_approve(batch=batch, by=w["coordinator"])
    batch.refresh_from_db()
    assert batch.approved_at is None


def test_local_currency_batches_record_both_amounts():
    w = paying_world()
    PaymentSettings.objects.filter(program=w["program"]).update(local_currency_name="Petite-monnaie",
                                                                local_units_per_100_cad=105)
    w["payee"].currency = Currency.LOCAL
    w["payee"].save()
    claim = approved_claim(w, *w["codes"][:3])  # 15,00 $
    with pytest.raises(ValidationError, match="payé en « Monnaie locale »"):
        services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                              by=w["treasurer"])
    batch = services.batch_create(season=w["season"], method=Method.BANK, currency=Currency.LOCAL,
                                  payment_on=today(), claims=[claim], by=w["treasurer"])
    item = batch.items.get()
    assert (item.amount_cents, item.local_amount) == (1500, 1575)  # 15,75 units
    assert batch.currency_name == "Petite-monnaie" and batch.local_units_per_100_cad == 105
    # A later change of rate does not change a batch already made.
    PaymentSettings.objects.filter(program=w["program"]).update(local_units_per_100_cad=110)
    assert services.batch_totals(batch) == {"cents": 1500, "local": 1575}


@pytest.mark.parametrize(("cents", "rate", "units"), [(1, 105, 1), (10, 105, 11), (9, 105, 9), (10000, 105, 10500)])
def test_conversion_to_local_units_rounds_half_up(cents, rate, units):
    assert services.to_local(cents, rate) == units


def test_bank_files_are_kept_and_take_a_new_creation_number_each():
    w = paying_world()
    first = approved_claim(w, w["codes"][0])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[first],
                                  by=w["treasurer"])
    with pytest.raises(ValidationError, match="approuvé par une deuxième personne"):
        services.batch_export(batch=batch, format="csv_remittance", by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    one = services.batch_export(batch=batch, format="csv_remittance", by=w["treasurer"])
    again = services.batch_export(batch=batch, format="csv_remittance", by=w["treasurer2"])
    assert one.pk == again.pk and bytes(one.content) == bytes(again.content)
    with pytest.raises(ValidationError, match="ne sert pas à ce mode"):
        services.batch_export(batch=batch, format="interac", by=w["treasurer"])
    assert BankFile.objects.count() == 1


def test_a_closed_season_takes_no_claims_even_through_an_old_copy_of_the_season():
    w = paying_world()
    redeem(w, w["codes"][0])
    stale = w["season"]
    type(stale).objects.filter(pk=stale.pk).update(closed_at=stale.starts_on and datetime.datetime.now(datetime.UTC))
    with pytest.raises(ValidationError, match="Cette saison est fermée"):
        services.claims_prepare(season=stale, by=w["coordinator"], until=today())
    assert not Claim.objects.exists()


def test_a_market_that_paid_its_vendors_is_reimbursed_in_a_market_batch():
    w = paying_world()
    w["market"].contact_email = "marche@example.org"
    w["market"].save()
    redeem(w, *w["codes"][:2])
    # A vendor paid by bank transfer is not the market's to claim.
    with pytest.raises(ValidationError, match="Seuls les marchands que le marché paie lui-même"):
        services.claims_prepare(season=w["season"], by=w["coordinator"], until=today(), market=w["market"])
    w["payee"].method = Method.MARKET
    w["payee"].save()
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today(), market=w["market"])
    assert claim.market == w["market"]
    services.claim_approve(claim=claim, by=w["coordinator"])
    with pytest.raises(ValidationError, match="payée par le marché"):
        services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                              by=w["treasurer"])
    batch = services.batch_create(season=w["season"], method=Method.MARKET, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    (payee,) = services.payment_file_for(batch).payees
    assert (payee.name, payee.amount_cents, payee.claims) == (w["market"].name, 1000, ("R-1",))
    assert payee.account == ""  # the vendor's bank account plays no part: the market is reimbursed
    assert services.formats_for(batch) == ("csv_remittance", "cheques")
    pdf = bytes(services.batch_export(batch=batch, format="cheques", by=w["treasurer"]).content)
    assert pdf.startswith(b"%PDF")


# What a review found, held by tests


def twin_of(w, first):
    """The same coupon taken offline on another phone: set aside for review."""
    return Redemption.objects.create(
        program=w["program"], season=w["season"], vendor=w["vendor"], coupon=first.coupon, code=first.code,
        value_cents=first.value_cents, outcome=Outcome.REVIEW, reason="conflict", conflicts_with=first,
        source="offline", nonce=nonce(), taken_at=first.taken_at, recorded_at=first.recorded_at,
        recorded_by=w["vendor_user"],
    )


def test_a_redemption_whose_twin_waits_for_review_waits_too():
    w = paying_world()
    first, second = redeem(w, *w["codes"][:2])
    twin = twin_of(w, first)
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    assert list(claim.lines.values_list("redemption", flat=True)) == [second.pk]
    review_decide(redemption=twin, decision=ReviewDecision.Decision.REFUSE, by=w["coordinator"])
    with pytest.raises(ValidationError, match="tout est déjà réclamé"):  # refused both: never claimed
        services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())


def test_refusing_both_after_the_first_was_claimed_rejects_its_line_or_is_refused_once_batched():
    w = paying_world()
    first, second = redeem(w, *w["codes"][:2])
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    twin = twin_of(w, first)  # the other phone synced after the claim was made
    review_decide(redemption=twin, decision=ReviewDecision.Decision.REFUSE, note="Vu avec le marchand",
                  by=w["coordinator"])
    line = claim.lines.get(redemption=first)
    assert line.rejected and "les deux échanges sont refusés" in line.rejected_reason
    assert claim_amount_cents(claim) == 500

    # Once the claim is in a batch, refusing both is refused: the money is on its way.
    other_twin = twin_of(w, second)
    services.claim_approve(claim=claim, by=w["coordinator"])
    with pytest.raises(ValidationError, match="attend une décision"):
        services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                              by=w["treasurer"])
    review_decide(redemption=other_twin, decision=ReviewDecision.Decision.PAY_FIRST, by=w["coordinator"])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    third, = redeem(w, w["codes"][2])
    (later,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=later, by=w["coordinator"])
    services.batch_add_claims(batch=batch, claims=[later], by=w["treasurer"])
    late_twin = twin_of(w, third)
    with pytest.raises(ValidationError, match="déjà dans un lot de paiement"):
        review_decide(redemption=late_twin, decision=ReviewDecision.Decision.REFUSE, by=w["coordinator"])
    assert not ReviewDecision.objects.filter(redemption=late_twin).exists()
    assert payable_redemptions(w["season"]).filter(pk=third.pk).exists()


def test_an_approved_batch_pays_the_account_that_was_approved():
    w = paying_world()
    claim = approved_claim(w, w["codes"][0])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    PayeeDetails.objects.filter(pk=w["payee"].pk).update(account="111122223333")  # changed after approval
    PaymentSettings.objects.filter(program=w["program"]).update(account="999999")
    content = bytes(services.batch_export(batch=batch, format="cpa005", by=w["treasurer"]).content)
    assert b"111122223333" not in content and b"987654321" in content
    assert b"999999" not in content and b"1234567" in content


def test_whoever_adds_or_takes_out_a_claim_cannot_approve_the_batch():
    w = paying_world()
    first = approved_claim(w, w["codes"][0])
    second = approved_claim(w, w["codes"][1])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[first],
                                  by=w["treasurer"])
    services.batch_add_claims(batch=batch, claims=[second], by=w["treasurer2"])
    with pytest.raises(ValidationError, match="préparé ou modifié"):
        services.batch_approve(batch=batch, by=w["treasurer2"])
    services.batch_remove_claim(batch=batch, claim=second, by=w["coordinator"])
    with pytest.raises(ValidationError, match="préparé ou modifié"):
        services.batch_approve(batch=batch, by=w["coordinator"])
    approver = make_user("tresorier-3", role="treasurer", program=w["program"])
    services.batch_approve(batch=batch, by=approver)


def test_cpa005_file_numbers_start_where_the_fiduciary_left_off_and_wrap_after_9999():
    w = paying_world()
    PaymentSettings.objects.filter(program=w["program"]).update(first_file_creation_number=9998)
    numbers = []
    for code in w["codes"][:3]:
        claim = approved_claim(w, code)
        batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                                      by=w["treasurer"])
        services.batch_approve(batch=batch, by=w["coordinator"])
        made = services.batch_export(batch=batch, format="cpa005", by=w["treasurer"])
        numbers.append((made.cycle, made.file_creation_number))
        assert bytes(made.content)[20:24] == b"%04d" % made.file_creation_number  # A header, positions 21-24
    assert numbers == [(0, 9998), (0, 9999), (1, 1)]


def test_the_interac_list_never_uses_a_vendors_general_email_or_phone():
    w = paying_world()
    w["vendor"].email, w["vendor"].phone = "comptable@example.org", "418 555-0123 poste 12"
    w["vendor"].save()
    w["payee"].method, w["payee"].interac_phone = Method.INTERAC, "418-555-0199"
    w["payee"].save()
    claim = approved_claim(w, w["codes"][0])
    batch = services.batch_create(season=w["season"], method=Method.INTERAC, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    text = bytes(services.batch_export(batch=batch, format="interac", by=w["treasurer"]).content).decode()
    assert "comptable@example.org" not in text and "4185550199" in text.replace("-", "").replace(" ", "")


def test_the_payment_file_command_writes_the_batchs_file_for_a_treasurer_only(tmp_path):
    from django.core.management import CommandError, call_command

    w = paying_world()
    claim = approved_claim(w, w["codes"][0])
    batch = services.batch_create(season=w["season"], method=Method.BANK, payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    out = tmp_path / "lot.txt"
    with pytest.raises(CommandError, match="is not a treasurer"):
        call_command("payment_file", batch.pk, format="cpa005", user=w["coordinator"].username, out=str(out))
    call_command("payment_file", batch.pk, format="cpa005", user=w["treasurer"].username, out=str(out))
    assert out.read_bytes() == bytes(BankFile.objects.get(batch=batch, format="cpa005").content)
