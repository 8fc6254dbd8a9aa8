"""The one request parser: JSON, with nesting too deep to decode answered as a 400."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # `[[[[...` a hundred thousand deep fits in the size cap but not in the decoder.
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
