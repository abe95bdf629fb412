"""The public directory: no login, where each program's coupons are accepted, what they buy, whom to ask;
nothing personal, and no Indigenous community's program without its sign-off."""

import datetime
import json
import re
from html import unescape

import pytest
from django.urls import reverse

from pcn.markets.models import OpeningHours, SalePoint
from pcn.programs.models import Organization, Program
from pcn.redemptions.tests.factories import running_world

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).replace("\xa0", " ").split())


@pytest.fixture
def world():
    w = running_world()  # the vendor is authorized and sells at « Place du marché »
    w["sale_point"].latitude, w["sale_point"].longitude = "46.7456", "-71.8632"
    w["sale_point"].save()
    OpeningHours.objects.create(sale_point=w["sale_point"], weekday=5, opens_at=datetime.time(9),
                                closes_at=datetime.time(13))
    # A farm stand nobody authorized sells at: not a place to spend coupons.
    SalePoint.objects.create(market=w["market"], name="Kiosque vide", kind="farm_stand", address="2 rang Nord")
    w["partner"].contact_name = "Marie Tremblay"  # a person: never published
    w["partner"].phone, w["partner"].email = "418-555-0100", "info@entraide.example.org"
    w["partner"].save()
    return w


def test_anyone_finds_where_a_programs_coupons_are_accepted(client, world):
    page = text(client.get(reverse("directory")))
    assert "PCN Portneuf" in page
    page = text(client.get(reverse("directory_program", args=[world["program"].pk])))
    assert "Place du marché" in page and "1 rue Principale" in page and "samedi, 9 h à 13 h" in page
    assert "Kiosque vide" not in page
    assert "Fruits et légumes : Légumes, Fruits" in page
    assert "Entraide Portneuf" in page and "418-555-0100" in page
    # No person: not the contact's name, nor the email (often a person's own), nor a vendor's business.
    assert "Marie Tremblay" not in page and "info@entraide.example.org" not in page
    assert world["vendor"].business_name not in page


def test_the_geojson_has_each_place_with_coordinates_in_longitude_latitude_order(client, world):
    response = client.get(reverse("directory_geojson"))
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-71.8632, 46.7456]}
    assert feature["properties"]["name"] == "Place du marché" and feature["properties"]["hours"] == ["samedi, 9\xa0h à 13\xa0h"]
    assert "Marie Tremblay" not in response.content.decode()


def test_an_indigenous_communitys_program_is_not_published(client, world):
    Program.objects.filter(pk=world["program"].pk).update(kind=Program.Kind.INDIGENOUS_COMMUNITY)
    assert "PCN Portneuf" not in text(client.get(reverse("directory")))
    assert client.get(reverse("directory_program", args=[world["program"].pk])).status_code == 404
    assert json.loads(client.get(reverse("directory_geojson")).content)["features"] == []


def test_the_directory_reads_in_english(client, world):
    client.cookies["django_language"] = "en"
    page = text(client.get(reverse("directory_program", args=[world["program"].pk])))
    assert "Where coupons are accepted" in page and "What the coupons buy" in page
    assert "Saturday" in page and "samedi" not in page
