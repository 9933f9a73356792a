"""The gateway in front of image uploads: an image up to the ideas service's 2 MB passes (the form around it too),
one just over gets the service's own refusal, and a body past the upload route's 3 MB is cut at the gateway, which
keeps its 1 MB for every other route."""
import pytest

from .test_core_flow import png

pytestmark = pytest.mark.browser

MB = 1024 * 1024


def upload(who, data: bytes):
    return who.call("POST", "/api/ideas/images", files={"image": ("card.png", data, "image/png")})


def test_the_gateway_lets_a_2_mb_image_through_and_leaves_the_refusals_to_the_service_up_to_3_mb(person):
    ann = person("Ann").sign_in()
    largest = png() + b"\0" * (2 * MB - len(png()))

    taken = upload(ann, largest)
    assert taken.status_code == 201, taken.text
    served = ann.call("GET", taken.json()["url"])
    assert (served.status_code, served.headers["Content-Type"], len(served.content)) == (200, "image/png", 2 * MB)
    assert served.headers["Content-Security-Policy"].startswith("default-src 'none'; sandbox")

    over = upload(ann, largest + b"\0")
    assert (over.status_code, over.headers["Content-Type"]) == (413, "application/problem+json")
    assert over.json()["detail"] == "an image may be at most 2 MB"  # the service said it, not the gateway

    far_over = upload(ann, largest + b"\0" * (2 * MB))
    assert far_over.status_code == 413
    assert far_over.json()["detail"] == "the body is too large"  # cut at the gateway

    elsewhere = ann.call("POST", "/api/ideas", data=b"{" + b" " * (2 * MB) + b"}",
                         headers={"Content-Type": "application/json"})
    assert (elsewhere.status_code, elsewhere.json()["detail"]) == (413, "the body is too large")
