"""What the fake Wolkvox API's summary reports answer, computed from events it holds.

A summary report (kind ``daily`` or ``one_day`` in :mod:`tap_wolkvox.reports`) answers
totals over the range asked for. The fake keeps what such totals are made of: a
:class:`SummaryEvent` is one thing that happened at a wall-clock time to a subject (an
agent, a skill, an activity code, a phone...) and adds to the report's measures.
``summary_answer`` is the ``data`` one call answers: the events of the range (and of the
partition asked for) grouped by the report's dimension fields, by their day for ``daily``
reports and by their bucket for bucketed ones, every measure the sum of its
contributions (averages and percentages too: the fake checks shapes, not arithmetic).

Each field of a report plays one role, worked out from its registry entry and its name:
a label (a dimension, or an attribute of one such as ``agent_name``, from the event's
``subject``), a measure (summed), the day (``day_field`` in ``day_format``; diagram_1_2's
``date`` mirrors its ``day``), the bucket (``BUCKET_LAYOUTS``), a time (``login``: the
group's earliest event, ``logout``: its latest; speech_5's ``date`` is the earliest), or
a nested field: agent_5's ``status_x_hour`` (one object per hour), agent_11's ``agents``
(one object per agent, from the event's ``inner`` subject), chat_2's ``conversation``
(one message per event) and cdr_4's five duration ranges, answered as one object.

``generate_summary_events`` makes plausible events: mostly in working hours, subjects from
a small pool per entity, so rows recur from day to day, attributes always those of their
entity (agent 1001 is always the same name and DNI). ``late_summary_events`` makes events
that arrive late for a past day without adding or removing one of its rows.

Pure: no HTTP. ``tests.fake_wolkvox`` serves these answers.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from tap_wolkvox.reports import CDR_4_RANGES, Report, by_api

ROW_DATE = "%Y-%m-%d %H:%M:%S"
ALL = "all"  # the campaign_id value for every campaign
CAMPAIGNS = ("101", "102", "103")

FIRST_NAMES = ("Ana", "Luis", "María", "José", "Camila", "Andrés", "Valentina", "Juan", "Sofía")
LAST_NAMES = ("García", "Rodríguez", "Martínez", "López", "Gómez", "Díaz", "Pérez", "Muñoz")
SKILL_NAMES = ("Ventas", "Soporte", "Cobranza", "Servicio al cliente", "Retención")
CODE_DESCRIPTIONS = ("Venta", "Información", "Reclamo", "No contesta", "Volver a llamar", "")
CHANNEL_NAMES = ("whatsapp", "web", "facebook", "instagram", "email")
MESSAGES = (
    "hola, buenas tardes",
    "¿me ayudas con mi factura?",
    "claro, ¿me indicas tu número de documento?",
    "1020304050",
    "ya quedó registrado, ¿algo más?",
    "no, gracias",
    "https://example.com/adjunto/foto.jpg",
)

# How a bucket's start is written, per report, as a str.format of ``hour`` and ``minute``:
# agent_5 and agent_6 say the hour 0 to 23 (help centre), skill_4, skill_5 and skill_7 in two
# digits (skill_4's help centre page), agent_8 like "13:00" (a public client), and the 30- and
# 10-minute buckets "HH:MM" (skill_4_1's help centre page). diagram_1_2's bucket is its day.
BUCKET_LAYOUTS = {
    "agent_5": "{hour}",
    "agent_6": "{hour}",
    "skill_4": "{hour:02d}",
    "skill_5": "{hour:02d}",
    "skill_7": "{hour:02d}",
    "agent_8": "{hour:02d}:00",
    "agent_8_1": "{hour:02d}:{minute:02d}",
    "skill_4_1": "{hour:02d}:{minute:02d}",
    "skill_4_2": "{hour:02d}:{minute:02d}",
}
DEFAULT_BUCKET_LAYOUT = "{hour:02d}:{minute:02d}"


@dataclass(frozen=True)
class SummaryEvent:
    """One thing that adds to a summary report's totals.

    at: naive wall-clock time of the operation. subject: the values of the row's labels
    (dimensions and their attributes). measures: what the event adds to each measure.
    partition: the cod_act group or campaign id it belongs to, ``""`` for reports
    without one. inner: the values of a nested object's labels (agent_11's agent, or
    chat_2's whole message).
    """

    at: dt.datetime
    subject: dict[str, str]
    measures: dict[str, int]
    partition: str = ""
    inner: dict[str, str] = field(default_factory=dict)


Role = Literal["label", "inner", "measure", "day", "bucket", "earliest", "latest", "container"]
Group = tuple[str, tuple[str, ...]]
"""An entity and the label fields whose values its pool members give."""

# Fields naming one entity: a subject's values for them come from one pool member, so an
# agent's name and DNI follow its id.
_ENTITY = {
    "agent_id": "agent",
    "id_agent": "agent",
    "agent_name": "agent",
    "agent_dni": "agent",
    "skill_id": "skill",
    "skill_name": "skill",
    "cod_act": "code",
    "description_cod_act": "code",
    "chanel": "channel",  # chat_13 sends the channel under either spelling
    "customer_name": "customer",
    "customer_id": "customer",
    "customer_phone": "customer",
}
_LABEL_NAMES = frozenset(
    {"text", "summary", "date", "message", "from", "channel", "chanel", "telephone", "dnis"}
)
# Labels the names do not give away: speech_5's feeling is an analysis's verdict, where
# speech_4's is an average (a measure).
_LABELS_BY_REPORT = {"speech_5": frozenset({"feeling"})}
_TIME_MARKS = (
    *("time", "aht", "asa", "ata", "att", "acw", "minutes", "ready", "talk", "ring"),
    *("duration", "preview", "chars", "characters", "cost", "silence", "auxiliary"),
)
_CHOICES = {
    "aux_state": ("break", "lunch", "training", "meeting", "bathroom"),
    "result": ("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "MACHINE", "CONGESTION"),
    "machinecode": ("AMD", "FAX", "SIT", "HUMAN", "NOTSURE"),
    "type_nlp": ("dialogflow", "openai", "watson", "lex", "luis"),
    "channel": CHANNEL_NAMES,
    "chanel": CHANNEL_NAMES,  # the same values: chat_13's two spellings hold one channel
    "type_interaction": ("inbound", "outbound", "chat", "email", "callback"),
    "survey": ("Calidad voz", "Calidad chat"),
    "category": ("Protocolo", "Solución", "Actitud"),
    "attribute": ("Saludo", "Empatía", "Cierre", "Validación de datos"),
    "skill_name": SKILL_NAMES,
    "description_cod_act": CODE_DESCRIPTIONS[:-1],
    "cod_opc_menu": ("1", "2", "3", "9", "PULSE"),
    "rp_id": ("12", "15", "31", "40", "52"),
    "interval": CDR_4_RANGES,
    "feeling": ("positive", "neutral", "negative"),
    "tts_text": ("Bienvenido a nuestra línea", "Su llamada es importante", "Marque 1"),
    "text": MESSAGES,
    "summary": ("Consulta de factura", "Solicitud de asesor", "Reclamo resuelto"),
}
_ID_BASES = {
    "agent_id": 1001,
    "id_agent": 1001,
    "skill_id": 1,
    "conn_id": 70_123_400,
    "customer_id": 1_020_304_050,
    "id_text": 9001,
}
_CHAT = ("channel", "customer_id", "customer_phone")  # a chat's, in each of its messages
_HOUR = 60


@dataclass(frozen=True)
class _Shape:
    """How one report's rows are made from events, worked out once per report."""

    report: Report
    roles: Mapping[str, Role]  # every row field and inner field
    key: tuple[str, ...]  # the fields telling one row from another
    groups: tuple[Group, ...]  # the row's labels, by entity
    inner_groups: tuple[Group, ...]  # a nested object's labels, by entity
    measures: tuple[str, ...]
    container: str  # the nested field of a row, "" if none
    inner: tuple[str, ...]  # its inner fields
    inner_key: tuple[str, ...]  # the fields telling one nested object from another
    messages: bool  # nested objects without measures: one per event, never merged


