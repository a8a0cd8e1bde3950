"""`opsæt`: the team's target profile, from a template or the current one (the catalog's
steps 1–3). The first person to set up a team without leaders becomes its leader."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogs import setup
from bot.dialogs.outcome import Outcome, Reply
from bot.i18n import t
from bot.services import profiles
from bot.services.snapshots import competence_name
from bot.usecases import units
from bot.usecases.request import Request, note
from bot.views import Button, Message
from catalog.loader import load_catalog
from catalog.profiles import ProfileSpec, template_entries
from storage import teams
from storage.models import Team


async def begin(req: Request) -> Outcome:
    command = req.command
    assert command is not None and command.team_key is not None
    team = req.team or await teams.get_or_create(
        req.session,
        req.platform,
        command.team_key,
        language=req.settings.language,
        timezone=req.settings.timezone,
    )
    if command.workspace and not team.workspace:
        team.workspace = command.workspace
    first = not team.leaders
    if first:
        teams.add_leaders(team, [req.person.user_id])
    has_profile = await teams.latest_profile(req.session, team.id) is not None
    form = setup.base_form(req.language, team.key, has_profile)
    if first:
        form = replace(form, intro=t("setup.first_leader", req.language) + "\n\n" + form.intro)
    return Outcome(Reply(form))


async def _candidates(
    req: Request, team: Team, base: str, language: str
) -> tuple[list[setup.Candidate], ProfileSpec | None]:
    if base == setup.CURRENT:
        profile = await teams.latest_profile(req.session, team.id)
        spec = profiles.spec_from_profile(profile) if profile else None
    else:
        title, entries = template_entries(base, language)
        prefill = setup.PREFILL[base]
        spec = ProfileSpec(title, language, tuple(replace(e, target=prefill) for e in entries))
    if spec is None:
        return [], None
    catalog = load_catalog()
    candidates = []
    for entry in spec.competences:
        known = catalog.competences.get(entry.id)
        dimension = known.dimension if known else (entry.dimension or "")
        name = competence_name(entry.id, entry.local(language).name, language)
        candidates.append(setup.Candidate(entry.id, name, dimension, entry.target or 0))
    return candidates, spec


def _base_and_language(
    source: dict[str, Any], language: str, *, keys: tuple[str, str]
) -> tuple[str, str] | None:
    base = str(source.get(keys[0]) or "")
    profile_language = str(source.get(keys[1]) or language)
    if base not in setup.BASES or profile_language not in ("da", "en"):
        return None
    return base, profile_language


def _level(raw: object, otherwise: int) -> int:
    """A submitted level as a number, or `otherwise` for anything that is not 0–5."""
    text = str(raw)
    return int(text) if text in {"0", "1", "2", "3", "4", "5"} else otherwise


def _fields(req: Request) -> dict[str, Any]:
    fields = req.data.get("fields")
    return fields if isinstance(fields, dict) else {}


async def targets(req: Request) -> Outcome:
    """The starting point is chosen: the targets form for its competences."""
    fixed = await units.targets_fixed(req)
    if fixed is not None:
        return fixed
    team, lang = req.team, req.language
    assert team is not None
    chosen = _base_and_language(_fields(req), lang, keys=("base", "language"))
    if chosen is None:
        return Outcome(note("error.unknown_action", lang, "error"))
    candidates, _ = await _candidates(req, team, *chosen)
    if not candidates:
        return Outcome(note("error.no_profile", lang, "warning"))
    form = setup.targets_form(lang, team.key, chosen[0], chosen[1], candidates)
    return Outcome(Reply(form, mode="replace"))


async def save(req: Request) -> Outcome:
    fixed = await units.targets_fixed(req)
    if fixed is not None:
        return fixed
    team, lang = req.team, req.language
    assert team is not None
    chosen = _base_and_language(req.data, lang, keys=("base", "lang"))
    if chosen is None:
        return Outcome(note("error.unknown_action", lang, "error"))
    candidates, spec = await _candidates(req, team, *chosen)
    if spec is None:
        return Outcome(note("error.no_profile", lang, "warning"))
    submitted = _fields(req)
    decided = setup.read_targets(submitted, [c.id for c in candidates])
    if isinstance(decided, str):
        # The form again, as the leader left it, with why it was refused.
        as_left = [replace(c, target=_level(submitted.get(c.id), c.target)) for c in candidates]
        form = setup.targets_form(lang, team.key, *chosen, as_left)
        return Outcome(Reply(replace(form, error=t(decided, lang)), mode="replace"))
    kept = setup.with_targets(spec, decided)
    saved = ProfileSpec(name=spec.name or team.name, language=chosen[1], competences=kept)
    profile = await profiles.save_profile(req.session, team, saved, created_by=req.person.user_id)
    new_lang = team.language
    buttons = (Button(t("button.adapt_wording", new_lang), "setup-wording", {"t": team.key}),)
    text = t("setup.saved", new_lang, count=len(kept), version=profile.version)
    return Outcome(Reply(Message(text, buttons, tone="success"), mode="replace"))


async def wording_form(req: Request) -> Outcome:
    team, lang = req.team, req.language
    assert team is not None
    profile = await teams.latest_profile(req.session, team.id)
    if profile is None:
        return Outcome(note("error.no_profile", lang, "warning"))
    choices = [
        (entry.id, competence_name(entry.id, entry.local(lang).name, lang))
        for entry in profiles.spec_from_profile(profile).competences
    ]
    return Outcome(Reply(setup.wording_form(lang, team.key, choices), mode="replace"))


async def wording_save(req: Request) -> Outcome:
    team, lang = req.team, req.language
    assert team is not None
    profile = await teams.latest_profile(req.session, team.id)
    if profile is None:
        return Outcome(note("error.no_profile", lang, "warning"))
    spec = profiles.spec_from_profile(profile)
    fields = _fields(req)
    cid = str(fields.get("competence") or "")
    if cid not in {e.id for e in spec.competences}:
        return Outcome(note("error.unknown_competence", lang, "error"))
    new = setup.with_wording(spec, cid, fields, lang)
    saved = await profiles.save_profile(req.session, team, new, created_by=req.person.user_id)
    buttons = (Button(t("button.adapt_more", lang), "setup-wording", {"t": team.key}),)
    text = t("setup.wording_saved", lang, id=cid, version=saved.version)
    return Outcome(Reply(Message(text, buttons, tone="success"), mode="replace"))


async def speak(session: AsyncSession, platform: str, team_key: str, language: str) -> bool:
    """Switch the team's language (the playground's switch); False for an unknown team."""
    team = await teams.find(session, platform, team_key)
    if team is None or language not in ("da", "en"):
        return False
    team.language = language
    return True
