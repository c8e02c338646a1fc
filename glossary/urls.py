from django.urls import path

from core.cache import public_page

from . import views

app_name = "glossary"

urlpatterns = [path("glossary/", public_page(views.GlossaryView.as_view()), name="glossary")]
