"""Placeholder: the source-facing views are being written."""

from django.http import HttpRequest, HttpResponse


def submit(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=503)


def return_to_tip(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=503)


def follow_up(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=503)
