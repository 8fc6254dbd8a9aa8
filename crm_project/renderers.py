"""Wraps every DRF response in the envelope of API.md §1."""

from rest_framework.renderers import JSONRenderer

from crm_project.envelope import error_body, success_body


class EnvelopeJSONRenderer(JSONRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == 204:
            return b""
        if response is not None and response.exception:
            # The exception handler hands over the list of error entries.
            body = error_body(data if isinstance(data, list) else [])
        else:
            body = success_body(data)
        return super().render(body, accepted_media_type, renderer_context)
