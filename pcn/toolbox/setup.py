"""The setup wizard's steps and writes: a draft is started from a template or from another program's season,
answered step by step (kept between visits), then applied in one transaction that creates the program (or
completes an existing one), its fiduciary and partners, its season with amounts, coupon values and classes,
and its local currency."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcn.payments.models import PaymentSettings
from pcn.programs import services as programs
from pcn.programs.entitlements import weeks_end
from pcn.programs.models import CouponClass, Network, Organization, Program, Season
from pcn.toolbox.models import SetupDraft
from pcn.toolbox.program_templates import TEMPLATES, model_answers, program_answers, template_answers


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    why: str


STEPS = (
    Step("start", gettext_lazy("Point de départ"),
         gettext_lazy("Un modèle remplit toutes les valeurs pour vous, d'après les projets pilotes. Vous pourrez "
                      "tout changer aux étapes suivantes.")),
    Step("program", gettext_lazy("Le programme"),
         gettext_lazy("Son nom, son territoire et ses langues paraissent sur les coupons, les affiches et les "
                      "documents.")),
    Step("season", gettext_lazy("La saison"),
         gettext_lazy("Une saison, c'est la période où les coupons sont remis et acceptés, avec ses règles.")),
    Step("amounts", gettext_lazy("Les montants et les coupons"),
         gettext_lazy("Ce que reçoit chaque ménage à chaque remise, et les valeurs imprimées sur les coupons.")),
    Step("classes", gettext_lazy("Ce que les coupons achètent"),
         gettext_lazy("Les marchands doivent savoir quels produits ils peuvent vendre contre des coupons.")),
    Step("partners", gettext_lazy("Les partenaires"),
         gettext_lazy("Les organismes qui remettent les coupons aux ménages. Vous pourrez en ajouter plus tard.")),
    Step("review", gettext_lazy("Vérifier et créer"),
         gettext_lazy("Relisez tout. Rien n'est créé avant que vous cliquiez sur « Créer ».")),
)
STEP_KEYS = [step.key for step in STEPS]


def step_index(key: str) -> int:
    return STEP_KEYS.index(key)


def step_for(key: str) -> Step:
    return STEPS[step_index(key)]


def open_drafts(user) -> list[SetupDraft]:
    """The user's unfinished drafts they may still take up (a role lost since closes the way back)."""
    from pcn.accounts.access import CONFIGURE, networks_for_user, program_roles
    from pcn.accounts.models import Role

    admin_of = {network.pk for network in networks_for_user(user, roles=[Role.NETWORK_ADMIN])}
    drafts = SetupDraft.objects.filter(created_by=user, finished_at__isnull=True).select_related("program")
    return [d for d in drafts if (program_roles(user, d.program) & CONFIGURE if d.program else d.network_id in admin_of)]


def open_draft(*, user, program: Program | None) -> SetupDraft | None:
    """The user's unfinished draft for that program (None: a new program), to resume."""
    return SetupDraft.objects.filter(created_by=user, program=program, finished_at__isnull=True).first()


@transaction.atomic
def setup_draft_start(*, user, network: Network, program: Program | None = None, template: str = "",
                      model_season: Season | None = None) -> SetupDraft:
    """Start a draft (or restart the user's open one for the same program) from a template or a model season.
    The answers are replaced by the template's or the model's; the walk goes on at the program step."""
    if bool(template) == bool(model_season):
        raise ValidationError(_("Choisissez un modèle, ou une saison d'un autre programme à prendre comme modèle."))
    today = timezone.localdate()
    if template:
        if template not in TEMPLATES:
            raise ValidationError(_("Choisissez un des modèles de la liste."))
        # The names a template gives (season, classes) are the program's words: in its first language, not in
        # the language of whoever sets it up.
        languages = program.languages if program else TEMPLATES[template].languages
        with translation.override(next((code for code in languages if code in ("fr", "en")), "fr")):
            answers = template_answers(TEMPLATES[template], today=today, program=program)
    else:
        if model_season.program.network_id != network.pk:
            raise ValidationError(_("Choisissez une saison d'un programme du réseau."))
        answers = model_answers(model_season, today=today, program=program)
    if program is not None:
        answers["program_before"] = program_answers(program)  # to tell, at the end, what the wizard changed
    draft = open_draft(user=user, program=program) or SetupDraft(created_by=user, network=network, program=program)
    draft.template, draft.model_season = template, model_season
    draft.answers = answers
    draft.step = "program"
    draft.save()
    return draft


@transaction.atomic
def setup_draft_answer(*, draft: SetupDraft, step: str, answer) -> SetupDraft:
    """Keep one step's (already validated) answer and move the furthest step reached past it."""
    draft = SetupDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.finished_at:
        raise ValidationError(_("Cette mise en place est terminée : modifiez le programme et sa saison directement."))
    _follow(draft.answers, step, answer)
    draft.answers[step] = answer
    following = STEP_KEYS[min(step_index(step) + 1, len(STEP_KEYS) - 1)]
    if step_index(following) > step_index(draft.step):
        draft.step = following
    draft.save()
    return draft


