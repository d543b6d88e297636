"""The registry of Wolkvox Reports Manager reports the tap reads, as plain data.

Every report of the reports catalogue (from Wolkvox's official "wolkvox APIs (ES)"
Postman export) but agent_2 is one :class:`Report` entry, in one of three tuples:

- ``REPORTS``: the 41 reports of kind ``event``, one row per event, read in windows
  like diagram_9. The tap's discovery iterates this tuple.
- ``PARAMETER_EVENT_REPORTS``: act_3 and campaign_5, event reports that need a
  parameter choice, read once per :class:`Partition` value.
- ``SUMMARY_REPORTS``: the 60 reports of kind ``bucketed`` (14) and ``aggregate over
  the whole window`` (46): totals for the range asked for, per agent, skill, code, hour
  or day. Their kind is ``daily`` when the rows carry their own day, ``one_day``
  otherwise (see :class:`Report`).

agent_2 stays out: it is agent_14 for one agent. ``ALL_REPORTS`` holds the three tuples,
and ``by_stream`` and ``by_api`` look up any of them.

Adding a report means adding an entry here, not a class. The module imports only the
standard library: the fake API in the tests reads it too.

Stream names, field names and their order are the public interface: they are copied
verbatim from the catalogue, odd spellings included (``campaing_id``, ``destinity``,
``explation``, ``yes/no``, chat_1's ``"agent_anwers "`` with its trailing space,
chat_13's ``chanel``, chat_2's ``"from_name phone"``).

Time formats. Only one layout is evidenced for the rows' timestamps:
``YYYY-MM-DD HH:MM:SS``, wall-clock time with no offset. Every real value seen has it
(the official examples of agent_15 ``date_preview "2026-06-25 10:50:54"`` and diagram_15
``date "2026-01-18 19:34:31"``; a public client's campaign_3 comment
``"2025-04-03 12:28:00"``), agent_13_1's page spells it out, the other pages say
"año-mes-día-hora", and a public Java client parses agent_2 and diagram_3 dates with
``yyyy-MM-dd HH:mm:ss``. ``dates.API_DATE`` reads that layout for every report; a value
in any other is kept raw under ``additional_fields``. A summary report's day
(``day_field``) and bucket (``bucket_field``) have layouts of their own, recorded per
entry.

Which timestamp the API selects rows by is documented for no report (campaign_3's page
comes closest). ``filter_field`` records the choice for event reports, and
``filter_reason`` says why wherever the report has another timestamp. Summary reports
have no filter field: the range asked for is their grain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DEFAULT_ROW_CAP = 60_000
"""Rows per call stated on every report page."""

# Query parameters the client sets itself: an entry's ``params`` must not repeat them.
RESERVED_PARAMS = frozenset({"api", "date_ini", "date_end"})

Kind = Literal["event", "daily", "one_day"]
KINDS: tuple[Kind, ...] = ("event", "daily", "one_day")
"""``event``: rows are events, read in windows. ``daily``: summary rows that carry their
own day, read in whole-day windows of up to 31 days. ``one_day``: summary rows that
carry no day, read one local calendar day per call."""

_DAY_DIRECTIVES = ("%Y", "%m", "%d")
_HOURS_PER_DAY = 24
_MINUTES_PER_DAY = _HOURS_PER_DAY * 60


@dataclass(frozen=True)
class Partition:
    """A query parameter a report needs, read once per value; each value its own partition.

    Every record gets the value it was read with, in ``record_field``, and the value is
    part of the record's key: the answers for two values can hold rows equal in every
    other field (an interaction coded in both code groups; the totals of two campaigns).

    Attributes:
        param: The query parameter, e.g. ``"cod_act"``.
        record_field: The field every record gets holding the value, e.g.
            ``"cod_act_group"``. Not a field of the report.
        values: The values, read in turn, when they are fixed (``cod_act1``,
            ``cod_act2``); empty when ``setting`` gives them.
        setting: The tap setting listing the values (a list whose default is
            ``["all"]``), e.g. ``"campaign_ids"``; empty when ``values`` are fixed.
        explicit_only: The report documents no ``all``: it can be selected only with
            ``setting`` listing explicit values, checked at start-up.
    """

    param: str
    record_field: str
    values: tuple[str, ...] = ()
    setting: str = ""
    explicit_only: bool = False

    def __post_init__(self) -> None:
        """Refuse an inconsistent partition at import."""
        checks = (
            (self.param not in RESERVED_PARAMS, "partition param must not be api or a date"),
            (bool(self.record_field), "partition needs a record_field"),
            (bool(self.values) != bool(self.setting), "partition needs values or a setting"),
            (len(set(self.values)) == len(self.values), "a partition value is listed twice"),
            (not self.explicit_only or bool(self.setting), "explicit_only needs a setting"),
        )
        problems = [message for ok, message in checks if not ok]
        if problems:
            msg = f"partition {self.param}: {'; '.join(problems)}"
            raise ValueError(msg)


COD_ACT_GROUPS = Partition(
    param="cod_act", record_field="cod_act_group", values=("cod_act1", "cod_act2")
)
"""act_1, act_2, act_3, act_5: the page's ``cod_act`` 'receives "cod_act1" for activity
code group #1 or "cod_act2" for group #2'; both groups are read."""

CAMPAIGN_IDS = Partition(
    param="campaign_id", record_field="campaign_filter", setting="campaign_ids"
)
"""The summary campaign reports: the page's ``campaign_id`` 'can receive "all" for every
campaign', the ``campaign_ids`` setting's default."""

CAMPAIGN_IDS_EXPLICIT = Partition(
    param="campaign_id", record_field="campaign_filter", setting="campaign_ids", explicit_only=True
)
"""campaign_5: the catalogue records no ``all`` for it (see its entry's evidence)."""

SKILL_ALL = (("skill_id", "all"),)
"""Every skill report: ``skill_id=all`` reads every skill."""

CDR_4_RANGES = ("0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121")
CDR_4_MEASURES = ("calls", "minutes", "cost", "percentage")


