"""ING Spain's "Genios del Ahorro" through the gateway over HTTP (issue 12): staff set up a contest (a round and a
final, two criteria, a jury by role, prizes in cents), members submit tips as entries (text, an uploaded clip served
by ranges, a link to a hosted video), the public votes, the votes worker closes the round on time by itself (votes
after the close do not count), a tie at the shortlist's boundary puts every tied entry in, the jury scores, the best
score wins the week's prize, the final gives the grand prize among the finalists, and participants are told."""
from datetime import datetime, timedelta, timezone

import pytest
import requests

from idealab_testing import announce_verified, mails_in_log, round_and_final, wait_for

from .conftest import LAB_LOG

pytestmark = pytest.mark.e2e

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 16


def verify_addresses(servers, lab_env, people) -> None:
    announce_verified(servers.kafka, lab_env["IDEALAB_NAMESPACE"], [p.user_id for p in people])


def tip(contest_id: str, title: str, **more) -> dict:
    return {"title": title, "description": "How I save every month.", "category": "saving", "contest_id": contest_id,
            **more}


def test_genios_del_ahorro_entries_votes_a_round_closed_on_time_jury_winner_and_grand_prize(
        member, servers, lab_env):
    team, juror = member(roles=("product_team",)), member(roles=("member", "jury"))
    authors = [member() for _ in range(4)]
    voters = [member() for _ in range(5)]
    verify_addresses(servers, lab_env, authors[:2])
    opens = datetime.now(timezone.utc) + timedelta(seconds=4)
    closes = opens + timedelta(seconds=25)
    created = team.post("/api/votes/contests", json={
        "title": {"es": "Genios del Ahorro", "en": "Saving geniuses"}, "description": {"es": "Comparte tu truco"},
        "currency": "EUR", "shortlist_size": 2, "jury": {"kind": "role"},
        "criteria": [{"id": "saving", "name": {"es": "Ahorro"}}, {"id": "originality", "name": {"es": "Originalidad"}}],
        **round_and_final(opens, closes, judging=14, final_judging=16)})
    assert created.status_code == 201, created.text
    contest = created.json()["id"]
    assert authors[0].post("/api/votes/contests", json=created.json()).status_code == 403

    # Entries: taken once the round is open (the ideas service learns the windows from contest.scheduled).
    wait_for(lambda: authors[0].post("/api/ideas", json=tip(contest, "Too early a tip")).status_code == 409,
             what="the ideas service to know the contest")
    refused = authors[2].post("/api/ideas/videos", files={"video": ("tip.mp4", b"GIF89a" + b"\x00" * 64,
                                                                    "video/mp4")})
    assert refused.status_code == 415 and refused.headers["Content-Type"].startswith("application/problem+json")
    clip = authors[2].post("/api/ideas/videos", files={"video": ("tip.mp4", MP4, "video/mp4")})
    assert clip.status_code == 201, clip.text
    clip = clip.json()
    wait_for(lambda: team.get(f"/api/votes/contests/{contest}").json()["rounds"][0]["state"] == "open",
             what="the round to open")
    extras = ({}, {}, {"video_id": clip["id"]}, {"video_link": "https://video.example/genios/42"})
    entries = []
    for n, (author, extra) in enumerate(zip(authors, extras)):
        answer = author.post("/api/ideas", json=tip(contest, f"Saving tip number {n}", **extra))
        assert answer.status_code == 201, answer.text
        assert answer.json()["contest"] == {"id": contest, "round": 1}
        entries.append(answer.json()["id"])
    a, b, c, d = entries
    listed = authors[0].get(f"/api/ideas/contests/{contest}/entries?round=1").json()["entries"]
    assert [e["id"] for e in listed] == entries and listed[3]["video_link"] == "https://video.example/genios/42"

    whole = voters[0].get(clip["url"])
    assert whole.status_code == 200 and whole.content == MP4 and whole.headers["Accept-Ranges"] == "bytes"
    part = voters[0].get(clip["url"], headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.content == MP4[1000:2000]
    assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(MP4)}"

    # The public votes: a 3, b 2, c 2, d 1. The shortlist of 2 takes a, and b and c tied at the boundary.
    for entry, who in ((a, voters[:3]), (b, voters[3:5]), (c, voters[:2]), (d, voters[4:5])):
        for voter in who:
            wait_for(lambda: voter.post(f"/api/votes/ideas/{entry}").status_code == 201, what="a vote taken")
    assert voters[0].post(f"/api/votes/ideas/{a}").status_code == 409  # one vote per member per entry

    judging = wait_for(lambda: (lambda r: r if r["state"] == "judging" else None)(
        team.get(f"/api/votes/contests/{contest}").json()["rounds"][0]), timeout=60, what="the round to close")
    for voter in voters[:4]:  # late: after the close, they do not count for the round
        assert voter.post(f"/api/votes/ideas/{d}").status_code == 201
    assert judging["shortlist"] == [a, b, c]
    assert {r["entry_id"]: r["votes"] for r in judging["ranking"]} == {a: 3, b: 2, c: 2, d: 1}

    # The jury: a member off it is refused; scores make c the week's winner and b the grand prize's.
    sheet = f"/api/votes/contests/{contest}/rounds/1/scoresheet"
    week = {a: {"saving": 6, "originality": 5}, b: {"saving": 7, "originality": 7}, c: {"saving": 9, "originality": 8}}
    assert authors[0].put(sheet, json={"scores": week}).status_code == 403
    incomplete = juror.put(sheet, json={"scores": {a: {"saving": 6}}})
    assert incomplete.status_code == 422 and "scores" in incomplete.json()["errors"]
    assert juror.put(sheet, json={"scores": week}).status_code == 200
    final_sheet = f"/api/votes/contests/{contest}/rounds/2/scoresheet"
    wait_for(lambda: team.get(f"/api/votes/contests/{contest}").json()["rounds"][1]["state"] == "judging",
             timeout=30, what="the final to close")
    grand = {a: {"saving": 5, "originality": 5}, b: {"saving": 10, "originality": 9}, c: {"saving": 8, "originality": 8}}
    answer = juror.put(final_sheet, json={"scores": grand})
    assert answer.status_code == 200, answer.text

    rounds = wait_for(lambda: (lambda rs: rs if all(r["state"] == "decided" for r in rs) else None)(
        team.get(f"/api/votes/contests/{contest}").json()["rounds"]), timeout=60, what="the jury's decisions")
    assert [r["winner"] for r in rounds] == [c, b]
    assert {r["entry_id"]: r["jury_score"] for r in rounds[0]["ranking"]} == {a: 11, b: 14, c: 17, d: None}
    assert rounds[1]["shortlist"] == [a, b, c]  # every finalist goes to the final's jury

    # Participants are told of the week's winner and of the grand prize, in the inbox and by email.
    for author in authors:
        told = wait_for(lambda: (lambda es: es if len(es) == 2 else None)(
            [e for e in author.get(f"/api/notifications/users/{author.user_id}/inbox").json()["entries"]
             if e["kind"] == "contest.round_closed"]), timeout=60, what=f"{author.user_id}'s inbox")
        assert sorted(e["title"] for e in told) == ["Saving geniuses: the grand prize",
                                                     "Saving geniuses: the winner of round 1"]
        assert any("Saving tip number 2" in e["message"] and "500.00 EUR" in e["message"] for e in told)
        assert any("Saving tip number 1" in e["message"] and "1,500.00 EUR" in e["message"] for e in told)
    for author in authors[:2]:
        wait_for(lambda: len(mails_in_log(LAB_LOG, f"{author.user_id}@example.com")) >= 2, timeout=60,
                 what=f"{author.user_id}'s emails")
    assert [e for e in team.get(f"/api/notifications/users/{team.user_id}/inbox").json()["entries"]
            if e["kind"] == "contest.round_closed"] == []


