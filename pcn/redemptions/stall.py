"""The stall page: the vendor's phone takes coupons and card payments, with or without a network.

Four addresses, all under /stall/ so that the service worker's scope covers the whole app:
- `stall`: the app shell. It carries no personal data and needs no login: the phone proves who it is with
  its device key (kept in IndexedDB, sent to the stall API as a Bearer token), so the page keeps working
  when the session has expired or the network is gone.
- `stall_link`: a signed-in vendor (or a coordinator of the vendor's program) links this phone once; the
  answer page hands the key to the page's script, which stores it and goes to the shell. The key is in no
  address and no log, and only its hash is kept (services.device_link).
- `stall_sw` and `stall_manifest`: the service worker and the web app manifest, served from /stall/ so that
  the worker's scope is /stall/ and the manifest speaks the page's language.

The JSON API the page talks to lives in pcn.redemptions.api, under /api/v1/stall/.
"""

import hashlib
import json
from functools import cache

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pcn.accounts.access import memberships_of
from pcn.accounts.models import Role
from pcn.lib.formfields import form_submit, posted
from pcn.markets.models import Vendor
from pcn.redemptions import services

# What the service worker keeps for the page to open with no network (besides the shell and manifest).
SHELL_STATIC = [
    "pcn/site.css",
    "redemptions/stall.css",
    "redemptions/stall.js",
    "redemptions/stall-icon-192.png",
    "redemptions/stall-icon-512.png",
]


# The shell


@require_GET
def stall(request):
    """The app shell: the same for everyone (the script fills it from the stall API)."""
    return render(request, "redemptions/stall.html", {"strings": _strings(), "urls": _urls()})


def _urls() -> dict:
    return {
        "shell": reverse("stall"),
        "link": reverse("stall_link"),
        "sw": reverse("stall_sw"),
        "api": reverse("api_stall_cache").removesuffix("cache"),  # /api/v1/stall/
    }


