import uuid


class RequestIDMiddleware:
    """Gives every request an id, echoed in X-Request-ID and the envelope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response