def test_a_panels_contest_its_entries_and_their_clips_reach_its_members_only(member, gateway):
    team = member(roles=("product_team",))
    insider, outsider = member(spaces=("genios-panel",)), member(spaces=("another-panel",))
    opens = datetime.now(timezone.utc) + timedelta(seconds=2)
    created = team.post("/api/votes/contests", json={
        "title": {"es": "Genios del panel"}, "description": {"es": "Solo para el panel"}, "space": "genios-panel",
        "currency": "EUR", "shortlist_size": 3, "jury": {"kind": "role"},
        "criteria": [{"id": "saving", "name": {"es": "Ahorro"}}],
        "rounds": [{"opens_at": opens.isoformat(), "closes_at": (opens + timedelta(hours=1)).isoformat(),
                    "judging_ends_at": (opens + timedelta(hours=2)).isoformat(), "prize": 50_000}],
        "final": {"closes_at": (opens + timedelta(hours=3)).isoformat(),
                  "judging_ends_at": (opens + timedelta(hours=4)).isoformat(), "prize": 0}})
    assert created.status_code == 201, created.text
    contest = created.json()["id"]
    clip = insider.post("/api/ideas/videos", files={"video": ("tip.mp4", MP4, "video/mp4")}).json()
    entered = wait_for(lambda: (lambda r: r if r.status_code == 201 else None)(
        insider.post("/api/ideas", json=tip(contest, "A panel's saving tip", video_id=clip["id"]))),
        what="the panel's round to take entries")
    entry = entered.json()
    assert entry["space"] == "genios-panel"
    assert outsider.post("/api/ideas", json=tip(contest, "An outsider's saving tip")).status_code == 422

    anonymous = requests.Session()
    for reader in (outsider.session, anonymous):
        for path in (f"/api/votes/contests/{contest}", f"/api/ideas/contests/{contest}/entries",
                     f"/api/ideas/{entry['id']}", clip["url"]):
            answer = reader.get(gateway + path, headers={"Range": "bytes=0-9"}, timeout=10)
            assert answer.status_code == 404, (path, answer.status_code)
        listed = reader.get(gateway + "/api/votes/contests", timeout=10).json()["contests"]
        assert contest not in [c["id"] for c in listed]
        assert reader.post(gateway + f"/api/votes/ideas/{entry['id']}", timeout=10).status_code in (401, 404)
    assert insider.get(clip["url"], headers={"Range": "bytes=0-9"}).status_code == 206
    assert [e["id"] for e in insider.get(f"/api/ideas/contests/{contest}/entries").json()["entries"]] == [entry["id"]]
