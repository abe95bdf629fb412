"""What every API endpoint shares: token authentication, the method check, JSON in and out, and errors
in one shape. An endpoint is then one short function:

    @api_view("GET")
    def series_detail(request, series_id: int):
        series = get_series_for_user(request.user, series_id)   # same access helper as the page
        return series_json(series)                               # data → 200 JSON

Inside an endpoint `request.user` is the token's user, never the session's: the API has no session
authentication, so a browser's cookies open nothing here. That is also why endpoints are CSRF-exempt: a
forged cross-site request carries no credential the API honours, and a request without a valid token is
answered 401 before the endpoint runs.

Errors, always `{"error": {"code": ..., "message": ..., "fields": {...}}}` (fields only for `invalid`):
- 401 `unauthenticated`: no token, an unknown one, a revoked one, or an inactive user;
- 404 `not_found`: the object does not exist or the user may not reach it (access helpers raise Http404);
- 405 `method_not_allowed`, with an Allow header;
- 400 `malformed`: the body is not a JSON object; 400 `invalid`: a field, or the service, refused a value
  (a Django ValidationError, e.g. from a service, becomes this response).
Messages follow the request's language (LocaleMiddleware: Accept-Language), French by default.
"""

import datetime
import json
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from pcn.api.models import ApiToken, key_hash

# last_used_at is written at most once a minute per token: a busy script does not turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class Encoder(DjangoJSONEncoder):
    """Dates as 2026-06-13; times in UTC as 2026-06-13T14:05:09Z. (Money is already integer cents.)"""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            if timezone.is_naive(o):
                raise TypeError(f"naive datetime {o!r}: the API only sends times in UTC")
            return o.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return super().default(o)


def json_response(data, *, status: int = 200, headers: dict | None = None) -> JsonResponse:
    return JsonResponse(
        data, status=status, headers=headers, encoder=Encoder, safe=False, json_dumps_params={"ensure_ascii": False}
    )


def created(data, *, location: str) -> JsonResponse:
    """201 with the new object and its address."""
    return json_response(data, status=201, headers={"Location": location})


