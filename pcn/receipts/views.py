"""Receipt verification pages: a season's samples (and the draw), one sample's results, and one partner's
list of households to ask, where its workers record the answers (plain forms: no JavaScript, one tap)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pcn.accounts.shortcuts import render_program_page
from pcn.lib.formfields import form_submit, posted
from pcn.receipts import selectors, services
from pcn.receipts.access import (
    can_draw,
    can_read_results,
    get_receipts_season_for_user,
    get_sample_for_user,
    get_stratum_for_user,
)
from pcn.receipts.forms import AnswerForm, DrawForm
from pcn.receipts.models import Answer
from pcn.reports.tables import FORMATS, download


@login_required
def season_receipts(request, season_id: int):
    season, partner_ids = get_receipts_season_for_user(request.user, season_id, write=request.method == "POST")
    program = season.program
    form = DrawForm(posted(request)) if can_draw(request.user, program) else None
    if form is not None:
        sample = form_submit(request, form, lambda: services.receipt_sample_draw(
            season=season, by=request.user, **form.service_kwargs()))
        if sample:
            drawn = sample.households.count()
            messages.success(request, ngettext("Tirage fait : %(n)s ménage à joindre.",
                                               "Tirage fait : %(n)s ménages à joindre.", drawn) % {"n": drawn})
            return redirect("receipt_sample_results", sample.pk)
    return render_program_page(request, "receipts/season_receipts.html", program, {
        "season": season,
        "samples": selectors.season_samples(season, partner_ids),
        "form": form,
        "can_read_results": can_read_results(request.user, program),
        "can_open_lists": partner_ids is None and can_draw(request.user, program),
    })


@login_required
def sample_results(request, sample_id: int):
    sample = get_sample_for_user(request.user, sample_id)
    results = selectors.sample_results(sample)
    fmt = request.GET.get("download")
    if fmt is not None:
        if fmt not in FORMATS:
            raise Http404
        table = selectors.results_table(sample, results)
        return download([table], fmt, f"verification-remises-{sample.season.name}-{sample.pk}")
    return render_program_page(request, "receipts/sample_results.html", sample.program, {
        "sample": sample,
        "season": sample.season,
        "results": results,
        "short": [r for r in results.rows if r.took_all],
        "can_open_lists": can_draw(request.user, sample.program),
    })


@login_required
def stratum_households(request, sample_id: int, partner_id: int):
    stratum = get_stratum_for_user(request.user, sample_id, partner_id)
    errors, failed_pk = [], None
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            failed_pk = form.cleaned_data.get("sampled")
        else:
            sampled = stratum.households.filter(pk=form.cleaned_data["sampled"]).first()
            if sampled is None:
                raise Http404
            failed_pk = sampled.pk
            try:
                _answer, created = services.receipt_answer_record(
                    sampled=sampled, answer=form.cleaned_data["answer"], note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                label = Answer(form.cleaned_data["answer"]).label
                said = {"code": sampled.household.display_code, "answer": label}
                if created:
                    messages.success(request, _("%(code)s : « %(answer)s » est noté.") % said)
                else:
                    messages.info(request, _("%(code)s : « %(answer)s » était déjà noté.") % said)
                url = reverse("receipt_stratum_households", args=[stratum.sample_id, stratum.partner_id])
                return redirect(f"{url}#m{sampled.pk}")
    households = selectors.stratum_households(stratum)
    if failed_pk is not None and all(h.pk != failed_pk for h in households):
        failed_pk = None  # the household is no longer listed (anonymized since): say it at the top of the page
    return render_program_page(request, "receipts/stratum_households.html", stratum.sample.program, {
        "stratum": stratum,
        "sample": stratum.sample,
        "season": stratum.sample.season,
        "households": households,
        "pending": sum(1 for h in households if h.current is None),
        "answers": Answer,
        "errors": errors,
        "failed_pk": failed_pk,
        "posted_note": request.POST.get("note", "") if errors else "",
        "can_read_results": can_read_results(request.user, stratum.sample.program),
    })
