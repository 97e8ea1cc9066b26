from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import health

# An unreachable database answers 503 with Retry-After instead of a bare 500 (config.errors).
handler500 = "config.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("people.urls")),
    path("", include("signin.urls")),
    path("", include("certificates.urls")),
    path("staff/equipment/", include("workshops.urls")),
    path("", include("demand.urls")),
    path("", include("legal.urls")),
    path("", include("courses.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.BENCH_BARE_VIEW:
    # Benchmarks only (bench/catalogue.py, BENCH_BARE_VIEW=1; never set in production): a view that
    # does nothing but return `size` bytes through the same middleware, the ceiling of any view.
    from django.http import HttpResponse

    def _bench_bare(request, size: int):
        json = request.GET.get("type") == "json"
        kind = "application/json" if json else "text/html; charset=utf-8"
        return HttpResponse(b"x" * min(size, 10_000_000), content_type=kind)

    urlpatterns.insert(0, path("__bench__/bare/<int:size>/", _bench_bare))