def _strings() -> dict:
    """Every sentence the script shows, in the page's language (French msgids, English translations)."""
    return {
        "online": _("En ligne"),
        "offline": _("Hors ligne"),
        "offline_note": _(
            "Pas de réseau : continuez. Les coupons sont gardés sur ce téléphone et vérifiés au retour du réseau."
        ),
        "not_linked": _("Ce téléphone n'est pas encore relié à votre entreprise."),
        "not_linked_help": _(
            "Reliez-le une seule fois, avec une connexion Internet et votre mot de passe : ensuite la page "
            "marche même sans réseau."
        ),
        "link_button": _("Relier ce téléphone"),
        "unlinked": _("Ce téléphone n'est plus relié. Reliez-le de nouveau pour continuer."),
        "loading": _("Chargement…"),
        "first_load_offline": _(
            "Pas de réseau : la page n'a pas encore la liste des coupons. Trouvez du réseau une première fois."
        ),
        "no_season": _("Aucune saison en cours : n'acceptez pas de coupons pour l'instant."),
        "sale_point": _("Où vendez-vous aujourd'hui ?"),
        "coupon_title": _("Prendre un coupon"),
        "scan_coupon": _("Scanner le coupon"),
        "scan_card": _("Scanner la carte"),
        "scan_help": _("Mettez le code QR dans le cadre."),
        "scan_cancel": _("Fermer la caméra"),
        "camera_refused": _("La caméra n'est pas permise. Tapez le code à la main."),
        "type_code": _("Ou tapez le code du coupon"),
        "code_placeholder": _("XXXX-XXXX-XXXX"),
        "code_incomplete": _("Code incomplet : %(count)s sur 12 caractères"),
        "code_too_long": _("Code trop long : vérifiez le code"),
        "code_bad_character": _("Caractère impossible « %(char)s » : vérifiez le code"),
        "code_check": _("Vérifiez le code : un caractère est mal tapé"),
        "code_ok": _("Code complet"),
        "accept": _("Valider le coupon"),
        "card_button": _("Carte"),
        "card_title": _("Payer avec une carte"),
        "card_code": _("Code de la carte"),
        "card_placeholder": _("C-XXXX-XXXX-XXXX"),
        "amount": _("Montant de l'achat"),
        "amount_bad": _("Écrivez un montant en dollars, par exemple 12,50."),
        "card_pay": _("Débiter la carte"),
        "card_cancel": _("Retour aux coupons"),
        "card_needs_network": _(
            "Sans réseau, une carte est acceptée jusqu'à %(cap)s. Pour plus, attendez le réseau ou demandez "
            "des coupons."
        ),
        "cards_off_offline": _("Sans réseau, les cartes ne peuvent pas être acceptées."),
        "sending": _("Vérification…"),
        "accepted": _("Accepté"),
        "refused": _("Refusé"),
        "review": _("À examiner"),
        "pending": _("En attente"),
        "pending_message": _(
            "Pas de réseau : ce coupon sera vérifié dès le retour du réseau. Gardez-le à part."
        ),
        "pending_card_message": _("Pas de réseau : le paiement sera envoyé dès le retour du réseau."),
        "review_message": _("La coordination va vérifier cet échange. Gardez le coupon à part."),
        "unknown_offline": _("Code inconnu : ce coupon n'existe pas ou a déjà servi. Ne l'acceptez pas."),
        "expired_offline": _("Coupon expiré : il était valide jusqu'au %(date)s. Ne l'acceptez pas."),
        "not_yet_offline": _("Coupon pas encore valide : il le sera à partir du %(date)s. Ne l'acceptez pas."),
        "duplicate_offline": _(
            "Déjà échangé : ce coupon a déjà été pris sur ce téléphone à %(time)s. Ne l'acceptez pas une deuxième fois."
        ),
        "server_error": _("Le serveur ne répond pas bien. Le coupon est gardé et sera renvoyé plus tard."),
        "today": _("Aujourd'hui"),
        "total": _("Total"),
        "waiting_total": _("Dont %(count)s en attente d'envoi (%(total)s) : ils partiront au retour du réseau."),
        "list_title": _("Échanges d'aujourd'hui sur ce téléphone"),
        "list_empty": _("Aucun échange aujourd'hui."),
        "send_now": _("Envoyer maintenant"),
        "sync_done": _("Envoi terminé : %(parts)s."),
        "sync_accepted_one": _("1 accepté"),
        "sync_accepted_many": _("%(count)s acceptés"),
        "sync_refused_one": _("1 refusé"),
        "sync_refused_many": _("%(count)s refusés"),
        "sync_review_one": _("1 à examiner"),
        "sync_review_many": _("%(count)s à examiner"),
        "coupons_one": _("1 coupon"),
        "coupons_many": _("%(count)s coupons"),
        "payments_one": _("1 paiement"),
        "payments_many": _("%(count)s paiements"),
        "choose_sale_point": _("Choisissez d'abord où vous vendez aujourd'hui, en haut de la page."),
        "storage_failed": _(
            "Ce navigateur ne peut pas garder de données (mode privé ?). Ouvrez la page dans une fenêtre normale."
        ),
        "cards_class": _("Cartes"),
        "other_vendor": _(
            "Pris pour %(vendor)s : il partira quand ce téléphone sera de nouveau relié à cette entreprise."
        ),
        "device": _("Téléphone : %(name)s"),
        "cache_today": _("liste des coupons à jour à %(time)s"),
        "cache_day": _("liste des coupons du %(date)s à %(time)s"),
    }


# The service worker and the manifest


