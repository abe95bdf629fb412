import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pcn.coupons.models import Colour, CustodyEvent
from pcn.coupons.services import series_issue
from pcn.lib.money import MoneyFormatError, parse_cents
from pcn.programs.models import Season


class Command(BaseCommand):
    help = "Issues a series of coupons for a season (the same service as the page)."

    def add_arguments(self, parser):
        parser.add_argument("season", type=int, help="season id")
        parser.add_argument("--value", required=True, help="face value in dollars, e.g. 5 or 2,50")
        parser.add_argument("--class", dest="coupon_class", required=True, help="coupon class name or id")
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--booklet-size", type=int)
        parser.add_argument("--colour", default=Colour.GREEN, choices=Colour.values)
        parser.add_argument("--valid-from", type=datetime.date.fromisoformat)
        parser.add_argument("--valid-until", type=datetime.date.fromisoformat)
        parser.add_argument("--funding", required=True, help="funding source")
        parser.add_argument("--by", required=True, help="username of the person issuing")

    def handle(self, *args, **o):
        season = Season.objects.filter(pk=o["season"]).first()
        if season is None:
            raise CommandError(f"no season {o['season']}")
        user = get_user_model().objects.filter(username=o["by"]).first()
        if user is None:
            raise CommandError(f"no user {o['by']}")
        classes = season.coupon_classes.all()
        coupon_class = (
            classes.filter(pk=int(o["coupon_class"])).first() if o["coupon_class"].isdigit()
            else classes.filter(name__iexact=o["coupon_class"]).first()
        )
        try:
            value = parse_cents(o["value"])
        except MoneyFormatError:
            raise CommandError(f"not an amount: {o['value']}") from None
        try:
            series = series_issue(
                season=season,
                denomination_cents=value,
                coupon_class=coupon_class,
                colour=o["colour"],
                valid_from=o["valid_from"] or season.coupons_valid_from,
                valid_until=o["valid_until"] or season.coupons_valid_until,
                funding_source=o["funding"],
                count=o["count"],
                booklet_size=o["booklet_size"],
                by=user,
                source=CustodyEvent.Source.COMMAND,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Series {series.number} (id {series.pk}): {series.count} coupons issued to central stock.")