def _as_report(report: Report | str) -> Report:
    return report if isinstance(report, Report) else by_api(report)


def _is_label(report: Report, name: str) -> bool:
    key = name.lower()
    return (
        name in report.dimension_fields
        or name in _LABELS_BY_REPORT.get(report.api, ())
        or "name" in key
        or key == "quality_analyst"
        or key.endswith(("_dni", "_id", "_phone"))
        or key.startswith(("id_", "description"))
        or key in _LABEL_NAMES
    )


def _role(report: Report, name: str) -> Role:
    """What the value of field ``name`` is made from."""
    if name in dict((*report.nested_fields, *report.object_fields)):
        return "container"
    # diagram_1_2 names its hour's day both day and date: whichever it sends holds the day.
    if name == report.day_field or (report.day_field and name in {"day", "date"}):
        return "day"
    if name == report.bucket_field:
        return "bucket"
    # speech_5's date (of the analysis) outside a daily report: the group's first event.
    timed = name in report.time_fields or (name == "date" and name not in report.inner_fields)
    if timed:
        return "latest" if "out" in name else "earliest"
    if _is_label(report, name):
        return "inner" if name in report.inner_fields else "label"
    return "measure"


def _groups(names: Sequence[str], anchors: set[str]) -> tuple[Group, ...]:
    """``names`` by the entity whose pool gives their values.

    An attribute of an entity no anchor stands for follows the first anchored entity:
    chat_2's agent_name is the chat's agent.
    """
    entities = [_ENTITY.get(name, name) for name in names]
    primary = next((entity for entity in entities if entity in anchors), None)
    grouped: dict[str, list[str]] = {}
    for name, entity in zip(names, entities, strict=True):
        owner = entity if entity in anchors or primary is None else primary
        grouped.setdefault(owner, []).append(name)
    return tuple((entity, tuple(fields)) for entity, fields in grouped.items())


