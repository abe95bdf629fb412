from pcn.accounts.models import Role
from pcn.coupons.models import Colour
from pcn.coupons.services import series_issue
from pcn.testing import make_user, make_world


def coupon_world(name: str = "Portneuf", **kwargs) -> dict:
    """make_world plus a coordinator; the season allows 5 $ coupons of class « Fruits et légumes »."""
    world = make_world(name, **kwargs)
    world["coordinator"] = make_user(f"coordo-{name.lower()}", role=Role.COORDINATOR, program=world["program"])
    return world


def issue(world: dict, *, count: int = 20, booklet_size: int | None = None, **overrides):
    season = world["season"]
    args = dict(
        season=season,
        denomination_cents=500,
        coupon_class=world["coupon_class"],
        colour=Colour.GREEN,
        valid_from=season.coupons_valid_from,
        valid_until=season.coupons_valid_until,
        funding_source="MRC – fonds 2026",
        count=count,
        booklet_size=booklet_size,
        by=world["coordinator"],
    )
    args.update(overrides)
    return series_issue(**args)