class ApiError(Exception):
    """Raise from an endpoint (or a helper) to answer with an error of the common shape."""

    def __init__(self, status: int, code: str, message: str, *, fields: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields, self.headers = status, code, message, fields, headers

    def response(self) -> JsonResponse:
        error = {"code": self.code, "message": self.message}
        if self.fields is not None:
            error["fields"] = self.fields
        return json_response({"error": error}, status=self.status, headers=self.headers)


def unauthenticated(message: str) -> ApiError:
    return ApiError(401, "unauthenticated", message, headers={"WWW-Authenticate": 'Bearer realm="api"'})


def not_found() -> ApiError:
    return ApiError(
        404, "not_found", _("Introuvable : cet objet n'existe pas, ou votre compte n'y a pas accès.")
    )


def invalid(error: ValidationError) -> ApiError:
    """A ValidationError as 400: every message in `message` (for a script that prints only that), and each
    field's messages under `fields`."""
    if not hasattr(error, "error_dict"):
        return ApiError(400, "invalid", " ".join(error.messages), fields={})
    fields = {name: messages for name, messages in error.message_dict.items() if name != NON_FIELD_ERRORS}
    summary = list(error.message_dict.get(NON_FIELD_ERRORS, []))
    for name, messages in fields.items():
        summary += [_("%(field)s : %(message)s") % {"field": name, "message": message} for message in messages]
    return ApiError(400, "invalid", " ".join(summary), fields=fields)


def bearer_key(request: HttpRequest) -> str:
    """The key of `Authorization: Bearer <key>`, or ApiError 401 saying what is missing."""
    header = request.headers.get("Authorization", "")
    scheme, _space, key = header.strip().partition(" ")
    if not header:
        raise unauthenticated(
            _("Cette adresse demande une clé d'API : envoyez l'en-tête « Authorization: Bearer VOTRE_CLÉ ».")
        )
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise unauthenticated(_("L'en-tête Authorization doit être « Bearer » suivi de la clé d'API."))
    return key


def authenticate(request: HttpRequest) -> ApiToken:
    """The active token named by `Authorization: Bearer <key>`, or ApiError 401."""
    key = bearer_key(request)
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    if token is None or not token.user.is_active:
        raise unauthenticated(_("Cette clé d'API n'est pas reconnue. Vérifiez-la, ou demandez-en une nouvelle."))
    if token.revoked_at is not None:
        raise unauthenticated(_("Cette clé d'API a été révoquée. Demandez-en une nouvelle."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def read_json(request: HttpRequest) -> dict:
    """The request's body as a JSON object, or ApiError 400 `malformed` saying what is wrong."""
    try:
        data = json.loads(request.body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "malformed", _("Le corps de la requête doit être du JSON encodé en UTF-8.")) from None
    except json.JSONDecodeError as error:
        raise ApiError(
            400,
            "malformed",
            _("Le corps de la requête n'est pas du JSON valide (ligne %(line)s, colonne %(column)s).")
            % {"line": error.lineno, "column": error.colno},
        ) from None
    if not isinstance(data, dict):
        raise ApiError(
            400, "malformed", _("Le corps de la requête doit être un objet JSON (entre accolades), avec un champ par valeur.")
        )
    return data


def validated(form_class, request: HttpRequest, **form_kwargs) -> dict:
    """The request's JSON body checked by a form of JSON fields (pcn.api.forms): its cleaned data, or a
    ValidationError (→ 400 `invalid`) naming each field refused, unknown fields included."""
    data = read_json(request)
    form = form_class(data, **form_kwargs)
    errors = {}
    if not form.is_valid():
        errors.update(form.errors.as_data())
    unknown = sorted(set(data) - set(form.fields))
    for name in unknown:
        errors[name] = [
            ValidationError(
                _("Ce champ n'existe pas. Les champs possibles sont : %(fields)s."),
                params={"fields": ", ".join(form.fields)},
            )
        ]
    if errors:
        raise ValidationError(errors)
    return form.cleaned_data


def renamed(error: ValidationError, **names: str) -> ValidationError:
    """The same error with its fields renamed from the service's words to the API's, e.g.
    renamed(error, coupon_class="coupon_class_id")."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(name, name): errors for name, errors in error.error_dict.items()})


def token_authenticate(request: HttpRequest) -> None:
    """The default: a personal API token, whose user becomes `request.user`."""
    token = authenticate(request)
    request.user = token.user  # never the session's user
    request.api_token = token


def api_view(*methods: str, public: bool = False, authenticator: Callable = token_authenticate) -> Callable:
    """Make a function an API endpoint answering `methods` (see the module's docstring). `public=True`
    skips authentication (the OpenAPI document); `authenticator` replaces the personal token check (the
    stall page's device keys: pcn.redemptions.api). The endpoint returns JSON-able data (→ 200) or a response."""
    allowed = tuple(m.upper() for m in methods)

    def decorator(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def endpoint(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                if request.method not in allowed:
                    raise ApiError(
                        405,
                        "method_not_allowed",
                        _("Cette adresse accepte seulement : %(methods)s.") % {"methods": ", ".join(allowed)},
                        headers={"Allow": ", ".join(allowed)},
                    )
                if not public:
                    authenticator(request)
                try:
                    result = view(request, *args, **kwargs)
                except Http404:
                    raise not_found() from None
                except ValidationError as error:
                    raise invalid(error) from None
                response = result if isinstance(result, HttpResponse) else json_response(result)
            except ApiError as error:
                response = error.response()
            if not public:
                patch_cache_control(response, private=True, no_store=True)
            return response

        endpoint.api_methods = allowed
        endpoint.api_public = public
        return endpoint

    return decorator