@dataclass(frozen=True)
class Report:
    """One Reports Manager report and how the tap reads it.

    The attributes from ``dimension_fields`` to ``single_object`` are for summary
    reports (kinds ``daily`` and ``one_day``) only.

    Attributes:
        api: The report id sent as ``api=``, e.g. ``"cdr_1"``.
        stream: The stream name (public interface): the catalogue's for event reports;
            for the others what a row is, plural, e.g. ``agent_daily_states``.
        description: One English line saying what a row is, without a final period,
            e.g. ``"one row per call"``.
        fields: The documented fields, verbatim and in the API's order. Where the
            example nests objects, the page's table lists their inner fields here too.
        time_fields: Every top-level field holding a timestamp, documented or known
            extra; ``("date",)`` unless said otherwise. Event reports need at least one;
            summary reports may have none.
        filter_field: The timestamp the API selects rows by (``date_ini``/``date_end``
            apply to it). One of ``time_fields``; the first unless said otherwise.
            Empty for summary reports: the range asked for is their grain.
        filter_reason: Why ``filter_field``, wherever the report has another timestamp.
        params: Extra query parameters, as ``(name, value)`` pairs in sending order.
        row_cap: The most rows one call returns, per the report's page.
        fixed_utc_offset_hours: The UTC offset of the report's timestamps when the page
            fixes it whatever the operation's zone; None when they follow the operation.
        key_fields: A natural id, for event reports whose rows change after first being
            read; None means the key comes from every documented field.
        key_reason: Why ``key_fields`` identify a row.
        known_extra_fields: Fields real rows carry that the documentation omits.
        selected_by_default: Whether a plain run without a catalog syncs the stream.
        evidence: Quirks of the report's page or rows worth keeping.
        kind: ``"event"``, ``"daily"`` or ``"one_day"`` (see ``KINDS``). A record of a
            ``daily`` or ``one_day`` report gets ``report_date``, its local day.
        partition: The query parameter read once per value, when the report needs one
            (``cod_act`` groups, campaign ids); None otherwise.
        day_field: For ``daily`` reports, the field holding the row's own day, which
            becomes ``report_date``; empty for the other kinds.
        day_format: The ``strptime`` layout of ``day_field``'s values.
        dimension_fields: For summary reports, the fields saying what a row is about
            (agent, skill, code, hour, day...), as against its measures. The record key
            hashes ``report_date``, the partition value and these, never the measures,
            so re-reading a day replaces its rows. Fields a report may send under one
            of two documented names are both listed.
        dimension_reason: Why ``dimension_fields``, where not obvious; required when
            they are empty (a report answering one row a day: the key is the day).
        bucket_field: The field naming a row's bucket within its day (an ``hour`` such
            as ``"13:00"``) when the bucket has no full date of its own: the tap adds
            ``bucket_start``, the bucket's start in UTC. When it is ``day_field``, the
            day's value holds the bucket's hour too (diagram_1_2).
        bucket_minutes: The bucket's length in minutes, where documented.
        bucket_parent: The nested field whose objects carry ``bucket_field`` (agent_5's
            ``status_x_hour``); empty when the row itself carries it.
        nested_fields: Fields holding arrays of objects, as ``(field, inner fields)``
            pairs, the inner fields as the official example shows them.
        object_fields: Fields holding one object each, as ``(field, inner fields)``.
        single_object: The API answers ``data`` as one object, not a list: one row.
        max_window_hours: The longest range the page accepts, where it states one
            shorter than the 31 days of every page.
    """

    api: str
    stream: str
    description: str
    fields: tuple[str, ...]
    time_fields: tuple[str, ...] = ("date",)
    filter_field: str = ""  # default for event reports: the first time field
    filter_reason: str = ""
    params: tuple[tuple[str, str], ...] = ()
    row_cap: int = DEFAULT_ROW_CAP
    fixed_utc_offset_hours: int | None = None
    key_fields: tuple[str, ...] | None = None
    key_reason: str = ""
    known_extra_fields: tuple[str, ...] = ()
    selected_by_default: bool = False
    evidence: str = ""
    kind: Kind = "event"
    partition: Partition | None = None
    day_field: str = ""
    day_format: str = ""
    dimension_fields: tuple[str, ...] = ()
    dimension_reason: str = ""
    bucket_field: str = ""
    bucket_minutes: int | None = None
    bucket_parent: str = ""
    nested_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    object_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    single_object: bool = False
    max_window_hours: int | None = None

    def __post_init__(self) -> None:
        """Refuse an inconsistent entry at import rather than in the middle of a sync."""
        if self.kind == "event" and not self.filter_field and self.time_fields:
            object.__setattr__(self, "filter_field", self.time_fields[0])  # frozen
        checks = [
            *self._common_checks(),
            *(self._event_checks() if self.kind == "event" else self._summary_checks()),
            *self._shape_checks(),
        ]
        problems = [message for ok, message in checks if not ok]
        if problems:
            msg = f"report {self.api}: {'; '.join(problems)}"
            raise ValueError(msg)

    def _common_checks(self) -> tuple[tuple[bool, str], ...]:
        known = set(self.fields) | set(self.known_extra_fields)
        param_names = [name for name, _ in self.params]
        partition = self.partition
        return (
            (self.kind in KINDS, "kind must be event, daily or one_day"),
            (len(set(self.fields)) == len(self.fields), "a field is listed twice"),
            (
                set(self.fields).isdisjoint(self.known_extra_fields),
                "a known extra field is also documented",
            ),
            (known.issuperset(self.time_fields), "time_fields must name fields"),
            (
                RESERVED_PARAMS.isdisjoint(param_names),
                "params must not repeat api, date_ini or date_end",
            ),
            (self.row_cap > 0, "row_cap must be positive"),
            (
                partition is None or partition.param not in param_names,
                "the partition param is also a fixed param",
            ),
            (
                partition is None or partition.record_field not in known,
                "the partition's record_field is a field of the report",
            ),
            (
                self.max_window_hours is None or self.max_window_hours > 0,
                "max_window_hours must be positive",
            ),
        )

    def _event_checks(self) -> tuple[tuple[bool, str], ...]:
        return (
            (bool(self.time_fields), "an event report needs time_fields"),
            (self.filter_field in self.time_fields, "filter_field must be a time field"),
            (
                bool(self.filter_reason) or self.time_fields == (self.filter_field,),
                "filter_reason is needed where the report has another timestamp",
            ),
            (
                self.key_fields is None
                or (bool(self.key_fields) and set(self.fields).issuperset(self.key_fields)),
                "key_fields must name documented fields",
            ),
            (self.key_fields is None or bool(self.key_reason), "key_fields need a reason"),
            (
                not (self.day_field or self.day_format or self.dimension_fields),
                "day and dimension fields are for summary reports",
            ),
            (
                not (self.bucket_field or self.bucket_minutes or self.bucket_parent),
                "buckets are for summary reports",
            ),
            (
                not (self.nested_fields or self.object_fields or self.single_object),
                "nested shapes are for summary reports",
            ),
        )

    def _summary_checks(self) -> tuple[tuple[bool, str], ...]:
        dimensions = self.dimension_fields
        daily = self.kind == "daily"
        return (
            (not self.filter_field, "a summary report has no filter_field"),
            (self.key_fields is None, "a summary report is keyed by its dimension_fields"),
            (
                bool(dimensions) or bool(self.dimension_reason),
                "empty dimension_fields need a dimension_reason",
            ),
            (len(set(dimensions)) == len(dimensions), "a dimension field is listed twice"),
            (set(self.fields).issuperset(dimensions), "dimension_fields must name fields"),
            (
                not daily or self.day_field in self.fields,
                "a daily report needs a day_field among its fields",
            ),
            (
                not daily or all(code in self.day_format for code in _DAY_DIRECTIVES),
                "a daily report needs a day_format with %Y, %m and %d",
            ),
            (not daily or self.day_field in dimensions, "the day_field must be a dimension"),
            (
                daily or not (self.day_field or self.day_format),
                "only daily reports have a day_field",
            ),
            (
                self.max_window_hours is None or self.max_window_hours >= _HOURS_PER_DAY,
                "a summary report's window must hold a whole day",
            ),
        )

    def _shape_checks(self) -> tuple[tuple[bool, str], ...]:
        nested = dict(self.nested_fields)
        objects = dict(self.object_fields)
        inner = nested.get(self.bucket_parent, ())
        minutes = self.bucket_minutes
        return (
            (
                len(nested) == len(self.nested_fields)
                and len(objects) == len(self.object_fields)
                and set(nested).isdisjoint(objects),
                "a nested field is listed twice",
            ),
            (
                set(self.fields).issuperset(nested) and set(self.fields).issuperset(objects),
                "nested_fields and object_fields must name fields",
            ),
            (
                all(names and len(set(names)) == len(names) for names in nested.values())
                and all(names and len(set(names)) == len(names) for names in objects.values()),
                "inner fields must be listed, each once",
            ),
            (
                not self.bucket_field
                or (
                    self.bucket_field in inner
                    if self.bucket_parent
                    else self.bucket_field in self.dimension_fields
                ),
                "bucket_field must be a dimension or a field of its bucket_parent",
            ),
            (not self.bucket_parent or bool(inner), "bucket_parent must be a nested field"),
            (
                minutes is None
                or (bool(self.bucket_field) and minutes > 0 and _MINUTES_PER_DAY % minutes == 0),
                "bucket_minutes need a bucket_field and must divide a day",
            ),
        )

    @property
    def inner_fields(self) -> frozenset[str]:
        """Fields that sit inside the objects of ``nested_fields`` or ``object_fields``."""
        return frozenset(
            name for _, names in (*self.nested_fields, *self.object_fields) for name in names
        )

    @property
    def row_fields(self) -> tuple[str, ...]:
        """The documented fields of a row's top level, in the API's order.

        ``fields`` less the inner fields of nested arrays and objects, which the pages'
        tables list as if they were at top level (agent_5's ``calls``).
        """
        inner = self.inner_fields
        return tuple(name for name in self.fields if name not in inner)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every top-level field that gets a column: documented ones, then known extras."""
        return self.row_fields + self.known_extra_fields


# diagram_9 comes first and exactly as the tap has always read it; the others follow the
# catalogue's order.
REPORTS: tuple[Report, ...] = (
    Report(
        api="diagram_9",
        stream="chatbot_interactions",
        description="one row per chatbot turn: a customer message and the routing point's answer",
        fields=(
            "session_id",
            "channel",
            "rp_id",
            "date",
            "customer_name",
            "customer_email",
            "customer_phone",
            "customer_query",
            "routing_answer",
            "customer_id",
            "conn_id",
        ),
        row_cap=6_000,
        selected_by_default=True,
        evidence=(
            "The page adds 'over 6,000 rows, shorten the date range' next to the generic "
            "60,000, so the tap splits at 6,000. The Spanish table describes channel as "
            "'number of characters', a documentation error."
        ),
    ),
    Report(
        api="agent_10",
        stream="hold_mute_events",
        description="one row per hold or mute an agent put on a call",
        fields=(
            "agent_name",
            "agent_id",
            "type_action",
            "conn_id",
            "type_interaction",
            "time",
            "skill_id",
            "date",
            "telephone",
            "customer_id",
        ),
    ),
    Report(
        api="agent_13",
        stream="agent_transfers",
        description="one row per call an agent transferred or turned into a conference",
        fields=(
            "agent_name",
            "agent_id",
            "conn_id",
            "date",
            "telephone",
            "type_interaction",
            "time",
        ),
    ),
    Report(
        api="agent_13_1",
        stream="transfer_details",
        description=(
            "one row per transferred or conferenced call, with its origin and destination agents"
        ),
        fields=(
            "conn_id_transfer",
            "skill_id",
            "date",
            "ani",
            "origin_agent_id",
            "origin_agent_name",
            "destiny_agent_id",
            "destiny_agent_name",
            "dnis",
            "time",
            "type_call",
            "id_call_origin",
        ),
        evidence="The only page that spells the row date out: 'YYYY-MM-DD HH:MM:SS'.",
    ),
    Report(
        api="agent_14",
        stream="agent_events",
        description=(
            "one row per state an agent was in (ready, talk, ACW or a custom auxiliary state)"
        ),
        fields=(
            "agent_id",
            "agent_status",
            "time",
            "date_ini",
            "date_end",
            "conn_id",
            "type_interaction",
            "destinity",
            "telephone",
            "campaign_id",
            "agent_dni",
            "agent_name",
        ),
        time_fields=("date_ini", "date_end"),
        filter_reason=(
            "date_ini, the start of the state: a state has one from the moment it begins, "
            "while its end is known only later (a public client saw agent_7 give a "
            "session still open the report's own clock as its end). No source says which "
            "of the two the API selects by: unconfirmed live."
        ),
        evidence=(
            "destinity is spelled so (agent_2 says destiny). agent_2 is the same report "
            "for one agent. The catalogue marks every field as example-only: it missed "
            "the page's table (headed 'Nombre'), which lists the same twelve."
        ),
    ),
    Report(
        api="agent_15",
        stream="preview_calls",
        description=(
            "one row per record a preview campaign handed to an agent, with the time "
            "until the agent dialled"
        ),
        fields=(
            "id_call",
            "id_agent",
            "agent_name",
            "type_call",
            "date_preview",
            "time_preview",
            "ready",
            "talk",
            "not_ready_acw",
            "auxiliary_times",
            "ring",
            "total_duration",
            "preview_percent",
        ),
        time_fields=("date_preview",),
        evidence="The official example has real values, e.g. date_preview '2026-06-25 10:50:54'.",
    ),
    Report(
        api="skill_2",
        stream="abandoned_calls",
        description="one row per interaction abandoned while waiting in a skill's queue",
        fields=(
            "skill_name",
            "skill_id",
            "conn_id",
            "date",
            "result",
            "ani",
            "abandon_time",
            "type_interaction",
            "customer_id",
        ),
        params=(("skill_id", "all"),),
    ),
    Report(
        api="skill_10",
        stream="answered_calls",
        description="one row per interaction answered from a skill's queue",
        fields=(
            "conn_id",
            "skill_id",
            "skill_name",
            "date",
            "result",
            "ani",
            "answer_time",
            "agent_id",
            "type_interaction",
        ),
        params=(("skill_id", "all"),),
    ),
    Report(
        api="cdr_1",
        stream="calls",
        description="one row per call",
        fields=(
            "agent_name",
            "date",
            "destiny",
            "telephone",
            "cost",
            "time_seg",
            "time_min",
            "cod_act",
            "description_cod_act",
            "cod_act_2",
            "description_cod_act_2",
            "type_interaction",
            "customer_id",
            "hang_up",
            "campaign_id",
            "conn_id",
            "skill_id",
            "skill_name",
            "agent_id",
            "comment",
        ),
    ),
    Report(
        api="cdr_3",
        stream="sms",
        description="one row per text message (SMS or WhatsApp) sent",
        fields=(
            "agent_id",
            "agent_name",
            "date",
            "destiny",
            "telephone",
            "message",
            "channel",
            "customer_id",
            "conn_id",
        ),
    ),
    Report(
        api="cdr_5",
        stream="unconnected_calls",
        description="one row per call that did not connect, with the network's result",
        fields=(
            "agent_name",
            "date",
            "destiny",
            "telephone",
            "ring_time",
            "result",
            "type_interaction",
            "customer_id",
            "campaign_id",
            "agent_id",
            "conn_id",
        ),
    ),
    Report(
        api="cdr_7",
        stream="nlp_usage",
        description="one row per use of an NLP service, with the characters sent and received",
        fields=("type_nlp", "nlp_channel", "chars_send", "chars_answer", "total_chars", "date"),
        evidence=(
            "The official example body is not valid JSON: the fields come from the page's "
            "table only."
        ),
    ),
    Report(
        api="cdr_9",
        stream="emails",
        description="one row per e-mail sent from a routing point or campaign",
        fields=("channel", "date", "from", "to", "subject", "body"),
        evidence=(
            "The official example body is not valid JSON: the fields come from the page's "
            "table only."
        ),
    ),
    Report(
        api="cdr_10",
        stream="cobrowsing_sessions",
        description="one row per co-browsing session an agent gave",
        fields=("agent_id", "agent_name", "date_ini", "date_end", "time", "hung_up"),
        time_fields=("date_ini", "date_end"),
        filter_reason=(
            "date_ini, the start of the session, which the sources' report table also "
            "gives as this report's row time; its end is known only later. Unconfirmed "
            "live."
        ),
        evidence=(
            "The English docs number the Law 2300 report (cdr_11 here) cdr_10: if a "
            "server answers cdr_10 with Law 2300 rows, they arrive with these fields "
            "absent and theirs under additional_fields."
        ),
    ),
    Report(
        api="cdr_11",
        stream="released_customers",
        description=(
            "one row per customer released from contact restrictions under Colombia's Law 2300"
        ),
        fields=(
            "protected_nit",
            "agent_id",
            "name_agent",
            "operation",
            "date",
            "item",
            "value",
            "agent_name",
        ),
        evidence=(
            "The example row sends name_agent and the page's table lists agent_name: both "
            "are kept, one of them is probably always absent. The English docs call this "
            "report cdr_10."
        ),
    ),
    Report(
        api="diagram_1",
        stream="ivr_calls",
        description="one row per call through an IVR routing point, with the menu option chosen",
        fields=(
            "rp_id",
            "rp_name",
            "cod_opc_menu",
            "dn_transfer",
            "date",
            "result",
            "ani",
            "time",
            "customer_id",
            "conn_id",
        ),
        params=(("customer_id", ""),),
        evidence=(
            "date is when the caller left the IVR (docs: 'fecha final del IVR'). "
            "customer_id is sent empty: all customers."
        ),
    ),
    Report(
        api="diagram_3",
        stream="smart_wait_callbacks",
        description=(
            "one row per inbound call offered a smart-wait callback, with the callback's outcome"
        ),
        fields=(
            "skill_id",
            "date_inbound_call",
            "date_last_outbound_call",
            "status",
            "attempts",
            "ani",
            "dial_phone",
            "time_between_calls",
            "time",
            "billed_minutes",
            "customer_id",
        ),
        time_fields=("date_inbound_call", "date_last_outbound_call"),
        filter_reason=(
            "date_inbound_call: the customer's call creates the row, and the sources' "
            "report table gives it as the row time; date_last_outbound_call is empty "
            "until the first callback and moves with every attempt. Unconfirmed live."
        ),
        key_fields=("skill_id", "date_inbound_call", "ani"),
        key_reason=(
            "No id field exists: the skill, the second of the inbound call and the "
            "caller's number name the call that asked for a callback. status is the "
            "callback's current state (YES, then OK or FAIL), and attempts and "
            "date_last_outbound_call grow after the row is first read."
        ),
    ),
    Report(
        api="diagram_4",
        stream="survey_responses",
        description="one row per smart survey a customer answered",
        fields=(
            "agent_id",
            "agent_name",
            "agent_dni",
            "skill_id",
            "skill_name",
            "date",
            "conn_id",
            "ani",
            "customer_id",
            "q01",
            "q02",
            "q03",
            "q04",
            "q05",
            "q06",
            "q07",
            "q08",
            "q09",
            "q10",
            "voice_message_duration",
            "type_interaction",
            "result",
            "time",
            "voice_message",
            "feeling",
        ),
        evidence="q01..q10 (answers to the survey's own questions) are in the example only.",
    ),
    Report(
        api="diagram_7",
        stream="asr_events",
        description="one row per speech recognition (ASR) in a routing point",
        fields=("time", "language", "recognized_text", "date", "rp_id"),
    ),
    Report(
        api="diagram_8",
        stream="tts_events",
        description="one row per text-to-speech (TTS) use in a routing point",
        fields=("tts_text", "credits", "recognized_text", "date", "rp_id", "characters"),
        evidence=(
            "The example row sends credits and rp_id; the page's table lists characters "
            "instead. All three are kept."
        ),
    ),
    Report(
        api="diagram_11",
        stream="ivr_to_agent_calls",
        description=(
            "one row per call that went from the IVR to a skill, with the time spent in "
            "each and the agent who took it"
        ),
        fields=(
            "conn_id",
            "time_on_rp",
            "end_date_rp",
            "rp_id",
            "ani",
            "customer_id",
            "time_on_skill",
            "skill_id",
            "skill_result",
            "go_to_agent",
            "agent_id",
            "agent_name",
            "time_with_agent",
            "cod_act",
            "cod_act_2",
            "type_interaction",
            "total_time",
        ),
        time_fields=("end_date_rp",),
        evidence=(
            "Named end_date_rp but described as the start of the IVR ('de inicio de "
            "IVR'); either way it is the row's only timestamp."
        ),
    ),
    Report(
        api="diagram_12",
        stream="sentiment_events",
        description="one row per sentiment analysis, with the units billed",
        fields=("units", "text", "date"),
    ),
    Report(
        api="diagram_13",
        stream="menu_option_events",
        description="one row per menu option chosen in a routing point",
        fields=(
            "rp_id",
            "conn_id",
            "customer_id",
            "channel",
            "attempt",
            "telephone",
            "date",
            "second_event",
            "cod_opc_menu",
        ),
    ),
    Report(
        api="diagram_15",
        stream="voice_conversations",
        description="one row per voice-bot conversation, with its IVR, ASR, TTS and NLP use",
        fields=(
            "conversational_id",
            "connect_id",
            "date",
            "ivr_time",
            "nlp_credits",
            "asr_time",
            "tts_credits",
        ),
        evidence="The official example has real values, e.g. date '2026-01-18 19:34:31'.",
    ),
    Report(
        api="quality_2",
        stream="quality_evaluations",
        description="one row per quality evaluation of an agent's interaction",
        fields=(
            "conn_id",
            "agent_id",
            "agent_name",
            "comments",
            "precision_unit_critical_error",
            "precision_opportunity_error",
            "accuracy",
            "date",
            "survey",
            "cod_act",
            "channel",
            "feedback",
            "skill_id",
        ),
    ),
    Report(
        api="quality_3",
        stream="quality_evaluation_attributes",
        description="one row per attribute scored in a quality evaluation",
        fields=(
            "conn_id",
            "agent_id",
            "agent_name",
            "attribute",
            "type_error",
            "yes/no",
            "date",
            "survey",
            "category",
            "quality_analyst",
            "channel",
            "ai_comment",
        ),
        evidence="One field is named 'yes/no' verbatim.",
    ),
    Report(
        api="campaign_3",
        stream="campaign_attempts",
        description="one row per phone an outbound campaign dialled, with the result",
        fields=(
            "campaign_id",
            "customer_name",
            "customer_last_name",
            "id_type",
            "customer_id",
            "date",
            "telephone",
            "result",
            "opt1",
            "opt2",
            "opt3",
            "opt4",
            "opt5",
            "opt6",
            "opt7",
            "opt8",
            "opt9",
            "opt10",
            "opt11",
            "opt12",
            "conn_id",
        ),
        params=(("campaign_id", "all"),),
        fixed_utc_offset_hours=-5,
        evidence=(
            "Page: 'the attempt date is always GMT-5', and 'the record's date must be "
            "within the search range, and every attempt within the same range'. "
            "campaign_id accepts 'all' (documented)."
        ),
    ),
    Report(
        api="campaign_7",
        stream="amd_detections",
        description=(
            "one row per answering-machine detection (machine or human) on a campaign call"
        ),
        fields=("customer_id", "campaign_id", "file_name", "telephone", "result", "date"),
        params=(("campaign_id", "all"),),
        evidence="campaign_id=all as for campaign_3 and campaign_9; a public client sends 'ALL'.",
    ),
    Report(
        api="campaign_9",
        stream="whatsapp_campaign_records",
        description="one row per record of a WhatsApp campaign, with its delivery status",
        fields=("campaing_id", "telephone", "status", "errors", "date", "last_update"),
        time_fields=("date", "last_update"),
        filter_reason=(
            "date, the first contact, fixed once the record is sent; last_update moves "
            "with every status change. campaign_3's page says its range applies to the "
            "record's date. Unconfirmed live; key_fields make a re-read harmless either "
            "way."
        ),
        params=(("campaign_id", "all"),),
        key_fields=("campaing_id", "telephone", "date"),
        key_reason=(
            "The campaign and the phone name the record; date (the first contact) tells "
            "apart a number sent twice in one campaign. status (submitted, accepted, "
            "delivered, failed), errors and last_update change after the row is first "
            "read."
        ),
        evidence=(
            "The field is spelled campaing_id; the query parameter is campaign_id. The "
            "official URL sends campaign_id=all."
        ),
    ),
    Report(
        api="chat_1",
        stream="chats",
        description="one row per chat an agent handled",
        fields=(
            "conn_id",
            "channel",
            "date",
            "customer_name",
            "customer_email",
            "customer_phone",
            "customer_chars",
            "agent_id",
            "agent_name",
            "agent_chars",
            "time_on_agent",
            "chat_duration",
            "cod_act",
            "description_cod_act",
            "comments",
            "customer_id",
            "skill_id",
            "ASA",
            "last_participant_who_spoke",
            "extra_field",
            "comment",
            "user_id",
            "feeling",
            "agent_anwers ",
        ),
        time_fields=("date", "date_close"),
        filter_field="date_close",
        filter_reason=(
            "The API selects chat_1 rows by the chat's close date, not by date: asked for "
            "'today until 08:45', it returned 54 chats opened the day before and closed "
            "that morning (public client SantiagoAnalista/wolkvox-rendimiento, checked "
            "live). Real rows carry that close time as the undocumented date_close."
        ),
        known_extra_fields=("date_close", "agent_average_response_time", "transfer"),
        evidence=(
            "The example spells 'agent_anwers ' with a trailing space; the page's table "
            "says agent_anwers. chat_duration of a chat nobody typed is about 23 h "
            "(closed by timeout)."
        ),
    ),
    Report(
        api="chat_4",
        stream="chat_cases",
        description="one row per e-mail or social-media case, with its message, answer and status",
        fields=(
            "channel",
            "agent_name",
            "skill_id",
            "case_id",
            "subject",
            "from",
            "to",
            "body",
            "answer",
            "date_creation",
            "close_date",
            "evaluation_survey",
            "cod_act",
            "comments",
            "attachments",
            "status",
            "cod_description",
        ),
        time_fields=("date_creation", "close_date"),
        filter_reason=(
            "date_creation: open cases (status 'open') are part of the report and have no "
            "close date to be selected by, so the range must apply to creation; "
            "close_date is filled in when the case closes."
        ),
        params=(("attach_array", "no"), ("include_attachments", "false")),
        key_fields=("case_id", "date_creation"),
        key_reason=(
            "case_id names the case; date_creation, fixed when the message arrives, tells "
            "apart several messages of one case should the report list them. status, "
            "close_date, answer, cod_act and evaluation_survey change after the row is "
            "first read."
        ),
        evidence=(
            "attach_array=no and include_attachments=false keep attachment bodies out of "
            "the rows. cod_description is in the page's table only."
        ),
    ),
    Report(
        api="chat_8",
        stream="chatbot_handoffs",
        description="one row per chat the chatbot handed over to an agent",
        fields=(
            "conn_id",
            "session_id",
            "times_chatted",
            "start_date",
            "end_date",
            "time_on_chatbot",
            "rp_id",
            "channel",
            "go_to_agent",
            "customer_phone",
            "customer_name",
            "agent_id",
            "agent_name",
            "time_with_agent",
            "total_time",
            "customer_chars",
            "agent_chars",
            "total_chars",
            "asa",
            "last_sender",
            "customer_id",
            "customer_email",
        ),
        time_fields=("start_date", "end_date"),
        filter_reason=(
            "start_date: no source says. The start exists from the handoff on while the "
            "end comes later, and unlike chat_1 no client saw this report select by the "
            "end. Unconfirmed live: if live rows show otherwise, change this entry."
        ),
        evidence=(
            "agent_chars is in the example only. The example's conn_id is '-': no "
            "reliable id, should rows prove to change after a first read."
        ),
    ),
    Report(
        api="chat_9",
        stream="interaction_transfers",
        description="one row per e-mail interaction transferred to another agent or a skill",
        fields=(
            "conn_id",
            "transfer_agent_id",
            "transfer_agent_name",
            "receiver_agent_id",
            "receiver_agent_name",
            "channel",
            "date",
        ),
    ),
    Report(
        api="chat_10",
        stream="whatsapp_billing",
        description="one row per billed official-WhatsApp conversation",
        fields=("conn_id", "session_id", "date", "customer_phone", "template", "destiny"),
    ),
    Report(
        api="chat_11",
        stream="chat_transfers",
        description="one row per chat transferred to another agent, a skill or a routing point",
        fields=(
            "conn_id",
            "transfer_agent_id",
            "transfer_agent_name",
            "transfer_agent_dni",
            "receiver_agent_id",
            "receiver_agent_name",
            "receiver_agent_dni",
            "channel",
            "date",
        ),
    ),
    Report(
        api="chat_12",
        stream="agent_sent_interactions",
        description="one row per e-mail interaction an agent sent",
        fields=(
            "conn_id",
            "agent_id",
            "agent_name",
            "channel",
            "from",
            "to",
            "subject",
            "body",
            "date",
            "cod_act",
            "description_cod_act",
        ),
        evidence="cod_act and description_cod_act are in the page's table only.",
    ),
    Report(
        api="chat_14",
        stream="click_to_whatsapp",
        description="one row per chat started from a click-to-WhatsApp ad or post",
        fields=(
            "source_url",
            "source_type",
            "source_id",
            "chat_id",
            "rp_id",
            "agent_id",
            "media_type",
            "media_url",
            "date",
            "cod_act",
        ),
    ),
    Report(
        api="speech_1",
        stream="speech_calls",
        description="one row per call or chat analysed by speech analytics, with its transcript",
        fields=(
            "agent_id",
            "agent_name",
            "agent_dni",
            "conn_id",
            "time",
            "customer_id",
            "date",
            "time_silence",
            "customer_phone",
            "cod_act",
            "description_cod_act",
            "greeting",
            "slow_to_greet",
            "greeting_agent_name",
            "audio_text",
            "feeling",
            "channel",
            "category01",
        ),
        evidence=(
            "Between greeting_agent_name and audio_text come up to ten categories named "
            "by each operation: category01 is the page's placeholder, and real names go "
            "to additional_fields."
        ),
    ),
    Report(
        api="wizard_1",
        stream="copilot_answers",
        description="one row per question an agent asked wvx Copilot, with its answer",
        fields=("agent_id", "question", "answer", "conn_id", "date"),
    ),
    Report(
        api="wizard_2",
        stream="copilot_positive_ratings",
        description="one row per Copilot answer an agent rated positive",
        fields=("agent_id", "question", "answer", "date"),
    ),
    Report(
        api="wizard_3",
        stream="copilot_negative_ratings",
        description="one row per Copilot answer an agent rated negative, with the agent's reason",
        fields=("agent_id", "question", "answer", "explation", "date"),
        evidence="explation is spelled so.",
    ),
)

PARAMETER_EVENT_REPORTS: tuple[Report, ...] = (
    Report(
        api="act_3",
        stream="coded_interactions",
        description=(
            "one row per interaction coded with an activity code of the group asked for, "
            "with its codes, comments and agent"
        ),
        fields=(
            "conn_id",
            "agent_id",
            "agent_name",
            "agent_dni",
            "skill_id",
            "date",
            "cod_act",
            "description_cod_act",
            "cod_act_2",
            "description_cod_act_2",
            "comments",
            "type_interaction",
            "telephone",
            "destiny",
            "time",
            "hang_up",
            "customer_id",
            "campaign_id",
        ),
        partition=COD_ACT_GROUPS,
        evidence=(
            "cod_act is required: 'cod_act1' or 'cod_act2' (Postman's request table). An "
            "interaction can be in both groups' answers with the same fields, so the group "
            "is part of the key. cod_act can read TIMEOUTACW (not coded in time)."
        ),
    ),
    Report(
        api="campaign_5",
        stream="preview_campaign_calls",
        description=(
            "one row per call of a preview campaign (or manual call), with the customer, "
            "result, activity code and comments"
        ),
        fields=(
            "type_of_row",
            "campaign_id",
            "customer_name",
            "customer_last_name",
            "result",
            "last_code_act",
            "comments_customer_reg",
            "customer_id",
            "agent_id",
            "conn_id",
            "telephone",
            "hang_up",
            "type_interaction",
            "call_result",
            "date",
            "time",
            "cod_act",
            "comments",
        ),
        partition=CAMPAIGN_IDS_EXPLICIT,
        key_fields=("type_of_row", "campaign_id", "conn_id", "telephone", "date"),
        key_reason=(
            "The kind of row, the campaign, the call's id, the phone and the call's date "
            "name the call; last_code_act (the code of the customer's latest call) changes "
            "whenever the customer is called again, and result and comments_customer_reg "
            "with it."
        ),
        evidence=(
            "campaign_id is required. The catalogue notes that 'all' is not documented, so "
            "explicit campaign_ids are required; yet Postman's request table for this report "
            "says campaign_id 'puede recibir el valor all', as for the other campaign "
            "reports. Unconfirmed live: if 'all' works, explicit_only can go."
        ),
    ),
)

# The summary reports, in the catalogue's order.
SUMMARY_REPORTS: tuple[Report, ...] = (
    Report(
        api="agent_1",
        stream="agent_daily_states",
        description=(
            "one row per agent and day: calls handled, time in each state, AHT, occupancy, hits "
            "and first-contact resolutions, with login and logout"
        ),
        fields=(
            "agent_id",
            "agent_dni",
            "agent_name",
            "calls",
            "inbound",
            "outbound",
            "internal",
            "ready_time",
            "inbound_time",
            "outbound_time",
            "acw_time",
            "ring_time",
            "login_time",
            "aht",
            "occupancy",
            "aux_time",
            "hits",
            "rpc",
            "aht_outbund",
            "aht_inbound",
            "login",
            "logout",
        ),
        time_fields=("login", "logout"),
        kind="one_day",
        dimension_fields=("agent_id",),
        evidence=(
            "login and logout are dates with times ('fecha y hora de inicio/cierre de sesión'). "
            "aht_outbund is spelled so (agent_11 says aht_outbound)."
        ),
    ),
    Report(
        api="agent_3",
        stream="agent_daily_aux_times",
        description="one row per agent, auxiliary state and day, with the time spent in that state",
        fields=("agent_id", "agent_dni", "agent_name", "aux_state", "time"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id", "aux_state"),
    ),
    Report(
        api="agent_4",
        stream="agent_daily_campaign_states",
        description="one row per agent, campaign and day: calls handled and time in each state",
        fields=(
            "agent_id",
            "agent_name",
            "calls",
            "inbound",
            "outbound",
            "internal",
            "ready_time",
            "inbound_time",
            "outbound_time",
            "acw_time",
            "ring_time",
            "login_time",
            "aht",
            "occupancy",
            "aux_time",
            "campaign_id",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id", "campaign_id"),
        evidence="campaign_id is a row field here, not a query parameter: no campaign partition.",
    ),
    Report(
        api="agent_5",
        stream="agent_daily_hour_breakdowns",
        description=(
            "one row per agent and day, with the calls and time in each state of every hour nested "
            "in status_x_hour"
        ),
        fields=(
            "agent_name",
            "agent_id",
            "status_x_hour",
            "hour",
            "calls",
            "inbound",
            "outbound",
            "internal",
            "ready_time",
            "inbound_time",
            "outbound_time",
            "acw_time",
            "ring_time",
            "login_time",
            "aht",
            "occupancy",
            "aux_time",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id",),
        dimension_reason=(
            "The hours sit inside status_x_hour, so a day has one row per agent; agent_id names "
            "the agent."
        ),
        bucket_field="hour",
        bucket_minutes=60,
        bucket_parent="status_x_hour",
        nested_fields=(
            (
                "status_x_hour",
                (
                    "hour",
                    "calls",
                    "inbound",
                    "outbound",
                    "internal",
                    "ready_time",
                    "inbound_time",
                    "outbound_time",
                    "acw_time",
                    "ring_time",
                    "login_time",
                    "aht",
                    "occupancy",
                    "aux_time",
                ),
            ),
        ),
        evidence=(
            "The official example nests a list of objects under status_x_hour, each with hour and "
            "the 13 measures; the page's table lists those inner fields as if at top level. Help "
            "centre ('5. States by Hour and Agent'): hour is the hour of the day, 0 to 23. The "
            "table declares agent_name an Int."
        ),
    ),
    Report(
        api="agent_6",
        stream="operation_hourly_states",
        description=(
            "one row per hour of the day for the whole operation: calls handled and agents' time "
            "in each state"
        ),
        fields=(
            "hour",
            "calls",
            "inbound",
            "outbound",
            "internal",
            "ready_time",
            "inbound_time",
            "outbound_time",
            "acw_time",
            "ring_time",
            "login_time",
            "aht",
            "occupancy",
            "aux_time",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("hour",),
        bucket_field="hour",
        bucket_minutes=60,
        evidence=(
            "Help centre ('6. States by Hour'): hour is the hour of the day, 0 to 23, consolidated "
            "for all agents."
        ),
    ),
    Report(
        api="agent_7",
        stream="agent_login_sessions",
        description=(
            "one row per agent login on a day, with its login and logout times and the time logged "
            "in"
        ),
        fields=("agent_name", "agent_id", "date", "login", "logout", "login_time", "agent_dni"),
        time_fields=("login", "logout"),
        kind="daily",
        day_field="date",
        day_format="%Y-%m-%d",
        dimension_fields=("date", "agent_id", "login"),
        dimension_reason=(
            "The day, the agent and the login time name a session: an agent can log in more than "
            "once a day, and a session still open changes its logout and login_time (a public "
            "client saw logout set to the report's own clock)."
        ),
        evidence=(
            "Help centre ('7. Login - Logout Time'): date is YYYY-MM-DD (e.g. 2026-02-17); login "
            "and logout are timestamps. agent_dni is in the page's table only."
        ),
    ),
    Report(
        api="agent_8",
        stream="agent_hourly_states",
        description="one row per agent, day and hour: calls handled and time in each state",
        fields=(
            "agent_name",
            "agent_dni",
            "agent_id",
            "date",
            "hour",
            "calls",
            "inbound",
            "outbound",
            "internal",
            "ready_time",
            "inbound_time",
            "outbound_time",
            "acw_time",
            "ring_time",
            "login_time",
            "aht",
            "occupancy",
            "aux_time",
        ),
        time_fields=(),
        kind="daily",
        day_field="date",
        day_format="%Y-%m-%d",
        dimension_fields=("date", "agent_id", "hour"),
        bucket_field="hour",
        bucket_minutes=60,
        evidence=(
            "date: 'año-mes-día'. A public client saw hour as '13:00' "
            "(SantiagoAnalista/wolkvox-rendimiento)."
        ),
    ),
    Report(
        api="agent_8_1",
        stream="agent_half_hourly_states",
        description="one row per agent, day and half hour: calls handled and time in each state",
        fields=(
            "agent_name",
            "agent_id",
            "agent_dni",
            "date",
            "hour",
            "calls",
            "inbound",
            "outbound",
            "internal",
            "ready_time",
            "inbound_time",
            "outbound_time",
            "acw_time",
            "ring_time",
            "login_time",
            "aht",
            "occupancy",
            "aux_time",
        ),
        time_fields=(),
        kind="daily",
        day_field="date",
        day_format="%Y-%m-%d",
        dimension_fields=("date", "agent_id", "hour"),
        bucket_field="hour",
        bucket_minutes=30,
        evidence=(
            "date: 'año-mes-día'; hour starts a 30-minute interval (the report's name: 'por 30 "
            "minutos'). All fields are in the page's table only (the example is the same). About "
            "agents x 48 rows a day."
        ),
    ),
    Report(
        api="agent_9",
        stream="agent_daily_hold_mute_totals",
        description=(
            "one row per agent and day: how often and how long the agent put calls on hold or on "
            "mute"
        ),
        fields=("agent_name", "count", "hold_time", "mute_time", "total_time"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_name",),
        dimension_reason="No id field: agent_name is the only field naming the agent.",
    ),
    Report(
        api="agent_11",
        stream="skill_daily_agent_states",
        description=(
            "one row per skill and day, with each agent's calls and time in each state nested in "
            "agents"
        ),
        fields=(
            "skill_name",
            "agents",
            "agent_name",
            "agent_dni",
            "agent_id",
            "calls",
            "inbound",
            "outbound",
            "internal",
            "ready_time",
            "inbound_time",
            "outbound_time",
            "acw_time",
            "ring_time",
            "login_time",
            "aht",
            "occupancy",
            "aux_time",
            "hits",
            "rpc",
            "aht_outbound",
            "aht_inbound",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("skill_name",),
        dimension_reason=(
            "skill_name (a skill or agent group) is the only top-level field besides the nested "
            "agents."
        ),
        nested_fields=(
            (
                "agents",
                (
                    "agent_name",
                    "agent_dni",
                    "agent_id",
                    "calls",
                    "inbound",
                    "outbound",
                    "internal",
                    "ready_time",
                    "inbound_time",
                    "outbound_time",
                    "acw_time",
                    "ring_time",
                    "login_time",
                    "aht",
                    "occupancy",
                    "aux_time",
                    "hits",
                    "rpc",
                    "aht_outbound",
                    "aht_inbound",
                ),
            ),
        ),
        evidence=(
            "The official example nests a list of objects under agents, each with the 20 agent "
            "fields; the page's table lists those inner fields as if at top level. The table "
            "declares agents an Object."
        ),
    ),
    Report(
        api="agent_12",
        stream="agent_daily_transfer_totals",
        description=(
            "one row per agent and day: calls transferred, calls turned into conferences and their "
            "total time"
        ),
        fields=(
            "agent_name",
            "agent_id",
            "transfer_calls",
            "conference_calls",
            "total_time",
            "skill_name",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id", "skill_name"),
        dimension_reason=(
            "agent_id names the agent; skill_name, in the page's table only, splits an agent's "
            "rows by skill should the API send it (absent, it keys nothing). agent_name, in the "
            "example only, adds nothing to agent_id."
        ),
        evidence="agent_name is in the example only, skill_name in the page's table only.",
    ),
    Report(
        api="agent_16",
        stream="agent_daily_preview_times",
        description=(
            "one row per agent and day of preview campaigns: calls, preview time and time in each "
            "state"
        ),
        fields=(
            "id_agent",
            "agent_name",
            "calls",
            "time_preview",
            "ready",
            "talk",
            "not_ready_acw",
            "auxiliary_times",
            "ring",
            "total_duration",
            "preview_percent",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("id_agent",),
        evidence="The agent's id is named id_agent here, as in agent_15.",
    ),
    Report(
        api="skill_1",
        stream="skill_daily_service_levels",
        description=(
            "one row per skill and day: inbound, answered and abandoned calls, service levels at "
            "10, 20 and 30 s, ASA and ATA"
        ),
        fields=(
            "skill_name",
            "skill_id",
            "inbound_calls",
            "answer_calls",
            "abandon_calls",
            "service_level_10seg",
            "service_level_20seg",
            "service_level_30seg",
            "abandon",
            "asa",
            "ata",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("skill_id",),
        known_extra_fields=("service_level_0seg",),
        evidence=(
            "The page: without the optional services_time parameter (not sent) the API adds "
            "service_level_0seg, valued 0 %: kept as a known extra field. skill_id=all reads every "
            "skill."
        ),
    ),
    Report(
        api="skill_3",
        stream="skill_service_level_days",
        description=(
            "one row per skill and day, with the day's inbound, answered and abandoned calls, "
            "service levels at 10, 20 and 30 s, waiting and handling times"
        ),
        fields=(
            "skill_name",
            "date",
            "inbound_calls",
            "answer_calls",
            "abandon_calls",
            "service_level_10seg",
            "service_level_20seg",
            "service_level_30seg",
            "wait_time",
            "abandon",
            "asa",
            "ata",
            "aht",
        ),
        time_fields=(),
        kind="daily",
        params=SKILL_ALL,
        day_field="date",
        day_format="%Y-%m-%d",
        dimension_fields=("date", "skill_name"),
        dimension_reason=(
            "No skill_id field: skill_name names the skill (or reads ALL when every skill is "
            "consolidated)."
        ),
        evidence=(
            "date is described 'año-mes-día-Hora', the pages' wording for any date; the rows are "
            "days, so the day is read as YYYY-MM-DD (the first ten characters, should a time "
            "follow)."
        ),
    ),
    Report(
        api="skill_4",
        stream="skill_hourly_service_levels",
        description=(
            "one row per skill and hour: inbound, answered and abandoned calls, service levels at "
            "10, 20 and 30 s and average times"
        ),
        fields=(
            "skill_id",
            "hour",
            "inbound_calls",
            "answer_calls",
            "abandon_calls",
            "service_level_10seg",
            "service_level_20seg",
            "service_level_30seg",
            "asa",
            "abandon",
            "aht",
            "ata",
            "att",
            "acw",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("skill_id", "hour"),
        bucket_field="hour",
        bucket_minutes=60,
        evidence=(
            "Help centre ('4. Calls and Service Level by Hour'): hour in two digits, 00 to 23; "
            "with skill_id=all the skill may read ALL (consolidated). All fields are in the page's "
            "table only."
        ),
    ),
    Report(
        api="skill_4_1",
        stream="skill_half_hourly_service_levels",
        description=(
            "one row per skill and half hour: inbound, answered and abandoned calls, service "
            "levels at 10, 20 and 30 s and average times"
        ),
        fields=(
            "skill_id",
            "hour",
            "inbound_calls",
            "answer_calls",
            "abandon_calls",
            "service_level_10seg",
            "service_level_20seg",
            "service_level_30seg",
            "asa",
            "abandon",
            "ata",
            "aht",
            "att",
            "acw",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("skill_id", "hour"),
        bucket_field="hour",
        bucket_minutes=30,
        evidence=(
            "Help centre ('4.1 Calls and Service Level by 30-Minute Intervals'): hour is HH:MM in "
            "30-minute steps (00:00, 00:30, ...). All fields are in the page's table only."
        ),
    ),
    Report(
        api="skill_4_2",
        stream="skill_ten_minute_service_levels",
        description=(
            "one row per skill and 10-minute interval: inbound, answered and abandoned calls, "
            "service levels at 10, 20 and 30 s and average times"
        ),
        fields=(
            "skill_id",
            "hour",
            "inbound_calls",
            "answer_calls",
            "abandon_calls",
            "service_level_10seg",
            "service_level_20seg",
            "service_level_30seg",
            "asa",
            "abandon",
            "ata",
            "aht",
            "acw",
            "att",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("skill_id", "hour"),
        bucket_field="hour",
        bucket_minutes=10,
        evidence=(
            "hour starts a 10-minute interval (the report's name: 'por intervalo de 10 minutos'). "
            "aht, acw and att are in the page's table only."
        ),
    ),
    Report(
        api="skill_5",
        stream="skill_hourly_workforce_needs",
        description=(
            "one row per skill and hour: inbound calls, unique callers, AHT and the agents needed"
        ),
        fields=(
            "skill_id",
            "hour",
            "inbound_calls",
            "inbound_calls_unique_customers",
            "aht",
            "agents_needed",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("skill_id", "hour"),
        bucket_field="hour",
        bucket_minutes=60,
        max_window_hours=24,
        evidence=(
            "The page: 'el rango de fecha inicial y final no puede superar las 24 horas' and 'sólo "
            "puede ser consumida en un rango máximo de 1 día'. A one-day call fits."
        ),
    ),
    Report(
        api="skill_6",
        stream="dnis_daily_service_levels",
        description=(
            "one row per dialled number (DNIS) and day: inbound, answered and abandoned calls, "
            "service levels at 10, 20 and 30 s, ASA and ATA"
        ),
        fields=(
            "dnis",
            "inbound_calls",
            "answer_calls",
            "abandon_calls",
            "service_level_10seg",
            "service_level_20seg",
            "service_level_30seg",
            "abandon",
            "asa",
            "ata",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("dnis",),
        dimension_reason=(
            "dnis, the number the customers dialled, is what the row is about (the page's "
            "'customer's phone number' misreads DNIS)."
        ),
    ),
    Report(
        api="skill_7",
        stream="skill_service_level_hours",
        description=(
            "one row per skill, day and hour: inbound, answered and abandoned calls, service "
            "levels at 10, 20 and 30 s, waiting and handling times"
        ),
        fields=(
            "date",
            "skill_id",
            "skill_name",
            "hour",
            "inbound_calls",
            "answer_calls",
            "abandon_calls",
            "service_level_10seg",
            "service_level_20seg",
            "service_level_30seg",
            "wait_time",
            "abandon",
            "aht",
            "asa",
            "ata",
        ),
        time_fields=(),
        kind="daily",
        params=SKILL_ALL,
        day_field="date",
        day_format="%Y-%m-%d",
        dimension_fields=("date", "skill_id", "hour"),
        bucket_field="hour",
        bucket_minutes=60,
        evidence=(
            "date is described 'año-mes-día-Hora' but the hour has its own field: the day is read "
            "as YYYY-MM-DD (the first ten characters, should a time follow)."
        ),
    ),
    Report(
        api="skill_8",
        stream="skill_daily_answer_time_buckets",
        description=(
            "one row per skill and day: answered calls counted by time to answer, from 0-10 s to "
            "over 51 s"
        ),
        fields=(
            "skill_id",
            "skill_name",
            "answer_calls",
            "answer_0seg_10seg",
            "answer_11seg_20seg",
            "answer_21seg_30seg",
            "answer_31seg_40seg",
            "answer_41seg_50seg",
            "anwers_greater_than_51seg",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("skill_id",),
        evidence="anwers_greater_than_51seg is spelled so.",
    ),
    Report(
        api="skill_9",
        stream="skill_daily_abandon_time_buckets",
        description=(
            "one row per skill and day: abandoned calls counted by waiting time, from 0-10 s to "
            "over 51 s"
        ),
        fields=(
            "skill_id",
            "skill_name",
            "abandon_calls",
            "abandon_0seg_10seg",
            "abandon_11seg_20_seg",
            "abandon_21seg_30seg",
            "abandon_31seg_40seg",
            "abandon_41seg_50seg",
            "abandon_greater_than_51seg",
            "answer_0seg_10seg",
            "answer_11seg_20seg",
            "answer_21seg_30seg",
            "answer_31seg_40seg",
            "answer_41seg_50seg",
            "anwers_greater_than_51seg",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("skill_id",),
        evidence=(
            "The example has the abandon_* buckets (abandon_11seg_20_seg spelled so); the page's "
            "table repeats skill_8's answer_* buckets instead. All are kept."
        ),
    ),
    Report(
        api="skill_11",
        stream="interaction_type_daily_service_levels",
        description=(
            "one row per interaction type (call or chat channel) and day: inbound, answered and "
            "abandoned calls, service levels at 10, 20 and 30 s, ASA and ATA"
        ),
        fields=(
            "type_interaction",
            "inbound_calls",
            "answer_calls",
            "abandon_calls",
            "service_level_10seg",
            "service_level_20seg",
            "service_level_30seg",
            "abandon",
            "asa",
            "ata",
        ),
        time_fields=(),
        kind="one_day",
        params=SKILL_ALL,
        dimension_fields=("type_interaction",),
    ),
    Report(
        api="cdr_2",
        stream="agent_daily_call_costs",
        description="one row per agent and day: calls made and their cost",
        fields=("calls", "agent_name", "cost"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_name",),
        dimension_reason="No id field: agent_name is the only field naming the agent.",
        evidence="The table declares agent_name an Int.",
    ),
    Report(
        api="cdr_4",
        stream="daily_call_duration_breakdowns",
        description=(
            "one row per day: calls, minutes, cost and share of calls in each duration range, from "
            "0-5 s to over 121 s"
        ),
        fields=(
            "0_5_seg",
            "6_20_seg",
            "21_60_seg",
            "61_120_seg",
            "greater_than_121",
            "INTERVAL",
            "calls",
            "minutes",
            "cost",
            "percentage",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("INTERVAL",),
        dimension_reason=(
            "data is one object holding the five ranges, so a day has one row, without INTERVAL: "
            "its key is the day alone. Should the API answer the page's table instead (one row per "
            "range), INTERVAL tells the rows apart."
        ),
        object_fields=tuple((name, CDR_4_MEASURES) for name in CDR_4_RANGES),
        single_object=True,
        evidence=(
            "The official example answers data as one object whose five keys (0_5_seg ... "
            "greater_than_121) each hold calls, minutes, cost and percentage; the page's table "
            "describes a row per INTERVAL with those four measures."
        ),
    ),
    Report(
        api="cdr_6",
        stream="daily_unconnected_call_results",
        description=(
            "one row per network result of unconnected calls and day, with the calls counted"
        ),
        fields=("result", "count"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("result",),
    ),
    Report(
        api="cdr_8",
        stream="nlp_type_daily_totals",
        description="one row per NLP service type and day: uses and characters sent and received",
        fields=("type_nlp", "nlp_amount", "chars_send", "chars_answer", "total_chars"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("type_nlp",),
        evidence="All fields are in the page's table only.",
    ),
    Report(
        api="act_1",
        stream="agent_daily_code_counts",
        description="one row per agent, activity code and day: calls coded with it",
        fields=("count", "agent_name", "agent_dni", "cod_act", "description_cod_act"),
        time_fields=(),
        kind="one_day",
        partition=COD_ACT_GROUPS,
        dimension_fields=("agent_dni", "agent_name", "cod_act"),
        dimension_reason=(
            "No agent_id field: agent_dni (the agent's document number) names the agent, and "
            "agent_name too, for agents without one. cod_act can read TIMEOUTACW (not coded in "
            "time)."
        ),
    ),
    Report(
        api="act_2",
        stream="skill_daily_code_counts",
        description="one row per skill, activity code and day: calls coded with it",
        fields=("count", "skill_id", "cod_act", "description_cod_act"),
        time_fields=(),
        kind="one_day",
        partition=COD_ACT_GROUPS,
        dimension_fields=("skill_id", "cod_act"),
    ),
    Report(
        api="act_4",
        stream="agent_daily_uncoded_calls",
        description="one row per agent and day: calls left without an activity code",
        fields=("uncode_calls", "agent_id", "agent_name"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id",),
    ),
    Report(
        api="act_5",
        stream="code_daily_counts",
        description="one row per activity code and day: times it was used",
        fields=("count", "cod_act", "description_cod_act"),
        time_fields=(),
        kind="one_day",
        partition=COD_ACT_GROUPS,
        dimension_fields=("cod_act",),
    ),
    Report(
        api="diagram_1_1",
        stream="ivr_daily_totals",
        description="one row per day: calls handled by the IVR and IVR minutes",
        fields=("day", "calls", "ivr_minutes"),
        time_fields=(),
        kind="daily",
        day_field="day",
        day_format="%Y-%m-%d",
        dimension_fields=("day",),
        evidence=(
            "day: 'Año-Mes-Día' (Postman) and 'Year-Month-Day' (English page, with en dashes). The "
            "copy of the newer English page reading 'YearMonthDay' dropped its en dashes, as it "
            "does elsewhere ('wolkvoxtoken')."
        ),
    ),
    Report(
        api="diagram_1_2",
        stream="ivr_hourly_totals",
        description="one row per hour: calls handled by the IVR and IVR minutes",
        fields=("day", "calls", "ivr_minutes", "date"),
        time_fields=(),
        kind="daily",
        day_field="day",
        day_format="%Y-%m-%d-%H",
        dimension_fields=("day", "date"),
        dimension_reason=(
            "The hour's day and start are in day (the example's name) or date (the page's table's "
            "name): whichever the API sends keys the row."
        ),
        bucket_field="day",
        bucket_minutes=60,
        evidence=(
            "The rows are hours: the English page ('by the hour of the day ... per hour') and the "
            "Postman benefit ('por hora'); its first Spanish sentence ('por día') is copied from "
            "diagram_1_1. The value's layout: Postman's table says 'Año-Mes-Día-Hora' and one copy "
            "of the English page 'YYYY-MM-DD-HH' (with en dashes); the copy reading 'YYYYMMDDHH' "
            "is the one that drops en dashes everywhere ('wolkvoxtoken', 'selfmanagement', and "
            "diagram_1_1's 'YearMonthDay'). So day holds YYYY-MM-DD-HH: the day is its first ten "
            "characters and the hour the last two. The example names the field day and the table "
            "date: both are kept. Unconfirmed live."
        ),
    ),
    Report(
        api="diagram_1_3",
        stream="ivr_menu_option_daily_totals",
        description="one row per routing point, menu option and day: calls and IVR time",
        fields=("rp_id", "calls", "time", "cod_opc_menu"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("rp_id", "cod_opc_menu"),
        evidence=(
            "The page's descriptions of calls (an amount of time) and time (minutes) look swapped. "
            "cod_opc_menu reads PULSE when the caller chose nothing."
        ),
    ),
    Report(
        api="diagram_2",
        stream="skill_daily_smart_wait_totals",
        description=(
            "one row per skill and day: calls offered smart wait, the customers' answers and the "
            "callbacks' outcomes"
        ),
        fields=(
            "skill_id",
            "treatment",
            "customer_say_no",
            "customer_say_yes",
            "recall_fail",
            "recall_ok",
            "service_level_up",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("skill_id",),
    ),
    Report(
        api="diagram_5",
        stream="agent_daily_survey_scores",
        description=(
            "one row per agent and day: smart surveys answered and the average answer to each "
            "question"
        ),
        fields=(
            "agent_id",
            "agent_name",
            "surveys",
            "q01",
            "q02",
            "q03",
            "q04",
            "q05",
            "q06",
            "q07",
            "q08",
            "q09",
            "q10",
            "average",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id",),
        evidence="q01..q10 are in the example only (the table says 'q#').",
    ),
    Report(
        api="diagram_6",
        stream="skill_daily_survey_scores",
        description=(
            "one row per skill and day: smart surveys answered and the average answer to each "
            "question"
        ),
        fields=(
            "skill_id",
            "skill_name",
            "surveys",
            "q01",
            "q02",
            "q03",
            "q04",
            "q05",
            "q06",
            "q07",
            "q08",
            "q09",
            "q10",
            "average",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("skill_id",),
        evidence="q01..q10 are in the example only (the table says 'q#').",
    ),
    Report(
        api="diagram_10",
        stream="tts_text_daily_counts",
        description=(
            "one row per text-to-speech (TTS) text and day: times played and its characters"
        ),
        fields=("total", "characters", "tts_text"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("tts_text",),
        dimension_reason="No id field: the text itself is what the row counts.",
    ),
    Report(
        api="diagram_14",
        stream="menu_code_daily_counts",
        description=(
            "one row per activity code set by routing-point menus and day: times used and share"
        ),
        fields=("cod_act", "description_cod_act", "count", "percent"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("cod_act",),
    ),
    Report(
        api="quality_1",
        stream="agent_daily_quality_results",
        description="one row per agent and day: quality evaluations and their average scores",
        fields=(
            "agent_id",
            "agent_name",
            "evaluations",
            "precision_unit_critical_error",
            "precision_opportunity_critical_error",
            "accuracy",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id",),
        evidence=(
            "precision_opportunity_critical_error here; quality_2 says precision_opportunity_error."
        ),
    ),
    Report(
        api="quality_4",
        stream="quality_attribute_daily_results",
        description=(
            "one row per evaluation form, category, attribute and day: times agents met it or not"
        ),
        fields=("attribute", "yes", "no", "percent", "survey", "category"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("survey", "category", "attribute"),
        dimension_reason=(
            "An attribute is named within a category of an evaluation form (survey): one attribute "
            "name can recur in several forms."
        ),
    ),
    Report(
        api="quality_5",
        stream="analyst_daily_quality_results",
        description=(
            "one row per quality analyst and day: evaluations made and their average scores"
        ),
        fields=(
            "quality_analyst",
            "evaluations",
            "precision_unit_critical_error",
            "precision_opportunity_critical_error",
            "accuracy",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("quality_analyst",),
        dimension_reason="No id field: the analyst's name is the only field naming the analyst.",
        evidence="All fields are in the page's table only.",
    ),
    Report(
        api="campaign_1",
        stream="campaign_daily_final_results",
        description=(
            "one row per final dialler result and day of outbound campaigns: records and share"
        ),
        fields=("result", "records", "percent"),
        time_fields=(),
        kind="one_day",
        partition=CAMPAIGN_IDS,
        dimension_fields=("result",),
        evidence="campaign_id accepts 'all' per the page: the campaign_ids setting's default.",
    ),
    Report(
        api="campaign_2",
        stream="campaign_daily_code_results",
        description="one row per activity code and day of outbound campaigns: records and share",
        fields=("cod_act", "records", "percent"),
        time_fields=(),
        kind="one_day",
        partition=CAMPAIGN_IDS,
        dimension_fields=("cod_act",),
        evidence="campaign_id accepts 'all' per the page: the campaign_ids setting's default.",
    ),
    Report(
        api="campaign_4",
        stream="campaign_daily_attempt_results",
        description=(
            "one row per dialler result and day of outbound campaigns, counting every attempt: "
            "calls and share"
        ),
        fields=("result", "records", "percent"),
        time_fields=(),
        kind="one_day",
        partition=CAMPAIGN_IDS,
        dimension_fields=("result",),
        evidence="campaign_id accepts 'all' per the page: the campaign_ids setting's default.",
    ),
    Report(
        api="campaign_6",
        stream="campaign_daily_amd_totals",
        description="one row per campaign and day: answering machines detected",
        fields=("campaign_id", "total_amd"),
        time_fields=(),
        kind="one_day",
        partition=CAMPAIGN_IDS,
        dimension_fields=("campaign_id",),
        evidence="campaign_id accepts 'all' per the page: the campaign_ids setting's default.",
    ),
    Report(
        api="campaign_8",
        stream="campaign_phone_daily_machine_codes",
        description=(
            "one row per phone and day of outbound campaigns: machine recognitions and network "
            "results counted"
        ),
        fields=(
            "telephone",
            "total_machine_recognitions",
            "no_answer",
            "answer_machine",
            "busy",
            "congestion",
            "failed",
        ),
        time_fields=(),
        kind="one_day",
        partition=CAMPAIGN_IDS,
        dimension_fields=("telephone",),
        evidence="campaign_id accepts 'all' per the page: the campaign_ids setting's default.",
    ),
    Report(
        api="campaign_10",
        stream="turbo_dial_daily_machine_codes",
        description="one row per machine code and day of Turbo Dial campaigns: times detected",
        fields=("machinecode", "cantidad"),
        time_fields=(),
        kind="one_day",
        partition=CAMPAIGN_IDS,
        dimension_fields=("machinecode",),
        evidence="The official URL sends campaign_id=all. cantidad (count) is Spanish.",
    ),
    Report(
        api="chat_2",
        stream="chat_conversations",
        description="one row per chat, with its messages nested in conversation",
        fields=(
            "conn_id",
            "agent_name",
            "customer_name",
            "conversation",
            "channel",
            "from",
            "from_name phone",
            "to_name",
            "date",
            "message",
            "customer_id",
            "customer_phone",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=("conn_id",),
        nested_fields=(
            (
                "conversation",
                (
                    "channel",
                    "from",
                    "from_name",
                    "to_name",
                    "date",
                    "message",
                    "customer_id",
                    "customer_phone",
                ),
            ),
        ),
        evidence=(
            "The official example nests a list of messages under conversation (channel, from, "
            "from_name, to_name, date, message, customer_id, customer_phone); the page's table "
            "lists them at top level, merging from_name and phone into 'from_name phone'. The "
            "catalogue calls it an aggregate, but a row is a chat."
        ),
    ),
    Report(
        api="chat_3",
        stream="channel_daily_closed_interactions",
        description=(
            "one row per digital channel (e-mail, social media) and day: interactions closed and "
            "handling time"
        ),
        fields=("channel", "interactions", "closing_time"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("channel",),
    ),
    Report(
        api="chat_5",
        stream="agent_daily_closed_interactions",
        description="one row per agent and day: interactions closed and handling time",
        fields=("agent_name", "interactions", "close_time"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_name",),
        dimension_reason="No id field: agent_name is the only field naming the agent.",
    ),
    Report(
        api="chat_6",
        stream="daily_closed_interactions",
        description="one row per day: interactions closed and handling time",
        fields=("date", "interactions", "close_time"),
        time_fields=(),
        kind="daily",
        day_field="date",
        day_format="%Y-%m-%d",
        dimension_fields=("date",),
        evidence=(
            "date is described 'año-mes-día-Hora', the pages' wording for any date; the rows are "
            "days, so the day is read as YYYY-MM-DD (the first ten characters, should a time "
            "follow)."
        ),
    ),
    Report(
        api="chat_7",
        stream="agent_code_daily_closed_interactions",
        description="one row per agent, activity code and day: interactions closed",
        fields=("interactions", "agent_name", "cod_act", "description_cod_act"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_name", "cod_act"),
        dimension_reason="No id field: agent_name is the only field naming the agent.",
        evidence=(
            "description_cod_act is in the example only. A public client saw chat_7 answer 404 on "
            "its server."
        ),
    ),
    Report(
        api="chat_13",
        stream="channel_daily_closed_chats",
        description="one row per chat channel and day: chats closed",
        fields=("chanel", "interaction", "channel"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("chanel", "channel"),
        dimension_reason=(
            "The example spells the channel chanel, the page's table channel: whichever the API "
            "sends keys the row."
        ),
    ),
    Report(
        api="chat_15",
        stream="click_to_whatsapp_daily_totals",
        description=(
            "one row per day: click-to-WhatsApp chats from ads and from posts, handled by bots or "
            "by agents"
        ),
        fields=(
            "ad_chatbot",
            "ad_agents",
            "post_chatbot",
            "post_agents",
            "total_chatbot",
            "total_agents",
        ),
        time_fields=(),
        kind="one_day",
        dimension_fields=(),
        dimension_reason=(
            "Every field is a measure and the report answers one row: its key is the day alone."
        ),
    ),
    Report(
        api="chat_16",
        stream="agent_daily_chat_totals",
        description=(
            "one row per agent and day: chats handled, conversation time, average handling time "
            "and share transferred"
        ),
        fields=("agent_id", "agent_name", "total_chats", "time", "tmo", "percent_transfer"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id",),
    ),
    Report(
        api="speech_2",
        stream="agent_daily_silence_percentages",
        description="one row per agent and day: average share of silence in the agent's calls",
        fields=("agent_id", "agent_name", "agent_dni", "silence"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id",),
    ),
    Report(
        api="speech_3",
        stream="agent_daily_slow_greeting_percentages",
        description="one row per agent and day: share of calls the agent was slow to greet",
        fields=("agent_id", "agent_name", "agent_dni", "slow_to_greet"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id",),
    ),
    Report(
        api="speech_4",
        stream="agent_daily_sentiment_averages",
        description="one row per agent and day: the average sentiment of the agent's calls",
        fields=("agent_id", "agent_name", "agent_dni", "feeling"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("agent_id",),
    ),
    Report(
        api="speech_5",
        stream="on_demand_speech_analyses",
        description=(
            "one row per conversation text analysed on demand by speech analytics, with its "
            "summary and sentiment"
        ),
        fields=("agent_id", "id_text", "text", "summary", "feeling", "date", "total_chars"),
        time_fields=(),
        kind="one_day",
        dimension_fields=("id_text",),
        dimension_reason=(
            "id_text names the analysed conversation: the rows are analyses, not totals."
        ),
        evidence=(
            "All fields are in the page's table only. date ('fecha en que se realizó el análisis') "
            "is not read as a timestamp: its layout is not documented."
        ),
    ),
)

ALL_REPORTS: tuple[Report, ...] = REPORTS + PARAMETER_EVENT_REPORTS + SUMMARY_REPORTS
"""Every entry: the event reports, then the partitioned event reports, then the summaries."""

_BY_STREAM = {report.stream: report for report in ALL_REPORTS}
_BY_API = {report.api: report for report in ALL_REPORTS}
if len({report.stream for report in ALL_REPORTS}) != len(ALL_REPORTS) or len(
    {report.api for report in ALL_REPORTS}
) != len(ALL_REPORTS):
    _msg = "two reports share a stream name or a report id"
    raise ValueError(_msg)


def by_stream(name: str) -> Report:
    """The report behind stream ``name``.

    Raises:
        KeyError: No stream has that name.
    """
    try:
        return _BY_STREAM[name]
    except KeyError:
        msg = f"no Wolkvox stream is named {name!r}"
        raise KeyError(msg) from None


def by_api(api: str) -> Report:
    """The report whose id is ``api``.

    Raises:
        KeyError: The registry has no such report.
    """
    try:
        return _BY_API[api]
    except KeyError:
        msg = f"no Wolkvox report {api!r} in the registry"
        raise KeyError(msg) from None