def _follow(answers: dict, step: str, answer) -> None:
    """Bring the later answers in line with a changed one, in place: a lower household size cap drops the
    amounts of sizes above it; a program that is no longer an Indigenous community has no band council. What a
    change leaves to fill (a higher cap's new sizes, a council's name) the review's check asks for."""
    if step == "season":
        cap = answer["household_size_cap"]
        amounts = answers["amounts"]["entitlements"]
        answers["amounts"]["entitlements"] = {size: cents for size, cents in amounts.items() if int(size) <= cap}
    if step == "program" and answer["kind"] != Program.Kind.INDIGENOUS_COMMUNITY:
        answers["partners"]["band_council"] = ""


@transaction.atomic
def setup_apply(*, draft: SetupDraft, by) -> Season:
    """Create everything the draft describes, or nothing: one transaction, every row through its service (so
    every rule is checked the same way as on the program's own pages).

    Locking: the draft row is locked first, so a double click creates one program, not two."""
    draft = SetupDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.finished_at:
        raise ValidationError(_("Cette mise en place est déjà terminée."))
    answers = draft.answers
    about = answers["program"]
    if draft.program is not None:
        # An existing program keeps what the wizard did not change, even if it changed since the draft began.
        program = Program.objects.select_for_update().get(pk=draft.program_id)
        before = answers.get("program_before") or {}
        about = {**program_answers(program),
                 **{key: value for key, value in about.items() if before.get(key) != value}}
    else:
        program = Program(network=draft.network)
    program.name, program.kind, program.region = about["name"], about["kind"], about["region"]
    program.languages = about["languages"]
    programs.program_save(program=program)

    fiduciary = (program.fiduciary if program.fiduciary_id and about["fiduciary"] == program.fiduciary.name
                 else _organization(program, about["fiduciary"], Organization.Kind.FIDUCIARY))
    if program.fiduciary_id != fiduciary.pk:
        program.fiduciary = fiduciary
        programs.program_save(program=program)
    partners = answers["partners"]
    if partners.get("band_council"):
        _organization(program, partners["band_council"], Organization.Kind.BAND_COUNCIL)
    for name in partners.get("names", []):
        _organization(program, name, Organization.Kind.COMMUNITY_PARTNER)

    rules = answers["season"]
    starts_on = datetime.date.fromisoformat(rules["starts_on"])
    ends_on = weeks_end(starts_on, rules["weeks"])
    season = programs.season_save(season=Season(
        program=program, name=rules["name"], starts_on=starts_on, ends_on=ends_on, weeks=rules["weeks"],
        frequency=rules["frequency"], household_size_cap=rules["household_size_cap"],
        coupons_valid_from=starts_on, coupons_valid_until=ends_on,
        accepted_sale_point_kinds=rules["accepted_sale_point_kinds"], cards_enabled=rules["cards_enabled"],
        counts_only=rules["counts_only"], accept_unissued=rules["accept_unissued"],
        expected_redemption_rate=rules["expected_redemption_rate"],
    ))
    amounts = answers["amounts"]
    programs.season_set_entitlements(
        season=season, amounts_cents={int(size): cents for size, cents in amounts["entitlements"].items()}
    )
    programs.season_set_denominations(season=season, values_cents=list(amounts["denominations"]))
    for coupon_class in answers["classes"]:
        programs.coupon_class_save(coupon_class=CouponClass(
            season=season, name=coupon_class["name"], categories=coupon_class["categories"]
        ))

    # The payment settings are the treasury's: the wizard only gives a program its first ones.
    if partners.get("local_currency_name") and not PaymentSettings.objects.filter(program=program).exists():
        settings = PaymentSettings(program=program)
        settings.local_currency_name = partners["local_currency_name"]
        settings.local_units_per_100_cad = partners["local_units_per_100_cad"]
        settings.updated_by = by
        settings.full_clean()
        settings.save()

    draft.program, draft.season, draft.finished_at = program, season, timezone.now()
    draft.step = "review"
    draft.save()
    return season


def _organization(program: Program, name: str, kind: str) -> Organization:
    """The program's organization of that name (an existing program may have it already), or a new one."""
    existing = program.organizations.filter(name=name).first()
    if existing is not None:
        if existing.kind != kind:
            raise ValidationError(
                _("« %(name)s » existe déjà dans ce programme avec le type « %(kind)s ». Choisissez un autre nom.")
                % {"name": name, "kind": existing.get_kind_display()}
            )
        return existing
    return programs.organization_save(organization=Organization(program=program, name=name, kind=kind))


def program_started_from(program_ids) -> dict[int, str]:
    """What each program's setup started from (a template's label, or the model season), by program id."""
    labels: dict[int, str] = {}
    drafts = (SetupDraft.objects.filter(program_id__in=program_ids, finished_at__isnull=False)
              .select_related("model_season__program").order_by("finished_at"))
    for draft in drafts:
        if draft.template in TEMPLATES:
            labels[draft.program_id] = str(TEMPLATES[draft.template].label)
        elif draft.model_season is not None:
            labels[draft.program_id] = _("Modèle : %(season)s") % {"season": draft.model_season}
    return labels
