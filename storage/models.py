"""The tables. Flow state lives here, so any process can take the next click."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger primary keys that still autoincrement on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def table(model: type[Base]) -> Table:
    """A model's Core table, for bulk statements that skip per-row ORM bookkeeping."""
    core = model.__table__
    assert isinstance(core, Table)
    return core


class Team(Base):
    """A team is one channel on one platform; its key is the platform's channel id."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("platform", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(255))
    workspace: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(2), default="da")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Copenhagen")
    reminder_policy: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    leaders: Mapped[list[TeamLeader]] = relationship(
        back_populates="team", cascade="all, delete-orphan", lazy="selectin"
    )


class TeamLeader(Base):
    __tablename__ = "team_leaders"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(255))

    team: Mapped[Team] = relationship(back_populates="leaders")


class Profile(Base):
    """A version of a team's target profile; a new import adds a version, never edits one."""

    __tablename__ = "profiles"
    __table_args__ = (UniqueConstraint("team_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(2), default="da")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(255))

    competences: Mapped[list[ProfileCompetence]] = relationship(
        cascade="all, delete-orphan",
        order_by="ProfileCompetence.position",
        lazy="selectin",
    )


class ProfileCompetence(Base):
    __tablename__ = "profile_competences"
    __table_args__ = (UniqueConstraint("profile_id", "competence_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    competence_id: Mapped[str] = mapped_column(String(64))
    target: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    examples: Mapped[str | None] = mapped_column(Text)
    translations: Mapped[dict[str, Any] | None]
    """Local wording in the other languages, `{en: {name, description, examples}}`; the
    columns above hold the profile's own language."""


class Round(Base):
    """An assessment round; `snapshot` freezes the profile as it was at launch."""

    __tablename__ = "rounds"
    __table_args__ = (
        Index("ix_rounds_team_status", "team_id", "status"),
        UniqueConstraint("export_token", name="uq_rounds_export_token"),
        # At most one open round per team, whatever races two replicas run.
        Index(
            "uq_rounds_one_open_per_team",
            "team_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_by: Mapped[str | None] = mapped_column(String(255))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    min_respondents: Mapped[int] = mapped_column(Integer, default=3)
    language: Mapped[str] = mapped_column(String(2), default="da")
    snapshot: Mapped[dict[str, Any]] = mapped_column()
    chart_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    export_token: Mapped[str | None] = mapped_column(String(64), default=None)
    """A leader's `eksport` link to the CSV, workbook and profile; expires at export_expires."""
    export_expires: Mapped[datetime | None] = mapped_column(default=None)

    team: Mapped[Team] = relationship(lazy="joined")


class Participant(Base):
    """A member invited to a round, with where they are in it (so they can resume)."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    unreachable: Mapped[str | None] = mapped_column(String(255))
    prompt_ref: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    moved_at: Mapped[datetime | None] = mapped_column(default=None)
    """When the member's last click moved them to another prompt (None: it did not)."""
    moved_score: Mapped[int | None] = mapped_column(Integer, default=None)
    """The score that click gave (None: it was a navigation), for the double-tap rule."""


class Score(Base):
    """One self-score per round, member and competence: the unique key makes retries harmless."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", "competence_id"),
        # Covers the summary's count per competence and level: an index-only scan.
        Index("ix_scores_summary", "round_id", "competence_id", "score"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(255))
    competence_id: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Installation(Base):
    """A platform installation: a Slack workspace or a Teams tenant/team."""

    __tablename__ = "installations"
    __table_args__ = (UniqueConstraint("platform", "workspace"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    installed_at: Mapped[datetime] = mapped_column(default=utcnow)
    uninstalled_at: Mapped[datetime | None] = mapped_column(default=None)


class ConversationRef(Base):
    """Where to reach a channel or a person proactively (Teams needs a stored reference)."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("platform", "kind", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(255))
    reference: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxMessage(Base):
    """An outbound message, written in the transaction that caused it; sent exactly once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    destination: Mapped[dict[str, Any]] = mapped_column()
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text)
    external_ref: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class ProcessedEvent(Base):
    """Inbound event ids already handled: a platform retry finds its id here and stops."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255))
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScheduledJob(Base):
    """A deadline or reminder in our own table; the scheduler is rebuilt from these at start."""

    __tablename__ = "scheduled_jobs"
    __table_args__ = (UniqueConstraint("round_id", "kind", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None] = mapped_column(default=None)


class TeamMember(Base):
    """A team's known members outside any round: the playground's demo team, a Teams roster."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)


class RoundChart(Base):
    """A closed round's chart, rendered once and served at an unguessable URL."""

    __tablename__ = "round_charts"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    png: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebMessage(Base):
    """The playground's chat history: channel posts and private messages, kept across reloads."""

    __tablename__ = "web_messages"
    __table_args__ = (Index("ix_web_messages_conversation", "team_key", "conversation", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    team_key: Mapped[str] = mapped_column(String(255))
    conversation: Mapped[str] = mapped_column(String(255))
    visible_to: Mapped[str | None] = mapped_column(String(255))
    view: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Unit(Base):
    """An organisation unit: teams that agreed on one target profile (DESIGN.md), and its
    owners, who see the unit's pooled picture."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(2), default="da")
    profile: Mapped[dict[str, Any]] = mapped_column()
    """The shared target profile as a profile document (`catalog.profiles` format)."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owners: Mapped[list[UnitOwner]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UnitOwner.id"
    )


class UnitOwner(Base):
    __tablename__ = "unit_owners"
    __table_args__ = (UniqueConstraint("unit_id", "platform", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(255))


class UnitTeam(Base):
    """A member team; the unique team id keeps a team in at most one unit."""

    __tablename__ = "unit_teams"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), unique=True)


class Campaign(Base):
    """One round in every member team at once; closed when its last round closes."""

    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_unit", "unit_id", "opened_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    opened_by: Mapped[str | None] = mapped_column(String(255))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    min_respondents: Mapped[int] = mapped_column(Integer, default=3)
    snapshot: Mapped[dict[str, Any]] = mapped_column()
    """The unit's competences and targets as they were at the start, in the unit's language."""
    chart_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    """Opens the overview's chart (`/files/{token}/chart.png`) once the campaign has closed."""


class CampaignRound(Base):
    """A member team's round in a campaign (a round belongs to at most one campaign)."""

    __tablename__ = "campaign_rounds"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )


class HealthCheck(Base):
    """One row the health check writes, so `/healthz` knows the database takes writes."""

    __tablename__ = "health_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    checked_at: Mapped[datetime] = mapped_column()
