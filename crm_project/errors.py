"""Application errors: each carries the HTTP status and the stable `type` code of API.md §1.

Services raise these (or Django's ValidationError); the exception handler turns them into
the response envelope. Nothing here imports DRF.
"""


class ApplicationError(Exception):
    status_code = 400
    type = "ValidationError"
    default_message = "The request could not be processed."

    def __init__(self, message=None, *, field=None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)


class InvalidInput(ApplicationError):
    status_code = 400
    type = "ValidationError"
    default_message = "Invalid input."


class InvalidCredentials(ApplicationError):
    status_code = 401
    type = "InvalidCredentialsException"
    default_message = "Invalid email or password."


class InvalidToken(ApplicationError):
    status_code = 401
    type = "InvalidTokenError"
    default_message = "The token is invalid or expired."


class MissingToken(ApplicationError):
    status_code = 401
    type = "MissingTokenError"
    default_message = "Authentication credentials were not provided."


class UserAlreadyExists(ApplicationError):
    status_code = 409
    type = "UserAlreadyExistsException"
    default_message = "A user with this email already exists."


class NotAMember(ApplicationError):
    status_code = 403
    type = "NotAMemberException"
    default_message = "You are not a member of this organization."


class AccessDenied(ApplicationError):
    status_code = 403
    type = "AccessDeniedException"
    default_message = "You do not have permission to perform this action."


class MemberNotFound(ApplicationError):
    status_code = 404
    type = "MemberNotFoundException"
    default_message = "User not found."


class MemberAlreadyExists(ApplicationError):
    status_code = 409
    type = "MemberAlreadyExistsException"
    default_message = "This user is already a member of the organization."


class LastOwner(ApplicationError):
    status_code = 409
    type = "LastOwnerException"
    default_message = "The last owner of an organization cannot be demoted or removed."


class ContactNotFound(ApplicationError):
    status_code = 404
    type = "ContactNotFoundException"
    default_message = "Contact not found."


class DealNotFound(ApplicationError):
    status_code = 404
    type = "DealNotFoundException"
    default_message = "Deal not found."


class TaskNotFound(ApplicationError):
    status_code = 404
    type = "TaskNotFoundException"
    default_message = "Task not found."


class ContactHasActiveDeals(ApplicationError):
    status_code = 409
    type = "ContactHasActiveDealsException"
    default_message = "The contact has active deals and cannot be deleted."


class CannotCloseDealWithZeroAmount(ApplicationError):
    status_code = 400
    type = "CannotCloseDealWithZeroAmountException"
    default_message = "A deal can be won only with an amount greater than zero."


class DealStageRollbackNotAllowed(ApplicationError):
    status_code = 403
    type = "DealStageRollbackNotAllowedException"
    default_message = "Only an owner or an admin can move a deal back to an earlier stage."


class CannotCreateTaskForOtherUserDeal(ApplicationError):
    status_code = 403
    type = "CannotCreateTaskForOtherUserDealException"
    default_message = "You can create tasks only on your own deals."


class InvalidTaskDueDate(ApplicationError):
    status_code = 400
    type = "InvalidTaskDueDateException"
    default_message = "The due date cannot be in the past."


# Every code a client can receive, for the schema and for tests.
ERROR_TYPES = sorted(
    {cls.type for cls in ApplicationError.__subclasses__()}
    | {
        "ValidationError",
        "MissingTokenError",
        "InvalidTokenError",
        "ThrottledError",
        "NotFound",
        "MethodNotAllowed",
        "UnsupportedMediaType",
        "NotAcceptable",
        "InternalServerError",
        # The healthcheck's 503 when the database does not answer.
        "ServiceUnavailable",
    }
)
