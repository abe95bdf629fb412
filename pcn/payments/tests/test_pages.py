"""The payment pages as people use them: a vendor asks to be paid, the coordination rejects a line and
approves, the treasury makes a batch that a second person approves, draws its files and marks it paid."""

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from pcn.accounts.models import Role
from pcn.payments import services
from pcn.payments.models import BankFile, Claim, PayeeDetails, PaymentBatch
from pcn.payments.tests.factories import paying_world, redeem, today
from pcn.testing import make_user
from pcn.payments.tests.cpa005_parser import parse as parse_cpa005

pytestmark = pytest.mark.django_db


def login(client, user, language="fr"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").split())


def test_from_a_vendors_request_to_a_paid_batch(client):
    w = paying_world()
    w["vendor"].email = "ferme@example.org"
    w["vendor"].save()
    redeem(w, *w["codes"][:3])

    # The vendor asks to be paid.
    login(client, w["vendor_user"])
    page = client.get(reverse("vendor_statement", args=[w["vendor"].pk]))
    assert "Demander le remboursement de mes coupons" in text(page)
    assert "987654321" not in page.content.decode() and "••••4321" in text(page)  # its account, masked
    response = client.post(reverse("vendor_claim", args=[w["vendor"].pk]) + f"?season={w['season'].pk}", follow=True)
    assert "Réclamation R-1 envoyée : 15,00 $" in text(response)
    claim = Claim.objects.get()

    # The coordination rejects one line, with a reason, then approves.
    login(client, w["coordinator"])
    line = claim.lines.order_by("pk").first()
    response = client.post(reverse("claim_line_reject", args=[line.pk]), {"reason": ""}, follow=True)
    assert "Écrivez la raison du refus" in text(response)
    client.post(reverse("claim_line_reject", args=[line.pk]), {"reason": "Coupon déchiré"})
    response = client.post(reverse("claim_approve", args=[claim.pk]), follow=True)
    assert "Réclamation approuvée : la trésorerie peut la payer." in text(response)
    assert "À payer 10,00 $" in text(response)

    # The vendor sees the rejected line and why.
    login(client, w["vendor_user"])
    page = text(client.get(reverse("vendor_statement", args=[w["vendor"].pk])))
    assert "Coupon déchiré" in page and "Refusé à la vérification 5,00 $" in page

    # The treasury makes a batch; the maker cannot approve it.
    login(client, w["treasurer"])
    form = text(client.get(reverse("batch_create", args=[w["season"].pk])))
    assert "R-1 · Ferme Portneuf · 10,00 $" in form
    response = client.post(reverse("batch_create", args=[w["season"].pk]),
                           {"method": "bank", "payment_on": claim.created_at.date().isoformat(), "claims": [claim.pk]},
                           follow=True)
    batch = PaymentBatch.objects.get()
    assert "préparé. Une autre personne doit maintenant l'approuver." in text(response)
    assert "815-30101-987654321" in text(response)  # the treasury sees the whole account
    response = client.post(reverse("batch_approve", args=[batch.pk]), follow=True)
    assert "Vous avez préparé ou modifié ce lot : une autre personne doit l'approuver." in text(response)

    login(client, w["coordinator"])
    page = client.get(reverse("batch_detail", args=[batch.pk]))
    assert "987654321" not in page.content.decode()  # the coordination sees it masked
    client.post(reverse("batch_approve", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.approved_by == w["coordinator"]

    # The other treasurer draws the CPA-005 file and marks the batch paid, emailing statements.
    login(client, w["treasurer2"])
    response = client.post(reverse("batch_file", args=[batch.pk, "cpa005"]))
    assert response["Content-Disposition"].endswith('.txt"')
    parsed = parse_cpa005(response.content)
    (segment,) = parsed.segments
    assert int(segment["amount"]) == 1000 and int(parsed.trailer["credit_value"]) == 1000
    again = client.post(reverse("batch_file", args=[batch.pk, "cpa005"]))
    assert again.content == response.content and BankFile.objects.count() == 1
    response = client.post(reverse("batch_pay", args=[batch.pk]), {"email_statements": "on"}, follow=True)
    assert "noté payé : 10,00 $" in text(response) and "1 relevé envoyé par courriel." in text(response)
    (message,) = mail.outbox
    assert message.to == ["ferme@example.org"] and message.attachments[0][2] == "application/pdf"
    response = client.post(reverse("batch_pay", args=[batch.pk]), follow=True)
    assert "Ce lot est déjà noté payé" in text(response) and len(mail.outbox) == 1

    login(client, w["vendor_user"])
    page = text(client.get(reverse("vendor_statement", args=[w["vendor"].pk])))
    assert "Payé 10,00 $" in page
    pdf = client.get(reverse("vendor_statement_pdf", args=[w["vendor"].pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_pages_speak_english(client):
    w = paying_world()
    redeem(w, w["codes"][0])
    login(client, w["coordinator"], "en")
    client.post(reverse("claims_prepare", args=[w["season"].pk]), {"until": today().isoformat()})
    page = text(client.get(reverse("season_payments", args=[w["season"].pk])))
    assert "Payments to vendors" in page and "Prepare claims" in page


def test_bank_details_are_for_the_treasury_only(client):
    w = paying_world()
    for role in (Role.COORDINATOR, Role.MARKET_MANAGER, Role.PARTNER_WORKER):
        scope = {"market": w["market"]} if role == Role.MARKET_MANAGER else {}
        scope = {"organization": w["partner"]} if role == Role.PARTNER_WORKER else scope
        user = make_user(f"u-{role}", role=role, program=w["program"], **scope)
        login(client, user)
        assert client.get(reverse("payee_edit", args=[w["vendor"].pk])).status_code == 404
        assert client.get(reverse("payment_settings", args=[w["program"].pk])).status_code == 404
    login(client, w["vendor_user"])
    assert client.get(reverse("payee_edit", args=[w["vendor"].pk])).status_code == 404


def test_the_treasury_enters_bank_details_with_clear_messages(client):
    w = paying_world()
    PayeeDetails.objects.all().delete()
    login(client, w["treasurer"])
    url = reverse("payee_edit", args=[w["vendor"].pk])
    response = client.post(url, {"method": "bank", "institution": "81", "transit": "3O101", "account": ""})
    page = text(response)
    assert "Écrivez exactement 3 chiffres." in page and "Écrivez exactement 5 chiffres." in page
    assert "donnez l'institution (3 chiffres), le transit (5 chiffres) et le compte" in page
    assert not PayeeDetails.objects.exists()
    client.post(url, {"method": "bank", "institution": "815", "transit": "30101", "account": "98 7654-321"})
    assert PayeeDetails.objects.get().account == "987654321"


def test_another_programs_people_see_nothing(client):
    w = paying_world()
    other = paying_world("Kamouraska")
    redeem(w, w["codes"][0])
    client.force_login(w["coordinator"])
    response = client.post(reverse("claims_prepare", args=[w["season"].pk]), {"until": today().isoformat()}, follow=True)
    assert "1 réclamation préparée" in text(response)
    claim = Claim.objects.get()
    for user in (other["treasurer"], other["coordinator"], other["vendor_user"]):
        client.force_login(user)
        for url in (reverse("season_payments", args=[w["season"].pk]), reverse("claim_detail", args=[claim.pk]),
                    reverse("vendor_statement", args=[w["vendor"].pk]), reverse("market_claims", args=[w["market"].pk])):
            assert client.get(url).status_code == 404, url


def test_only_the_markets_manager_and_the_coordination_claim_for_a_market(client):
    w = paying_world()
    w["payee"].method = "market"
    w["payee"].save()
    redeem(w, w["codes"][0])
    analyst = make_user("analyste", role=Role.NETWORK_ANALYST, network=w["network"])
    login(client, analyst)
    page = client.get(reverse("market_claims", args=[w["market"].pk]))
    assert "Réclamer les coupons saisis" not in text(page)
    client.post(reverse("market_claims", args=[w["market"].pk]))
    assert not Claim.objects.exists()
    manager = make_user("gestion", role=Role.MARKET_MANAGER, program=w["program"], market=w["market"])
    login(client, manager)
    response = client.post(reverse("market_claims", args=[w["market"].pk]), follow=True)
    assert "1 réclamation envoyée pour le marché." in text(response)
    assert Claim.objects.get().market == w["market"]


def test_a_vendor_can_be_set_back_to_dollars_once_the_local_currency_is_gone(client):
    w = paying_world()
    w["payee"].currency = "LOCAL"
    w["payee"].save()
    login(client, w["treasurer"])
    client.post(reverse("payee_edit", args=[w["vendor"].pk]),
                {"method": "bank", "institution": "815", "transit": "30101", "account": "987654321"})
    w["payee"].refresh_from_db()
    assert w["payee"].currency == "CAD"


def test_a_payment_date_years_ahead_is_refused(client):
    w = paying_world()
    redeem(w, w["codes"][0])
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=claim, by=w["coordinator"])
    login(client, w["treasurer"])
    response = client.post(reverse("batch_create", args=[w["season"].pk]),
                           {"method": "bank", "payment_on": "2100-01-04", "claims": [claim.pk]})
    assert "Choisissez une date dans l'année qui vient." in text(response)
    assert not PaymentBatch.objects.exists()


def test_a_file_the_format_cannot_carry_is_a_message_not_an_error_page(client):
    w = paying_world()
    w["payee"].account_holder = "農場"  # no Latin letter: nothing left for a CPA-005 name
    w["payee"].save()
    redeem(w, w["codes"][0])
    (claim,) = services.claims_prepare(season=w["season"], by=w["coordinator"], until=today())
    services.claim_approve(claim=claim, by=w["coordinator"])
    batch = services.batch_create(season=w["season"], method="bank", payment_on=today(), claims=[claim],
                                  by=w["treasurer"])
    services.batch_approve(batch=batch, by=w["coordinator"])
    login(client, w["treasurer"])
    response = client.post(reverse("batch_file", args=[batch.pk, "cpa005"]), follow=True)
    assert response.status_code == 200 and "Ce fichier ne peut pas être produit" in text(response)
    assert not BankFile.objects.exists()
