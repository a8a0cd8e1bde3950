"""Adaptive Cards, activity translation and failure mapping, without a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.adapters.teams import cards, translate
from bot.adapters.teams.sender import TeamsSender, classify
from bot.delivery.senders import Permanent, RateLimited, Transient
from bot.dialogs import scoring, setup
from bot.domain import Progress, RoundCompetence, RoundInfo
from bot.views import Button, Message, SummaryCard
from catalog.loader import load_catalog
from catalog.profiles import parse_profile
from tests.integration.teams.teams_harness import actions, texts

URL = "https://kompetencebot.example.dk"


def _round() -> RoundInfo:
    items = tuple(
        RoundCompetence(
            cid, f"Navn {cid}", "M1", "Brugerkompetencer", 3, f"Lokal formulering af {cid}", ex
        )
        for cid, ex in (("M02", "GPS-styring, timeregistrering"), ("M05", None))
    )
    deadline = datetime.now(UTC) + timedelta(days=3)
    return RoundInfo(7, "open", deadline, "da", "Europe/Copenhagen", "Holdet", items)


def test_the_score_card_has_name_wording_examples_six_levels_back_skip_and_progress() -> None:
    view = scoring.prompt(_round(), Progress("29:bo", position=0, answers={}))
    card = cards.card(view, URL)
    shown = texts(card)
    assert "Navn M02" in shown and "Lokal formulering af M02" in shown and "1 af 2" in shown

    [toggle] = [
        a
        for element in card["body"]
        if element["type"] == "ActionSet"
        for a in element["actions"]
        if a["type"] == "Action.ToggleVisibility"
    ]
    [examples] = [e for e in card["body"] if e.get("id") == toggle["targetElements"][0]]
    assert examples["isVisible"] is False
    assert "GPS-styring" in texts({"body": examples["items"]})

    titles = [a["title"] for a in actions(card)]
    assert [title[0] for title in titles[:6]] == list("012345")
    assert titles[6:] == ["Spring over →"]
    for action in actions(card):
        assert action["fallback"]["type"] == "Action.Submit"
        assert action["fallback"]["data"] == action["data"]
        assert action["data"]["kb"]["action"] == action["verb"]

    later = cards.card(scoring.prompt(_round(), Progress("29:bo", position=1)), URL)
    assert [a["title"] for a in actions(later)][6:] == ["← Tilbage", "Spring over →"]


def test_every_setup_form_fits_teams_limits_with_inputs_grouped_by_dimension() -> None:
    catalog = load_catalog()
    for template in ("medarbejder", "leder", "materialegaard"):
        spec = parse_profile({"template": template}, default_target=1)
        known = [catalog.competences[e.id] for e in spec.competences]
        candidates = [setup.Candidate(c.id, c.name("da"), c.dimension, 1) for c in known]
        key = "19:" + "x" * 80 + "@thread.tacv2"
        form = setup.targets_form("da", key, template, "da", candidates)
        payload = cards.activity(form, URL)
        card = payload["attachments"][0]["content"]
        assert cards.size(card) < cards.CARD_LIMIT
        assert cards.size(payload) < cards.ACTIVITY_LIMIT
        inputs = [e for e in card["body"] if e["type"] == "Input.ChoiceSet"]
        assert len(inputs) == len(candidates)
        headings = [e["text"] for e in card["body"] if e.get("separator")]
        assert headings and all(heading[0] in "ML" for heading in headings)


def test_the_summary_card_shows_the_chart_from_the_public_url() -> None:
    view = SummaryCard("Resultat", "3 af 4 har svaret", (), chart="tok3n", chart_alt="Graf")
    [image] = [e for e in cards.card(view, URL + "/")["body"] if e["type"] == "Image"]
    assert image["url"] == f"{URL}/files/tok3n/chart.png"
    assert image["altText"] == "Graf"


def test_message_markup_and_size_limit() -> None:
    card = cards.card(Message("*Fed* og `kode`\nlinje to", (Button("OK", "ok"),)), URL)
    assert texts(card) == "**Fed** og **kode**\nlinje to"
    with pytest.raises(cards.CardTooLarge):
        cards.activity(Message("x" * 30_000), URL)


def _activity(**fields: Any) -> Any:
    base = {
        "type": "message",
        "id": "1700000000001",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "channelId": "msteams",
        "from": {"id": "29:lea", "name": "Lea"},
        "recipient": {"id": "28:bot", "name": "Kompetencebot"},
        "conversation": {
            "conversationType": "channel",
            "id": "19:abc@thread.tacv2;messageid=1700000000001",
        },
        "channelData": {"tenant": {"id": "t1"}, "team": {"id": "19:abc@thread.tacv2"}},
        "locale": "en-GB",
    }
    return Activity().deserialize({**base, **fields})


def test_a_channel_command_loses_the_bots_mention_and_the_thread_suffix() -> None:
    activity = _activity(
        text="<at>Kompetencebot</at>&nbsp;start  3d <at>Bo</at>",
        entities=[
            {"type": "mention", "text": "<at>Kompetencebot</at>", "mentioned": {"id": "28:bot"}},
            {"type": "mention", "text": "<at>Bo</at>", "mentioned": {"id": "29:bo"}},
        ],
    )
    where = translate.origin(activity)
    command = translate.command(activity, where)
    assert command.text == "start 3d <at>Bo</at>"
    assert (command.team_key, command.workspace) == ("19:abc@thread.tacv2", "t1")
    assert command.person.language == "en"


def test_execute_and_submit_carry_the_same_action_and_inputs() -> None:
    action = cards.action(Button("Gem", "setup-save", {"t": "19:abc@thread.tacv2"}))
    execute = _activity(
        type="invoke",
        name="adaptiveCard/action",
        replyToId="card-1",
        value={"action": {**action, "data": {**action["data"], "M02": "3"}}},
    )
    submit = _activity(replyToId="card-1", value={**action["fallback"]["data"], "M02": "3"})
    one = translate.execute(execute, translate.origin(execute))
    other = translate.submit(submit, translate.origin(submit))
    assert one == other
    assert one.name == "setup-save"
    assert one.data == {"t": "19:abc@thread.tacv2", "fields": {"M02": "3"}}


def _failure(status: int, **headers: str) -> Exception:
    error = RuntimeError(f"HTTP {status}")
    error.response = SimpleNamespace(status_code=status, headers=headers)  # type: ignore[attr-defined]
    return error


def test_bot_connector_failures_map_to_the_dispatchers_vocabulary() -> None:
    throttled = classify(_failure(429, **{"Retry-After": "4"}))
    assert isinstance(throttled, RateLimited) and 4 <= throttled.retry_after <= 6
    for status in (412, 502, 504, 500):
        assert isinstance(classify(_failure(status)), Transient)
    for status in (403, 404, 400):
        assert isinstance(classify(_failure(status)), Permanent)
    assert isinstance(classify(ConnectionError("reset")), Transient)


def test_lanes_pace_per_conversation_and_per_tenant() -> None:
    sender = TeamsSender(runtime=None, proactive=None, public_url=URL)  # type: ignore[arg-type]
    lanes = sender.lanes({"to": "user", "address": "29:bo", "workspace": "t1"})
    assert lanes == [("teams:t1", 30.0), ("teams:t1:user:29:bo", 7.0)]
    thread = {"to": "conversation", "address": "19:a@thread.tacv2;messageid=9", "workspace": "t1"}
    assert sender.lanes(thread)[1] == ("teams:t1:19:a@thread.tacv2", 7.0)


def test_the_review_overview_lists_every_competence_in_the_card_body() -> None:
    """Teams shows only a few actions at a card's foot: a long list stacks in the body."""
    catalog = load_catalog()
    items = tuple(
        RoundCompetence(c.id, c.name("da"), c.dimension, "", 3, "", None)
        for c in list(catalog.competences.values())[:60]
    )
    round_ = RoundInfo(7, "open", datetime.now(UTC) + timedelta(days=3), "da",
                       "Europe/Copenhagen", "Holdet", items)  # fmt: skip
    member = Progress("29:" + "b" * 80, 60, {"M02": 4})  # Teams ids run long
    card = cards.card(scoring.overview(round_, member), URL)
    assert "actions" not in card
    titles = [a["title"] for a in actions(card)]
    assert len(titles) == 27 and titles[1].startswith("M02 · 4 · ")
    assert titles[-2:] == ["Flere →", "Færdig"]
    for page in (0, 1, 2):
        assert cards.size(cards.activity(scoring.overview(round_, member, page), URL)) < 28_000
