"""The registry of Wolkvox Reports Manager reports the tap reads, as plain data.

Every report of kind ``event`` in the reports catalogue (41, from Wolkvox's official
"wolkvox APIs (ES)" Postman export) is one :class:`Report` entry. Adding a report means
adding an entry here, not a class. The module imports only the standard library: the
fake API in the tests reads it too.

Stream names, field names and their order are the public interface: they are copied
verbatim from the catalogue, odd spellings included (``campaing_id``, ``destinity``,
``explation``, ``yes/no``, chat_1's ``"agent_anwers "`` with its trailing space).

Time formats. Only one layout is evidenced for the rows' timestamps:
``YYYY-MM-DD HH:MM:SS``, wall-clock time with no offset. Every real value seen has it
(the official examples of agent_15 ``date_preview "2026-06-25 10:50:54"`` and diagram_15
``date "2026-01-18 19:34:31"``; a public client's campaign_3 comment
``"2025-04-03 12:28:00"``), agent_13_1's page spells it out, the other pages say
"año-mes-día-hora", and a public Java client parses agent_2 and diagram_3 dates with
``yyyy-MM-dd HH:mm:ss``. ``dates.API_DATE`` reads that layout for every report; a value
in any other is kept raw under ``additional_fields``.

Which timestamp the API selects rows by is documented for no report (campaign_3's page
comes closest). ``filter_field`` records the choice, and ``filter_reason`` says why
wherever the report has another timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ROW_CAP = 60_000
"""Rows per call stated on every report page."""

# Query parameters the client sets itself: an entry's ``params`` must not repeat them.
RESERVED_PARAMS = frozenset({"api", "date_ini", "date_end"})


@dataclass(frozen=True)
class Report:
    """One Reports Manager report and how the tap reads it.

    Attributes:
        api: The report id sent as ``api=``, e.g. ``"cdr_1"``.
        stream: The stream name, verbatim from the catalogue (public interface).
        description: One English line saying what a row is, without a final period,
            e.g. ``"one row per call"``.
        fields: The documented fields, verbatim and in the API's order.
        time_fields: Every field holding a timestamp, documented or known extra;
            ``("date",)`` unless said otherwise.
        filter_field: The timestamp the API selects rows by (``date_ini``/``date_end``
            apply to it). One of ``time_fields``; the first unless said otherwise.
        filter_reason: Why ``filter_field``, wherever the report has another timestamp.
        params: Extra query parameters, as ``(name, value)`` pairs in sending order.
        row_cap: The most rows one call returns, per the report's page.
        fixed_utc_offset_hours: The UTC offset of the report's timestamps when the page
            fixes it whatever the operation's zone; None when they follow the operation.
        key_fields: A natural id, for reports whose rows change after first being read;
            None means the key comes from every documented field.
        key_reason: Why ``key_fields`` identify a row.
        known_extra_fields: Fields real rows carry that the documentation omits.
        selected_by_default: Whether a plain run without a catalog syncs the stream.
        evidence: Quirks of the report's page or rows worth keeping.
    """

    api: str
    stream: str
    description: str
    fields: tuple[str, ...]
    time_fields: tuple[str, ...] = ("date",)
    filter_field: str = ""  # default: the first time field
    filter_reason: str = ""
    params: tuple[tuple[str, str], ...] = ()
    row_cap: int = DEFAULT_ROW_CAP
    fixed_utc_offset_hours: int | None = None
    key_fields: tuple[str, ...] | None = None
    key_reason: str = ""
    known_extra_fields: tuple[str, ...] = ()
    selected_by_default: bool = False
    evidence: str = ""

    def __post_init__(self) -> None:
        """Refuse an inconsistent entry at import rather than in the middle of a sync."""
        if not self.filter_field and self.time_fields:
            object.__setattr__(self, "filter_field", self.time_fields[0])  # frozen
        known = set(self.fields) | set(self.known_extra_fields)
        checks = (
            (len(set(self.fields)) == len(self.fields), "a field is listed twice"),
            (
                set(self.fields).isdisjoint(self.known_extra_fields),
                "a known extra field is also documented",
            ),
            (
                bool(self.time_fields) and known.issuperset(self.time_fields),
                "time_fields must name fields",
            ),
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
                RESERVED_PARAMS.isdisjoint(name for name, _ in self.params),
                "params must not repeat api, date_ini or date_end",
            ),
            (self.row_cap > 0, "row_cap must be positive"),
        )
        problems = [message for ok, message in checks if not ok]
        if problems:
            msg = f"report {self.api}: {'; '.join(problems)}"
            raise ValueError(msg)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every field that gets a column: the documented ones, then the known extras."""
        return self.fields + self.known_extra_fields


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

_BY_STREAM = {report.stream: report for report in REPORTS}
_BY_API = {report.api: report for report in REPORTS}
if len(_BY_STREAM) != len(REPORTS) or len(_BY_API) != len(REPORTS):
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
