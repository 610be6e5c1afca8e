"""The project's routes plus the benchmark's floor: a bare Django JSON view and a bare DRF view
(no authentication, no database), served by the same server as the catalogue."""

from django.http import JsonResponse
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class BareDRFView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


def bare_django(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare-drf/", BareDRFView.as_view()),
    path("bench/bare-django/", bare_django),
    path("", include("backoffice.urls")),
]
