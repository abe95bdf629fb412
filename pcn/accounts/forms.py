from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.accounts.models import Role
from pcn.accounts.services import PROGRAM_ROLES
from pcn.programs.models import Organization


class MembershipForm(forms.Form):
    username = forms.CharField(
        label=_("Nom d'utilisateur"),
        max_length=150,
        help_text=_("S'il existe déjà, la personne reçoit ce rôle en plus des siens. Sinon, un compte est créé."),
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom de famille"), max_length=150, required=False)
    email = forms.EmailField(label=_("Courriel"), required=False)
    role = forms.ChoiceField(label=_("Rôle"), choices=[(r.value, r.label) for r in PROGRAM_ROLES])
    organization = forms.ModelChoiceField(
        label=_("Organisme (intervenants, bailleurs de fonds)"), queryset=None, required=False
    )
    market = forms.ModelChoiceField(label=_("Marché (gestion de marché)"), queryset=None, required=False)
    vendor = forms.ModelChoiceField(label=_("Marchand (compte d'un marchand)"), queryset=None, required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = program.organizations.filter(
            kind__in=[*Organization.PARTNER_KINDS, Organization.Kind.FUNDER]
        )
        self.fields["market"].queryset = program.markets.all()
        self.fields["vendor"].queryset = program.vendors.all()
        self.fields["role"].initial = Role.PARTNER_WORKER
