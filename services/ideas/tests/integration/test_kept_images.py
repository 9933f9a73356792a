"""An image a campaign's option shows (issue 12): staff upload it and keep it, so the clean-up of the images no idea
uses leaves it; members may not keep images, and an unknown one is a 404."""
from datetime import datetime, timedelta, timezone

import pytest

from idealab_testing import assert_problem
from ideas import handlers
from ideas.config import Images

from .test_images import png, upload

pytestmark = pytest.mark.integration


def test_an_image_staff_keep_for_a_campaign_outlives_the_clean_up_of_unused_ones(client, bearer, store,
                                                                                 monkeypatch):
    staff = bearer("pat", roles=("product_team",))
    two_days_ago = datetime.now(timezone.utc) - timedelta(days=2)
    monkeypatch.setattr(handlers, "_now", lambda: two_days_ago)
    kept, dropped = (upload(client, staff, png()).get_json()["id"] for _ in range(2))
    monkeypatch.undo()

    assert client.put(f"/api/ideas/images/{kept}/kept", headers=staff).status_code == 204
    assert handlers.purge_unused_images(store, Images()) == 1
    assert client.get(f"/api/ideas/images/{kept}").status_code == 200  # the campaign's voters see it
    assert_problem(client.get(f"/api/ideas/images/{dropped}"), 404)


def test_members_may_not_keep_an_image_and_an_unknown_one_is_a_404(client, bearer):
    mine = upload(client, bearer("ann"), png()).get_json()["id"]
    assert_problem(client.put(f"/api/ideas/images/{mine}/kept", headers=bearer("ann")), 403)
    assert_problem(client.put("/api/ideas/images/nothing/kept", headers=bearer("pat", roles=("admin",))), 404)
