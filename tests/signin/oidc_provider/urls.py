from django.contrib.auth import authenticate, login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

FORM = """<!DOCTYPE html><title>IdP login</title><form method="post">
<input type="hidden" name="next" value="{next}">
<input name="username"><input name="password" type="password"><button>Login</button></form>"""


@csrf_exempt  # the test provider's own login form; a person at the IdP, not our product
def login_view(request):
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    if request.method == "POST":
        user = authenticate(
            request, username=request.POST.get("username"), password=request.POST.get("password")
        )
        if user is not None:
            login(request, user)
            return HttpResponseRedirect(nxt)
        return HttpResponse("wrong password", status=401)
    return HttpResponse(FORM.format(next=escape(nxt)))


urlpatterns = [
    path("login/", login_view),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
