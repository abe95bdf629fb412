"""The API's OpenAPI 3.1 document, written by hand (served at /api/v1/openapi.json).

Tests keep it honest: every address in pcn.api.urls is described with the methods its endpoint answers,
every $ref resolves, the request schema names the form's fields, and the response schemas name exactly
the keys that pcn.api.representations sends. Enumerations come from the models.
"""

from pcn.api.forms import MAX_INT32
from pcn.coupons.models import Colour, CouponStatus, Series
from pcn.coupons.services import MAX_SERIES_COUNT
from pcn.redemptions.api import MAX_SYNC_ITEMS
from pcn.redemptions.models import Outcome, Reason

ERROR_CODES = ["unauthenticated", "not_found", "method_not_allowed", "malformed", "invalid"]

DESCRIPTION = """\
JSON over HTTP for scripts and integrations of the food coupon programs platform (pcn).

**Authentication.** Every call except this document needs a personal API token:
`Authorization: Bearer <key>`. A token acts as its user, with that user's roles, and reaches only
what that user reaches on the pages. Make one with `pcn create_api_token USERNAME --name "what it is for"`;
the key is printed once and only its hash is kept. Browser sessions are not accepted here. The stall
endpoints (`/stall/...`) take a device key instead, the one a vendor's phone receives when it is linked.

**Conventions.** Money is in integer cents (`denomination_cents: 500` is 5,00 $). Dates are ISO 8601
(`2026-06-13`); times are UTC, ISO 8601 (`2026-06-13T14:05:09Z`). Messages are in French unless the
request asks for English with `Accept-Language: en`; error codes never change with the language.

**Errors** all have one shape, `{"error": {"code", "message", "fields"?}}`:
`unauthenticated` (401: no, unknown or revoked key), `not_found` (404: the object does not exist or your
account may not reach it; the two are not told apart), `method_not_allowed` (405), `malformed` (400: the
body is not a JSON object), `invalid` (400: `fields` gives the messages for each field refused; nothing
was saved).
"""


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


def _json(schema: dict, description: str, **extra) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}, **extra}


def _id_parameter(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": what, "schema": {"type": "integer"}}


CENTS = {"type": "integer", "minimum": 1, "maximum": MAX_INT32, "description": "Amount in cents."}
DATE = {"type": "string", "format": "date"}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "enum": ERROR_CODES},
                    "message": {"type": "string", "description": "What happened and what to do, for a person."},
                    "fields": {
                        "type": "object",
                        "description": "With `invalid`: the messages for each field of the request refused.",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
            }
        },
    },
    "CouponClassRef": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    },
    "Series": {
        "type": "object",
        "description": "A print run of coupons: one denomination and class, a colour, validity dates and the money behind it.",
        "required": [
            "id", "season_id", "number", "denomination_cents", "coupon_class", "colour", "valid_from", "valid_until",
            "funding_source", "count", "booklet_size", "value_cents", "status", "issued_at",
        ],
        "properties": {
            "id": {"type": "integer"},
            "season_id": {"type": "integer"},
            "number": {"type": "integer", "description": "The series' number in its season, printed on the coupons."},
            "denomination_cents": {**CENTS, "description": "Face value of one coupon, in cents."},
            "coupon_class": _ref("CouponClassRef"),
            "colour": {"type": "string", "enum": Colour.values, "description": "Colour of the printed band."},
            "valid_from": DATE,
            "valid_until": DATE,
            "funding_source": {"type": "string", "description": "The grant or funder that pays for these coupons."},
            "count": {"type": "integer", "description": "Number of coupons."},
            "booklet_size": {"type": ["integer", "null"], "description": "Coupons per booklet; null: sold singly."},
            "value_cents": {"type": "integer", "description": "count × denomination_cents."},
            "status": {"type": "string", "enum": Series.Status.values},
            "issued_at": {"type": "string", "format": "date-time", "description": "UTC."},
        },
    },
    "SeriesDetail": {
        "allOf": [
            _ref("Series"),
            {
                "type": "object",
                "required": ["coupons_by_status"],
                "properties": {
                    "coupons_by_status": {
                        "type": "object",
                        "description": "How many of the series' coupons are in each state (all states, zeros included).",
                        "required": CouponStatus.values,
                        "properties": {status: {"type": "integer", "minimum": 0} for status in CouponStatus.values},
                        "additionalProperties": False,
                    }
                },
            },
        ]
    },
    "SeriesList": {
        "type": "object",
        "required": ["series"],
        "properties": {"series": {"type": "array", "items": _ref("Series")}},
    },
    "SeriesIssue": {
        "type": "object",
        "description": "Issue a series: its coupons are created in central stock and the issue is recorded in the "
        "custody ledger (source `api`). The season decides which denominations, classes and dates are allowed.",
        "required": [
            "denomination_cents", "coupon_class_id", "colour", "valid_from", "valid_until", "funding_source", "count",
        ],
        "additionalProperties": False,
        "properties": {
            "denomination_cents": {**CENTS, "description": "One of the season's denominations, in cents."},
            "coupon_class_id": {"type": "integer", "description": "A coupon class of this season."},
            "colour": {"type": "string", "enum": Colour.values},
            "valid_from": {**DATE, "description": "Within the season's coupon validity."},
            "valid_until": {**DATE, "description": "Within the season's coupon validity."},
            "funding_source": {"type": "string", "minLength": 1, "maxLength": 200},
            "count": {"type": "integer", "minimum": 1, "maximum": MAX_SERIES_COUNT},
            "booklet_size": {"type": ["integer", "null"], "minimum": 1, "description": "At most `count`."},
        },
        "examples": [
            {
                "denomination_cents": 500,
                "coupon_class_id": 1,
                "colour": Colour.GREEN.value,
                "valid_from": "2026-06-13",
                "valid_until": "2026-09-12",
                "funding_source": "MRC – fonds 2026",
                "count": 1000,
                "booklet_size": 10,
            }
        ],
    },
}

