"""The research pages: a program's decision to share with research (coordination), the researcher's page,
and the download of a season's export (a ZIP built in memory, see pcn.research.export)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pcn.accounts.shortcuts import render_program_page
from pcn.lib.formfields import form_submit, posted
from pcn.programs.models import Program
from pcn.research import selectors, services
from pcn.research.access import get_research_season_for_user, get_sharing_program_for_user
from pcn.research.export import season_export
from pcn.research.forms import NO, YES, SharingForm
from pcn.research.models import MIN_THRESHOLD


@login_required
def research_sharing(request, program_id: int):
    program = get_sharing_program_for_user(request.user, program_id)
    current = selectors.sharing_in_force(program)
    initial = {"shared": YES if current and current.shared else NO,
               "threshold": current.threshold if current else MIN_THRESHOLD}
    form = SharingForm(posted(request), program=program, initial=initial)
    sharing = form_submit(request, form, lambda: services.research_sharing_decide(
        program=program, by=request.user, **form.decision()))
    if sharing:
        messages.success(request, _("Le programme partage maintenant ses données sans nom avec la recherche.")
                         if sharing.shared else _("Le programme ne partage pas ses données avec la recherche."))
        return redirect("research_sharing", program.pk)
    return render_program_page(request, "research/sharing.html", program, {
        "form": form,
        "current": current,
        "history": selectors.sharing_history(program)[:20],
        "downloads": selectors.recent_downloads(program),
        "indigenous": program.kind == Program.Kind.INDIGENOUS_COMMUNITY,
        "min_threshold": MIN_THRESHOLD,
    })


@require_safe
@login_required
def research_home(request):
    return render(request, "research/home.html", {"shared": selectors.researcher_programs(request.user)})


# Above this many rows a season's export is prepared in the background (a city's season: hundreds of
# thousands of redemptions take longer than a web request may last).
DIRECT_LIMIT = 50_000


@login_required
def research_export(request, season_id: int):
    """The season's export: downloaded at once when the season is small; else a page that prepares it in the
    background (POST), then pcn.tasks' page shows the progress and gives the file."""
    season, sharing = get_research_season_for_user(request.user, season_id)
    if request.method == "POST":
        task = services.research_export_enqueue(season=season, by=request.user)
        return redirect("task_detail", task.pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if selectors.export_size(season) > DIRECT_LIMIT:
        return render_program_page(request, "research/prepare.html", season.program, {
            "season": season, "prepared": selectors.prepared_exports(season, request.user),
        })
    name, content = season_export(season, threshold=sharing.threshold)
    services.research_download_record(season=season, sharing=sharing, by=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
