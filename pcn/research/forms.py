from django import forms
from django.utils.translation import gettext_lazy as _

from pcn.programs.models import Program
from pcn.research.models import MIN_THRESHOLD
from pcn.research.services import MAX_THRESHOLD

YES, NO = "yes", "no"


class SharingForm(forms.Form):
    shared = forms.ChoiceField(
        label=_("Le programme partage-t-il ses données avec la recherche ?"),
        choices=[(YES, _("Oui, partager les données sans nom")), (NO, _("Non, ne rien partager"))],
        widget=forms.RadioSelect,
    )
    threshold = forms.IntegerField(
        label=_("Plus petit nombre montré dans les tableaux de totaux"), min_value=MIN_THRESHOLD,
        max_value=MAX_THRESHOLD, initial=MIN_THRESHOLD,
        help_text=_("Un nombre de ménages (ou de personnes) plus petit est caché. Au moins 5 ; plus le nombre est "
                    "grand, plus les petits groupes sont protégés."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    community_signoff = forms.BooleanField(
        label=_("Le conseil de bande a donné son accord pour ce partage"), required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : pour quel projet de recherche, ou ce qui a été convenu."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.indigenous = program.kind == Program.Kind.INDIGENOUS_COMMUNITY
        if self.indigenous:
            self.fields["note"].label = _("Qui a donné l'accord du conseil de bande, et quand")
            self.fields["note"].help_text = _("Par exemple « Résolution du conseil de bande du 3 mars 2026 ». "
                                              "Obligatoire pour partager.")
        else:
            del self.fields["community_signoff"]

    def decision(self) -> dict:
        data = self.cleaned_data
        return {
            "shared": data["shared"] == YES, "threshold": data["threshold"],
            "community_signoff": bool(data.get("community_signoff")), "note": data.get("note", ""),
        }
