from rest_framework.negotiation import BaseContentNegotiation


class JSONOnlyContentNegotiation(BaseContentNegotiation):
    """The API speaks only JSON, whatever `Accept` says: never a 406, never an HTML page."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type.split(";")[0].strip().lower() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
