"""The guides' pages. Public (no login): a guide holds no one's data, and a future coordinator may read
them before having an account."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from pcn.toolbox.guidebook import current_language, guide_get, guide_search, guides_in

MAX_QUERY = 100


@require_safe
def guide_list(request):
    language = current_language()
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    return render(request, "toolbox/guide_list.html", {
        "guides": guides_in(language),
        "query": query,
        "hits": guide_search(query, language) if query else None,
        "language": language,
    })


@require_safe
def guide_detail(request, slug: str):
    language = current_language()
    try:
        guide, fell_back = guide_get(slug, language)
    except KeyError:
        raise Http404("No such guide") from None
    others = [g for g in guides_in(language) if g.slug != slug]
    return render(request, "toolbox/guide_detail.html", {
        "guide": guide, "fell_back": fell_back, "others": others, "language": language,
    })


urlpatterns = [
    path("guides/", guide_list, name="guide_list"),
    path("guides/<slug:slug>/", guide_detail, name="guide_detail"),
]
