from django.urls import path

from . import discovery, verify, views

app_name = "certificates"

urlpatterns = [
    path("verify/<str:code>/", verify.verify, name="verify"),
    path("verify/<str:code>/badge.json", verify.badge, name="badge"),
    path("verify/<str:code>/badge.jwt", verify.badge_jwt, name="badge_jwt"),
    path(".well-known/jwks.json", discovery.jwks, name="jwks"),
    path(".well-known/did.json", discovery.did_document, name="did"),
    path("credentials/keys/<str:thumbprint>", discovery.jwk, name="jwk"),
    path("credentials/issuers/<int:school_id>", discovery.issuer, name="issuer"),
    path("credentials/status/<int:school_id>/<int:number>", discovery.status, name="status_list"),
    path("credentials/badge.png", discovery.badge_image, name="badge_image"),
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/<int:pk>/pdf/", views.download, name="download"),
    path("staff/certificates/", views.index, name="index"),
    path("staff/certificates/settings/", views.school_settings, name="settings"),
    path("staff/certificates/runs/<int:run_id>/", views.run_certificates, name="run"),
    path("staff/certificates/runs/<int:run_id>/issue/", views.issue_one, name="issue_one"),
    path("staff/certificates/runs/<int:run_id>/issue-all/", views.issue_all, name="issue_all"),
    path("staff/certificates/jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("staff/certificates/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("staff/certificates/<int:pk>/reissue/", views.reissue, name="reissue"),
]
