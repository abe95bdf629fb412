from django.urls import path

from pcn.tasks import views

urlpatterns = [
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/status/", views.task_status, name="task_status"),
    path("tasks/<int:task_id>/download/", views.task_download, name="task_download"),
]
