"""Choices shared by several apps (kept here so markets can import them without a cycle)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductCategory(models.TextChoices):
    VEGETABLES = "vegetables", _("Légumes")
    FRUIT = "fruit", _("Fruits")
    EGGS = "eggs", _("Œufs")
    DAIRY = "dairy", _("Produits laitiers")
    MEAT = "meat", _("Viandes")
    FISH = "fish", _("Poissons et fruits de mer")
    HONEY = "honey", _("Miel")
    MAPLE = "maple", _("Produits de l'érable")
    NUTS = "nuts", _("Noix")
    HERBS = "herbs", _("Fines herbes")
    FOOD_PLANTS = "food_plants", _("Plants potagers")
    PROCESSED = "processed", _("Aliments transformés locaux")


class SalePointKind(models.TextChoices):
    MARKET = "market", _("Marché public")
    FARM_STAND = "farm_stand", _("Kiosque à la ferme")
    SELF_SERVE = "self_serve", _("Kiosque libre-service")
    U_PICK = "u_pick", _("Autocueillette")
    CSA_PICKUP = "csa_pickup", _("Point de chute de paniers ASC")


class Region(models.TextChoices):
    """Québec's administrative regions, by their official number."""

    BAS_SAINT_LAURENT = "01", _("Bas-Saint-Laurent")
    SAGUENAY = "02", _("Saguenay–Lac-Saint-Jean")
    CAPITALE_NATIONALE = "03", _("Capitale-Nationale")
    MAURICIE = "04", _("Mauricie")
    ESTRIE = "05", _("Estrie")
    MONTREAL = "06", _("Montréal")
    OUTAOUAIS = "07", _("Outaouais")
    ABITIBI = "08", _("Abitibi-Témiscamingue")
    COTE_NORD = "09", _("Côte-Nord")
    NORD_DU_QUEBEC = "10", _("Nord-du-Québec")
    GASPESIE = "11", _("Gaspésie–Îles-de-la-Madeleine")
    CHAUDIERE_APPALACHES = "12", _("Chaudière-Appalaches")
    LAVAL = "13", _("Laval")
    LANAUDIERE = "14", _("Lanaudière")
    LAURENTIDES = "15", _("Laurentides")
    MONTEREGIE = "16", _("Montérégie")
    CENTRE_DU_QUEBEC = "17", _("Centre-du-Québec")


class Language(models.TextChoices):
    """Languages a program works in. Codes are ISO 639 (639-3 where 639-1 has none)."""

    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    ANISHINAABEMOWIN = "alq", _("Anicinabemowin (algonquin)")
    ATIKAMEKW = "atj", _("Atikamekw")
    CREE = "cr", _("Cri (eeyou)")
    INNU = "moe", _("Innu-aimun")
    INUKTITUT = "iu", _("Inuktitut")
    MIKMAQ = "mic", _("Mi'gmaq")
    MOHAWK = "moh", _("Kanien'kéha (mohawk)")
    NASKAPI = "nsk", _("Naskapi")
    WENDAT = "wdt", _("Wendat")
    WOLASTOQEY = "pqm", _("Wolastoqey")
