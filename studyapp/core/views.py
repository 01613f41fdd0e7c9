"""Views with no domain: the health check."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import database_problem, static_problem


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Public, for load balancers (GET or HEAD): "ok" when this process can serve pages, that is the
    database answers a trivial query and, in production, the static files manifest names the base
    template's stylesheets; otherwise 503 with each reason on a line, in plain text."""
    problems = [problem for problem in (database_problem(), static_problem()) if problem is not None]
    if problems:
        return HttpResponse("\n".join(problems) + "\n", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
