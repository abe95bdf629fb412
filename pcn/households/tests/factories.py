from pcn.households.services import household_enrol, partner_quota_set


def quota(world, *, households=10, value_cents=1_000_000, partner=None):
    return partner_quota_set(season=world["season"], partner=partner or world["partner"], max_households=households,
                             max_value_cents=value_cents)


def enrol(world, by, *, size=1, partner=None, identity=None, **overrides):
    kwargs = {
        "season": world["season"], "partner": partner or world["partner"], "size": size,
        "composition": {"age_18_64": size}, "flags": [], "community": "", "language": "fr",
        "consents": {"participation": True, "surveys": False, "research": False}, "identity": identity, "by": by,
    }
    kwargs.update(overrides)
    return household_enrol(**kwargs)
