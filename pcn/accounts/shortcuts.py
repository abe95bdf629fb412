from django.shortcuts import render

from pcn.accounts.access import CONFIGURE, READ_CONFIG, program_roles


def render_program_page(request, template: str, program, context: dict | None = None, *, status: int = 200):
    """Render a page inside a program: adds the program menu and what the user may do there."""
    roles = program_roles(request.user, program)
    full = {
        "program": program,
        "roles": roles,
        "can_configure": bool(roles & CONFIGURE),
        "can_read_config": bool(roles & READ_CONFIG),
        **(context or {}),
    }
    return render(request, template, full, status=status)


def render_form_page(request, program, form, *, title, cancel_url, intro="", submit_label=None):
    """A page inside a program with one form (templates/form_page.html)."""
    return render_program_page(
        request,
        "form_page.html",
        program,
        {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro, "submit_label": submit_label},
    )
