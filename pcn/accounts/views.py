from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pcn.accounts import services
from pcn.accounts.access import get_membership_for_user, networks_for_user
from pcn.accounts.forms import MembershipForm
from pcn.accounts.selectors import home_party_memberships, home_program_cards
from pcn.accounts.shortcuts import render_form_page, render_program_page
from pcn.lib.formfields import form_submit, posted
from pcn.programs.access import get_program_for_user
from pcn.toolbox.setup import open_drafts


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
            "setup_drafts": open_drafts(request.user),
        },
    )


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "form_page.html"
    success_url = reverse_lazy("home")
    success_message = gettext_lazy("Votre mot de passe est changé.")
    extra_context = {"title": gettext_lazy("Changer mon mot de passe"), "cancel_url": reverse_lazy("home")}


@login_required
def team(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    memberships = program.memberships.select_related("user", "organization", "market", "vendor").order_by(
        "user__username", "role"
    )
    return render_program_page(request, "accounts/team.html", program, {"memberships": memberships})


@login_required
def membership_create(request, program_id: int):
    program = get_program_for_user(request.user, program_id, write=True)
    form = MembershipForm(posted(request), program=program)
    granted = form_submit(request, form, lambda: services.membership_grant(program=program, by=request.user, **form.cleaned_data))
    if granted:
        membership, password = granted
        if password:
            messages.warning(
                request,
                _(
                    "Compte créé pour %(username)s. Mot de passe temporaire : %(password)s — donnez-le à la "
                    "personne ; il ne sera plus affiché. Elle pourra le changer après sa connexion."
                )
                % {"username": membership.user.username, "password": password},
            )
        else:
            messages.success(
                request,
                _("%(username)s a maintenant le rôle « %(role)s ».")
                % {"username": membership.user.username, "role": membership.get_role_display()},
            )
        return redirect("team", program.pk)
    return render_form_page(
        request,
        program,
        form,
        title=_("Donner un rôle à une personne"),
        intro=_(
            "Chaque personne ne voit que ce que son rôle permet : un intervenant voit son organisme, "
            "un gestionnaire son marché, un marchand sa propre entreprise."
        ),
        cancel_url=reverse("team", args=[program.pk]),
    )


@require_POST
@login_required
def membership_remove(request, membership_id: int):
    membership = get_membership_for_user(request.user, membership_id)
    program = membership.program
    try:
        services.membership_revoke(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Le rôle est retiré."))
    return redirect("team", program.pk)
