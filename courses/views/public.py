from django.core.paginator import Paginator
from django.shortcuts import render

from ..selectors import catalogue


def catalogue_view(request):
    page = Paginator(catalogue(), 20).get_page(request.GET.get("page"))
    return render(request, "courses/catalogue.html", {"page": page, "runs": page.object_list})
