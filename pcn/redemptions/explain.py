"""The sentence a person reads about a redemption: what happened and what to do. One place for all of
them, used by the stall page (through the API), the market manager's entry and the coordinator's pages."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pcn.lib import money
from pcn.markets.selectors import format_time_of_day
from pcn.programs.choices import ProductCategory
from pcn.redemptions.models import Outcome, Reason, Redemption


def format_cents(cents: int) -> str:
    """In the language of the page or of the API request."""
    return money.format_cents(cents, get_language() or "fr")


def _when(moment) -> dict:
    local = timezone.localtime(moment)
    return {"date": date_format(local.date(), "j F"), "time": format_time_of_day(local.time())}


def explain(redemption: Redemption) -> str:
    """What the vendor (or the market manager) is told about this presentation."""
    r = redemption
    if r.outcome == Outcome.ACCEPTED:
        what = r.coupon.series.coupon_class.name if r.coupon_id else _("carte")
        text = _("Accepté : %(amount)s (%(what)s).") % {"amount": format_cents(r.value_cents), "what": what}
        if r.unissued:
            text += " " + _("Signalé à la coordination : ce coupon n'avait jamais été remis à un ménage.")
        return text
    if r.outcome == Outcome.REVIEW and hasattr(r, "decision"):
        return str(r.decision.get_decision_display())
    series = r.coupon.series if r.coupon_id else None
    match r.reason:
        case Reason.FORMAT:
            return _("Ce code est mal écrit. Vérifiez chaque caractère : un code a 12 lettres et chiffres.")
        case Reason.UNKNOWN:
            return _("Ce code n'existe pas. Vérifiez-le ; s'il est bien écrit, refusez le coupon et prévenez "
                     "la coordination.")
        case Reason.OTHER_PROGRAM:
            return _("Ce coupon vient d'un autre programme : il n'est pas accepté ici. Rendez-le à la personne.")
        case Reason.NOT_YET_VALID:
            start = series.valid_from if series else r.season.coupons_valid_from
            if r.card_id or r.code.startswith("C-"):
                return _("Cette carte peut servir à partir du %(date)s seulement.") % {
                    "date": date_format(start, "j F Y")}
            return _("Ce coupon est valide à partir du %(date)s seulement. Rendez-le à la personne.") % {
                "date": date_format(start, "j F Y")}
        case Reason.EXPIRED:
            until = series.valid_until if series else r.season.coupons_valid_until
            if r.card_id or r.code.startswith("C-"):
                return _("Cette carte servait jusqu'au %(date)s, fin de la saison.") % {
                    "date": date_format(until, "j F Y")}
            return _("Ce coupon était valide jusqu'au %(date)s : il ne peut plus être remboursé. Rendez-le à la "
                     "personne.") % {
                "date": date_format(until, "j F Y")}
        case Reason.VOID:
            return _("Ce coupon a été annulé (perdu, volé ou détruit). Refusez-le et prévenez la coordination.")
        case Reason.NOT_ISSUED:
            return _("Ce coupon n'a jamais été remis à un ménage. Refusez-le et prévenez la coordination.")
        case Reason.ALREADY_REDEEMED:
            first = r.conflicts_with
            if first is None:
                return _("Ce coupon a déjà été échangé. Rendez-le : il ne sera pas remboursé deux fois.")
            place = first.market.name if first.market_id else first.vendor.business_name
            return _("Ce coupon a déjà été échangé le %(date)s à %(time)s (%(place)s). Rendez-le : il ne sera pas "
                     "remboursé deux fois.") % {**_when(first.client_at or first.recorded_at), "place": place}
        case Reason.VENDOR_NOT_AUTHORIZED:
            return _("%(vendor)s n'est pas autorisé pour cette saison : ce coupon ne peut pas lui être remboursé. "
                     "Appelez la coordination.") % {"vendor": r.vendor.business_name}
        case Reason.CLASS_NOT_SOLD:
            labels = dict(ProductCategory.choices)
            products = ", ".join(str(labels.get(c, c)).lower() for c in series.coupon_class.categories)
            return _("Ce coupon « %(class)s » achète : %(products)s. Ce marchand n'en vend pas : rendez-le à la "
                     "personne.") % {"class": series.coupon_class.name, "products": products}
        case Reason.CONFLICT:
            return _("Ce coupon a aussi été échangé sur un autre appareil. La coordination va décider ; vous n'avez "
                     "rien à faire.")
        case Reason.CARD_UNKNOWN:
            return _("Cette carte n'existe pas dans ce programme. Vérifiez le code écrit sur la carte.")
        case Reason.CARD_BALANCE if r.outcome == Outcome.REVIEW:
            return _("Le solde de la carte ne couvrait pas cet achat. La coordination va décider.")
        case Reason.CARD_BALANCE:
            return _("Solde insuffisant : la carte ne couvrait pas ce montant. Demandez un montant plus petit.")
        case Reason.CARD_OVER_CAP:
            return _("Achat hors ligne au-dessus du plafond de %(cap)s. La coordination va décider.") % {
                "cap": format_cents(r.season.card_offline_cap_cents)}
        case Reason.CARDS_OFF:
            return _("Cette saison n'offre pas de cartes numériques : refusez la carte.")
    return str(r.get_reason_display())
