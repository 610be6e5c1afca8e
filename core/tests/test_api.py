from django.http import Http404
from rest_framework.exceptions import NotAuthenticated, ValidationError

from core.api import exception_handler


def test_validation_errors_get_a_detail_beside_the_field_lists():
    response = exception_handler(
        ValidationError({"email": ["Enter a valid email address."], "password": ["Too short."]}),
        {},
    )
    assert response.status_code == 400
    assert response.data == {
        "detail": "email: Enter a valid email address.",
        "email": ["Enter a valid email address."],
        "password": ["Too short."],
    }


def test_non_field_errors_detail_has_no_prefix():
    response = exception_handler(
        ValidationError({"non_field_errors": ["Passwords do not match."]}), {}
    )
    assert response.data["detail"] == "Passwords do not match."


def test_list_errors_are_wrapped():
    response = exception_handler(ValidationError(["Bad thing."]), {})
    assert response.data == {"detail": "Bad thing.", "errors": ["Bad thing."]}


def test_errors_with_detail_get_their_code():
    response = exception_handler(NotAuthenticated(), {})
    assert response.status_code == 401
    assert response.data == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


def test_a_404_raised_as_django_http404_keeps_its_message_and_gets_a_code():
    response = exception_handler(Http404("No Order matches the given query."), {})
    assert response.status_code == 404
    assert response.data == {"detail": "No Order matches the given query.", "code": "not_found"}
