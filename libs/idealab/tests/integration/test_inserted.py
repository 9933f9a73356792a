"""mongo.inserted: the first of twin inserts stands, the others say False."""
import pytest

from idealab import mongo

pytestmark = pytest.mark.integration


def test_the_first_document_with_a_key_stands_and_its_twin_is_refused(mongo_db):
    flags = mongo_db["flags"]

    assert mongo.inserted(flags, {"_id": "ann:idea-1", "reason": "spam"})
    assert not mongo.inserted(flags, {"_id": "ann:idea-1", "reason": "abuse"})

    assert list(flags.find()) == [{"_id": "ann:idea-1", "reason": "spam"}]


def test_a_taken_value_of_a_unique_index_is_refused_as_well(mongo_db):
    users = mongo_db["users"]
    users.create_index("email", unique=True)

    assert mongo.inserted(users, {"_id": "u1", "email": "ann@example.com"})
    assert not mongo.inserted(users, {"_id": "u2", "email": "ann@example.com"})

    assert [u["_id"] for u in users.find()] == ["u1"]
