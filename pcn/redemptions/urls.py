"""Each group of pages keeps its own addresses next to its views."""

from pcn.redemptions import market_views, review_views, stall

urlpatterns = [*stall.urlpatterns, *market_views.urlpatterns, *review_views.urlpatterns]
