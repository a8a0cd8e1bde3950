"""Setup in modals: starting point, targets grouped by dimension, local wording."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.services.profiles import spec_from_profile
from storage import teams as repo
from storage.models import Team


async def latest_spec(slack: Any) -> Any:
    async with slack.runtime.sessions() as session:
        team = await repo.find(session, "slack", slack.CHANNEL)
        assert team is not None
        profile = await repo.latest_profile(session, team.id)
        return None if profile is None else (profile.version, spec_from_profile(profile))


async def test_setup_in_modals_saves_a_profile(slack: Any) -> None:
    fake = slack.fake
    assert await slack.command(slack.LEADER, "opsæt") == {}
    opened = fake.called("views.open")
    assert len(opened) == 1
    base = opened[0].args["view"]
    assert base["callback_id"] == "setup-base"
    assert len(base["title"]["text"]) <= 24
    assert "registreret som leder" in json.dumps(base, ensure_ascii=False)

    targets = await slack.submit(slack.LEADER, base, {"base": "materialegaard"})
    assert targets["response_action"] == "update"
    form = targets["view"]
    inputs = [b for b in form["blocks"] if b["type"] == "input"]
    headers = [b["text"]["text"] for b in form["blocks"] if b["type"] == "header"]
    assert len(inputs) == 22 and len(form["blocks"]) <= 100
    assert headers[0].startswith("M1 ")  # grouped by dimension

    saved = await slack.submit(slack.LEADER, form, {"M02": "4", "M04": "0"})
    assert saved["response_action"] == "update"
    assert "Tilpas en formulering" in json.dumps(saved["view"], ensure_ascii=False)
    version, spec = await latest_spec(slack)
    targets_by_id = {entry.id: entry.target for entry in spec.competences}
    assert version == 1 and len(targets_by_id) == 21
    assert targets_by_id["M02"] == 4 and "M04" not in targets_by_id

    await slack.settle()
    async with slack.runtime.sessions() as session:
        team = await session.scalar(select(Team).where(Team.key == slack.CHANNEL))
        assert team is not None and team.name == slack.CHANNEL_NAME

    shown = {**saved["view"], "id": "VSAVED"}
    adapt = next(e for b in shown["blocks"] if b["type"] == "actions" for e in b["elements"])
    response = await slack.click(slack.LEADER, adapt["action_id"], adapt["value"], view=shown)
    assert response.status == 200
    await slack.settle()
    updated = fake.called("views.update")[-1].args
    assert updated["view_id"] == "VSAVED"
    wording = updated["view"]
    assert wording["callback_id"] == "setup-wording"

    done = await slack.submit(slack.LEADER, wording, {"competence": "M13", "name": "Robotter"})
    assert done["response_action"] == "update"
    version, spec = await latest_spec(slack)
    assert version == 2
    assert next(e for e in spec.competences if e.id == "M13").local("da").name == "Robotter"


async def test_a_refused_submission_shows_beside_the_inputs(slack: Any) -> None:
    await slack.command(slack.LEADER, "opsæt")
    base = slack.fake.called("views.open")[0].args["view"]
    form = (await slack.submit(slack.LEADER, base, {"base": "materialegaard"}))["view"]
    everything_zero = {
        b["block_id"].removeprefix("f:"): "0" for b in form["blocks"] if b["type"] == "input"
    }
    refused = await slack.submit(slack.LEADER, form, everything_zero)
    assert refused["response_action"] == "errors"
    [(block_id, message)] = refused["errors"].items()
    assert block_id == "f:M02" and message
    assert await latest_spec(slack) is None


async def test_only_a_leader_may_submit_setup(slack: Any) -> None:
    await slack.import_profile()
    await slack.command(slack.LEADER, "opsæt")
    base = slack.fake.called("views.open")[0].args["view"]
    refused = await slack.submit("UANNA", base, {"base": "materialegaard"})
    assert refused["response_action"] == "errors"
    assert "kun holdets ledere" in next(iter(refused["errors"].values()))
