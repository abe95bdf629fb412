from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from pcn.accounts.access import networks_for_user
from pcn.accounts.selectors import home_party_memberships, home_program_cards


@login_required
def home(request):
    """Each person's starting point: their places, and for coordinators what to do next."""
    return render(
        request,
        "accounts/home.html",
        {
            "networks": networks_for_user(request.user),
            "program_cards": home_program_cards(request.user),
            "parties": home_party_memberships(request.user),
        },
    )