@functools.cache
def _shape(report: Report) -> _Shape:
    inner_of = dict((*report.nested_fields, *report.object_fields))
    container = next(iter(inner_of), "") if not report.single_object else ""
    inner = inner_of.get(container, ())
    names = (*report.row_fields, *(name for names in inner_of.values() for name in names))
    roles = {name: _role(report, name) for name in names}
    labels = [name for name in report.row_fields if roles[name] == "label"]
    inner_labels = [name for name in inner if roles[name] == "inner"]
    anchors = {_ENTITY.get(name, name) for name in report.dimension_fields if name in labels}
    measures = tuple(dict.fromkeys(name for name in names if roles[name] == "measure"))
    return _Shape(
        report=report,
        roles=roles,
        key=tuple(
            name for name in report.dimension_fields if roles[name] in {"label", "day", "bucket"}
        ),
        groups=_groups(labels, anchors),
        inner_groups=_groups(inner_labels, {_ENTITY.get(name, name) for name in inner_labels}),
        measures=measures,
        container=container,
        inner=inner,
        inner_key=tuple(name for name in inner if roles[name] in {"inner", "bucket"}),
        messages=bool(inner) and not any(roles[name] == "measure" for name in inner),
    )


# -- values of labels ---------------------------------------------------------------------


def _person(index: int, offset: int) -> str:
    first = FIRST_NAMES[(index + offset) % len(FIRST_NAMES)]
    return f"{first} {LAST_NAMES[(3 * index + offset) % len(LAST_NAMES)]}"


def _value(name: str, index: int, partition: str, campaigns: Sequence[str]) -> str:
    """Pool member ``index``'s value of label ``name``: the same whenever it is drawn.

    Values from a short list (cdr_4's ranges, campaigns, channels) repeat past its end:
    two members are then one subject to the report, as two skills of one name are.
    """
    key = name.lower()
    if key == "campaign_id":
        return partition if partition in campaigns else campaigns[index % len(campaigns)]
    if key == "cod_act":  # each cod_act group its own codes, so the groups never share a row
        group = partition[-1] if partition.startswith("cod_act") else "3"
        return f"{group}{index + 1:02d}"
    if key in _CHOICES:
        values = _CHOICES[key]
        return values[index % len(values)]
    if "name" in key or key == "quality_analyst":
        return _person(index, len(key))  # another field, another person
    if key.endswith("_dni"):
        return str(10_203_040 + 7919 * index)
    if key.endswith("_phone") or key in {"telephone", "dnis"}:
        return f"57{3_001_234_560 + 7 * index}"
    if key.endswith("_id") or key.startswith("id_"):
        return str(_ID_BASES.get(key, 100) + index)
    return f"{name} {index + 1}"


def _draw(
    groups: Sequence[Group],
    rng: random.Random,
    entities: int,
    partition: str,
    campaigns: Sequence[str],
) -> tuple[dict[str, str], int]:
    """A member of each group's pool: their label values and the first member's index."""
    values: dict[str, str] = {}
    indexes = []
    for _, names in groups:
        index = int(rng.random() * entities)
        indexes.append(index)
        values.update((name, _value(name, index, partition, campaigns)) for name in names)
    return values, indexes[0] if indexes else 0


