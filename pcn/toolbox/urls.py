"""Each group of toolbox pages keeps its own addresses next to its views."""

from pcn.toolbox import guide_views, setup_views

urlpatterns = [*guide_views.urlpatterns, *setup_views.urlpatterns]
