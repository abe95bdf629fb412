from django.contrib.auth import views as auth_views
from django.urls import path

from pcn.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("programs/<int:program_id>/team/", views.team, name="team"),
    path("programs/<int:program_id>/team/new/", views.membership_create, name="membership_create"),
    path("memberships/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
]
