import pytest

from studyapp.accounts.models import Role, User
from studyapp.authoring.models import Category
from tests.conftest import NOW
from tests.factories import UserFactory

MINE = "$course$/top/Mine"
THEIRS = "$course$/top/Theirs"


@pytest.fixture
def author(db) -> User:
    """An author who owns the category ``MINE`` (and so every category below it)."""
    user = UserFactory(username="author", role=Role.AUTHOR)
    Category.objects.create(path=MINE, owner=user, created_at=NOW)
    return user


@pytest.fixture
def other_author(db) -> User:
    """Another author, owning ``THEIRS``: neither may edit the other's questions."""
    user = UserFactory(username="other_author", role=Role.AUTHOR)
    Category.objects.create(path=THEIRS, owner=user, created_at=NOW)
    return user