CODE_IN = {"type": "string", "maxLength": 200, "description": "As typed or scanned: dashes, spaces and case do not matter."}
NONCE = {"type": "string", "minLength": 1, "maxLength": 64,
         "description": "The page's unique key for this redemption (a UUID): sending it again returns the first result."}
CLIENT_AT = {"type": "string", "format": "date-time", "description": "When the device took it (offline), UTC."}
SALE_POINT = {"type": "integer", "description": "One of the vendor's sale points (from the cache); others are ignored."}

SCHEMAS.update({
    "StallResult": {
        "type": "object",
        "description": "What came of one presentation. Every presentation is kept, refused ones included.",
        "required": ["nonce", "outcome", "reason", "message", "value_cents", "class_name", "code", "kind",
                     "recorded_at", "offline"],
        "properties": {
            "nonce": {"type": "string"},
            "outcome": {"type": "string", "enum": Outcome.values},
            "reason": {"type": "string", "enum": ["", *Reason.values, "not_recorded"],
                       "description": "Empty when accepted. `not_recorded` (sync only): the item could not be "
                       "recorded, e.g. its nonce was already used for another code; nothing was kept for it."},
            "message": {"type": "string", "description": "What happened and what to do, for the vendor."},
            "value_cents": {"type": "integer", "minimum": 0},
            "class_name": {"type": ["string", "null"], "description": "The coupon's class; null for cards."},
            "code": {"type": "string", "description": "The code in its printed form (cards: C-XXXX-XXXX-XXXX)."},
            "kind": {"type": "string", "enum": ["coupon", "card"]},
            "recorded_at": {"type": "string", "format": "date-time"},
            "offline": {"type": "boolean", "description": "Taken offline and synced later."},
        },
    },
    "StallRedeem": {
        "type": "object", "additionalProperties": False, "required": ["code", "nonce"],
        "properties": {"code": CODE_IN, "nonce": NONCE, "client_at": CLIENT_AT, "sale_point_id": SALE_POINT},
    },
    "StallCardDebit": {
        "type": "object", "additionalProperties": False, "required": ["card_code", "amount_cents", "nonce"],
        "properties": {"card_code": CODE_IN, "amount_cents": CENTS, "nonce": NONCE, "client_at": CLIENT_AT,
                       "sale_point_id": SALE_POINT},
    },
    "StallSyncItem": {
        "type": "object", "additionalProperties": False, "required": ["nonce", "kind", "code"],
        "properties": {"nonce": NONCE, "kind": {"type": "string", "enum": ["coupon", "card"]}, "code": CODE_IN,
                       "amount_cents": {**CENTS, "description": "Cards only: the purchase, in cents."},
                       "client_at": CLIENT_AT, "sale_point_id": SALE_POINT,
                       "refused_on_device": {"type": "string", "enum": ["unknown", "expired", "not_yet_valid"],
                                             "description": "The page refused it offline from its cache: kept "
                                             "as refused with this reason, never judged again."}},
    },
    "StallSync": {
        "type": "object", "additionalProperties": False, "required": ["items"],
        "properties": {"items": {"type": "array", "minItems": 1, "maxItems": MAX_SYNC_ITEMS,
                                 "items": _ref("StallSyncItem")}},
    },
    "StallSyncResults": {
        "type": "object", "required": ["results"],
        "properties": {"results": {"type": "array", "items": _ref("StallResult"),
                                   "description": "One result per item, in the order sent."}},
    },
    "StallCache": {
        "type": "object",
        "required": ["vendor", "program", "device", "sale_points", "season", "classes", "series", "generated_at"],
        "properties": {
            "vendor": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            "program": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            "device": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            "sale_points": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, "market": {"type": "string"}}}},
            "season": {"type": ["object", "null"], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, "cards_enabled": {"type": "boolean"},
                "card_offline_cap_cents": {"type": "integer"}, "valid_from": DATE, "valid_until": DATE}},
            "classes": {"type": "array", "items": _ref("CouponClassRef")},
            "series": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "number": {"type": "integer"}, "denomination_cents": {"type": "integer"},
                "class_id": {"type": "integer"}, "valid_from": DATE, "valid_until": DATE,
                "prefixes": {"type": "string", "contentEncoding": "base64", "description":
                             "Sorted little-endian uint32, one per coupon that can still be redeemed: the code's "
                             "first 6 symbols read as a base-32 number (Crockford alphabet, first symbol most "
                             "significant)."}}}},
            "generated_at": {"type": "string", "format": "date-time"},
        },
    },
    "StallToday": {
        "type": "object", "required": ["date", "count", "total_cents", "by_class"],
        "properties": {
            "date": DATE, "count": {"type": "integer"}, "total_cents": {"type": "integer"},
            "by_class": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "count": {"type": "integer"}, "total_cents": {"type": "integer"}}}},
        },
    },
})

