"""A whole round through the channel-neutral turn, on both databases.

A recording sender stands in for a platform, so these tests see exactly what each person
would receive, and check that nobody receives what is not theirs.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.dialogs.outcome import Outgoing, Reply
from bot.domain import Action, Envelope, Person
from bot.i18n import t
from bot.runtime import Runtime
from bot.usecases.seats import dispatcher as make_dispatcher
from bot.views import Button, ChoicePrompt, Form, Message, SummaryCard, message_text
from storage import rounds
from storage import teams as repo
from storage.models import OutboxMessage, Participant, ProcessedEvent, Score
from tests.support.world import PEOPLE, TEAM, Directory, World, count_scores, make_profile


@pytest.fixture
async def world(runtime: Runtime) -> World:
    await make_profile(runtime, {"M02": 4, "M05": 3, "M13": 3})
    return World(runtime)


async def test_a_whole_round_with_privacy_and_suppression(world: World) -> None:
    reply = await world.say("lea", "start 3d")
    assert "4 deltagere" in reply.view.text  # type: ignore[union-attr]
    announcement = world.recorder.to(TEAM)
    assert len(announcement) == 1 and "Ny kompetencerunde" in announcement[0][1].text  # type: ignore[union-attr]
    intro = world.prompt_of("ali")[1]
    assert isinstance(intro, Message) and "kun du ser dine svar" in intro.text

    await world.answer_all("lea", [4, 3, 3])
    await world.answer_all("ali", [2, 3, 0])
    await world.answer_all("bea", [1, 2, None])  # skips M13
    # Cai changes an answer through "back", then finishes.
    await world.answer_all("cai", [3, 1])
    ref, view = world.prompt_of("cai")
    assert isinstance(view, ChoicePrompt)
    back = next(b for b in view.navigation if b.action == "back")
    await world.click("cai", back, ref)
    await world.click("cai", world.recorder.messages[ref][1].choices[4], ref)  # type: ignore[union-attr]
    await world.click("cai", world.recorder.messages[ref][1].choices[5], ref)  # type: ignore[union-attr]

    status = await world.say("ali", "status")
    text = message_text(status.view)  # type: ignore[arg-type]
    for fact in ("Inviteret: 4", "Færdige: 3", "I gang: 1", "Ikke startet: 0"):
        assert fact in text.split("\n")
    assert not any(name in text for name in ("Ali", "Bea", "Cai"))

    assert (await world.say("lea", "luk")).view.tone == "success"  # type: ignore[union-attr]
    summary = world.recorder.to(TEAM)[-1][1]
    assert isinstance(summary, SummaryCard)
    lines = [line for section in (*summary.sections, *summary.details) for line in section.lines]
    # M02: 4,2,1,3 -> mean 2.5, gap 1.5; M05: 3,3,2,4 -> 3.0; M13: 3,0,5 -> n=3, spread 0..5
    assert "M02 Anvende fagsystemer & administrative systemer, tekstbehandling etc.: mål 4, " \
           "gennemsnit 2,5 (gab 1,5)" in lines  # fmt: skip
    assert any(line.startswith("M13") and "fra 0 til 5" in line for line in lines)
    assert summary.intro == "3 af 4 har svaret på alle kompetencer (75 %)."
    assert summary.chart

    # each member's own results replace their prompt, privately; nobody gets another's
    mine = world.recorder.messages[world.prompt_of("bea")[0]][1]
    assert isinstance(mine, Message)
    assert "dit svar 1 · mål 4" in message_text(mine) and "sprunget over" in message_text(mine)
    assert all(d["address"] in (*PEOPLE, TEAM) for d, _ in world.recorder.messages.values())


async def test_clicks_are_idempotent_and_forged_clicks_store_nothing(world: World) -> None:
    await world.say("lea", "start 3d")
    ref, intro = world.prompt_of("ali")
    assert isinstance(intro, Message)
    await world.click("ali", intro.buttons[0], ref)
    prompt = world.recorder.messages[ref][1]
    assert isinstance(prompt, ChoicePrompt)
    await world.click("ali", prompt.choices[3], ref, event_id="evt-1")
    after_first = world.recorder.messages[ref][1]
    retry = await world.turns.handle(
        Action(Person("test", "ali"), "score", prompt.choices[3].data), Envelope("evt-1")
    )  # a platform retry of the same event: the same answer, the same next prompt
    assert retry is not None and retry.view == after_first
    await world.click("ali", prompt.choices[3], ref)  # a double click without an id
    assert await count_scores(world.runtime) == 1
    # Moves are not idempotent by themselves: a retried "skip" is recognised and ignored.
    current = world.recorder.messages[ref][1]
    assert isinstance(current, ChoicePrompt)
    skip = next(b for b in current.navigation if b.action == "skip")
    await world.click("ali", skip, ref, event_id="evt-2")
    moved = world.recorder.messages[ref][1]
    assert (
        await world.turns.handle(
            Action(Person("test", "ali"), "skip", skip.data), Envelope("evt-2")
        )
        is None
    )
    mine = await world.say("ali", "mine")
    assert isinstance(moved, ChoicePrompt) and moved.progress == "3 af 3"
    assert "dit svar 3" in message_text(mine.view)  # type: ignore[arg-type]

    forged = [
        ("ali", {**prompt.choices[0].data, "s": 7}, "Vælg et niveau fra 0 til 5"),
        ("ali", {**prompt.choices[0].data, "c": "L01"}, "ikke med i runden"),
        ("bea", prompt.choices[0].data, "hører til en anden deltagers"),
        ("ali", {**prompt.choices[0].data, "r": 999}, "Den runde kender jeg ikke"),
        ("ali", {**prompt.choices[0].data, "r": "1"}, "Den runde kender jeg ikke"),
    ]
    for who, data, message in forged:
        reply = await world.click(who, Button("x", "score", data))
        assert reply.private and message in reply.view.text, message  # type: ignore[union-attr]
    assert await count_scores(world.runtime) == 1

    await world.say("lea", "luk")
    late = await world.click("ali", prompt.choices[2], ref)
    assert "Runden er lukket" in late.view.text  # type: ignore[union-attr]
    assert await count_scores(world.runtime) == 1


async def test_only_leaders_run_a_round(world: World) -> None:
    for text in ("start", "luk", "eksport", "påmind", "opsæt"):
        reply = await world.say("ali", text)
        assert "kun holdets ledere" in reply.view.text, text  # type: ignore[union-attr]
    async with world.runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_a_second_start_and_a_bad_deadline_are_refused(world: World) -> None:
    bad = await world.say("lea", "start i morgen")
    assert "Den frist forstod jeg ikke" in bad.view.text  # type: ignore[union-attr]
    junk = await world.say("lea", "start 3d og så videre")
    assert "Resten forstod jeg ikke" in junk.view.text  # type: ignore[union-attr]
    arabic = await world.say("lea", "start ١٢d")
    assert "cifrene 0–9" in arabic.view.text  # type: ignore[union-attr]
    assert not world.recorder.messages  # nothing opened, nobody told
    await world.say("lea", "start 3 dage")  # Monday 30 November 2026, 10:00 local
    [(_, announcement)] = world.recorder.to(TEAM)
    assert "Fristen er 3. december 2026 kl. 16:00" in announcement.text  # type: ignore[attr-defined]
    again = await world.say("lea", "start")
    assert "allerede en åben runde" in again.view.text  # type: ignore[union-attr]


async def test_too_few_members_for_anonymity(runtime: Runtime) -> None:
    await make_profile(runtime, {"M02": 3})
    small = World(runtime, Directory(["lea", "ali"]))
    reply = await small.say("lea", "start")
    assert "kun 2 deltagere" in reply.view.text  # type: ignore[union-attr]


async def test_reminders_go_only_to_unfinished_members_at_most_three_times(world: World) -> None:
    await world.say("lea", "start 3d")
    await world.answer_all("ali", [1, 2, 3])
    for expected in (3, 3, 3, 0):
        reply = await world.say("lea", "påmind")
        assert f"til {expected} deltagere" in reply.view.text  # type: ignore[union-attr]
    assert [len(world.recorder.to(who)) for who in ("ali", "bea")] == [1, 4]
    nudge = world.recorder.to("bea")[1][1]
    assert isinstance(nudge, Message) and [b.action for b in nudge.buttons] == ["continue"]

    # "continue" on the reminder moves the prompt there; the old copy loses its buttons
    old_ref = world.prompt_of("bea")[0]
    new_ref = world.recorder.to("bea")[1][0]
    await world.click("bea", nudge.buttons[0], new_ref)
    assert isinstance(world.recorder.messages[new_ref][1], ChoicePrompt)
    old = world.recorder.messages[old_ref][1]
    assert isinstance(old, Message) and not old.buttons


async def test_results_me_and_forget(world: World) -> None:
    early = await world.say("ali", "resultat")
    assert "intet resultat endnu" in early.view.text  # type: ignore[union-attr]
    await world.say("lea", "start 3d")
    for who in ("lea", "ali", "bea"):
        await world.answer_all(who, [2, 2, 2])
    mine = await world.say("ali", "mine")
    assert mine.private and "dit svar 2" in message_text(mine.view)  # type: ignore[arg-type]
    change = next(b for b in mine.view.buttons if b.label == "Ret et svar")  # type: ignore[union-attr]
    overview = await world.click("ali", change)
    assert "3 af 3 besvaret" in overview.view.text  # type: ignore[union-attr]
    await world.say("lea", "luk")
    results = await world.say("cai", "resultat")
    assert isinstance(results.view, SummaryCard) and not results.private

    ask = await world.say("ali", "slet-mine-data")
    assert isinstance(ask.view, Message) and ask.private
    confirm = next(b for b in ask.view.buttons if b.action == "forget-confirm")
    done = await world.click("ali", confirm)
    assert "3 i alt" in done.view.text  # type: ignore[union-attr]
    # The published numbers do not change (a difference would reveal Ali's answers), but no
    # answer, seat or message is linked to Ali any more.
    again = await world.say("lea", "resultat")
    assert again.view == results.view
    async with world.runtime.sessions() as session:
        linked = await session.scalar(
            select(func.count()).select_from(Score).where(Score.user_id == "ali")
        )
        seats = (await session.scalars(select(Participant.user_id))).all()
        queued = (await session.scalars(select(OutboxMessage))).all()
    assert linked == 0 and "ali" not in seats and len(seats) == 4
    assert not [
        row
        for row in queued
        if row.destination.get("address") == "ali"
        or (row.payload.get("seat") or {}).get("user") == "ali"
    ]
    gone = await world.say("ali", "mine")
    assert gone.view.text == t("mine.none", "da")  # type: ignore[union-attr]


async def test_setup_from_a_template_with_targets_and_wording(runtime: Runtime) -> None:
    world = World(runtime)
    first = await world.say("ali", "opsæt")  # a team without leaders: the first one leads
    assert isinstance(first.view, Form) and "registreret som leder" in first.view.intro
    fields = {"base": "materialegaard", "language": "en"}
    targets = await world.click(
        "ali", Button("x", "setup-base", {**first.view.submit[0].data, "fields": fields})
    )
    form = targets.view
    assert isinstance(form, Form) and len(form.fields) == 22
    values = {f.name: "0" for f in form.fields} | {"M02": "4", "M18": "2", "M13": "3"}
    save = form.submit[0]
    saved = await world.click("ali", Button("x", save.action, {**save.data, "fields": values}))
    assert "3 competences" in saved.view.text  # type: ignore[union-attr]

    wording = await world.click("ali", saved.view.buttons[0])  # type: ignore[union-attr]
    assert isinstance(wording.view, Form)
    fields = {"competence": "M13", "name": "Robotter og saltmaskiner", "description": "",
              "examples": "Græsklipperrobotter"}  # fmt: skip
    submit = wording.view.submit[0]
    await world.click("ali", Button("x", submit.action, {**submit.data, "fields": fields}))
    async with runtime.sessions() as session:
        team = await repo.find(session, "test", TEAM)
        assert team is not None and team.language == "en"
        profile = await repo.latest_profile(session, team.id)
    assert profile is not None and profile.version == 2
    rows = {row.competence_id: row for row in profile.competences}
    assert set(rows) == {"M02", "M13", "M18"} and rows["M02"].target == 4
    assert rows["M13"].name == "Robotter og saltmaskiner"
    assert rows["M18"].name and "data" in rows["M18"].name  # the template's English wording

    bad = await world.click(
        "ali", Button("x", save.action, {**save.data, "fields": {**values, "M02": "9"}})
    )
    assert isinstance(bad.view, Form) and "from 0 to 5" in bad.view.error
    intruder = await world.click("bea", Button("x", save.action, {**save.data, "fields": values}))
    assert "Only the team's leaders" in intruder.view.text  # type: ignore[union-attr]


async def test_a_restart_loses_nothing(runtime: Runtime, world: World) -> None:
    await world.say("lea", "start 3d")
    ref, intro = world.prompt_of("ali")
    await world.click("ali", intro.buttons[0], ref)  # type: ignore[union-attr]
    prompt = world.recorder.messages[ref][1]
    await world.click("ali", prompt.choices[2], ref)  # type: ignore[union-attr]
    # A new process: new conversation and dispatcher objects over the same database.
    fresh = World(runtime)
    fresh.recorder = world.recorder
    fresh.dispatcher = make_dispatcher(runtime, {"test": world.recorder})
    current = world.recorder.messages[ref][1]
    assert isinstance(current, ChoicePrompt) and current.key.endswith("M05")
    await fresh.click("ali", current.choices[4], ref)
    mine = await fresh.say("ali", "mine")
    text = message_text(mine.view)  # type: ignore[arg-type]
    assert "dit svar 2" in text and "dit svar 4" in text


@pytest.mark.parametrize(("base", "count"), [("medarbejder", 60), ("leder", 35)])
async def test_setup_from_a_whole_edition_starts_with_nothing_selected(
    runtime: Runtime, base: str, count: int
) -> None:
    world = World(runtime)
    first = await world.say("lea", "opsæt")
    assert isinstance(first.view, Form)
    data = {**first.view.submit[0].data, "fields": {"base": base, "language": "da"}}
    targets = await world.click("lea", Button("x", "setup-base", data))
    form = targets.view
    assert isinstance(form, Form) and len(form.fields) == count
    assert {f.value for f in form.fields} == {"0"}
    nothing = await world.click(
        "lea", Button("x", "setup-save", {**form.submit[0].data, "fields": {}})
    )
    assert isinstance(nothing.view, Form) and "Hvert mål skal være et tal" in nothing.view.error
    zeros = {f.name: "0" for f in form.fields}
    empty = await world.click(
        "lea", Button("x", "setup-save", {**form.submit[0].data, "fields": zeros})
    )
    assert isinstance(empty.view, Form) and "Mindst én kompetence" in empty.view.error
    assert empty.view.fields == form.fields  # the leader's inputs are kept


async def test_a_reply_that_cannot_be_queued_undoes_the_answer(world: World) -> None:
    """Teams and the playground queue their replies in the turn's transaction: if that fails
    after the use case has stored an answer, the answer is rolled back with it."""
    await world.say("lea", "start 3d")
    ref, intro = world.prompt_of("ali")
    assert isinstance(intro, Message)
    await world.click("ali", intro.buttons[0], ref)
    prompt = world.recorder.messages[ref][1]
    assert isinstance(prompt, ChoicePrompt)

    def unqueueable(reply: Reply | None) -> list[Outgoing]:
        raise RuntimeError("the reply could not be queued")

    score = prompt.choices[3]
    with pytest.raises(RuntimeError):
        await world.turns.handle(
            Action(Person("test", "ali"), score.action, score.data),
            Envelope("evt-atomic", {"m": ref}),
            reply_messages=unqueueable,
        )
    assert await count_scores(world.runtime) == 0
    async with world.runtime.sessions() as session:
        found = await rounds.seat(session, int(score.data["r"]), "ali")
    assert found is not None and found[0].position == 0  # still on the first competence


async def test_my_data_shows_everything_stored_about_me_and_nothing_of_others(
    world: World,
) -> None:
    await world.say("lea", "start 3d")
    await world.answer_all("ali", [2, 3, 0])
    await world.answer_all("bea", [5, 5, 5])
    reply = await world.say("ali", "mine-data")
    assert reply.private
    text = reply.view.text  # type: ignore[union-attr]
    stored = json.loads(text[text.index("```") + 3 : text.rindex("```")])
    assert stored["user"] == "ali"
    assert sorted(s["score"] for s in stored["scores"]) == [0, 2, 3]
    assert stored["rounds"][0]["completed_at"] is not None
    assert "bea" not in text and "lea" not in stored["leads_teams"]
    assert (await world.say("lea", "my-data")).private
    led = json.loads(
        (await world.say("lea", "my-data")).view.text.split("```")[1]  # type: ignore[union-attr]
    )
    assert led["leads_teams"] == [TEAM] and led["scores"] == []


async def test_retention_purges_delivered_messages_and_old_event_ids(world: World) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.scheduling import retention

    await world.say("lea", "start 3d", event_id="cmd-1")
    await world.answer_all("ali", [2, 3, 0])
    async with world.runtime.sessions() as session:
        delivered = len((await session.scalars(select(OutboxMessage))).all())
    assert delivered > 0
    now = datetime.now(UTC)  # rows are stamped with the real time, not the world's
    kept, _ = await retention.purge(world.runtime, now)  # event ids carry the world's clock
    assert kept == 0  # every message is recent
    later = now + timedelta(days=world.runtime.settings.retention_days + 1)
    purged, _ = await retention.purge(world.runtime, later)
    assert purged == delivered
    async with world.runtime.sessions() as session:
        assert (await session.scalars(select(ProcessedEvent))).all() == []
    async with world.runtime.sessions() as session:
        assert (await session.scalars(select(OutboxMessage))).all() == []
    assert await count_scores(world.runtime) == 3  # answers are not messages: they stay


async def test_after_a_switch_to_english_the_round_answers_in_english(world: World) -> None:
    from bot.usecases.setup import speak

    await world.say("lea", "start 3d")
    await world.answer_all("ali", [2, 3, 0])
    async with world.runtime.transaction() as session:
        assert await speak(session, "test", TEAM, "en")
    status = await world.say("lea", "status")
    assert "Invited: 4" in message_text(status.view)  # type: ignore[arg-type]
    mine = await world.say("ali", "me")
    assert "your answer 2" in message_text(mine.view)  # type: ignore[arg-type]
    await world.say("lea", "close")
    export = await world.say("lea", "export")
    assert "Chart" in [link.label for link in export.view.links]  # type: ignore[union-attr]
