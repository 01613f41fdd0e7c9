"""Views with no domain: the health check."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Public: answers "ok" without touching the database, for load balancers and as the
    benchmarks' baseline (the cheapest page Django can serve through the same stack)."""
    return HttpResponse("ok", content_type="text/plain")
