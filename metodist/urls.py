from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from metodist.api.api import api

urlpatterns = [
    path("", include("metodist.dashboard.urls")),
    path("network/", include("metodist.network.urls")),
    path("accounts/", include("metodist.accounts.urls")),
    path("events/", include("metodist.events.urls")),
    path("assistance/", include("metodist.assistance.urls")),
    path("reporting/", include("metodist.reporting.urls")),
    path("marketing/", include("metodist.marketing.urls")),
    path("outreach/", include("metodist.outreach.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
