from typing import TYPE_CHECKING, Any

import factory

from studyapp.accounts.models import User


def _save(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    """Save once the password is set: with skip_postgeneration_save, factory-boy leaves it to us."""
    if create:
        user.save()


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")
    _save = factory.post_generation(_save)

    if TYPE_CHECKING:
        # Calling a factory returns a User (its metaclass sees to it); mypy reads that only from __new__.
        def __new__(cls, *args: Any, **kwargs: Any) -> User: ...  # type: ignore[misc]
