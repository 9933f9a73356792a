"""Issue 9, finding 8, through the gateway: one member's uploads beyond the day's quota are refused by the ideas
service (25 × 2 MB images were accepted in 1.3 s)."""
import io

import pytest

from idealab_testing import assert_problem

pytestmark = pytest.mark.e2e

TWO_MB = 2 * 1024 * 1024
IMAGE = b"GIF89a" + b"\x00" * (TWO_MB - 6)  # a GIF by its first bytes, as large as an image may be


def upload(member):
    return member.post("/api/ideas/images", files={"image": ("photo.gif", io.BytesIO(IMAGE), "image/gif")})


def test_one_members_uploads_beyond_the_days_20_mb_get_429_problem_json(member):
    ann = member()
    assert [upload(ann).status_code for _ in range(10)] == [201] * 10  # 20 MB: the default quota

    refused = upload(ann)

    assert "a day" in assert_problem(refused, 429)["detail"]  # the service's quota, not the gateway's write limit
    assert 0 < int(refused.headers["Retry-After"]) <= 24 * 3600
    assert upload(member()).status_code == 201, "another member's quota is their own"
