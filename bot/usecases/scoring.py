"""A member's click on their prompt: answer, move, or see examples; the prompt updates in place.

The pure scoring dialog decides; this loads the round (shared-locked, so a concurrent close
waits) and the member's seat, saves what the dialog decided, and retires an older copy.
"""

from __future__ import annotations

import hashlib
import json

from bot.dialogs import scoring
from bot.dialogs.outcome import Destination, Outcome, Outgoing, Reply
from bot.domain import Progress
from bot.i18n import t
from bot.services import snapshots
from bot.usecases.request import Request, note
from bot.views import Message
from storage import rounds


def ref_key(ref: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(ref, sort_keys=True).encode()).hexdigest()[:16]


async def click(req: Request) -> Outcome:
    action_name = getattr(req.event, "name", "")
    round_id = req.data.get("r")
    refused = Outcome(note("error.unknown_round", req.language, "error", private=True))
    if isinstance(round_id, bool) or not isinstance(round_id, int):
        return refused
    round_ = await rounds.for_answer(req.session, round_id)
    if round_ is None or round_.team.platform != req.platform:
        return refused
    items = snapshots.cached(round_)
    if items is None:
        frozen = await rounds.snapshot(req.session, round_id) or {"competences": []}
        items = snapshots.parse(round_, frozen)
    info = snapshots.round_info(round_, items)
    user_id = req.person.user_id
    found = await rounds.seat(req.session, round_id, user_id)
    seat, answers = found if found is not None else (None, {})
    progress = (
        Progress(user_id, seat.position, answers, seat.moved_at, seat.moved_score)
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
        await rounds.save_score(req.session, round_id, user_id, *step.stored, req.now)
        req.metrics.scores.inc()
    seat.position = step.progress.position
    if seat.started_at is None:
        seat.started_at = req.now
    if seat.completed_at is None and step.progress.is_complete(info):
        seat.completed_at = req.now
    outgoing = []
    if step.retire is not None:
        notice = Message(t("prompt.moved", info.language))
        key = f"strip:{round_id}:{user_id}:{ref_key(step.retire)}"
        outgoing.append(Outgoing(Destination.ref(step.retire), notice, key))
    if req.envelope.clicked is not None:
        seat.prompt_ref = req.envelope.clicked
    return Outcome(Reply(step.view, mode="replace", private=True), tuple(outgoing))