RESPONSES = {
    "Unauthenticated": _json(_ref("Error"), "No key, an unknown key, or a revoked key (code `unauthenticated`)."),
    "NotFound": _json(
        _ref("Error"), "The object does not exist, or this key's user may not reach it (code `not_found`)."
    ),
    "Invalid": _json(
        _ref("Error"),
        "The body is not a JSON object (code `malformed`), or values were refused (code `invalid`, with `fields`). "
        "Nothing was saved.",
    ),
}

PATHS = {
    "/seasons/{season_id}/series": {
        "parameters": [_id_parameter("season_id", "The season.")],
        "get": {
            "operationId": "listSeasonSeries",
            "summary": "The season's series",
            "description": "For the program's coordinators, treasurers and the network's staff.",
            "tags": ["series"],
            "responses": {
                "200": _json(_ref("SeriesList"), "The series, in order of number."),
                "401": _response("Unauthenticated"),
                "404": _response("NotFound"),
            },
        },
        "post": {
            "operationId": "issueSeries",
            "summary": "Issue a series",
            "description": "For the program's coordinators (and network admins). Others get 404. "
            "The same service as the page and `pcn issue_series`.",
            "tags": ["series"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("SeriesIssue")}}},
            "responses": {
                "201": _json(
                    _ref("Series"),
                    "Issued: the coupons are in central stock.",
                    headers={"Location": {"description": "The series' address.", "schema": {"type": "string"}}},
                ),
                "400": _response("Invalid"),
                "401": _response("Unauthenticated"),
                "404": _response("NotFound"),
            },
        },
    },
    "/series/{series_id}": {
        "parameters": [_id_parameter("series_id", "The series.")],
        "get": {
            "operationId": "getSeries",
            "summary": "A series and where its coupons are",
            "tags": ["series"],
            "responses": {
                "200": _json(_ref("SeriesDetail"), "The series, with its coupons counted by state."),
                "401": _response("Unauthenticated"),
                "404": _response("NotFound"),
            },
        },
    },
    **{
        f"/stall/{name}": {
            method: {
                "operationId": operation_id,
                "summary": summary,
                "description": description,
                "tags": ["stall"],
                "security": [{"deviceAuth": []}],
                **({"requestBody": {"required": True, "content": {"application/json": {"schema": _ref(request)}}}}
                   if request else {}),
                "responses": {
                    "200": _json(_ref(response), "Done."),
                    **({"304": {"description": "Unchanged since the ETag sent in If-None-Match."}}
                       if name == "cache" else {}),
                    **({"400": _response("Invalid")} if request else {}),
                    "401": _json(_ref("Error"), "No device key, an unknown one, or a revoked one (the phone must be "
                                 "linked again)."),
                },
            }
        }
        for name, method, operation_id, summary, description, request, response in [
            ("cache", "get", "getStallCache", "What the stall page checks codes with offline",
             "The vendor, its sale points, the running season and its live series with their code prefixes. "
             "Answers 304 to If-None-Match with the last ETag.", None, "StallCache"),
            ("redeem", "post", "redeemCoupon", "Redeem a coupon (online)",
             "Recorded at once; the answer says accepted, refused (with the reason) or in review.",
             "StallRedeem", "StallResult"),
            ("card-debit", "post", "debitCard", "Debit a household's card (online)",
             "The balance is debited atomically; refused when it does not cover the amount.",
             "StallCardDebit", "StallResult"),
            ("sync", "post", "syncOfflineQueue", "Send what was taken offline",
             "Each item is recorded once (idempotent on its nonce): send the whole queue again after a cut.",
             "StallSync", "StallSyncResults"),
            ("today", "get", "getStallToday", "The vendor's accepted redemptions today, by class",
             "Every device and the market manager's entries included.", None, "StallToday"),
        ]
    },
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApiDocument",
            "summary": "This document",
            "tags": ["meta"],
            "security": [],
            "responses": {"200": {"description": "The OpenAPI 3.1 document.", "content": {"application/json": {}}}},
        }
    },
}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "pcn API",
            "version": "1.0.0",
            "summary": "Food coupon programs: series of coupons, and redemption at the stall.",
            "description": DESCRIPTION,
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": "series", "description": "Print runs of coupons."},
            {"name": "stall", "description": "The vendor's stall page: a linked phone's device key, not a personal token."},
            {"name": "meta"},
        ],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token: `pcn create_api_token USERNAME --name ...`.",
                },
                "deviceAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A stall device's key, given once to the phone when the vendor links it.",
                },
            },
            "schemas": SCHEMAS,
            "responses": RESPONSES,
        },
    }
