from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    # The framework floor: a template with no database query and no base layout.
    path("bench/minimal/", TemplateView.as_view(template_name="bench/minimal.html")),
    path("", include("toesite.urls")),
]
