"""Images of ideas: uploaded by a member, known by their bytes, served so that they can run nothing, and attached
to an idea only by the member who uploaded them."""
import io
import struct
import zlib

import pytest

from idealab_testing import as_consumed, assert_problem
from ideas import handlers

pytestmark = pytest.mark.integration

IDEA = {"title": "Show the card's picture", "description": "So I know which card I block.", "category": "cards"}


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG of red pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def upload(client, headers, data: bytes, filename: str = "card.png", content_type: str = "image/png"):
    return client.post("/api/ideas/images", headers=headers,
                       data={"image": (io.BytesIO(data), filename, content_type)}, content_type="multipart/form-data")


def test_a_member_uploads_a_png_and_it_is_served_as_uploaded_with_headers_that_run_nothing(client, bearer):
    picture = png()
    response = upload(client, bearer("ann"), picture)

    assert response.status_code == 201
    image = response.get_json()
    assert len(image["id"]) == 32
    assert image == {"id": image["id"], "url": f"/api/ideas/images/{image['id']}", "content_type": "image/png",
                     "size": len(picture)}
    served = client.get(image["url"])
    assert served.status_code == 200
    assert served.data == picture
    assert served.mimetype == "image/png"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize("data, kind", [
    (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64, "image/webp"),
    (b"GIF89a" + b"\x00" * 64, "image/gif"),
])
def test_the_type_is_read_from_the_bytes_not_from_what_the_client_says(client, bearer, data, kind):
    image = upload(client, bearer("ann"), data, filename="x.png", content_type="image/png").get_json()

    assert image["content_type"] == kind
    assert client.get(image["url"]).mimetype == kind


@pytest.mark.parametrize("data", [b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
                                  b"<html><script>alert(1)</script></html>", b"", b"\x89PN"])
def test_anything_but_a_png_jpeg_webp_or_gif_is_refused_and_nothing_is_stored(client, bearer, store, data):
    body = assert_problem(upload(client, bearer("ann"), data, content_type="image/png"), 415)

    assert "PNG, JPEG, WebP or GIF" in body["detail"]
    assert store.images.count_documents({}) == 0


def test_an_image_over_2_mb_is_refused_as_too_large(client, bearer, store):
    just_over = png() + b"\x00" * (2 * 1024 * 1024 + 1 - len(png()))
    body = assert_problem(upload(client, bearer("ann"), just_over), 413)

    assert "2 MB" in body["detail"]
    assert store.images.count_documents({}) == 0
    assert upload(client, bearer("ann"), just_over[:-1]).status_code == 201  # 2 MB exactly is fine


def test_a_much_larger_body_is_refused_before_the_form_is_read(client, bearer, store):
    assert_problem(upload(client, bearer("ann"), png() + b"\x00" * (3 * 1024 * 1024)), 413)
    assert store.images.count_documents({}) == 0


def test_a_form_without_an_image_field_or_a_json_body_is_a_clear_422(client, bearer):
    no_field = client.post("/api/ideas/images", headers=bearer("ann"),
                           data={"picture": (io.BytesIO(png()), "a.png")}, content_type="multipart/form-data")
    assert "image" in assert_problem(no_field, 422)["errors"]
    as_json = client.post("/api/ideas/images", headers=bearer("ann"), json={"image": "aGk="})
    assert "image" in assert_problem(as_json, 422)["errors"]


def test_only_members_and_the_product_team_upload_images(client, bearer):
    assert_problem(upload(client, {}, png()), 401)
    assert_problem(upload(client, bearer("bot", roles=("moderator",)), png()), 403)
    assert upload(client, bearer("pat", roles=("product_team",)), png()).status_code == 201


def test_an_unknown_image_is_not_found(client):
    assert_problem(client.get("/api/ideas/images/" + "0" * 32), 404)


def test_a_member_submits_an_idea_with_their_image_and_the_idea_shows_it(client, bearer):
    image = upload(client, bearer("ann"), png()).get_json()

    created = client.post("/api/ideas", json={**IDEA, "image_id": image["id"]}, headers=bearer("ann"))

    assert created.status_code == 201
    assert created.get_json()["image"] == {"id": image["id"], "url": image["url"]}
    shown = client.get(created.headers["Location"]).get_json()
    assert shown["image"] == {"id": image["id"], "url": image["url"]}
    assert client.get("/api/ideas").get_json()["ideas"][0]["image"] == shown["image"]
    assert client.post("/api/ideas", json=IDEA, headers=bearer("ann")).get_json()["image"] is None


@pytest.mark.parametrize("image_id", ["someone-elses", "0" * 32, "not an id"])
def test_an_idea_names_only_an_image_its_author_uploaded_or_nothing_is_stored(client, bearer, store, image_id):
    bobs = upload(client, bearer("bob"), png()).get_json()["id"]
    image_id = bobs if image_id == "someone-elses" else image_id

    body = assert_problem(client.post("/api/ideas", json={**IDEA, "image_id": image_id}, headers=bearer("ann")), 422)

    assert list(body["errors"]) == ["image_id"]
    assert store.ideas.count_documents({}) == 0


def test_a_hidden_ideas_image_is_not_shown_to_readers(client, bearer):
    image = upload(client, bearer("ann"), png()).get_json()
    idea = client.post("/api/ideas", json={**IDEA, "image_id": image["id"]}, headers=bearer("ann")).get_json()

    client.post(f"/api/ideas/{idea['id']}/hide", json={"reason": "a card number shows"},
                headers=bearer("mo", roles=("moderator",)))

    assert client.get(f"/api/ideas/{idea['id']}").get_json()["image"] is None
    staff = client.get(f"/api/ideas/{idea['id']}", headers=bearer("mo", roles=("moderator",))).get_json()
    assert staff["image"]["id"] == image["id"]


def test_a_members_uploads_are_in_their_data_and_theirs_no_more_once_the_account_is_deleted(client, bearer, store,
                                                                                         event):
    image = upload(client, bearer("ann"), png()).get_json()

    mine = client.get("/api/ideas/me/data", headers=bearer("ann")).get_json()["images"]
    assert [(i["id"], i["size"]) for i in mine] == [(image["id"], image["size"])]
    assert "data" not in mine[0]

    handlers.on_user_deleted(store, as_consumed(event.user_deleted("ann")))

    assert client.get("/api/ideas/me/data", headers=bearer("ann")).get_json()["images"] == []
    assert_problem(client.post("/api/ideas", json={**IDEA, "image_id": image["id"]}, headers=bearer("ann")), 422)