@cache
def _shell_version() -> str:
    """Changes when a file the worker keeps first changes, so that phones fetch the new ones (the page itself
    is always asked of the network first). Computed once per process: files change with a deployment."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        with open(finders.find(name), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    """The service worker, from /stall/ so that it may control /stall/ (a script under /static/ may not)."""
    found = finders.find("redemptions/stall-sw.js")
    with open(found, encoding="utf-8") as f:
        script = f.read()
    config = {
        "version": _shell_version.__wrapped__() if settings.DEBUG else _shell_version(),
        "shell": reverse("stall"),
        "manifest": reverse("stall_manifest"),
        "static": [staticfiles_storage.url(name) for name in SHELL_STATIC],
    }
    body = f"const STALL = {json.dumps(config)};\n{script}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker at every visit
    return response


@require_GET
def manifest(request):
    """The web app manifest, in the page's language (the link asks for it with the page's cookies)."""
    data = {
        "name": _("Kiosque · Coupons nourriciers"),
        "short_name": _("Kiosque"),
        "description": _("Prendre les coupons et les cartes au kiosque, même sans réseau."),
        "lang": get_language() or "fr",
        "start_url": reverse("stall"),
        "scope": reverse("stall"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#fbfaf6",
        "theme_color": "#1f6b3a",
        "icons": [
            {"src": staticfiles_storage.url(f"redemptions/stall-icon-{size}.png"), "sizes": f"{size}x{size}",
             "type": "image/png", "purpose": "any maskable"}
            for size in (192, 512)
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )
    response["Vary"] = "Cookie, Accept-Language"
    return response


# Linking a phone


def vendors_to_link(user) -> list[Vendor]:
    """The vendors for whom this user may link a phone: their own business (vendor role), and every vendor
    of a program they coordinate."""
    own = {m.vendor_id for m in memberships_of(user) if m.role == Role.VENDOR and m.vendor_id}
    coordinated = {m.program_id for m in memberships_of(user) if m.role == Role.COORDINATOR and m.program_id}
    vendors = Vendor.objects.filter(pk__in=own) | Vendor.objects.filter(program_id__in=coordinated)
    return list(vendors.select_related("program").order_by("program__name", "business_name").distinct())


class DeviceLinkForm(forms.Form):
    vendor = forms.TypedChoiceField(label=gettext_lazy("Entreprise"), coerce=int)
    name = forms.CharField(
        label=gettext_lazy("Nom de ce téléphone"),
        max_length=100,
        help_text=gettext_lazy("Pour le reconnaître dans la liste, par exemple « Téléphone de Marie »."),
    )

    def __init__(self, *args, vendors: list[Vendor], **kwargs):
        super().__init__(*args, **kwargs)
        self.vendors = {v.pk: v for v in vendors}
        several_programs = len({v.program_id for v in vendors}) > 1
        self.fields["vendor"].choices = [
            (v.pk, f"{v.business_name} ({v.program.name})" if several_programs else v.business_name) for v in vendors
        ]
        if len(vendors) == 1:
            self.fields["vendor"].widget = forms.HiddenInput()
            self.fields["vendor"].initial = vendors[0].pk
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})


@never_cache
@login_required
def stall_link(request):
    vendors = vendors_to_link(request.user)
    if not vendors:
        raise Http404
    initial = {"name": _("Téléphone")}
    chosen = request.GET.get("vendor", "")
    if chosen.isdecimal() and len(chosen) < 10 and int(chosen) in {v.pk for v in vendors}:
        initial["vendor"] = int(chosen)
    form = DeviceLinkForm(posted(request), vendors=vendors, initial=initial)
    linked = form_submit(request, form, lambda: services.device_link(
        vendor=form.vendors[form.cleaned_data["vendor"]], name=form.cleaned_data["name"], by=request.user,
    ))
    if linked:
        device, key = linked
        # The key goes to the page's script in this one answer, never in an address; nothing keeps the page.
        response = render(request, "redemptions/stall_linked.html", {
            "device": device,
            "stall_url": reverse("stall"),
            "handover": {"key": key, "device": device.name, "vendor": device.vendor.business_name,
                         "stall_url": reverse("stall")},
        })
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "redemptions/stall_link.html", {"form": form, "vendors": vendors})


urlpatterns = [
    path("stall/", stall, name="stall"),
    path("stall/link/", stall_link, name="stall_link"),
    path("stall/sw.js", service_worker, name="stall_sw"),
    path("stall/manifest.webmanifest", manifest, name="stall_manifest"),
]
