"""The six documents a program prints, and who each one is for.

A document's words are its wording (``wording/<kind>.<language>.md``, then the versions the network admin
saves); this module only names the kinds. Documents exist in French and English (issue 8): ``LANGUAGES``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("fr", "en")
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}  # each in its own language, as a language switch shows them


class Kind(models.TextChoices):
    VENDOR_AGREEMENT = "vendor_agreement", _("Entente avec un marchand")
    PARTNER_AGREEMENT = "partner_agreement", _("Entente avec un organisme partenaire")
    PARTICIPANT_SHEET = "participant_sheet", _("Feuille d'information pour les participants")
    POSTER = "poster", _("Affiche « Coupons nourriciers acceptés ici »")
    VENDOR_SLIP = "vendor_slip", _("Bordereau de remboursement du marchand")
    DISTRIBUTION_LOG = "distribution_log", _("Registre de remise sur papier")


# The template's name as its document's footer prints it, in the document's language. Kept here rather
# than in the gettext catalogue: a document's language is chosen per download, not by the reader's
# interface, and it must come out whole in both languages whatever the catalogue holds.
NAMES = {
    Kind.VENDOR_AGREEMENT: {"fr": "Entente avec les marchands", "en": "Vendor agreement"},
    Kind.PARTNER_AGREEMENT: {"fr": "Entente avec les organismes partenaires", "en": "Partner agreement"},
    Kind.PARTICIPANT_SHEET: {
        "fr": "Feuille d'information pour les participants", "en": "Participant information sheet",
    },
    Kind.POSTER: {"fr": "Affiche pour les kiosques", "en": "Poster for stalls"},
    Kind.VENDOR_SLIP: {"fr": "Bordereau de remboursement", "en": "Reimbursement slip"},
    Kind.DISTRIBUTION_LOG: {"fr": "Registre de remise", "en": "Distribution log"},
}

# Whose name a document carries when it is made for one party: a vendor, a partner, or nobody.
PARTY = {
    Kind.VENDOR_AGREEMENT: "vendor",
    Kind.PARTNER_AGREEMENT: "partner",
    Kind.PARTICIPANT_SHEET: "partner",  # « Votre organisme : … »
    Kind.POSTER: None,
    Kind.VENDOR_SLIP: "vendor",
    Kind.DISTRIBUTION_LOG: "partner",
}

# The poster is laid out big and kept on one page; the others flow like letters and forms.
POSTERS = frozenset({Kind.POSTER})

# Words the generator itself prints, in each document language (see NAMES for why they live here).
FIXED = {
    "fr": {
        "footer": "Modèle « {name} » v{number} du {date}",
        "page": "page {page}",
        "none": "(aucun pour l'instant)",
        "or_more": "{size} ou plus",
    },
    "en": {
        "footer": "Template “{name}” v{number} of {date}",
        "page": "page {page}",
        "none": "(none yet)",
        "or_more": "{size} or more",
    },
}

# What each document is for, on the documents page (interface language).
USES = {
    Kind.VENDOR_AGREEMENT: _("À signer avec chaque marchand avant qu'il accepte des coupons."),
    Kind.PARTNER_AGREEMENT: _("À signer avec chaque organisme qui remet des coupons aux ménages."),
    Kind.PARTICIPANT_SHEET: _("À donner à chaque ménage inscrit : ce que les coupons achètent, où, les règles et "
                              "les consentements."),
    Kind.POSTER: _("À afficher au kiosque, bien en vue, pour que les ménages sachent qu'ils peuvent payer en coupons."),
    Kind.VENDOR_SLIP: _("Le marchand le remplit et le remet avec ses coupons pour être remboursé."),
    Kind.DISTRIBUTION_LOG: _("Pour noter les remises à la main, quand l'organisme travaille sur papier."),
}
