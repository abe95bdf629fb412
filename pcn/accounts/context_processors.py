from pcn.accounts.access import is_network_admin


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"is_network_admin": is_network_admin(user)}
