"""The admin's pages for send-backs and requests, behind the admin site's sign-in (toesite/urls.py)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "editorial"
urlpatterns = [
    path(
        "send-back/<str:app_label>/<str:model_name>/<str:object_id>/<int:change_id>/",
        admin.site.admin_view(views.send_back),
        name="send-back",
    ),
    path(
        "send-back/<str:app_label>/<str:model_name>/<str:object_id>/",
        admin.site.admin_view(views.send_back_new),
        name="send-back-new",
    ),
    path("ask/<str:app_label>/<str:model_name>/<str:object_id>/", admin.site.admin_view(views.ask), name="ask"),
    path("requests/<int:pk>/", admin.site.admin_view(views.answer), name="answer"),
    path("approve/", admin.site.admin_view(views.approve_many), name="approve-many"),
]