def _message(
    rng: random.Random, at: dt.datetime, subject: Mapping[str, str], chat: Mapping[str, str]
) -> dict[str, str]:
    """One chat_2 message at ``at``, in the chat of ``subject`` on ``chat``'s channel."""
    by_customer = rng.random() < 0.5
    agent, customer = subject.get("agent_name", ""), subject.get("customer_name", "")
    return {
        **{name: chat.get(name, "") for name in _CHAT},
        "from": "CUSTOMER" if by_customer else "AGENT",
        "from_name": customer if by_customer else agent,
        "to_name": agent if by_customer else customer,
        "date": at.strftime(ROW_DATE),
        "message": MESSAGES[int(rng.random() * len(MESSAGES))],
    }


def _contributions(names: Sequence[str], rng: random.Random) -> dict[str, int]:
    """What one event adds: seconds to times, a few units to counts, never all zero."""
    return {
        name: int(rng.random() * (600 if any(mark in name for mark in _TIME_MARKS) else 3))
        + (number == 0)
        for number, name in enumerate(names)
    }


# -- events ---------------------------------------------------------------------------------


def _partition(report: Report, rng: random.Random, campaigns: Sequence[str]) -> str:
    if report.partition is None:
        return ""
    values = report.partition.values or tuple(campaigns)
    return values[int(rng.random() * len(values))]


def _time_of_day(rng: random.Random) -> dt.timedelta:
    """Mostly working hours (08:00 to 20:00), now and then any time."""
    if rng.random() < 0.9:
        return dt.timedelta(seconds=8 * 3600 + int(rng.random() * 12 * 3600))
    return dt.timedelta(seconds=int(rng.random() * 86400))


def _event(
    shape: _Shape,
    rng: random.Random,
    at: dt.datetime,
    entities: int,
    campaigns: Sequence[str],
) -> SummaryEvent:
    partition = _partition(shape.report, rng, campaigns)
    subject, index = _draw(shape.groups, rng, entities, partition, campaigns)
    if shape.messages:
        chat = {name: _value(name, index, partition, campaigns) for name in _CHAT}
        inner = _message(rng, at, subject, chat)
    else:
        inner, _ = _draw(shape.inner_groups, rng, entities, partition, campaigns)
    return SummaryEvent(at, subject, _contributions(shape.measures, rng), partition, inner)


def _at(event: SummaryEvent) -> dt.datetime:
    return event.at


def generate_summary_events(
    report: Report | str,
    first_day: dt.date,
    days: int,
    *,
    per_day: int = 40,
    entities: int = 5,
    seed: int = 0,
    campaigns: Sequence[str] = CAMPAIGNS,
) -> list[SummaryEvent]:
    """``per_day`` plausible events of ``report`` on each of ``days`` days from ``first_day``.

    Subjects come from pools of ``entities`` members per entity, so the same rows recur
    day after day. Partitioned reports
    spread their events over both cod_act groups or over ``campaigns`` (campaign_6's
    campaign_id is the event's campaign). In time order; deterministic for a seed.
    """
    shape = _shape(_as_report(report))
    rng = random.Random(f"{shape.report.api}:{seed}")
    events: list[SummaryEvent] = []
    for offset in range(days):
        midnight = dt.datetime.combine(first_day + dt.timedelta(days=offset), dt.time())
        events.extend(
            _event(shape, rng, midnight + _time_of_day(rng), entities, campaigns)
            for _ in range(per_day)
        )
    return sorted(events, key=_at)


def late_summary_events(
    report: Report | str,
    events: Sequence[SummaryEvent],
    day: dt.date,
    *,
    count: int = 5,
    seed: int = 1,
) -> list[SummaryEvent]:
    """``count`` events of ``day`` that arrive late: a re-read changes totals, not rows.

    Each repeats the subject, partition, nested subject and time (so its bucket, and the
    login and logout around it) of an event of ``events`` on ``day``, with measures of
    its own; chat_2's is a new message in the same chat. None when ``day`` has no event.
    """
    shape = _shape(_as_report(report))
    rng = random.Random(f"{shape.report.api}:late:{seed}")
    that_day = [event for event in events if event.at.date() == day]
    late = []
    for _ in range(count if that_day else 0):
        model = that_day[int(rng.random() * len(that_day))]
        inner = _message(rng, model.at, model.subject, model.inner) if shape.messages else None
        late.append(
            replace(
                model,
                measures=_contributions(shape.measures, rng),
                inner=model.inner if inner is None else inner,
            )
        )
    return late


