"""Placeholder so the URLconf and navigation work; its owner replaces this module."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request):
    return HttpResponse(status=501)


urlpatterns: list = [path("forms/", placeholder, name="form_list")]
