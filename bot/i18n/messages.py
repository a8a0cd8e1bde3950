"""The message catalogue. Danish first; every key has both languages (a test checks it)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # -- help and general errors ---------------------------------------------------------
    "help.text": {
        "da": (
            "*Kompetencebot* kortlægger holdets digitale kompetencer efter KL's katalog.\n"
            "*Leder:* `opsæt` (målprofil) · `start [dato|3d]` (ny runde) · `status` · "
            "`påmind` · `luk` · `eksport`\n"
            "*Alle:* `resultat` (holdets resultat) · `mine` (dine egne svar) · "
            "`slet-mine-data` · `hjælp`\n"
            "Dine svar ser kun du. Holdet ser gennemsnit, og kun hvor mindst 3 har svaret."
        ),
        "en": (
            "*Kompetencebot* maps your team's digital competences using KL's catalog.\n"
            "*Leader:* `setup` (target profile) · `start [date|3d]` (new round) · `status` · "
            "`remind` · `close` · `export`\n"
            "*Everyone:* `results` (the team's results) · `me` (your own answers) · "
            "`forget-me` · `help`\n"
            "Only you see your answers. The team sees averages, and only where at least 3 "
            "have answered."
        ),
    },
    "error.unknown_command": {
        "da": "Jeg kender ikke kommandoen «{word}». Skriv `hjælp` for at se, hvad jeg kan.",
        "en": "I don't know the command «{word}». Type `help` to see what I can do.",
    },
    "error.channel_only": {
        "da": "Den kommando virker i holdets kanal, ikke i en privat samtale.",
        "en": "That command works in the team's channel, not in a private chat.",
    },
    "error.not_leader": {
        "da": "Det er kun holdets ledere, der kan gøre det. Spørg din leder, hvis noget skal "
        "ændres.",
        "en": "Only the team's leaders can do that. Ask your leader if something needs changing.",
    },
    "error.no_profile": {
        "da": "Holdet har ingen målprofil endnu. En leder kan oprette den med `opsæt`.",
        "en": "The team has no target profile yet. A leader can create one with `setup`.",
    },
    "error.no_open_round": {
        "da": "Der er ingen åben runde lige nu. En leder kan starte en med `start`.",
        "en": "There is no open round right now. A leader can start one with `start`.",
    },
    "error.unknown_round": {
        "da": "Den runde kender jeg ikke. Brug den seneste besked fra mig.",
        "en": "I don't know that round. Please use my latest message.",
    },
    "error.round_closed": {
        "da": "Runden er lukket, så svar kan ikke længere ændres. Tak for din interesse!",
        "en": "This round has closed, so answers can no longer be changed. Thank you anyway!",
    },
    "error.not_participant": {
        "da": "Du er ikke med i denne runde, så dit svar er ikke gemt.",
        "en": "You are not part of this round, so your answer was not saved.",
    },
    "error.not_your_prompt": {
        "da": "Den knap hører til en anden deltagers spørgsmål. Intet er gemt.",
        "en": "That button belongs to another participant's question. Nothing was saved.",
    },
    "error.bad_score": {
        "da": "Vælg et niveau fra 0 til 5. Intet er gemt.",
        "en": "Please choose a level from 0 to 5. Nothing was saved.",
    },
    "error.unknown_competence": {
        "da": "Den kompetence er ikke med i runden. Intet er gemt.",
        "en": "That competence is not part of this round. Nothing was saved.",
    },
    "error.unknown_action": {
        "da": "Det forstod jeg ikke. Prøv igen fra den seneste besked.",
        "en": "I didn't understand that. Please try again from the latest message.",
    },
    "error.internal": {
        "da": "Beklager, noget gik galt hos mig. Prøv igen om lidt.",
        "en": "Sorry, something went wrong on my side. Please try again shortly.",
    },
    # -- deadlines -----------------------------------------------------------------------
    "deadline.unreadable": {
        "da": "Fristen skal være en dato (2026-12-10 eller 10-12-2026) eller en varighed "
        "(3d, 12h, 30m).",
        "en": "The deadline must be a date (2026-12-10 or 10-12-2026) or a duration "
        "(3d, 12h, 30m).",
    },
    "deadline.past": {
        "da": "Fristen skal ligge ude i fremtiden.",
        "en": "The deadline must be in the future.",
    },
    "deadline.too_far": {
        "da": "Fristen må højst ligge et år ude i fremtiden.",
        "en": "The deadline can be at most a year away.",
    },
    # -- start ---------------------------------------------------------------------------
    "start.already_open": {
        "da": "Holdet har allerede en åben runde. Luk den med `luk`, før du starter en ny.",
        "en": "The team already has an open round. Close it with `close` before starting "
        "a new one.",
    },
    "start.too_few": {
        "da": "Kanalen har kun {count} deltagere. Der skal være mindst {threshold}, så ingen "
        "enkeltpersons svar kan aflæses af resultatet.",
        "en": "The channel has only {count} members. At least {threshold} are needed so that "
        "no one's answers can be read from the results.",
    },
    "start.done": {
        "da": "Runden er startet. {invited} deltagere har fået en privat besked.",
        "en": "The round has started. {invited} members have received a private message.",
    },
    "start.announcement": {
        "da": (
            "*Ny kompetencerunde for {team}*\n"
            "{invited} deltagere vurderer sig selv på {count} kompetencer. Fristen er "
            "{deadline}.\nAlle får en privat besked. Dine svar ser kun du; holdet ser "
            "gennemsnit, og kun hvor mindst {threshold} har svaret."
        ),
        "en": (
            "*New competence round for {team}*\n"
            "{invited} members rate themselves on {count} competences. The deadline is "
            "{deadline}.\nEveryone gets a private message. Only you see your answers; the team "
            "sees averages, and only where at least {threshold} have answered."
        ),
    },
    "intro.text": {
        "da": (
            "Hej {name}! *{team}* kortlægger holdets digitale kompetencer efter KL's katalog "
            "«Kompetencer til et digitalt arbejdsliv». Målet er at se, hvor holdet står i "
            "forhold til sine mål, og hvor det giver mening at lære mere.\n\n"
            "Du får {count} kompetencer, én ad gangen. Vurdér dit nuværende niveau:\n{scale}\n\n"
            "Fristen er {deadline}. Du kan holde pause, gå tilbage og ændre dine svar indtil "
            "da.\n\n*Privatliv:* kun du ser dine svar. Holdet ser gennemsnit for hver "
            "kompetence, og kun hvor mindst {threshold} har svaret."
        ),
        "en": (
            "Hi {name}! *{team}* is mapping the team's digital competences using KL's catalog "
            '"Competences for a digital working life". The aim is to see where the team '
            "stands against its targets, and where learning more makes sense.\n\n"
            "You will get {count} competences, one at a time. Rate your current level:\n"
            "{scale}\n\n"
            "The deadline is {deadline}. You can pause, go back and change your answers until "
            "then.\n\n*Privacy:* only you see your answers. The team sees averages for each "
            "competence, and only where at least {threshold} have answered."
        ),
    },
    # -- scoring -------------------------------------------------------------------------
    "prompt.progress": {"da": "{index} af {total}", "en": "{index} of {total}"},
    "prompt.examples_title": {"da": "Eksempler", "en": "Examples"},
    "prompt.current": {"da": "Dit svar nu: {score}", "en": "Your answer now: {score}"},
    "prompt.moved": {
        "da": "Spørgsmålene er flyttet til en nyere besked.",
        "en": "The questions have moved to a newer message.",
    },
    "done.complete": {
        "da": "*Tak!* Du har svaret på alle {total} kompetencer. Du kan ændre dine svar indtil "
        "{deadline}. Holdets resultat kommer i kanalen, når runden lukker.",
        "en": "*Thank you!* You have answered all {total} competences. You can change your "
        "answers until {deadline}. The team's results appear in the channel when the round "
        "closes.",
    },
    "done.partial": {
        "da": "Du har svaret på {answered} af {total} kompetencer og sprunget {skipped} over. "
        "Du kan nå dem indtil {deadline}.",
        "en": "You have answered {answered} of {total} competences and skipped {skipped}. "
        "You can return to them until {deadline}.",
    },
    "button.begin": {"da": "Kom i gang", "en": "Get started"},
    "button.continue": {"da": "Fortsæt", "en": "Continue"},
    "button.back": {"da": "← Tilbage", "en": "← Back"},
    "button.skip": {"da": "Spring over →", "en": "Skip →"},
    "button.examples": {"da": "Vis eksempler", "en": "Show examples"},
    "button.review": {"da": "Gennemgå mine svar", "en": "Review my answers"},
    "button.answer_skipped": {"da": "Svar på de oversprungne", "en": "Answer the skipped ones"},
    "button.next": {"da": "Næste", "en": "Next"},
    "button.save": {"da": "Gem", "en": "Save"},
    "button.cancel": {"da": "Fortryd", "en": "Cancel"},
    "button.forget_confirm": {"da": "Ja, slet mine svar", "en": "Yes, delete my answers"},
    "button.adapt_wording": {"da": "Tilpas en formulering", "en": "Adapt a wording"},
    "button.adapt_more": {"da": "Tilpas en til", "en": "Adapt another"},
    # -- leader --------------------------------------------------------------------------
    "status.none": {
        "da": "Holdet har ikke haft nogen runde endnu.",
        "en": "The team has not had a round yet.",
    },
    "status.open": {
        "da": "*Runden for {team} er åben* til {deadline}.\nInviteret: {invited} · færdige: "
        "{completed} · i gang: {in_progress} · ikke startet: {not_started}",
        "en": "*The round for {team} is open* until {deadline}.\nInvited: {invited} · finished: "
        "{completed} · in progress: {in_progress} · not started: {not_started}",
    },
    "status.closed": {
        "da": "*Den seneste runde for {team} er lukket.*\nInviteret: {invited} · færdige: "
        "{completed} · i gang: {in_progress} · ikke startet: {not_started}",
        "en": "*The latest round for {team} has closed.*\nInvited: {invited} · finished: "
        "{completed} · in progress: {in_progress} · not started: {not_started}",
    },
    "status.unreachable": {
        "da": "{count} deltagere kunne ikke nås (fx har de blokeret beskeder fra appen).",
        "en": "{count} members could not be reached (for example, they blocked the app).",
    },
    "remind.sent": {
        "da": "Påmindelsen er sendt til {count} deltagere, der ikke er færdige.",
        "en": "The reminder went to {count} members who have not finished.",
    },
    "remind.nudge": {
        "da": "En venlig påmindelse: *{team}* kortlægger digitale kompetencer, og fristen er "
        "{deadline}. Det tager få minutter, og du fortsætter, hvor du slap.",
        "en": "A friendly reminder: *{team}* is mapping digital competences, and the deadline "
        "is {deadline}. It takes a few minutes, and you continue where you left off.",
    },
    "close.done": {
        "da": "Runden er lukket. Resultatet er sendt til kanalen, og hver deltager har fået "
        "sine egne svar.",
        "en": "The round is closed. The results went to the channel, and each member has "
        "received their own answers.",
    },
    "results.not_yet": {
        "da": "Der er intet resultat endnu. Det vises, når en runde er lukket.",
        "en": "There are no results yet. They appear once a round has closed.",
    },
    "export.links": {
        "da": "*Eksport af {team}s seneste runde* (kun samlede tal):\nGraf: {chart}\n"
        "CSV: {csv}\nExcel: {xlsx}\nMålprofil (YAML): {profile}",
        "en": "*Export of {team}'s latest round* (aggregates only):\nChart: {chart}\n"
        "CSV: {csv}\nExcel: {xlsx}\nTarget profile (YAML): {profile}",
    },
    # -- results ---------------------------------------------------------------------------
    "summary.title": {"da": "Resultat for {team}", "en": "Results for {team}"},
    "summary.intro": {
        "da": "{completed} af {invited} har svaret på alle kompetencer ({rate} %).",
        "en": "{completed} of {invited} answered every competence ({rate}%).",
    },
    "summary.gaps_title": {"da": "Største gab til målet", "en": "Largest gaps to the target"},
    "summary.gap_line": {
        "da": "{name}: mål {target}, gennemsnit {mean} (gab {gap})",
        "en": "{name}: target {target}, mean {mean} (gap {gap})",
    },
    "summary.no_gaps": {
        "da": "Holdet ligger på eller over målet for alle viste kompetencer.",
        "en": "The team is at or above its target on every competence shown.",
    },
    "summary.calibrate_title": {"da": "Tal om skalaen", "en": "Talk about the scale"},
    "summary.calibrate_line": {
        "da": "{name}: svarene spænder fra {low} til {high}",
        "en": "{name}: answers range from {low} to {high}",
    },
    "summary.calibrate_hint": {
        "da": "Hvor svarene spreder sig meget, så tal i små grupper om, hvad et 2-tal eller "
        "et 5-tal betyder i jeres arbejde.",
        "en": "Where answers vary a lot, talk in small groups about what a 2 or a 5 means in "
        "your work.",
    },
    "summary.dimensions_title": {"da": "Dimensioner", "en": "Dimensions"},
    "summary.dimension_line": {
        "da": "{name}: mål {target}, gennemsnit {mean}",
        "en": "{name}: target {target}, mean {mean}",
    },
    "summary.change_title": {
        "da": "Udvikling siden sidste runde",
        "en": "Change since the previous round",
    },
    "summary.change_line": {"da": "{name}: {change}", "en": "{name}: {change}"},
    "summary.suppressed_title": {"da": "For få svar", "en": "Too few answers"},
    "summary.suppressed_line": {
        "da": "{count} kompetencer har færre end {threshold} svar og vises ikke, af hensyn "
        "til anonymiteten.",
        "en": "{count} competences have fewer than {threshold} answers and are not shown, "
        "to protect anonymity.",
    },
    "summary.chart_alt": {
        "da": "Graf: holdets gennemsnit og spredning mod målet for hver kompetence",
        "en": "Chart: the team's mean and range against the target for each competence",
    },
    "mine.title_open": {
        "da": "*Dine svar i {team}s åbne runde* (kun du ser dem):",
        "en": "*Your answers in {team}'s open round* (only you see them):",
    },
    "mine.title_closed": {
        "da": "*Dine svar i {team}s runde mod holdets mål* (kun du ser dem):",
        "en": "*Your answers in {team}'s round against the team's targets* (only you see them):",
    },
    "mine.line": {
        "da": "{name}: dit svar {score} · mål {target}",
        "en": "{name}: your answer {score} · target {target}",
    },
    "mine.line_skipped": {
        "da": "{name}: sprunget over · mål {target}",
        "en": "{name}: skipped · target {target}",
    },
    "mine.none": {
        "da": "Du har ikke været med i nogen runde endnu.",
        "en": "You have not taken part in a round yet.",
    },
    "forget.ask": {
        "da": "Vil du slette alle dine svar i alle runder? Det kan ikke fortrydes. Holdets "
        "resultater regnes uden dine svar.",
        "en": "Do you want to delete all your answers in every round? This cannot be undone. "
        "The team's results are counted without your answers.",
    },
    "forget.done": {
        "da": "Dine svar er slettet ({count} i alt).",
        "en": "Your answers have been deleted ({count} in all).",
    },
    "forget.cancelled": {"da": "Intet er slettet.", "en": "Nothing was deleted."},
    # -- setup -----------------------------------------------------------------------------
    "setup.title": {"da": "Holdets målprofil", "en": "The team's target profile"},
    "setup.first_leader": {
        "da": "Holdet havde ingen leder, så du er nu registreret som leder.",
        "en": "The team had no leader, so you are now registered as its leader.",
    },
    "setup.base_intro": {
        "da": "Vælg et udgangspunkt. Du vælger derefter, hvilke kompetencer der er vigtige, og "
        "sætter et mål fra 1 til 5 for hver.",
        "en": "Choose a starting point. Next you pick the competences that matter and set a "
        "target from 1 to 5 for each.",
    },
    "setup.base_label": {"da": "Udgangspunkt", "en": "Starting point"},
    "setup.language_label": {"da": "Holdets sprog", "en": "The team's language"},
    "setup.base.current": {"da": "Holdets nuværende profil", "en": "The team's current profile"},
    "setup.base.materialegaard": {
        "da": "Materialegården (KL's eksempel, 22 kompetencer)",
        "en": "The materials depot (KL's example, 22 competences)",
    },
    "setup.base.medarbejder": {
        "da": "Alle medarbejderkompetencer (60)",
        "en": "All employee competences (60)",
    },
    "setup.base.leder": {
        "da": "Lederkompetencer (22 + 13 brugerkompetencer)",
        "en": "Leader competences (22 + 13 user competences)",
    },
    "setup.targets_intro": {
        "da": "Sæt et mål fra 1 til 5 for hver kompetence, der er vigtig for holdet. "
        "0 betyder «ikke relevant nu», og kompetencen falder ud.",
        "en": "Set a target from 1 to 5 for each competence that matters to the team. "
        '0 means "not relevant now", and the competence drops out.',
    },
    "setup.level_zero": {"da": "0 · ikke relevant", "en": "0 · not relevant"},
    "setup.error_target": {
        "da": "Hvert mål skal være et tal fra 0 til 5. Intet er gemt.",
        "en": "Every target must be a number from 0 to 5. Nothing was saved.",
    },
    "setup.error_empty": {
        "da": "Mindst én kompetence skal have et mål over 0. Intet er gemt.",
        "en": "At least one competence needs a target above 0. Nothing was saved.",
    },
    "setup.saved": {
        "da": "Målprofilen er gemt (version {version}) med {count} kompetencer. Start en runde "
        "med `start 7d`, eller tilpas formuleringerne til jeres arbejde.",
        "en": "The target profile is saved (version {version}) with {count} competences. "
        "Start a round with `start 7d`, or adapt the wording to your work.",
    },
    "setup.wording_title": {"da": "Tilpas formulering", "en": "Adapt the wording"},
    "setup.wording_intro": {
        "da": "Skriv kompetencen med jeres egne ord og eksempler. Tomme felter beholder den "
        "nuværende tekst.",
        "en": "Put the competence in your own words and examples. Empty fields keep the "
        "current text.",
    },
    "setup.wording_competence": {"da": "Kompetence", "en": "Competence"},
    "setup.wording_name": {"da": "Lokalt navn", "en": "Local name"},
    "setup.wording_description": {"da": "Beskrivelse", "en": "Description"},
    "setup.wording_examples": {"da": "Eksempler", "en": "Examples"},
    "setup.wording_saved": {
        "da": "Formuleringen af {id} er gemt (profilversion {version}).",
        "en": "The wording of {id} is saved (profile version {version}).",
    },
    # -- Microsoft Teams ---------------------------------------------------------------------
    "teams.greeting": {
        "da": (
            "*Hej, jeg er {bot}.* Jeg kortlægger holdets digitale kompetencer efter KL's "
            "katalog «Kompetencer til et digitalt arbejdsliv».\n\n"
            "*Sådan kommer I i gang*\n"
            "1. En leder skriver `@{bot} opsæt` her i kanalen og vælger kompetencer og mål.\n"
            "2. Lederen starter en runde med `@{bot} start` (fx `@{bot} start 7d`).\n"
            "Alle i kanalen får en privat besked fra mig. Dine svar ser kun du; holdet ser "
            "gennemsnit, og kun hvor mindst 3 har svaret.\n\n"
            "Skriv `@{bot} hjælp` for alle kommandoer."
        ),
        "en": (
            "*Hi, I'm {bot}.* I map your team's digital competences using KL's catalog "
            "«Kompetencer til et digitalt arbejdsliv».\n\n"
            "*How to begin*\n"
            "1. A leader types `@{bot} setup` here in the channel and picks competences and "
            "targets.\n"
            "2. The leader starts a round with `@{bot} start` (e.g. `@{bot} start 7d`).\n"
            "Everyone in the channel gets a private message from me. Only you see your "
            "answers; the team sees averages, and only where at least 3 have answered.\n\n"
            "Type `@{bot} help` for all commands."
        ),
    },
    "teams.installer_leader": {
        "da": "{name} har installeret mig og er registreret som holdets leder.",
        "en": "{name} installed me and is registered as the team's leader.",
    },
    "teams.answered_privately": {
        "da": "Jeg har svaret dig i vores private chat.",
        "en": "I have answered you in our private chat.",
    },
    # -- Slack ---------------------------------------------------------------------------------
    "slack.home.title": {"da": "Kompetencebot", "en": "Kompetencebot"},
    "slack.home.intro": {
        "da": "Holdets digitale kompetencer efter KL's katalog. Skriv `/kompetence hjælp` i "
        "holdets kanal for at se kommandoerne.",
        "en": "Your team's digital competences, using KL's catalog. Type `/kompetence help` in "
        "the team's channel to see the commands.",
    },
    "slack.home.waiting_title": {"da": "Venter på dig", "en": "Waiting for you"},
    "slack.home.waiting_line": {
        "da": "*{team}*: {answered} af {total} besvaret · frist {deadline}",
        "en": "*{team}*: {answered} of {total} answered · deadline {deadline}",
    },
    "slack.home.nothing_waiting": {
        "da": "Ingen åbne runder venter på dig.",
        "en": "No open rounds are waiting for you.",
    },
    "slack.home.leading_title": {"da": "Hold du leder", "en": "Teams you lead"},
    "slack.home.team_line": {"da": "*{team}*", "en": "*{team}*"},
    "slack.home.round_open": {
        "da": "Åben runde: {completed} af {invited} færdige · frist {deadline}",
        "en": "Open round: {completed} of {invited} finished · deadline {deadline}",
    },
    "slack.home.round_closed": {
        "da": "Seneste runde lukket {closed}: {completed} af {invited} færdige",
        "en": "Latest round closed {closed}: {completed} of {invited} finished",
    },
    "slack.home.no_rounds": {"da": "Ingen runder endnu.", "en": "No rounds yet."},
    "slack.home.continued": {
        "da": "Dit næste spørgsmål venter under fanen *Beskeder*.",
        "en": "Your next question is waiting in the *Messages* tab.",
    },
    "slack.working": {
        "da": "Et øjeblik, jeg arbejder på det …",
        "en": "One moment, I'm working on it …",
    },
    "slack.not_in_channel": {
        "da": "Jeg kan ikke se kanalens medlemmer. Inviter mig først med `/invite @Kompetencebot`.",
        "en": "I can't see this channel's members. Invite me first with `/invite @Kompetencebot`.",
    },
    "slack.slack_busy": {
        "da": "Slack beder mig vente lidt. Prøv igen om et minut.",
        "en": "Slack asks me to slow down. Please try again in a minute.",
    },
    "slack.form_too_large": {
        "da": "Profilen har for mange kompetencer til én Slack-formular. Brug "
        "`kompetencebot profile import` i stedet.",
        "en": "The profile has too many competences for one Slack form. Use "
        "`kompetencebot profile import` instead.",
    },
    "slack.form_expired": {
        "da": "Formularen kunne ikke åbnes i tide. Skriv kommandoen igen.",
        "en": "The form could not open in time. Please type the command again.",
    },
    "slack.modal.title": {"da": "Kompetencebot", "en": "Kompetencebot"},
}