# -- answers --------------------------------------------------------------------------------


def _bucket(report: Report, at: dt.datetime) -> str:
    if report.bucket_field == report.day_field:  # diagram_1_2: the day holds the hour
        return at.strftime(report.day_format)
    minutes = report.bucket_minutes or _HOUR
    start = (at.hour * _HOUR + at.minute) // minutes * minutes
    layout = BUCKET_LAYOUTS.get(report.api, DEFAULT_BUCKET_LAYOUT)
    return layout.format(hour=start // _HOUR, minute=start % _HOUR)


def _text(shape: _Shape, name: str, group: Sequence[SummaryEvent]) -> str:
    """The value of field ``name`` for the events of one row (or nested object)."""
    role = shape.roles[name]
    if role == "measure":
        return str(sum(event.measures.get(name, 0) for event in group))
    if role == "latest":
        return group[-1].at.strftime(ROW_DATE)
    first = group[0]
    if role == "label":
        return first.subject[name]
    if role == "inner":
        return first.inner[name]
    if role == "day":
        return first.at.strftime(shape.report.day_format)
    if role == "bucket":
        return _bucket(shape.report, first.at)
    return first.at.strftime(ROW_DATE)  # earliest


def _grouped(
    events: Sequence[SummaryEvent], key: Callable[[SummaryEvent], Hashable]
) -> list[list[SummaryEvent]]:
    """``events`` by ``key``, groups in order of their first event."""
    groups: dict[Hashable, list[SummaryEvent]] = {}
    for event in events:
        groups.setdefault(key(event), []).append(event)
    return list(groups.values())


def _keyed_by(shape: _Shape, names: Sequence[str]) -> Callable[[SummaryEvent], Hashable]:
    return lambda event: tuple(_text(shape, name, [event]) for name in names)


def _objects(shape: _Shape, events: Sequence[SummaryEvent]) -> list[dict[str, str]]:
    """A row's nested list: its events by nested key (each its own message for chat_2)."""
    groups = (
        [[event] for event in events]
        if shape.messages
        else _grouped(events, _keyed_by(shape, shape.inner_key))
    )
    return [{name: _text(shape, name, group) for name in shape.inner} for group in groups]


def _row(shape: _Shape, events: Sequence[SummaryEvent]) -> dict[str, Any]:
    return {
        name: _objects(shape, events) if name == shape.container else _text(shape, name, events)
        for name in shape.report.row_fields
    }


def _single_object(shape: _Shape, events: Sequence[SummaryEvent]) -> dict[str, dict[str, str]]:
    """cdr_4: every range's totals, zeros for a range without calls."""
    (dimension,) = shape.key
    by_range = {
        group[0].subject[dimension]: group
        for group in _grouped(events, _keyed_by(shape, shape.key))
    }
    return {
        name: {measure: _text(shape, measure, by_range.get(name, [])) for measure in measures}
        for name, measures in shape.report.object_fields
    }


def _belongs(report: Report, event: SummaryEvent, partition: str | None) -> bool:
    if partition is None or report.partition is None:
        return True
    if partition == ALL and not report.partition.values:  # campaign_id=all: every campaign
        return True
    return event.partition == partition


def summary_answer(
    report: Report | str,
    events: Sequence[SummaryEvent],
    first: dt.datetime,
    last: dt.datetime,
    partition: str | None,
) -> list[dict[str, Any]] | dict[str, dict[str, str]] | None:
    """The ``data`` a call for wall-clock ``[first, last]`` answers, before any row cap.

    None when no event of the range (and partition) is there: the server's 404. A row
    per group of events, groups in order of their first event; every value a string but
    the nested lists. ``partition`` None reads every event; ``"all"`` too, for campaign
    reports. cdr_4 answers one object of its five ranges instead of rows.
    """
    report = _as_report(report)
    shape = _shape(report)
    chosen = sorted(
        (
            event
            for event in events
            if first <= event.at <= last and _belongs(report, event, partition)
        ),
        key=_at,
    )
    if not chosen:
        return None
    if report.single_object:
        return _single_object(shape, chosen)
    return [_row(shape, group) for group in _grouped(chosen, _keyed_by(shape, shape.key))]
