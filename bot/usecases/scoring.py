"""Members' clicks on their prompts: answer, move, or see examples; the prompt updates in place.

Clicks that arrive together are decided and stored together (the turn's group commit): each
round is read once (shared-locked, so a concurrent close waits), the members' seats in one
locked query, and the scores in one statement. The pure scoring dialog decides each click in
the order it came, on the seat as the member's previous click left it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from bot.dialogs import scoring
from bot.dialogs.outcome import Destination, Outcome, Outgoing, Reply
from bot.domain import Progress, RoundInfo
from bot.i18n import t
from bot.services import snapshots
from bot.usecases.request import Request, note
from bot.views import Message
from storage import rounds
from storage.models import Participant


def ref_key(ref: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(ref, sort_keys=True).encode()).hexdigest()[:16]


def _refused(req: Request) -> Outcome:
    return Outcome(note("error.unknown_round", req.language, "error", private=True))


async def clicks(requests: Sequence[Request]) -> list[Outcome]:
    """The outcome of each click, in order; all in the requests' one session."""
    outcomes: dict[int, Outcome] = {}
    by_round: dict[int, list[int]] = {}
    for index, req in enumerate(requests):
        round_id = req.data.get("r")
        if isinstance(round_id, bool) or not isinstance(round_id, int):
            outcomes[index] = _refused(req)
        else:
            by_round.setdefault(round_id, []).append(index)
    stored: list[rounds.NewScore] = []
    for round_id, indexes in sorted(by_round.items()):  # in one order on every replica
        session = requests[indexes[0]].session
        round_ = await rounds.for_answer(session, round_id)
        if round_ is None:
            outcomes.update((i, _refused(requests[i])) for i in indexes)
            continue
        items = snapshots.cached(round_)
        if items is None:
            frozen = await rounds.snapshot(session, round_id) or {"competences": []}
            items = snapshots.parse(round_, frozen)
        info = snapshots.round_info(round_, items)
        users = {requests[i].person.user_id for i in indexes}
        seats = await rounds.seats(session, round_id, users)
        for i in indexes:
            req = requests[i]
            if round_.team.platform != req.platform:
                outcomes[i] = _refused(req)
                continue
            outcomes[i] = _decide(req, info, seats.get(req.person.user_id), stored)
    if stored:
        await rounds.save_scores(requests[0].session, stored)
    return [outcomes[i] for i in range(len(requests))]


def _decide(
    req: Request,
    info: RoundInfo,
    found: tuple[Participant, dict[str, int]] | None,
    stored: list[rounds.NewScore],
) -> Outcome:
    """One click on the seat as the member's previous click left it; the seat and answers
    are updated in place for the next click in the same batch."""
    action_name = getattr(req.event, "name", "")
    user_id = req.person.user_id
    seat, answers = found if found is not None else (None, {})
    progress = (
        Progress(user_id, seat.position, dict(answers), seat.moved_at, seat.moved_score)
        if seat is not None
        else None
    )
    step = scoring.click(
        info,
        progress,
        user_id,
        action_name,
        req.data,
        clicked=req.envelope.clicked,
        shown=seat.prompt_ref if seat is not None else None,
        now=req.now,
    )
    if isinstance(step, scoring.Refusal):
        return Outcome(Reply(step.view, "replace" if step.in_place else "ephemeral", private=True))
    assert seat is not None
    if step.ignored:
        return Outcome(Reply(step.view, mode="replace", private=True))
    # The prompt in front of the member changed: a new competence, or the intro/finish page
    # replaced by a prompt (continue, goto), so a second tap would land on something new.
    moved = step.progress.position != seat.position or action_name in ("continue", "goto")
    seat.moved_at = req.now if moved else None
    seat.moved_score = step.stored[1] if moved and step.stored is not None else None
    if step.stored is not None:
        competence_id, value = step.stored
        answers[competence_id] = value
        stored.append(rounds.NewScore(info.id, user_id, competence_id, value, req.now))
        req.metrics.scores.inc()
    seat.position = step.progress.position
    if seat.started_at is None:
        seat.started_at = req.now
    if seat.completed_at is None and step.progress.is_complete(info):
        seat.completed_at = req.now
    outgoing = []
    if step.retire is not None:
        notice = Message(t("prompt.moved", info.language))
        key = f"strip:{info.id}:{user_id}:{ref_key(step.retire)}"
        outgoing.append(Outgoing(Destination.ref(step.retire), notice, key))
    if req.envelope.clicked is not None:
        seat.prompt_ref = req.envelope.clicked
    return Outcome(Reply(step.view, mode="replace", private=True), tuple(outgoing))
