from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ToeSite editors"
admin.site.site_title = "ToeSite editors"
admin.site.index_title = "Site content"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("questionnaire.urls")),
    path("", include("causes.urls")),
]
