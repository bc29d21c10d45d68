"""Under /api/ every answer is JSON: Django's own error pages (405 from a wrong
method, 400 from a body it refused, 500) become `{"detail": ...}` in Spanish."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from pregon.core.api_types import ERROR_MEANINGS

API_PREFIX = "/api/"


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiJsonErrors:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or _is_json(response)
        ):
            return response
        status = response.status_code
        detail = ERROR_MEANINGS.get(status, ERROR_MEANINGS[500 if status >= 500 else 400])
        answer = JsonResponse({"detail": detail}, status=status)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer
