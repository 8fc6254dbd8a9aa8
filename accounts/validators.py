"""Password rules of API.md §2 beside Django's own validators."""

from django.core.exceptions import ValidationError


class LetterAndDigitValidator:
    def validate(self, password, user=None):
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(
                "The password must contain at least one letter and one digit.", code="password_no_letter_or_digit"
            )

    def get_help_text(self):
        return "Your password must contain at least one letter and one digit."


class MaximumLengthValidator:
    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"The password must be at most {self.max_length} characters.", code="password_too_long"
            )

    def get_help_text(self):
        return f"Your password must be at most {self.max_length} characters."
